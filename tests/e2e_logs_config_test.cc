// ailedgerd's structured logs (--log-format json, server/log.h) and its
// configuration file (--config, --check-config, server/serve_flags.h) end to
// end, with the example deployment's file (examples/deploy/).
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <set>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "ledger/base/file_util.h"
#include "nlohmann/json.hpp"
#include "tests/testing/e2e_fixture.h"
#include "tests/testing/loopback.h"

namespace ailedger {
namespace {

// Each line of `text` parsed as a JSON object with string "time", "level"
// and "msg" (test failures otherwise).
std::vector<nlohmann::json> JsonLines(const std::string& text) {
  std::vector<nlohmann::json> out;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    EXPECT_TRUE(j.is_object()) << "not a JSON object: " << line;
    if (!j.is_object()) continue;
    for (const char* key : {"time", "level", "msg"}) {
      EXPECT_TRUE(j.contains(key) && j[key].is_string())
          << key << " missing in " << line;
    }
    if (!j["level"].is_string()) continue;
    EXPECT_TRUE(std::set<std::string>({"info", "warning", "error"})
                    .count(j["level"].get<std::string>()))
        << line;
    EXPECT_EQ(j["time"].get<std::string>().size(),
              std::string("2025-01-02T03:04:05.678Z").size())
        << line;
    out.push_back(std::move(j));
  }
  return out;
}

// The first line whose msg starts with `prefix`, or null.
const nlohmann::json* Find(const std::vector<nlohmann::json>& lines,
                           const std::string& prefix) {
  for (const auto& j : lines) {
    if (absl::StartsWith(j["msg"].get<std::string>(), prefix)) return &j;
  }
  return nullptr;
}

class LogsConfigE2eTest : public testing::E2eTest {
 protected:
  // Restarts ailedgerd through a shell that sends its stderr to `err_file`.
  void StartWithStderrTo(const std::string& err_file,
                         const std::vector<std::string>& extra) {
    server_.reset();
    std::string command =
        absl::StrCat("exec ", AILEDGERD_PATH, " serve --data ", Path("data"),
                     " --log-key ", Path("log.key"), " --listen 127.0.0.1:0");
    for (const std::string& flag : extra) absl::StrAppend(&command, " ", flag);
    absl::StrAppend(&command, " 2>", err_file);
    server_ = std::make_unique<testing::ServerProcess>(
        std::vector<std::string>{"/bin/sh", "-c", command});
    ASSERT_TRUE(server_->started()) << server_->output();
  }
  // Writes `text` as a configuration file; its path.
  std::string Config(const std::string& name, const std::string& text) {
    EXPECT_TRUE(WriteFileDurably(Path(name), text).ok());
    return Path(name);
  }
};

TEST_F(LogsConfigE2eTest, JsonLogsAreOneObjectPerLineWithoutEventsOrKeys) {
  int down = 0;
  close(testing::ListenOnLoopback(1, &down));  // a witness that is not there
  ASSERT_EQ(Keygen("w", "witness.example/w1", /*cosigner=*/true), 0);
  const std::string err = Path("stderr.log");
  ASSERT_NO_FATAL_FAILURE(StartWithStderrTo(
      err, {"--log-format", "json", "--witness-interval-ms", "100", "--witness",
            absl::StrCat("http://127.0.0.1:", down, "=", Vkey("w"))}));
  const std::string secret = "system-named-only-in-the-event-7f3a";
  ASSERT_TRUE(Client(nullptr)
                  ->Append(Signed(LoadKey("publisher"), "RiskAssessed", secret))
                  .ok());
  for (int i = 0; i < 100; ++i) {  // the witness's first failed round
    if (absl::StrContains(ReadSmallFile(err).value_or(""), "witness http"))
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(server_->Stop(SIGTERM), 0);

  const std::string text = ReadSmallFile(err).value();
  const auto lines = JsonLines(text);
  ASSERT_FALSE(lines.empty());
  const nlohmann::json* serving = Find(lines, "serving ");
  ASSERT_NE(serving, nullptr) << text;
  EXPECT_EQ((*serving)["level"], "info");
  EXPECT_EQ((*serving)["origin"], testing::kE2eOrigin);
  EXPECT_TRUE((*serving)["entries"].is_number());
  const nlohmann::json* witness = Find(lines, "witness http://127.0.0.1:");
  ASSERT_NE(witness, nullptr) << text;
  EXPECT_EQ((*witness)["level"], "warning");
  EXPECT_EQ((*witness)["witness"], absl::StrCat("http://127.0.0.1:", down));
  const nlohmann::json* stop = Find(lines, "signal 15");
  ASSERT_NE(stop, nullptr) << text;
  EXPECT_EQ((*stop)["signal"], 15);
  // Never an event's content or the log key.
  EXPECT_EQ(text.find(secret), std::string::npos) << text;
  const std::string key = ReadSmallFile(Path("log.key")).value();
  const std::string key_material = key.substr(key.rfind('+') + 1, 20);
  EXPECT_EQ(text.find(key_material), std::string::npos) << text;
}

TEST_F(LogsConfigE2eTest, ErrorsAndUsageAreJsonLinesToo) {
  server_.reset();
  // Serve's own error, printed with fprintf(stderr) by the program's main.
  auto r = Daemon({"serve", "--log-format", "json", "--data", Path("nothing"),
                   "--log-key", Path("log.key")});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  auto lines = JsonLines(r.err);
  ASSERT_EQ(lines.size(), 1u) << r.err;
  EXPECT_EQ(lines[0]["level"], "error");
  EXPECT_TRUE(absl::StrContains(lines[0]["msg"].get<std::string>(),
                                "is not an initialised ailedger store"))
      << r.err;
  // A usage error naming the flag.
  r = Daemon({"serve", "--log-format=json", "--data", Path("data"), "--log-key",
              Path("log.key"), "--max-page", "0"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  lines = JsonLines(r.err);
  ASSERT_EQ(lines.size(), 1u) << r.err;
  EXPECT_EQ(lines[0]["msg"], "--max-page: 0 is out of range (1..1000000)");
  // One the command line's parser finds, and the synopsis after it: one
  // object per line.
  r = Daemon({"serve", "--log-format", "json", "--no-such-flag"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  lines = JsonLines(r.err);
  ASSERT_GT(lines.size(), 1u) << r.err;
  EXPECT_EQ(lines[0]["msg"], "serve does not take --no-such-flag");
  EXPECT_NE(Find(lines, "usage: ailedgerd serve"), nullptr) << r.err;
}

TEST_F(LogsConfigE2eTest, ConfigFileSetsServeFlagsAndTheCommandLineWins) {
  server_.reset();
  const std::string config = Config(
      "ailedgerd.conf", absl::StrCat("# a test log\ndata = ", Path("data"),
                                     "\nlog-key = ", Path("log.key"),
                                     "\nlisten = 127.0.0.1:0\n"
                                     "public-read = true\n"));
  server_ = std::make_unique<testing::ServerProcess>(
      std::vector<std::string>{AILEDGERD_PATH, "serve", "--config", config});
  ASSERT_TRUE(server_->started()) << server_->output();
  v1::GetEntryRequest first;
  first.set_index(0);
  EXPECT_TRUE(Client(nullptr)->GetEntry(first).ok());  // public-read = true

  server_.reset();
  server_ = std::make_unique<testing::ServerProcess>(std::vector<std::string>{
      AILEDGERD_PATH, "serve", "--config", config, "--public-read=false"});
  ASSERT_TRUE(server_->started()) << server_->output();
  EXPECT_EQ(Client(nullptr)->GetEntry(first).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(LogsConfigE2eTest, BadConfigurationsAreRefusedNamingLineAndKey) {
  server_.reset();
  const std::string head = absl::StrCat("data = ", Path("data"),
                                        "\nlog-key = ", Path("log.key"), "\n");
  auto r = Daemon({"serve", "--check-config", "--config",
                   Config("a.conf", head + "max-page = many\n")});
  ExpectExit(r, 2,
             Path("a.conf") + ":3: max-page: 'many' is not a whole number");
  r = Daemon(
      {"serve", "--config", Config("b.conf", head + "\nmax-pages = 5\n")});
  ExpectExit(r, 2, Path("b.conf") + ":4: unknown key 'max-pages'");
  // The same file is fine once the command line gives the value instead...
  r = Daemon({"serve", "--check-config", "--config",
              Config("c.conf", head + "listen = 127.0.0.1:1\n"), "--listen",
              "127.0.0.1:2"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "ailedgerd: the configuration is valid\n");
  // ... and --check-config reads no file but the configuration.
  r = Daemon({"serve", "--check-config", "--data", Path("nowhere"), "--log-key",
              Path("no.key")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(LogsConfigE2eTest, TheExampleDeploymentsConfigurationIsValid) {
  auto r =
      Daemon({"serve", "--check-config", "--config",
              std::string(AILEDGER_EXAMPLES_DIR) + "/deploy/ailedgerd.conf"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "ailedgerd: the configuration is valid\n");
  EXPECT_EQ(r.err, "");
}

// systemd reads the example unit without a warning (an unknown or misspelt
// directive is only a warning: it would silently drop a hardening option).
TEST_F(LogsConfigE2eTest, TheExampleSystemdUnitVerifies) {
  constexpr char kAnalyze[] = "/usr/bin/systemd-analyze";
  if (access(kAnalyze, X_OK) != 0) GTEST_SKIP() << kAnalyze << " is missing";
  std::string unit = ReadSmallFile(std::string(AILEDGER_EXAMPLES_DIR) +
                                   "/deploy/ailedgerd.service")
                         .value();
  for (const char* line :
       {"User=ailedger\n", "NoNewPrivileges=yes\n", "ProtectSystem=strict\n",
        "ProtectHome=yes\n", "PrivateTmp=yes\n", "CapabilityBoundingSet=\n",
        "ReadWritePaths=/var/lib/ailedger\n", "UMask=0077\n"}) {
    EXPECT_TRUE(absl::StrContains(unit, line)) << line;
  }
  // verify checks that the programs exist: this build's.
  unit =
      absl::StrReplaceAll(unit, {{"/usr/local/bin/ailedgerd", AILEDGERD_PATH}});
  ASSERT_TRUE(WriteFileDurably(Path("ailedgerd.service"), unit).ok());
  auto r = testing::RunProcess({kAnalyze, "verify", Path("ailedgerd.service")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
}

}  // namespace
}  // namespace ailedger
