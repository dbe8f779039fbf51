// Internal to RocksDbStore's files (rocksdb_store.cc, which has the key
// layout, and rocksdb_reads.cc): the column families and RocksDB's statuses
// as absl's.
#ifndef AILEDGER_LEDGER_STORAGE_ROCKSDB_DETAIL_H_
#define AILEDGER_LEDGER_STORAGE_ROCKSDB_DETAIL_H_

#include <rocksdb/slice.h>
#include <rocksdb/status.h>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace ailedger {

// The column families, in the order RocksDbStore opens them.
enum RocksFamily {
  kDefault,
  kLeaves,
  kNodes,
  kCheckpoints,
  kIndexes,
  kDedup,
  kMeta
};

inline constexpr char kFormatVersionKey[] = "format_version";
inline constexpr char kTreeStateKey[] = "tree_state";

inline rocksdb::Slice Slice(absl::string_view s) {
  return {s.data(), s.size()};
}

// NOT_FOUND, DATA_LOSS (corruption), RESOURCE_EXHAUSTED (no space),
// UNAVAILABLE (busy, timed out) or INTERNAL, naming `what`.
absl::Status FromRocks(const rocksdb::Status& s, absl::string_view what);
// As FromRocks, but a read the disk cannot complete (EIO) is DATA_LOSS.
absl::Status FromRocksRead(const rocksdb::Status& s, absl::string_view what);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_STORAGE_ROCKSDB_DETAIL_H_
