// The storage seam: exactly what the log needs from a store, no more (after
// tessera's storage drivers and CT's cpp/log/database.h).
//
// A LogStore holds the leaves, the perfect-subtree nodes of the Merkle tree
// (level 0 = leaf hashes), signed checkpoints by size, event-id de-duplication
// rows, secondary index rows and the tree state. Writes go through Commit,
// which applies one CommitBatch atomically and durably: after Commit returns
// OK, a crash loses nothing of the batch; after it fails, nothing of the batch
// is visible.
//
// Implementations: RocksDbStore (rocksdb_store.h) and MemoryStore
// (memory_store.h, for tests). Both are thread-safe: reads may run concurrently
// with each other and with one committer. Exactly one writer (LogWriter) may
// commit.
#ifndef AILEDGER_LEDGER_STORAGE_LOG_STORE_H_
#define AILEDGER_LEDGER_STORAGE_LOG_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "ledger/merkle/hash.h"
#include "ledger/merkle/node_id.h"

namespace ailedger {

// Where the log stands: enough to resume appending without reading anything
// else.
struct TreeState {
  uint64_t size = 0;
  Hash root{};            // RFC 9162 root of [0, size)
  Hash last_leaf_hash{};  // zeros when size is 0
  uint64_t last_time_ms = 0;
  // The compact range of [0, size), see CompactRange.
  std::vector<Hash> compact;

  friend bool operator==(const TreeState&, const TreeState&) = default;
};

// u8 version=1 | u64 size | [32] root | [32] last_leaf_hash | u64 last_time_ms
// | u8 n | n*[32]
std::string EncodeTreeState(const TreeState& state);
absl::StatusOr<TreeState> DecodeTreeState(absl::string_view bytes);

struct CommitBatch {
  uint64_t first_index = 0;         // must equal the stored tree size
  std::vector<std::string> leaves;  // leaves first_index, first_index + 1, ...
  std::vector<std::pair<NodeId, Hash>> nodes;  // new perfect nodes
  std::string checkpoint;  // signed note for new_state.size ("" for none)
  std::vector<std::pair<Hash, uint64_t>> event_ids;  // event id -> index
  // Secondary index rows (event_index.h) and metadata rows (e.g. the roster).
  std::vector<std::pair<std::string, std::string>> index_rows;
  std::vector<std::pair<std::string, std::string>> meta_rows;
  TreeState new_state;
};

class LogStore {
 public:
  virtual ~LogStore() = default;

  // NOT_FOUND when the store holds no tree yet; DATA_LOSS when the state cannot
  // be decoded.
  virtual absl::StatusOr<TreeState> ReadTreeState() const = 0;

  // Raw stored bytes, unchecked: use TreeReader for reads that are served.
  // NOT_FOUND when absent.
  virtual absl::StatusOr<std::string> ReadLeaf(uint64_t index) const = 0;
  virtual absl::StatusOr<std::vector<std::string>> ReadLeaves(
      uint64_t begin, uint64_t end) const = 0;

  // One hash per id, in order, read in one batch. NOT_FOUND naming the first
  // absent node; DATA_LOSS naming a stored value that is not 32 bytes.
  virtual absl::StatusOr<std::vector<Hash>> ReadNodes(
      absl::Span<const NodeId> ids) const = 0;

  // The signed checkpoint stored for `size`; NOT_FOUND when none.
  virtual absl::StatusOr<std::string> ReadCheckpoint(uint64_t size) const = 0;
  // The newest stored checkpoint; NOT_FOUND when none.
  virtual absl::StatusOr<std::string> ReadLatestCheckpoint() const = 0;
  // Stored checkpoints with begin <= size < end, by size, at most `limit`:
  // for copying a log to another store (migrate) with its signed notes.
  virtual absl::StatusOr<std::vector<std::pair<uint64_t, std::string>>>
  ScanCheckpoints(uint64_t begin, uint64_t end, size_t limit) const = 0;

  // The index of the event with this id, if any.
  virtual absl::StatusOr<std::optional<uint64_t>> FindEvent(
      const Hash& event_id) const = 0;
  // FindEvent for many ids in one read, answers in the order asked: the
  // sequencer asks once per batch, before its rules (one round trip to a
  // database instead of one per event). The default asks FindEvent for each.
  virtual absl::StatusOr<std::vector<std::optional<uint64_t>>> FindEvents(
      absl::Span<const Hash> event_ids) const;

  // Secondary index rows with begin <= key < end, in key order, at most
  // `limit`.
  virtual absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
  ScanIndex(const std::string& begin, const std::string& end,
            size_t limit) const = 0;

  // A metadata row written by a CommitBatch; nullopt when absent.
  virtual absl::StatusOr<std::optional<std::string>> ReadMeta(
      const std::string& key) const = 0;

  // Metadata rows with begin <= key < end, in key order, at most `limit`.
  virtual absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
  ScanMeta(const std::string& begin, const std::string& end,
           size_t limit) const = 0;

  // Adds and removes secondary index rows durably, outside any batch: for
  // rebuilding the indexes from the leaves (index_check.h).
  virtual absl::Status RewriteIndexRows(
      const std::vector<std::pair<std::string, std::string>>& put,
      const std::vector<std::string>& erase) = 0;

  // Writes one metadata row durably, outside any batch: for state that is not
  // the tree's, such as the latest cosigned checkpoint.
  virtual absl::Status WriteMeta(const std::string& key,
                                 const std::string& value) = 0;

  // Checks the batch's shape (FAILED_PRECONDITION if first_index is not the
  // stored size, INVALID_ARGUMENT if new_state.size is not first_index +
  // leaves), then applies it atomically and durably.
  absl::Status Commit(const CommitBatch& batch);

  // After a failed write: clears the store's error state once the fault has
  // gone (RocksDB's Resume, which also retires the write-ahead log the failed
  // write may have reached), so that writes can go on. OK when there is no
  // error to clear; the fault's own error while it lasts.
  virtual absl::Status Recover() { return absl::OkStatus(); }

 protected:
  virtual absl::Status DoCommit(const CommitBatch& batch) = 0;
  // True when DoCommit itself refuses, inside its transaction and with the
  // same FAILED_PRECONDITION, a batch that does not start at the stored size:
  // Commit then skips its own read of the size (a round trip to a database).
  virtual bool DoCommitChecksStoredSize() const { return false; }
};

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_STORAGE_LOG_STORE_H_
