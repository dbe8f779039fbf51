// bench_append: durable appends through the real ailedgerd over loopback.
//
// Pre-signs events, then measures (1) unary Append with K concurrent clients,
// (2) AppendBatch with batches of B, and (3) unary latency at half of the unary
// maximum, paced open-loop. Prints acknowledged appends/s and p50/p99 time to
// receipt. Targets (2 cores): >= 20,000/s batched, >= 6,000/s unary with 64
// clients, p99 <= 25 ms at half of maximum load.
//
// Usage: bench_append [--events N (20000)] [--clients K (64)] [--batch B (200)]
// [--dir DIR]
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "client/ledger_client.h"
#include "cmdline/cli_args.h"
#include "tools/bench_util.h"

namespace ailedger::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct Result {
  double per_second = 0, p50_ms = 0, p99_ms = 0;
  size_t acknowledged = 0, failed = 0;
};

std::unique_ptr<LedgerClient> Connect(const std::string& address) {
  LedgerClient::Options o;
  o.target = address;
  o.timeout_seconds = 60;
  return LedgerClient::Connect(o).value();
}

// `clients` threads share the work list; `call(client, item)` returns events
// acknowledged.
template <typename Call>
Result Drive(const std::string& address, int clients, size_t items,
             double pace_per_second, Call call) {
  std::atomic<size_t> next{0}, acked{0}, failed{0};
  absl::Mutex mu;
  std::vector<double> latencies_us;
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < clients; ++t) {
    threads.emplace_back([&] {
      auto client = Connect(address);
      std::vector<double> mine;
      for (size_t i; (i = next++) < items;) {
        if (pace_per_second > 0) {  // open loop: item i is due at i / rate
          std::this_thread::sleep_until(
              start + std::chrono::microseconds(
                          static_cast<int64_t>(i * 1e6 / pace_per_second)));
        }
        const auto t0 = Clock::now();
        size_t n = call(*client, i);
        mine.push_back(
            std::chrono::duration<double, std::micro>(Clock::now() - t0)
                .count());
        (n > 0 ? acked : failed) += n > 0 ? n : 1;
      }
      absl::MutexLock lock(&mu);
      latencies_us.insert(latencies_us.end(), mine.begin(), mine.end());
    });
  }
  for (auto& t : threads) t.join();
  const double seconds =
      std::chrono::duration<double>(Clock::now() - start).count();
  Result r;
  r.acknowledged = acked;
  r.failed = failed;
  r.per_second = acked / seconds;
  r.p50_ms = Percentile(latencies_us, 50) / 1000;
  r.p99_ms = Percentile(latencies_us, 99) / 1000;
  return r;
}

void Print(const char* what, const Result& r, const Ceiling& ceiling) {
  std::printf(
      "%-40s %9.0f appends/s (%s)   p50 %7.2f ms   p99 %7.2f ms   (%zu "
      "acked, %zu failed)\n",
      what, r.per_second, ShareOf(ceiling, r.per_second).c_str(), r.p50_ms,
      r.p99_ms, r.acknowledged, r.failed);
  std::fflush(stdout);
}

int Main(const CliArgs& a) {
  auto events_flag = a.GetUint("events", 20000);
  auto clients_flag = a.GetUint<int>("clients", 64, 1, 10000);
  auto batch_flag = a.GetUint("batch", 200, 1, 1'000'000);
  for (const absl::Status& s :
       {events_flag.status(), clients_flag.status(), batch_flag.status()}) {
    if (!s.ok()) {
      std::fprintf(stderr, "%s\n", std::string(s.message()).c_str());
      return 2;
    }
  }
  const size_t events = *events_flag;
  const int clients = *clients_flag;
  const size_t batch = *batch_flag;
  const std::string dir = a.Get("dir", "bench-append");
  // Measured first, with the machine otherwise idle: every append costs the
  // server one such verification.
  const Ceiling ceiling = MeasureEd25519Ceiling();
  PrintCeiling(ceiling);
  auto log = CreateLog(dir);
  if (!log.ok())
    return std::fprintf(stderr, "%s\n", log.status().ToString().c_str()), 1;
  auto daemon = Daemon::Start(dir, {});
  if (!daemon.ok())
    return std::fprintf(stderr, "%s\n", daemon.status().ToString().c_str()), 1;
  const std::string address = (*daemon)->address();
  if (auto s = AppendAll(address, BenchSetup(*log)); !s.ok()) return 1;
  std::printf("pre-signing %zu events x 3...\n", events);
  auto unary = PresignedEvents(*log, events, 0);
  auto batched = PresignedEvents(*log, events, events);
  auto paced = PresignedEvents(*log, events / 4, 2 * events);

  auto one = [&](const std::vector<std::string>& pool) {
    return [&pool](LedgerClient& c, size_t i) -> size_t {
      v1::AppendRequest req;
      req.ParseFromString(pool[i]);
      return c.Append(req).ok() ? 1 : 0;
    };
  };
  Result u = Drive(address, clients, unary.size(), 0, one(unary));
  Print(("unary, " + std::to_string(clients) + " clients").c_str(), u, ceiling);
  Result b = Drive(address, 4, events / batch, 0,
                   [&](LedgerClient& c, size_t i) -> size_t {
                     v1::AppendBatchRequest req;
                     for (size_t k = i * batch; k < (i + 1) * batch; ++k)
                       req.add_events()->ParseFromString(batched[k]);
                     auto resp = c.AppendBatch(req);
                     if (!resp.ok()) return 0;
                     size_t ok = 0;
                     for (const auto& o : resp->outcomes()) ok += o.code() == 0;
                     return ok;
                   });
  Print(("batched " + std::to_string(batch) + ", 4 clients").c_str(), b,
        ceiling);
  Result h =
      Drive(address, clients, paced.size(), u.per_second / 2, one(paced));
  Print("unary at half the unary maximum (paced)", h, ceiling);
  return 0;
}

}  // namespace
}  // namespace ailedger::bench

int main(int argc, char** argv) {
  return ailedger::bench::BenchMain("bench_append", argc, argv,
                                    {"events", "clients", "batch", "dir"},
                                    ailedger::bench::Main);
}
