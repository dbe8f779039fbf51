// bench_core: the core's throughput on this machine (Google Benchmark). Figures
// are printed, never asserted. Targets (foundation issue, 2 cores): node
// hashing near libsodium's SHA-256 rate (~2M/s), compact-range appends >= 1M
// leaves/s, an inclusion proof from RocksDB in <= 50 us, synced 1000-event
// commits. Every leaf goes through the rules of state, as in any log
// (ledger/storage/checked_append.h); bench_proofs measures proofs over larger
// logs through the server.
//
// The 1M-event log is built once into bench-fixtures/ (or $AILEDGER_BENCH_DIR)
// and reused by later runs.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <random>

#include "ledger/governance/event_signature.h"
#include "ledger/governance/examples.h"
#include "ledger/governance/genesis.h"
#include "ledger/governance/key_grant_event.h"
#include "ledger/merkle/compact_range.h"
#include "ledger/storage/checked_append.h"
#include "ledger/storage/log_writer.h"
#include "ledger/storage/rocksdb_store.h"
#include "ledger/storage/tree_reader.h"
#include "ledger/tlog/checkpoint.h"
#include "ledger/tlog/contexts.h"
#include "tools/bench_util.h"

namespace ailedger {
namespace {

using bench::kOrigin;

std::string FixtureDir() {
  const char* env = std::getenv("AILEDGER_BENCH_DIR");
  return env ? env : "bench-fixtures";
}

// The keys of the benchmark logs: every leaf goes through the rules of state
// (ledger/storage/checked_append.h), like any other log's.
struct Keys {
  SigningKey log = SigningKey::Generate(kOrigin, kKeyTypeEd25519).value();
  SigningKey admin = SigningKey::Generate("admin", kKeyTypeEd25519).value();
  SigningKey publisher =
      SigningKey::Generate("publisher", kKeyTypeEd25519).value();
};

// The genesis and the publisher's grant.
std::vector<SignedEvent> Start(const Keys& k) {
  GenesisParams g;
  g.origin = kOrigin;
  g.log_verifier_key = k.log.verifier().ToString();
  g.admin_public_key = k.admin.verifier().public_key();
  g.organisation = "Bench Ltd";
  return {SignEvent(MakeGenesis(g), k.admin, kOrigin),
          SignEvent(MakeKeyGrant(k.publisher, bench::PipelineGrant()), k.admin,
                    kOrigin)};
}

// `n` policies by the publisher, unique from `first` on (about 200 bytes).
std::vector<SignedEvent> Events(const Keys& k, uint64_t first, size_t n) {
  std::vector<SignedEvent> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    v1::Event e;
    e.set_event_type("PolicyPublished");
    e.set_organisation("Bench Ltd");
    e.set_nonce(std::to_string(first + i));
    FillExampleBody(&e);
    out.push_back(SignEvent(e, k.publisher, kOrigin));
  }
  return out;
}

// Appends `events` through the rules; aborts on a refusal (a bug here).
void Append(RocksDbStore* store, LogWriter* writer, Roster* roster,
            const std::vector<SignedEvent>& events) {
  auto r = AppendThroughRules(store, writer, *roster, events, 1800000000000);
  if (!r.ok()) {
    std::fprintf(stderr, "bench_core: %s\n", r.status().ToString().c_str());
    std::abort();
  }
  *roster = std::move(r->roster);
}

void BM_LeafHash(benchmark::State& state) {
  InitCrypto();
  std::string leaf(state.range(0), 'x');
  for (auto _ : state) benchmark::DoNotOptimize(HashLeaf(leaf));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LeafHash)->Arg(64)->Arg(400);

void BM_NodeHash(benchmark::State& state) {
  InitCrypto();
  Hash a = HashLeaf("a"), b = HashLeaf("b");
  for (auto _ : state) {
    a = HashChildren(a, b);
    benchmark::DoNotOptimize(a);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NodeHash);

// Appends precomputed leaf hashes; the visitor stores nothing (storage is
// measured below).
void BM_CompactRangeAppend(benchmark::State& state) {
  InitCrypto();
  std::vector<Hash> leaves(1 << 16);
  for (size_t i = 0; i < leaves.size(); ++i)
    leaves[i] = HashLeaf(std::to_string(i));
  CompactRange range;
  size_t i = 0;
  NodeVisitor count = [&](NodeId, const Hash&) { benchmark::ClobberMemory(); };
  for (auto _ : state) range.Append(leaves[i++ & 0xFFFF], count);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CompactRangeAppend);

// Builds (once) a log of n events through the rules, unsynced, in 10k-event
// batches. A fixture left by an older build (without events) is rebuilt.
RocksDbStore* Fixture(uint64_t n) {
  // Never destroyed: closing a RocksDB at exit, after RocksDB's own statics
  // are gone, crashed (SIGSEGV in its logger); the process's end closes it.
  static auto& stores = *new std::map<uint64_t, std::unique_ptr<RocksDbStore>>;
  if (auto it = stores.find(n); it != stores.end()) return it->second.get();
  const std::string path = FixtureDir() + "/log-" + std::to_string(n);
  RocksDbOptions opts;
  opts.sync = false;
  auto store =
      RocksDbStore::Open(path, RocksDbStore::Mode::kOpenExisting, opts);
  if (store.ok() && (*store)->ReadTreeState().ok() &&
      (*store)->ReadTreeState()->size >= n) {
    return (stores[n] = *std::move(store)).get();
  }
  store.IgnoreError();
  std::filesystem::remove_all(path);
  std::filesystem::create_directories(FixtureDir());
  store = RocksDbStore::Open(path, RocksDbStore::Mode::kCreate, opts);
  const Keys keys;
  auto writer =
      LogWriter::Open(store->get(), kOrigin, [&](const Checkpoint& cp) {
        return SignCheckpoint(cp, keys.log);
      }).value();
  Roster roster(kOrigin);
  Append(store->get(), writer.get(), &roster, Start(keys));
  while (writer->state().size < n) {
    const uint64_t at = writer->state().size;
    const size_t k = std::min<uint64_t>(10000, n - at);
    Append(store->get(), writer.get(), &roster, Events(keys, at, k));
    if (at % 100000 < 10000)
      std::fprintf(stderr, "fixture %llu: %llu\n", (unsigned long long)n,
                   (unsigned long long)at);
  }
  return (stores[n] = *std::move(store)).get();
}

void BM_InclusionProofFromRocksDb(benchmark::State& state) {
  InitCrypto();
  const uint64_t n = state.range(0);
  RocksDbStore* store = Fixture(n);
  const TreeState tree = store->ReadTreeState().value();
  TreeReader reader(store);
  std::mt19937_64 rng(42);
  for (auto _ : state) {
    auto proof = reader.InclusionProof(rng() % n, n, tree);
    if (!proof.ok()) state.SkipWithError(proof.status().ToString().c_str());
    benchmark::DoNotOptimize(proof);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_InclusionProofFromRocksDb)
    ->Arg(1000000)
    ->Unit(benchmark::kMicrosecond);

// Synced commits of 1000 events each through the rules of state, with a
// signed checkpoint per commit (the events are signed outside the timing).
void BM_SyncedCommit1000(benchmark::State& state) {
  InitCrypto();
  const std::string path = FixtureDir() + "/synced-commits";
  std::filesystem::remove_all(path);
  std::filesystem::create_directories(FixtureDir());
  auto store = RocksDbStore::Open(path, RocksDbStore::Mode::kCreate).value();
  const Keys keys;
  auto writer =
      LogWriter::Open(store.get(), kOrigin, [&](const Checkpoint& cp) {
        return SignCheckpoint(cp, keys.log);
      }).value();
  Roster roster(kOrigin);
  Append(store.get(), writer.get(), &roster, Start(keys));
  for (auto _ : state) {
    state.PauseTiming();
    auto events = Events(keys, writer->state().size, 1000);
    state.ResumeTiming();
    Append(store.get(), writer.get(), &roster, events);
  }
  state.SetItemsProcessed(state.iterations() * 1000);
  std::filesystem::remove_all(path);
}
BENCHMARK(BM_SyncedCommit1000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace ailedger

BENCHMARK_MAIN();
