// bench_append: durable appends through the real ailedgerd over loopback.
//
// Pre-signs events, then measures (1) unary Append with K concurrent clients,
// (2) AppendBatch with batches of B, and (3) unary latency at half of the unary
// maximum, paced open-loop. Prints acknowledged appends/s and p50/p99 time to
// receipt. Targets (2 cores): >= 20,000/s batched, >= 6,000/s unary with 64
// clients, p99 <= 25 ms at half of maximum load.
//
// Usage: bench_append [--events N (20000)] [--clients K (64)] [--batch B (200)]
// [--dir DIR] [--serve-flag FLAG ...]
//
// --serve-flag passes FLAG to `ailedgerd serve`, e.g.
// --serve-flag=--metrics-addr=127.0.0.1:0 measures the cost of the metrics.
#include <cstdio>
#include <string>

#include "cmdline/cli_args.h"
#include "tools/bench_drive.h"
#include "tools/bench_util.h"

namespace ailedger::bench {
namespace {

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
  auto daemon = Daemon::Start(dir, a.Values("serve-flag"));
  if (!daemon.ok())
    return std::fprintf(stderr, "%s\n", daemon.status().ToString().c_str()), 1;
  const std::string address = (*daemon)->address();
  if (auto s = AppendAll(address, BenchSetup(*log)); !s.ok()) return 1;
  std::printf("pre-signing %zu events x 3...\n", events);
  auto unary = PresignedEvents(*log, events, 0);
  auto batched = PresignedEvents(*log, events, events);
  auto paced = PresignedEvents(*log, events / 4, 2 * events);

  DriveResult u = DriveUnaryAppends(address, clients, unary);
  PrintResult("unary, " + std::to_string(clients) + " clients", u, &ceiling);
  DriveResult b = DriveBatchedAppends(address, batch, batched);
  PrintResult("batched " + std::to_string(batch) + ", " +
                  std::to_string(kBatchClients) + " clients",
              b, &ceiling);
  DriveResult h = DriveUnaryAppends(address, clients, paced, u.per_second / 2);
  PrintResult("unary at half the unary maximum (paced)", h, &ceiling);
  return 0;
}

}  // namespace
}  // namespace ailedger::bench

int main(int argc, char** argv) {
  return ailedger::bench::BenchMain(
      "bench_append", argc, argv,
      {"events", "clients", "batch", "dir", "serve-flag"},
      ailedger::bench::Main);
}
