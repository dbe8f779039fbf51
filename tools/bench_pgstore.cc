// bench_pgstore: where an append's time goes on each store, without gRPC.
//
// The sequencer's work for a batch (the rules of state over StoreRuleState,
// then LogWriter::Append and the store's Commit: AppendThroughRules, which
// also checks each signature on this one thread, where the server checks them
// on its gRPC threads) timed in process against RocksDB (synced) and
// PostgreSQL (a private PgCluster, fsync and synchronous_commit on), B events
// per batch. The store is wrapped (tools/bench_timed_store.h) to count and
// time its reads and its commits. The rules' lookups of the batch's own event
// ids are one read per batch (LogStore::FindEvents: one `id = ANY(...)` query
// on PostgreSQL), the phase rows they read once per batch.
//
// Prints per store: appends/s, and per batch: store reads (calls, ms), the
// commit (ms), the signature checks (ms, measured apart), and the rest (rules,
// tree hashing, signing the checkpoint). Asserts nothing.
//
// Usage: bench_pgstore [--batches N (25)] [--batch B (400)] [--dir DIR]
#include <chrono>
#include <cstdio>
#include <memory>

#include "absl/strings/str_cat.h"
#include "ledger/storage/checked_append.h"
#include "ledger/storage/postgres_store.h"
#include "ledger/storage/rocksdb_store.h"
#include "ledger/storage/stored_roster.h"
#include "ledger/tlog/contexts.h"
#include "server/log_signer.h"
#include "tests/testing/pg_cluster.h"
#include "tools/bench_timed_store.h"
#include "tools/bench_util.h"

namespace ailedger::bench {
namespace {

using ::ailedger::testing::PgCluster;
using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

struct Pass {
  double seconds = 0, signatures = 0;
  TimedStore::Counters store;
  size_t events = 0, batches = 0;
};

void PrintPass(const char* store, const Pass& p) {
  const double n = static_cast<double>(p.batches);
  const double rest =
      p.seconds - p.store.read_seconds - p.store.commit_seconds - p.signatures;
  std::printf(
      "%-10s %7.0f appends/s; per batch %6.1f ms: reads %5.0f calls "
      "%5.1f ms, commit %5.1f ms, signatures %5.1f ms, rest %5.1f ms\n",
      store, p.events / p.seconds, 1e3 * p.seconds / n, p.store.reads / n,
      1e3 * p.store.read_seconds / n, 1e3 * p.store.commit_seconds / n,
      1e3 * p.signatures / n, 1e3 * rest / n);
  std::fflush(stdout);
}

// Appends `batches` batches of `batch` events to the log in `log` through
// `timed`, as the sequencer does (AppendThroughRules: the batch's event ids in
// one read, the rules, the commit).
absl::StatusOr<Pass> RunPass(const BenchLog& log, TimedStore& timed,
                             LogWriter& writer, Roster& roster, size_t batches,
                             size_t batch, size_t& nonce) {
  timed.TakeCounters();
  Pass p;
  for (size_t b = 0; b < batches; ++b) {
    std::vector<SignedEvent> events;
    for (size_t k = 0; k < batch; ++k)
      events.push_back(BenchEvent(log, nonce++));
    // Timed apart: AppendThroughRules checks them again, inside the pass.
    const auto t = Clock::now();
    for (const SignedEvent& e : events) {
      (void)VerifyEventSignature(kOrigin, e.event_bytes, e.signer,
                                 AsBytes(e.signature));
    }
    p.signatures += Since(t);
    const auto begin = Clock::now();
    auto r = AppendThroughRules(&timed, &writer, roster, events,
                                absl::ToUnixMillis(absl::Now()));
    if (!r.ok()) return r.status();
    roster = std::move(r->roster);
    p.seconds += Since(begin);
    p.events += batch;
  }
  p.store = timed.TakeCounters();
  p.batches = batches;
  return p;
}

// One store.
absl::Status Measure(const char* name, const BenchLog& log, LogStore* store,
                     size_t batches, size_t batch) {
  auto signer = LogSigner::Open(log.dir + "/log.key");
  if (!signer.ok()) return signer.status();
  TimedStore timed(store);
  auto writer = LogWriter::Open(&timed, kOrigin, [&](const Checkpoint& cp) {
    return (*signer)->Sign(cp);
  });
  if (!writer.ok()) return writer.status();
  auto roster = LoadRoster(timed, (*writer)->state());
  if (!roster.ok()) return roster.status();
  auto setup =
      AppendThroughRules(&timed, writer->get(), *roster, BenchSetup(log),
                         absl::ToUnixMillis(absl::Now()));
  if (!setup.ok()) return setup.status();
  Roster current = setup->roster;
  size_t nonce = 0;
  auto p = RunPass(log, timed, **writer, current, batches, batch, nonce);
  if (!p.ok()) return p.status();
  PrintPass(name, *p);
  return (*signer)->Advance((*writer)->state().size, (*writer)->state().root);
}

int Fail(const absl::Status& s) {
  std::fprintf(stderr, "%s\n", s.ToString().c_str());
  return 1;
}

int Main(const CliArgs& a) {
  auto batches = a.GetUint("batches", 25, 1, 100000);
  auto batch = a.GetUint("batch", 400, 1, 10000);
  if (!batches.ok() || !batch.ok()) {
    std::fprintf(stderr, "--batches, --batch: positive numbers\n");
    return 2;
  }
  const std::string dir = a.Get("dir", "bench-pgstore");
  std::printf("load average (1 min): %.2f\n", LoadAverage());
  auto rocks_log = CreateLog(dir + "/rocksdb");
  if (!rocks_log.ok()) return Fail(rocks_log.status());
  {
    auto store = RocksDbStore::Open(rocks_log->dir + "/data",
                                    RocksDbStore::Mode::kOpenExisting);
    if (!store.ok()) return Fail(store.status());
    if (auto s = Measure("RocksDB", *rocks_log, store->get(), *batches, *batch);
        !s.ok())
      return Fail(s);
  }
  auto cluster = PgCluster::Init(dir + "/postgres");
  if (!cluster.ok()) return Fail(cluster.status());
  if (auto s = (*cluster)->Start(30); !s.ok()) return Fail(s);
  auto conninfo = (*cluster)->CreateDatabase();
  if (!conninfo.ok()) return Fail(conninfo.status());
  auto pg_log = CreateLog(dir + "/pg",
                          {.conninfo = *conninfo, .same_signers = &*rocks_log});
  if (!pg_log.ok()) return Fail(pg_log.status());
  {
    auto store = PostgresStore::Open({.conninfo = *conninfo},
                                     PostgresStore::Mode::kOpenExisting);
    if (!store.ok()) return Fail(store.status());
    auto lease = (*store)->TryAcquireLease("bench_pgstore", absl::Seconds(60));
    if (!lease.ok() || !lease->has_value())
      return Fail(absl::UnavailableError("bench_pgstore: no writer lease"));
    (*store)->SetWriterEpoch((*lease)->epoch);
    if (auto s = Measure("PostgreSQL", *pg_log, store->get(), *batches, *batch);
        !s.ok())
      return Fail(s);
  }
  std::printf("load average (1 min): %.2f\n", LoadAverage());
  return (*cluster)->Stop().ok() ? 0 : 1;
}

}  // namespace
}  // namespace ailedger::bench

int main(int argc, char** argv) {
  return ailedger::bench::BenchMain("bench_pgstore", argc, argv,
                                    {"batches", "batch", "dir"},
                                    ailedger::bench::Main);
}
