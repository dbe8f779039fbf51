// bench_core: the core's throughput on this machine (Google Benchmark). Figures
// are printed, never asserted. Targets (foundation issue, 2 cores): node
// hashing near libsodium's SHA-256 rate (~2M/s), compact-range appends >= 1M
// leaves/s, an inclusion proof from RocksDB at 10M leaves in <= 50 us, synced
// 1000-leaf commits >= 100k leaves/s.
//
// The 1M and 10M trees are built once into build/bench-fixtures/ (or
// $AILEDGER_BENCH_DIR) and reused by later runs.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <random>

#include "ledger/merkle/compact_range.h"
#include "ledger/storage/log_writer.h"
#include "ledger/storage/rocksdb_store.h"
#include "ledger/storage/tree_reader.h"
#include "ledger/tlog/checkpoint.h"

namespace ailedger {
namespace {

constexpr char kOrigin[] = "bench.ailedger.example/log";

std::string FixtureDir() {
  const char* env = std::getenv("AILEDGER_BENCH_DIR");
  return env ? env : "bench-fixtures";
}

std::vector<SignedEvent> Events(uint64_t first, size_t n, size_t event_size) {
  std::vector<SignedEvent> out(n);
  for (size_t i = 0; i < n; ++i) {
    out[i].event_bytes = std::string(event_size, 'e');
    uint64_t v = first + i;
    std::memcpy(out[i].event_bytes.data(), &v, sizeof(v));
  }
  return out;
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

// Builds (once) a tree of n leaves with 8-byte events, unsynced, in 10k-leaf
// batches.
RocksDbStore* Fixture(uint64_t n) {
  static std::map<uint64_t, std::unique_ptr<RocksDbStore>> stores;
  if (auto it = stores.find(n); it != stores.end()) return it->second.get();
  const std::string path = FixtureDir() + "/tree-" + std::to_string(n);
  RocksDbOptions opts;
  opts.sync = false;
  auto store =
      RocksDbStore::Open(path, RocksDbStore::Mode::kOpenExisting, opts);
  if (!store.ok()) {
    std::filesystem::create_directories(FixtureDir());
    store = RocksDbStore::Open(path, RocksDbStore::Mode::kCreate, opts);
  }
  auto writer = LogWriter::Open(store->get(), kOrigin, [](const Checkpoint&) {
    return absl::StatusOr<std::string>("");
  });
  while ((*writer)->state().size < n) {
    uint64_t at = (*writer)->state().size;
    size_t k = std::min<uint64_t>(10000, n - at);
    if (!(*writer)->Append(Events(at, k, 8), 1).ok()) std::abort();
    if (at % 1000000 == 0)
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
    ->Arg(10000000)
    ->Unit(benchmark::kMicrosecond);

// Synced commits of 1000 leaves (200-byte events) each, with a signed
// checkpoint per commit.
void BM_SyncedCommit1000(benchmark::State& state) {
  InitCrypto();
  const std::string path = FixtureDir() + "/synced-commits";
  std::filesystem::remove_all(path);
  std::filesystem::create_directories(FixtureDir());
  auto store = RocksDbStore::Open(path, RocksDbStore::Mode::kCreate).value();
  auto key = SigningKey::Generate(kOrigin, kKeyTypeEd25519).value();
  auto writer =
      LogWriter::Open(store.get(), kOrigin, [&](const Checkpoint& cp) {
        return SignCheckpoint(cp, key);
      }).value();
  for (auto _ : state) {
    state.PauseTiming();
    auto events = Events(writer->state().size, 1000, 200);
    state.ResumeTiming();
    if (!writer->Append(events, 1).ok()) state.SkipWithError("append failed");
  }
  state.SetItemsProcessed(state.iterations() * 1000);
  std::filesystem::remove_all(path);
}
BENCHMARK(BM_SyncedCommit1000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace ailedger

BENCHMARK_MAIN();
