// CopyLog: copies a log from one store to another through the LogStore seam
// alone (RocksDB <-> PostgreSQL <-> memory), for `ailedgerd migrate`
// (server/migrate.h), then proves the copy is the source's log before it
// reports success.
//
// The copy holds the source's exact stored bytes: its leaves, every signed
// checkpoint, its secondary index rows and its meta rows. It is made by
// ordinary commits whose boundaries are the source's checkpointed sizes, so
// that each CommitBatch carries the note signed for its new size (a batch cut
// short to bound memory carries none). What is derived rather than read is
// checked against the source on the way: the perfect nodes are recomputed
// from the leaves with the project's CompactRange and must equal the
// source's stored nodes; each leaf must decode, name its index and chain to
// the leaf before it; each checkpoint's body must commit to the root of the
// leaves below it; the event-id rows are derived as LogWriter derives them
// (EventId(origin, event bytes)) and compared with the source's FindEvent.
// Anything that differs is DATA_LOSS naming the leaf, node or checkpoint.
//
// Then the copy is checked on its own: its tree state equals the source's;
// every leaf is read back and hashed into the tree again (its stored nodes,
// its event-id rows, and the root at every checkpoint); its checkpoints,
// index rows and meta rows equal the source's byte for byte; its latest
// checkpoint opens with the log key and its root is the copy's RootAt(size)
// (TreeReader, from the copied nodes); and CheckIndexes finds its indexes and
// lifecycle rows in agreement with its leaves.
//
// The meta row `origin` (which `ailedgerd serve` requires) is written last,
// after every check: an interrupted copy is not a store serve would take.
// The rows a store keeps for itself (`format_version`, `tree_state`) are not
// copied: each store writes its own.
#ifndef AILEDGER_LEDGER_STORAGE_COPY_LOG_H_
#define AILEDGER_LEDGER_STORAGE_COPY_LOG_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ledger/storage/log_store.h"
#include "ledger/tlog/keys.h"

namespace ailedger {

struct CopyOptions {
  // The log's key: its name is the origin, and the copy's latest checkpoint
  // must open with it. (Older checkpoints may be signed by a key the log has
  // rotated from, so only their bodies are checked.)
  VerifierKey log_key;
  // Bounds on one CommitBatch (memory): the batch ends at the next
  // checkpointed size or at these, whichever comes first.
  uint64_t max_batch_leaves = 10000;
  uint64_t max_batch_bytes = 64 << 20;
  // FindEvent is asked, of the source and of the copy, for every n-th leaf's
  // event id (and the last leaf's): 1 checks them all.
  uint64_t check_event_ids_every = 1;
  // Called now and then: the stage ("copying", "reading the copy back",
  // "checking the copy's indexes"), and how far it is in entries.
  std::function<void(absl::string_view stage, uint64_t done, uint64_t total)>
      progress;
};

struct CopyReport {
  std::string origin;
  TreeState state;           // the copy's, equal to the source's
  uint64_t commits = 0;      // CommitBatches written
  uint64_t checkpoints = 0;  // signed notes copied
  uint64_t index_rows = 0;
  uint64_t meta_rows = 0;          // besides the stores' own
  uint64_t event_ids_checked = 0;  // FindEvent answers compared, per store
  // The copy's latest checkpoint, opened with the log key: its size (the
  // tree's) and root (RootAt(size) of the copy).
  uint64_t verified_size = 0;
  Hash verified_root{};
};

// FAILED_PRECONDITION if `to` already holds a tree of size > 0, a checkpoint,
// an index row or a meta row other than its own, or if `from` holds no log or
// no `origin` row or one that is not the key's name. DATA_LOSS naming what
// differs (see above). On any error the copy is incomplete: it has no
// `origin` row, and must be removed before another attempt.
absl::StatusOr<CopyReport> CopyLog(const LogStore& from, LogStore* to,
                                   const CopyOptions& options);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_STORAGE_COPY_LOG_H_
