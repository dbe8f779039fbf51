// bench_append: durable appends through the real ailedgerd over loopback, on
// each store, beside the hand-built PostgreSQL hash chain, in one run.
//
// clang-format off
//   --stores   what runs (in this order, whatever the list's):
//     rocksdb  ailedgerd serve --data DIR (the embedded default)
//     postgres ailedgerd serve --store CONNINFO on a private PostgreSQL 15
//              cluster (tests/testing/pg_cluster.h: loopback, fsync and
//              synchronous_commit on, one node)
//     pgchain  the hash-chained audit table a team would build by hand
//              (tools/bench_pgchain.h), in another database of that cluster
//   Default: all three when PostgreSQL 15 is installed, else rocksdb.
// clang-format on
//
// Pre-signs events once (the logs share their admin and publisher keys, so the
// same bytes are valid in each; the chain stores them as payloads), then for
// each store measures (1) unary calls, K concurrent clients, (2) AppendBatch
// of B events from kBatchClients clients (for the chain: one statement and one
// commit per batch), and for ailedgerd (3) unary at half of that store's unary
// maximum, paced open loop. One table: acknowledged appends/s, each as a share
// of the machine's Ed25519 ceiling (measured first) and of the RocksDB store's
// rate, p50/p99 time to receipt, and the CPU each side used (cores).
// Targets (2 cores): >= 20,000/s batched, >= 6,000/s unary with 64 clients,
// p99 <= 25 ms at half of maximum load (issue 14); the PostgreSQL store's
// batched rate >= 50 % of the RocksDB store's (issue 17). Asserts nothing.
//
// clang-format off
// Usage: bench_append [--events N (20000)] [--clients K (64)] [--batch B (200)]
//   [--stores rocksdb,postgres,pgchain] [--dir DIR (bench-append)] [--json]
//   [--pg-stats (pg_stat_statements and WAL timings of each PostgreSQL run;
//                slows PostgreSQL a little)]
//   [--serve-flag FLAG ...]   (passed to every `ailedgerd serve`, e.g.
//                              --serve-flag=--metrics-addr=127.0.0.1:0)
//   [--ailedgerd PATH (the one built beside it): another build to measure]
// clang-format on
#include <unistd.h>

#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "cmdline/cli_args.h"
#include "tests/testing/pg_cluster.h"
#include "tools/bench_append_table.h"
#include "tools/bench_drive.h"
#include "tools/bench_pgchain.h"
#include "tools/bench_pgstats.h"
#include "tools/bench_util.h"

namespace ailedger::bench {
namespace {

using ::ailedger::testing::PgCluster;

struct Setup {
  size_t batch = 0;
  int clients = 0;
  std::string dir;
  std::vector<std::string> serve_flags;
  bool pg_stats = false;
  FILE* out = stdout;  // progress lines (stderr with --json)
  Ceiling ceiling;
  BenchLog signers;  // the RocksDB log; the others share its signers
  std::vector<std::string> unary, batched, paced;
};

// CPU used by ailedgerd, the PostgreSQL server and this process over a run.
class CpuWatch {
 public:
  CpuWatch(pid_t daemon, pid_t postmaster)
      : daemon_(daemon), postmaster_(postmaster), start_(Now()) {}
  void Finish(Run& run) const {
    const Cpu end = Now();
    const double s = run.result.seconds;
    if (s <= 0) return;
    if (daemon_ > 0) run.cores_ailedgerd = (end.daemon - start_.daemon) / s;
    if (postmaster_ > 0)
      run.cores_postgres = (end.postgres - start_.postgres) / s;
    run.cores_bench = (end.self - start_.self) / s;
  }

 private:
  struct Cpu {
    double daemon = 0, postgres = 0, self = 0;
  };
  Cpu Now() const {
    return {daemon_ > 0 ? ProcessCpuSeconds(daemon_) : 0,
            postmaster_ > 0 ? ProcessTreeCpuSeconds(postmaster_) : 0,
            ProcessCpuSeconds(getpid())};
  }
  pid_t daemon_, postmaster_;
  Cpu start_;
};

// The postmaster's pid: the first line of DATA/postmaster.pid.
pid_t Postmaster(const PgCluster& cluster) {
  FILE* f = std::fopen((cluster.dir() + "/data/postmaster.pid").c_str(), "r");
  long pid = 0;
  if (f != nullptr) {
    if (std::fscanf(f, "%ld", &pid) != 1) pid = 0;
    std::fclose(f);
  }
  return static_cast<pid_t>(pid);
}

void Print(const Setup& s, const std::string& label, const Run& run) {
  PrintResult(label + " " + run.mode, run.result, &s.ceiling, s.out);
}

// Resets the statistics before a run and prints them after it (--pg-stats).
struct PgStatsScope {
  PgStatsScope(const Setup& s, const std::string& conninfo)
      : s(s), conninfo(conninfo) {
    if (s.pg_stats) (void)ResetPgStats(conninfo);
  }
  void Report(double seconds) const {
    if (!s.pg_stats) return;
    auto text = PgStatsReport(conninfo, seconds);
    std::fprintf(s.out, "%s",
                 text.ok() ? text->c_str() : text.status().ToString().c_str());
  }
  const Setup& s;
  std::string conninfo;
};

// Unary, batched and paced appends through the ailedgerd serving `log`.
absl::Status MeasureAiledgerd(const Setup& s, const std::string& store,
                              const BenchLog& log, pid_t postmaster,
                              std::vector<Run>& runs) {
  auto daemon = Daemon::Start(log.dir, s.serve_flags, log.conninfo);
  if (!daemon.ok()) return daemon.status();
  const std::string address = (*daemon)->address();
  if (auto st = AppendAll(address, BenchSetup(log)); !st.ok()) return st;
  const std::string label = StoreLabel(store);
  const auto measure = [&](Run run, auto drive) {
    PgStatsScope stats(s, log.conninfo);
    CpuWatch cpu((*daemon)->pid(), postmaster);
    run.result = drive();
    cpu.Finish(run);
    Print(s, label, run);
    if (!log.conninfo.empty()) stats.Report(run.result.seconds);
    runs.push_back(run);
  };
  measure(Run{store, UnaryMode(s.clients), s.clients, 1},
          [&] { return DriveUnaryAppends(address, s.clients, s.unary); });
  const double unary_max = runs.back().result.per_second;
  measure(Run{store, BatchedMode(s.batch), kBatchClients, s.batch},
          [&] { return DriveBatchedAppends(address, s.batch, s.batched); });
  measure(Run{store, kPacedMode, s.clients, 1}, [&] {
    return DriveUnaryAppends(address, s.clients, s.paced, unary_max / 2);
  });
  return absl::OkStatus();  // the daemon stops here
}

// Unary and batched appends to the hand-built chain in its own database.
absl::Status MeasureChain(const Setup& s, PgCluster& cluster,
                          std::vector<Run>& runs) {
  auto conninfo = cluster.CreateDatabase();
  if (!conninfo.ok()) return conninfo.status();
  if (auto st = CreateAuditChain(*conninfo); !st.ok()) return st;
  const pid_t postmaster = Postmaster(cluster);
  for (const size_t batch : {size_t{1}, s.batch}) {
    const int clients = batch == 1 ? s.clients : kBatchClients;
    Run run{"pgchain", batch == 1 ? UnaryMode(clients) : BatchedMode(batch),
            clients, batch};
    PgStatsScope stats(s, *conninfo);
    CpuWatch cpu(0, postmaster);
    run.result = DriveAuditChain(*conninfo, clients, batch,
                                 batch == 1 ? s.unary : s.batched);
    cpu.Finish(run);
    Print(s, StoreLabel("pgchain"), run);
    stats.Report(run.result.seconds);
    runs.push_back(run);
  }
  auto chain = CheckAuditChain(*conninfo);
  if (!chain.ok()) return chain.status();
  std::fprintf(s.out, "hand-built chain: %s\n", chain->c_str());
  return absl::OkStatus();
}

// The PostgreSQL store and the chain on one private cluster, stopped after.
absl::Status MeasurePostgres(const Setup& s, const std::set<std::string>& which,
                             std::vector<Run>& runs, PgServerInfo& info) {
  auto cluster = PgCluster::Init(s.dir + "/postgres");
  if (!cluster.ok()) return cluster.status();
  if (auto st = (*cluster)->Start(
          s.clients + 30,
          s.pg_stats ? PgStatsSettings() : std::vector<std::string>{});
      !st.ok())
    return st;
  auto described = DescribePgServer((*cluster)->conninfo());
  if (!described.ok()) return described.status();
  info = *described;
  std::fprintf(s.out, "%s\n%s\n", PgSettingsLine(info).c_str(),
               kSingleNodeNote);
  if (which.count("postgres")) {
    auto conninfo = (*cluster)->CreateDatabase();
    if (!conninfo.ok()) return conninfo.status();
    auto log = CreateLog(s.dir + "/postgres-store",
                         {.conninfo = *conninfo, .same_signers = &s.signers});
    if (!log.ok()) return log.status();
    if (auto st =
            MeasureAiledgerd(s, "postgres", *log, Postmaster(**cluster), runs);
        !st.ok())
      return st;
  }
  if (which.count("pgchain")) {
    if (auto st = MeasureChain(s, **cluster, runs); !st.ok()) return st;
  }
  return (*cluster)->Stop();
}

absl::StatusOr<std::set<std::string>> ParseStores(const CliArgs& a) {
  const bool have_pg =
      access((std::string(testing::kPgBin) + "/initdb").c_str(), X_OK) == 0;
  const std::string list =
      a.Get("stores", have_pg ? "rocksdb,postgres,pgchain" : "rocksdb");
  std::set<std::string> out;
  for (absl::string_view w : absl::StrSplit(list, ',', absl::SkipEmpty())) {
    if (w != "rocksdb" && w != "postgres" && w != "pgchain") {
      return absl::InvalidArgumentError(absl::StrCat(
          "--stores: unknown store '", w, "' (rocksdb, postgres, pgchain)"));
    }
    out.emplace(w);
  }
  if (out.empty()) return absl::InvalidArgumentError("--stores: empty");
  if (!a.Has("stores") && !have_pg) {
    std::fprintf(stderr,
                 "PostgreSQL 15 is not installed: measuring rocksdb only\n");
  }
  return out;
}

int Fail(const absl::Status& s) {
  std::fprintf(stderr, "%s\n", s.ToString().c_str());
  return 1;
}

int Main(const CliArgs& a) {
  auto events_flag = a.GetUint("events", 20000);
  auto clients_flag = a.GetUint<int>("clients", 64, 1, 1000);
  auto batch_flag = a.GetUint("batch", 200, 1, 10'000);
  auto stores = ParseStores(a);
  for (const absl::Status& s : {events_flag.status(), clients_flag.status(),
                                batch_flag.status(), stores.status()}) {
    if (!s.ok()) {
      std::fprintf(stderr, "%s\n", std::string(s.message()).c_str());
      return 2;
    }
  }
  Setup s;
  s.batch = *batch_flag;
  s.clients = *clients_flag;
  s.dir = a.Get("dir", "bench-append");
  s.serve_flags = a.Values("serve-flag");
  s.pg_stats = a.Has("pg-stats");
  if (a.Has("ailedgerd")) SetAiledgerdPath(a.Get("ailedgerd"));
  const bool json = a.Has("json");
  if (json) s.out = stderr;
  Summary summary;
  summary.events = *events_flag;
  summary.clients = s.clients;
  summary.batch = s.batch;
  summary.load_start = LoadAverage();
  // Measured first, with the machine otherwise idle: every append costs the
  // server one such verification.
  s.ceiling = MeasureEd25519Ceiling();
  summary.ceiling = s.ceiling;
  std::fprintf(s.out, "load average (1 min) at start: %.2f\n",
               summary.load_start);
  PrintCeiling(s.ceiling, s.out);
  auto log = CreateLog(s.dir + "/rocksdb");
  if (!log.ok()) return Fail(log.status());
  s.signers = *std::move(log);
  const size_t events = summary.events;
  std::fprintf(s.out, "pre-signing %zu events x 2.25...\n", events);
  std::fflush(s.out);
  s.unary = PresignedEvents(s.signers, events, 0);
  s.batched = PresignedEvents(s.signers, events, events);
  s.paced = PresignedEvents(s.signers, events / 4, 2 * events);

  if (stores->count("rocksdb")) {
    if (auto st = MeasureAiledgerd(s, "rocksdb", s.signers, 0, summary.runs);
        !st.ok())
      return Fail(st);
  }
  if (stores->count("postgres") || stores->count("pgchain")) {
    PgServerInfo info;
    if (auto st = MeasurePostgres(s, *stores, summary.runs, info); !st.ok())
      return Fail(st);
    summary.postgres = info;
  }
  summary.load_end = LoadAverage();
  if (json) {
    std::printf("%s\n", SummaryJson(summary).c_str());
  } else {
    std::printf("%s", SummaryTable(summary).c_str());
  }
  return 0;
}

}  // namespace
}  // namespace ailedger::bench

int main(int argc, char** argv) {
  return ailedger::bench::BenchMain("bench_append", argc, argv,
                                    {"events", "clients", "batch", "dir",
                                     "serve-flag", "stores", "ailedgerd"},
                                    ailedger::bench::Main,
                                    {"json", "pg-stats"});
}
