// ailedgerd's Prometheus metrics (server/metrics.h) end to end: /metrics read
// directly after real appends and reads, witnesses that cosign and one that
// is down, and Debian's own Prometheus server scraping ailedgerd and answering
// a query for the append counter.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "httplib.h"
#include "ledger/base/file_util.h"
#include "nlohmann/json.hpp"
#include "tests/testing/e2e_fixture.h"
#include "tests/testing/loopback.h"

namespace ailedger {
namespace {

constexpr char kPrometheus[] = "/usr/bin/prometheus";

// A port nothing listens on now (free when the test looked).
int FreeLoopbackPort() {
  int port = 0;
  close(testing::ListenOnLoopback(1, &port));
  return port;
}

// The value of `series` (its exact text, e.g. `name{a="b"}`) in an exposition
// text, or nullopt when absent.
std::optional<double> Sample(const std::string& text,
                             const std::string& series) {
  const std::string start = series + " ";
  for (size_t at = text.find(start); at != std::string::npos;
       at = text.find(start, at + 1)) {
    if (at != 0 && text[at - 1] != '\n') continue;
    const size_t end = text.find('\n', at);
    double v = 0;
    if (absl::SimpleAtod(
            text.substr(at + start.size(), end - at - start.size()), &v))
      return v;
  }
  return std::nullopt;
}

std::string PercentEncode(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '_' || c == '-' || c == '.') {
      out.push_back(static_cast<char>(c));
    } else {
      absl::StrAppend(&out, "%", absl::Hex(c, absl::kZeroPad2));
    }
  }
  return out;
}

// Debian's Prometheus server on a free loopback port, scraping `target` every
// second, its storage and log in `dir`. Stopped (SIGTERM) when destroyed.
class PrometheusServer {
 public:
  PrometheusServer(const std::string& dir, const std::string& target)
      : dir_(dir), port_(FreeLoopbackPort()) {
    std::filesystem::create_directories(dir + "/tsdb");
    std::ofstream(dir + "/prometheus.yml")
        << "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
           "scrape_configs:\n  - job_name: ailedgerd\n"
           "    static_configs:\n      - targets: ['"
        << target << "']\n";
    pid_ = fork();
    if (pid_ == 0) {
      const std::string log = dir + "/prometheus.log";
      freopen(log.c_str(), "w", stdout);
      dup2(fileno(stdout), 2);
      const std::string config = "--config.file=" + dir + "/prometheus.yml";
      const std::string tsdb = "--storage.tsdb.path=" + dir + "/tsdb";
      const std::string listen =
          "--web.listen-address=127.0.0.1:" + std::to_string(port_);
      execl(kPrometheus, kPrometheus, config.c_str(), tsdb.c_str(),
            listen.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
  }
  ~PrometheusServer() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }

  // The first sample of the instant query `promql`, once Prometheus answers
  // one equal to `want`, or the last answer after `within`.
  std::optional<double> WaitFor(const std::string& promql, double want,
                                std::chrono::seconds within) {
    std::optional<double> last;
    httplib::Client http("127.0.0.1", port_);
    http.set_connection_timeout(2);
    http.set_read_timeout(5);
    const auto deadline = std::chrono::steady_clock::now() + within;
    while (std::chrono::steady_clock::now() < deadline) {
      auto res = http.Get("/api/v1/query?query=" + PercentEncode(promql));
      if (res && res->status == 200) {
        auto j = nlohmann::json::parse(res->body, nullptr, false);
        if (!j.is_discarded() && j["status"] == "success" &&
            !j["data"]["result"].empty()) {
          double v = 0;
          if (absl::SimpleAtod(
                  j["data"]["result"][0]["value"][1].get<std::string>(), &v))
            last = v;
          if (last == want) return last;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    return last;
  }
  std::string Log() const {
    return ReadSmallFile(dir_ + "/prometheus.log").value_or("");
  }

 private:
  const std::string dir_;
  const int port_;
  pid_t pid_ = -1;
};

class MetricsE2eTest : public testing::E2eTest {
 protected:
  // Restarts ailedgerd with metrics on a free loopback port and `extra`.
  void StartWithMetrics(std::vector<std::string> extra = {}) {
    server_.reset();
    extra.insert(extra.end(), {"--metrics-addr", "127.0.0.1:0"});
    ASSERT_NO_FATAL_FAILURE(StartServer(extra));
    const std::string& out = server_->output();
    const std::string marker = "metrics on 127.0.0.1:";
    const size_t at = out.find(marker);
    ASSERT_NE(at, std::string::npos) << out;
    metrics_address_ =
        "127.0.0.1:" +
        std::to_string(std::atoi(out.c_str() + at + marker.size()));
  }
  std::string Scrape() {
    httplib::Client http("http://" + metrics_address_);
    auto res = http.Get("/metrics");
    EXPECT_TRUE(res && res->status == 200) << metrics_address_;
    return res ? res->body : "";
  }

  std::string metrics_address_;
};

TEST_F(MetricsE2eTest, MetricsPageCountsAppendsReadsAndTheLogsState) {
  ASSERT_NO_FATAL_FAILURE(StartWithMetrics());
  const uint64_t size = Size();  // GetLogInfo
  ASSERT_NO_FATAL_FAILURE(AppendEvents(1, 3));
  auto client = Client(nullptr);
  // The same event again: a duplicate, answered with its receipt.
  ASSERT_TRUE(
      client->Append(Signed(LoadKey("publisher"), "RiskAssessed", "s", 1))
          .ok());
  // Signed by a key the roster does not hold: refused.
  const SigningKey stranger =
      SigningKey::Generate("stranger", kKeyTypeEd25519).value();
  auto refused = client->Append(Signed(stranger, "RiskAssessed", "s", 9));
  ASSERT_FALSE(refused.ok());
  const std::string code = absl::StatusCodeToString(refused.status().code());
  v1::GetCheckpointRequest latest;
  ASSERT_TRUE(client->GetCheckpoint(latest).ok());

  const std::string text = Scrape();
  EXPECT_EQ(
      Sample(text, R"(ailedger_appends_total{code="OK",outcome="logged"})"), 3)
      << text;
  EXPECT_EQ(
      Sample(text, R"(ailedger_appends_total{code="OK",outcome="duplicate"})"),
      1);
  EXPECT_EQ(Sample(text, absl::StrCat(R"(ailedger_appends_total{code=")", code,
                                      R"(",outcome="refused"})")),
            1);
  EXPECT_EQ(Sample(text, "ailedger_append_receipt_seconds_count"), 4);
  EXPECT_GT(*Sample(text, "ailedger_append_receipt_seconds_sum"), 0);
  EXPECT_EQ(Sample(text, "ailedger_tree_size"), size + 3);
  // The stranger's event too: the roster is checked in the sequencer.
  EXPECT_EQ(Sample(text, "ailedger_batch_events_sum"), 5);
  EXPECT_EQ(Sample(text, "ailedger_queue_events"), 0);
  EXPECT_EQ(Sample(text, "ailedger_commit_failures_total"), 0);
  EXPECT_GE(*Sample(text, "ailedger_checkpoint_age_seconds"), 0);
  EXPECT_LT(*Sample(text, "ailedger_checkpoint_age_seconds"), 60);
  EXPECT_EQ(Sample(text, R"(ailedger_reads_total{method="GetCheckpoint"})"), 1);
  EXPECT_GE(*Sample(text, R"(ailedger_reads_total{method="GetLogInfo"})"), 1);
  // Nothing about events or keys is in a label.
  EXPECT_EQ(text.find("publisher"), std::string::npos);
}

TEST_F(MetricsE2eTest, RateLimitRefusalsAreCounted) {
  ASSERT_NO_FATAL_FAILURE(StartWithMetrics({"--rate-per-peer", "1"}));
  auto client = Client(nullptr);  // its GetLogInfo takes the one call
  v1::GetCheckpointRequest latest;
  for (int i = 0; i < 3; ++i) (void)client->GetCheckpoint(latest);
  const std::string text = Scrape();
  EXPECT_GE(*Sample(text, R"(ailedger_rate_limited_total{limit="peer"})"), 2)
      << text;
}

TEST_F(MetricsE2eTest, WitnessCosignatureAgeAndFailuresPerWitness) {
  ASSERT_EQ(Keygen("w", "witness.example/w1", /*cosigner=*/true), 0);
  ASSERT_EQ(Keygen("down", "witness.example/down", /*cosigner=*/true), 0);
  auto witness = StartWitness("w");
  ASSERT_TRUE(witness->started()) << witness->output();
  ASSERT_NO_FATAL_FAILURE(StartWithMetrics(
      {"--witness", "http://" + witness->address() + "=" + Vkey("w"),
       "--witness",
       absl::StrCat("http://127.0.0.1:", FreeLoopbackPort(), "=", Vkey("down")),
       "--witness-interval-ms", "100"}));
  ASSERT_NO_FATAL_FAILURE(AppendEvents(1, 1));
  ASSERT_TRUE(WaitForCosigned(Size()).ok());
  std::string text;
  for (int i = 0; i < 50; ++i) {  // the failure's round may still be running
    text = Scrape();
    if (Sample(
            text,
            R"(ailedger_witness_failures_total{witness="witness.example/down"})"))
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  auto age = Sample(
      text,
      R"(ailedger_witness_cosignature_age_seconds{witness="witness.example/w1"})");
  ASSERT_TRUE(age.has_value()) << text;
  EXPECT_LT(*age, 60);
  EXPECT_GE(
      *Sample(
          text,
          R"(ailedger_witness_failures_total{witness="witness.example/down"})"),
      1);
  EXPECT_FALSE(Sample(
      text,
      R"(ailedger_witness_failures_total{witness="witness.example/w1"})"));
}

TEST_F(MetricsE2eTest, RefusesARemoteMetricsAddressUnlessAllowed) {
  server_.reset();
  auto r = Daemon({"serve", "--data", Path("data"), "--log-key",
                   Path("log.key"), "--metrics-addr", "0.0.0.0:0"});
  ExpectExit(r, 2, "0.0.0.0 is not a loopback address");
  r = Daemon({"serve", "--data", Path("data"), "--log-key", Path("log.key"),
              "--metrics-addr", "0.0.0.0:0", "--metrics-allow-remote",
              "--check-config"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(MetricsE2eTest, PrometheusScrapesTheAppendCounter) {
  if (access(kPrometheus, X_OK) != 0) {
    GTEST_SKIP() << kPrometheus
                 << " is missing: install Debian's prometheus package "
                    "(tools/setup.sh does)";
  }
  ASSERT_NO_FATAL_FAILURE(StartWithMetrics());
  constexpr int kAppends = 5;
  ASSERT_NO_FATAL_FAILURE(AppendEvents(1, kAppends));
  PrometheusServer prometheus(Path("prometheus"), metrics_address_);
  auto value =
      prometheus.WaitFor(R"(sum(ailedger_appends_total{outcome="logged"}))",
                         kAppends, std::chrono::seconds(90));
  ASSERT_TRUE(value.has_value()) << prometheus.Log();
  EXPECT_EQ(*value, kAppends) << prometheus.Log();
  // Prometheus saw the target healthy.
  EXPECT_EQ(
      prometheus.WaitFor(R"(up{job="ailedgerd"})", 1, std::chrono::seconds(10)),
      1);
}

}  // namespace
}  // namespace ailedger
