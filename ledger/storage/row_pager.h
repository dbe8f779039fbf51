// Pages through a store's rows in key order, a bounded number at a time: the
// index rows, the meta rows and the signed checkpoints, for CopyLog
// (copy_log.h). Thread-compatible; the store must outlive the pager.
#ifndef AILEDGER_LEDGER_STORAGE_ROW_PAGER_H_
#define AILEDGER_LEDGER_STORAGE_ROW_PAGER_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "ledger/storage/log_store.h"

namespace ailedger {

class RowPager {
 public:
  using Rows = std::vector<std::pair<std::string, std::string>>;
  using Scan = std::function<absl::StatusOr<Rows>(
      const std::string& begin, const std::string& end, size_t limit)>;
  using Keep = std::function<bool(const std::string& key)>;

  // Every index row (ScanIndex) of `store`.
  static RowPager Index(const LogStore& store);
  // Every meta row (ScanMeta) of `store` whose key `keep` accepts.
  static RowPager Meta(const LogStore& store, Keep keep);

  // The next `n` rows (fewer at the end, none once done), in key order.
  absl::StatusOr<Rows> Next(size_t n);

 private:
  RowPager(Scan scan, Keep keep)
      : scan_(std::move(scan)), keep_(std::move(keep)) {}

  Scan scan_;
  Keep keep_;
  std::string from_;
  bool done_ = false;
};

// The signed checkpoints of sizes 1 to `size`, by size.
class CheckpointPager {
 public:
  CheckpointPager(const LogStore& store, uint64_t size)
      : store_(store), end_(size + 1) {}

  // The next checkpoint (size, note); null when there is none left.
  absl::StatusOr<const std::pair<uint64_t, std::string>*> Peek();
  void Pop() { page_.pop_front(); }

 private:
  const LogStore& store_;
  const uint64_t end_;
  uint64_t from_ = 1;
  std::deque<std::pair<uint64_t, std::string>> page_;
};

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_STORAGE_ROW_PAGER_H_
