// bench_proofs: inclusion proofs served by the real ailedgerd (--public-read)
// over loopback, at 1M and 10M entries. The log is grown directly through
// LogWriter (genesis first, then synthetic entries, checkpoints signed by the
// log key), then served. Target (2 cores): >= 12,000 proofs/s, p99 <= 2 ms at
// 10M entries on a settled store.
//
// Before it measures, it opens the store and waits until RocksDB has no flush
// or compaction running or pending (a settled store), and measures the
// machine's own ceiling for this work: the same proofs (leaf, proof, checkpoint
// from the store, checked against the root as the server checks them) made in
// process by as many threads as there are cores, without gRPC, with the
// store's files in the page cache. Then it serves the log and measures twice:
// cold (a fresh server's empty block cache; the page cache is dropped first
// when /proc/sys/vm/drop_caches is writable), and warm (the block cache as the
// cold run left it, the page cache filled again by reading the store's files,
// as on a server that has served the log for a while). Each gRPC figure is
// printed as a share of the ceiling.
//
// clang-format off
// Usage: bench_proofs [--sizes 100000,1000000] [--clients K (16)] [--seconds S (5)]
//                     [--dir DIR]   (a grown log is reused if DIR/<size> exists)
//                     [--ailedgerd PATH]  (another build's server, for A/B)
// clang-format on
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "client/ledger_client.h"
#include "cmdline/cli_args.h"
#include "ledger/storage/log_writer.h"
#include "ledger/storage/rocksdb_store.h"
#include "ledger/storage/tree_reader.h"
#include "server/log_signer.h"
#include "tools/bench_util.h"

namespace ailedger::bench {
namespace {

using Clock = std::chrono::steady_clock;

// A log of `size` entries: the genesis, the publisher's grant, then events
// through the rules of state like any other (the proofs do not read them).
absl::Status Grow(const std::string& dir, uint64_t size) {
  auto log = CreateLog(dir);
  if (!log.ok()) return log.status();
  return GrowLog(dir, size, [&](uint64_t first, size_t count) {
    std::vector<SignedEvent> batch;
    batch.reserve(count);
    if (first == 1) {
      for (SignedEvent& e : BenchSetup(*log)) batch.push_back(std::move(e));
      first += batch.size();
    }
    while (batch.size() < count) batch.push_back(BenchEvent(*log, first++));
    return batch;
  });
}

// Drops the page cache (root only); false when it could not.
bool DropPageCache() {
  ::sync();
  std::FILE* f = std::fopen("/proc/sys/vm/drop_caches", "w");
  if (f == nullptr) return false;
  const bool ok = std::fputs("3\n", f) >= 0;
  return std::fclose(f) == 0 && ok;
}

// Reads every file of the store once, so that the page cache holds it (as it
// does on a server that has served the log for a while). Bytes read.
uint64_t FillPageCache(const std::string& data_dir) {
  uint64_t bytes = 0;
  std::vector<char> buf(1 << 20);
  for (const auto& f : std::filesystem::directory_iterator(data_dir)) {
    std::FILE* in = std::fopen(f.path().c_str(), "rb");
    if (in == nullptr) continue;
    for (size_t n; (n = std::fread(buf.data(), 1, buf.size(), in)) > 0;)
      bytes += n;
    std::fclose(in);
  }
  return bytes;
}

// Fills the page cache and says how long that took.
void WarmPageCache(const std::string& log_dir, uint64_t size) {
  const auto t0 = Clock::now();
  const uint64_t bytes = FillPageCache(log_dir + "/data");
  std::printf("%9llu entries: page cache filled: %.0f MiB read in %.1f s\n",
              (unsigned long long)size, bytes / 1048576.0,
              std::chrono::duration<double>(Clock::now() - t0).count());
}

// Waits for a settled store, then makes proofs in process for `seconds` with
// one thread per core: the machine's ceiling for this work. Proofs/s.
absl::StatusOr<double> SettleAndMeasureInProcess(const std::string& log_dir,
                                                 uint64_t size,
                                                 double seconds) {
  auto store =
      RocksDbStore::Open(log_dir + "/data", RocksDbStore::Mode::kOpenExisting);
  if (!store.ok()) return store.status();
  const auto t0 = Clock::now();
  for (;;) {
    auto busy = (*store)->Compacting();
    if (!busy.ok()) return busy.status();
    if (!*busy) break;
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  std::printf("%9llu entries: store settled (waited %.0f s for compaction)\n",
              (unsigned long long)size,
              std::chrono::duration<double>(Clock::now() - t0).count());
  WarmPageCache(log_dir, size);
  auto state = (*store)->ReadTreeState();
  if (!state.ok()) return state.status();
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  std::atomic<bool> stop{false};
  std::atomic<size_t> made{0};
  std::vector<std::thread> threads;
  const auto start = Clock::now();
  for (unsigned t = 0; t < cores; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937_64 rng(1000 + t);
      TreeReader reader(store->get());
      while (!stop) {
        auto p = reader.LeafWithProof(rng() % size, state->size, *state);
        auto note = (*store)->ReadCheckpoint(state->size);
        if (p.ok() && note.ok()) ++made;
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& t : threads) t.join();
  const double rate =
      made / std::chrono::duration<double>(Clock::now() - start).count();
  std::printf(
      "%9llu entries: machine ceiling %8.0f proofs/s (in process, %u threads, "
      "no gRPC)\n",
      (unsigned long long)size, rate, cores);
  return rate;
}

void Measure(const std::string& address, uint64_t size, int clients,
             double seconds, const char* cache, double ceiling) {
  std::atomic<bool> stop{false};
  std::atomic<size_t> served{0}, failed{0};
  absl::Mutex mu;
  std::vector<double> latencies_us;
  std::vector<std::thread> threads;
  const auto start = Clock::now();
  for (int t = 0; t < clients; ++t) {
    threads.emplace_back([&, t] {
      LedgerClient::Options o;
      o.target = address;
      auto client = LedgerClient::Connect(o).value();
      std::mt19937_64 rng(t);
      std::vector<double> mine;
      while (!stop) {
        v1::GetInclusionProofRequest req;
        req.set_index(rng() % size);
        const auto t0 = Clock::now();
        bool ok = client->GetInclusionProof(req).ok();
        mine.push_back(
            std::chrono::duration<double, std::micro>(Clock::now() - t0)
                .count());
        ++(ok ? served : failed);
      }
      absl::MutexLock lock(&mu);
      latencies_us.insert(latencies_us.end(), mine.begin(), mine.end());
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& t : threads) t.join();
  const double elapsed =
      std::chrono::duration<double>(Clock::now() - start).count();
  const double rate = served / elapsed;
  std::printf(
      "%9llu entries, %2d clients: %8.0f proofs/s (%.1f %% of the ceiling)   "
      "p50 %6.2f ms   p99 %6.2f ms   (%zu failed; %s)\n",
      (unsigned long long)size, clients, rate, 100 * rate / ceiling,
      Percentile(latencies_us, 50) / 1000, Percentile(latencies_us, 99) / 1000,
      failed.load(), cache);
  std::fflush(stdout);
}

int Main(const CliArgs& a) {
  const std::string dir = a.Get("dir", "bench-proofs");
  if (a.Has("ailedgerd")) SetAiledgerdPath(a.Get("ailedgerd"));
  auto clients_flag = a.GetUint<int>("clients", 16, 1, 10000);
  auto seconds_flag = a.GetUint<int>("seconds", 5, 1, 86400);
  for (const auto* f : {&clients_flag, &seconds_flag}) {
    if (!f->ok()) {
      std::fprintf(stderr, "%s\n", std::string(f->status().message()).c_str());
      return 2;
    }
  }
  const int clients = *clients_flag;
  const double seconds = *seconds_flag;
  for (absl::string_view s :
       absl::StrSplit(a.Get("sizes", "100000,1000000"), ',')) {
    uint64_t size = 0;
    if (!absl::SimpleAtoi(s, &size) || size < 2) return 2;
    const std::string log_dir = dir + "/" + std::string(s);
    if (!std::filesystem::exists(log_dir + "/data/CURRENT")) {
      if (auto st = Grow(log_dir, size); !st.ok()) {
        std::fprintf(stderr, "%s\n", st.ToString().c_str());
        return 1;
      }
    }
    auto ceiling = SettleAndMeasureInProcess(log_dir, size, seconds);
    if (!ceiling.ok())
      return std::fprintf(stderr, "%s\n", ceiling.status().ToString().c_str()),
             1;
    const bool dropped = DropPageCache();
    const auto t0 = Clock::now();
    auto daemon = Daemon::Start(log_dir, {"--public-read"});
    if (!daemon.ok())
      return std::fprintf(stderr, "%s\n", daemon.status().ToString().c_str()),
             1;
    std::printf(
        "%9llu entries: ailedgerd listening %.0f ms after start (%s)\n",
        (unsigned long long)size,
        std::chrono::duration<double, std::milli>(Clock::now() - t0).count(),
        dropped ? "page cache dropped" : "page cache as left");
    Measure((*daemon)->address(), size, clients, seconds,
            dropped ? "cold block cache, page cache dropped"
                    : "cold block cache, page cache as left",
            *ceiling);
    WarmPageCache(log_dir, size);
    Measure((*daemon)->address(), size, clients, seconds,
            "warm: block cache after the cold run, page cache filled",
            *ceiling);
    const pid_t pid = (*daemon)->pid();
    std::printf(
        "%9llu entries: ailedgerd memory after the load: peak RSS %.1f MiB, "
        "RSS %.1f MiB (anonymous %.1f MiB)\n",
        (unsigned long long)size, ProcessKiB(pid, "VmHWM:") / 1024.0,
        ProcessKiB(pid, "VmRSS:") / 1024.0,
        ProcessKiB(pid, "RssAnon:") / 1024.0);
  }
  return 0;
}

}  // namespace
}  // namespace ailedger::bench

int main(int argc, char** argv) {
  return ailedger::bench::BenchMain(
      "bench_proofs", argc, argv,
      {"sizes", "clients", "seconds", "dir", "ailedgerd"},
      ailedger::bench::Main);
}
