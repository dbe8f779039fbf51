// A LogStore that forwards to another and counts and times what goes through
// it: every read (calls, seconds) and every commit. For bench_pgstore, which
// shows where an append's time goes on each store.
#ifndef AILEDGER_TOOLS_BENCH_TIMED_STORE_H_
#define AILEDGER_TOOLS_BENCH_TIMED_STORE_H_

#include <chrono>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "ledger/storage/log_store.h"
#include "tests/testing/forwarding_store.h"

namespace ailedger::bench {

class TimedStore final : public ::ailedger::testing::ForwardingStore {
 public:
  struct Counters {
    size_t reads = 0, commits = 0;
    double read_seconds = 0, commit_seconds = 0;
  };

  explicit TimedStore(LogStore* inner) : ForwardingStore(inner) {}

  Counters TakeCounters() { return std::exchange(counters_, {}); }

  absl::StatusOr<TreeState> ReadTreeState() const override {
    return Timed([&] { return inner()->ReadTreeState(); });
  }
  absl::StatusOr<std::string> ReadLeaf(uint64_t index) const override {
    return Timed([&] { return inner()->ReadLeaf(index); });
  }
  absl::StatusOr<std::vector<std::string>> ReadLeaves(
      uint64_t begin, uint64_t end) const override {
    return Timed([&] { return inner()->ReadLeaves(begin, end); });
  }
  absl::StatusOr<std::vector<Hash>> ReadNodes(
      absl::Span<const NodeId> ids) const override {
    return Timed([&] { return inner()->ReadNodes(ids); });
  }
  absl::StatusOr<std::string> ReadCheckpoint(uint64_t size) const override {
    return Timed([&] { return inner()->ReadCheckpoint(size); });
  }
  absl::StatusOr<std::string> ReadLatestCheckpoint() const override {
    return Timed([&] { return inner()->ReadLatestCheckpoint(); });
  }
  absl::StatusOr<std::vector<std::pair<uint64_t, std::string>>> ScanCheckpoints(
      uint64_t begin, uint64_t end, size_t limit) const override {
    return Timed([&] { return inner()->ScanCheckpoints(begin, end, limit); });
  }
  absl::StatusOr<std::optional<uint64_t>> FindEvent(
      const Hash& id) const override {
    return Timed([&] { return inner()->FindEvent(id); });
  }
  absl::StatusOr<std::vector<std::optional<uint64_t>>> FindEvents(
      absl::Span<const Hash> ids) const override {
    return Timed([&] { return inner()->FindEvents(ids); });
  }
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ScanIndex(
      const std::string& begin, const std::string& end,
      size_t limit) const override {
    return Timed([&] { return inner()->ScanIndex(begin, end, limit); });
  }
  absl::StatusOr<std::optional<std::string>> ReadMeta(
      const std::string& key) const override {
    return Timed([&] { return inner()->ReadMeta(key); });
  }
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ScanMeta(
      const std::string& begin, const std::string& end,
      size_t limit) const override {
    return Timed([&] { return inner()->ScanMeta(begin, end, limit); });
  }

 protected:
  absl::Status DoCommit(const CommitBatch& batch) override {
    const auto start = std::chrono::steady_clock::now();
    absl::Status s = inner()->Commit(batch);
    counters_.commit_seconds += Since(start);
    ++counters_.commits;
    return s;
  }

 private:
  static double Since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                         start)
        .count();
  }
  template <typename F>
  std::invoke_result_t<F> Timed(F read) const {
    const auto start = std::chrono::steady_clock::now();
    auto out = read();
    counters_.read_seconds += Since(start);
    ++counters_.reads;
    return out;
  }

  mutable Counters counters_;  // one thread: the harness's
};

}  // namespace ailedger::bench

#endif  // AILEDGER_TOOLS_BENCH_TIMED_STORE_H_
