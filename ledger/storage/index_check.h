// The secondary indexes are a convenience derived from the leaves
// (event_index.h): this checks them against the leaves and, when asked,
// rebuilds them, and does the same for the sequencer's lifecycle phase rows
// (lifecycle.h), replayed from the leaves. Reads every leaf and every index
// row; repairs are written a chunk at a time, so memory stays bounded (plus
// one phase per subject).
#ifndef AILEDGER_LEDGER_STORAGE_INDEX_CHECK_H_
#define AILEDGER_LEDGER_STORAGE_INDEX_CHECK_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ledger/storage/log_store.h"

namespace ailedger {

struct IndexCheckReport {
  uint64_t leaves = 0, rows = 0;
  uint64_t missing = 0;       // rows the leaves imply that the store lacks
  uint64_t extra = 0;         // rows the store has that no leaf implies
  uint64_t phases_wrong = 0;  // lifecycle phase rows missing or wrong
  std::vector<std::string> examples;  // a few, for the operator
  bool repaired = false;
};

// With `repair`, writes the missing rows, removes the extra ones and rewrites
// wrong phase rows.
absl::StatusOr<IndexCheckReport> CheckIndexes(
    LogStore* store, bool repair,
    const std::function<void(uint64_t done, uint64_t total)>& progress =
        nullptr);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_STORAGE_INDEX_CHECK_H_
