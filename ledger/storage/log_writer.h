// LogWriter: the single component that assigns indices (as CT's TreeSigner). It
// turns signed events into leaves, extends the compact range, signs the new
// checkpoint, and commits leaves, new tree nodes, event ids, the checkpoint and
// the tree state in one durable batch. Only after that commit succeeds does it
// adopt the new state.
//
// Thread-compatible: exactly one thread (the sequencer) appends. The store must
// outlive the writer.
#ifndef AILEDGER_LEDGER_STORAGE_LOG_WRITER_H_
#define AILEDGER_LEDGER_STORAGE_LOG_WRITER_H_

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "ledger/governance/event_signature.h"
#include "ledger/merkle/compact_range.h"
#include "ledger/storage/log_store.h"
#include "ledger/tlog/checkpoint.h"
#include "ledger/tlog/keys.h"
#include "ledger/tlog/log_key_chain.h"

namespace ailedger {

// Signs the checkpoint of a batch before it commits; an error aborts the batch.
using CheckpointSigner =
    std::function<absl::StatusOr<std::string>(const Checkpoint&)>;

// What a signer may need of the batch it signs for: which keys sign a
// checkpoint depends on the log's chain of keys, which the batch itself may
// move (a LogKeyRotated; server/log_keyring.h).
struct SigningBatch {
  uint64_t first_index = 0;  // the batch's first leaf
  // The chain after the batch, from the rules (StoreRuleState); null when
  // the caller gave none.
  const LogKeyChain* log_keys = nullptr;
};
using BatchCheckpointSigner = std::function<absl::StatusOr<std::string>(
    const Checkpoint&, const SigningBatch&)>;

// Rows committed with a batch besides its leaves, nodes and checkpoint.
struct BatchExtras {
  std::vector<std::pair<std::string, std::string>> index_rows;
  std::vector<std::pair<std::string, std::string>> meta_rows;
  // The log's chain of keys after the batch (committed in the roster
  // snapshot); handed to a BatchCheckpointSigner.
  std::optional<LogKeyChain> log_keys;
};

struct AppendResult {
  uint64_t first_index = 0;
  std::vector<std::string> leaves;
  std::vector<Hash> leaf_hashes;
  std::string checkpoint;  // the signed note committed with the batch
  TreeState state;         // the state after the batch

  // The inclusion proof of a leaf of this batch in the tree of state.size,
  // computed from memory: every node it needs is either in the compact range
  // before the batch or was completed by the batch. INVALID_ARGUMENT if the
  // index is not in the batch.
  absl::StatusOr<std::vector<Hash>> InclusionProof(uint64_t index) const;

  std::map<NodeId, Hash> nodes;  // the nodes InclusionProof draws on
};

class LogWriter {
 public:
  // Resumes from the store's tree state (an empty store starts at size 0).
  // DATA_LOSS if the stored compact range does not yield the stored root.
  static absl::StatusOr<std::unique_ptr<LogWriter>> Open(
      LogStore* store, std::string origin, CheckpointSigner signer);
  // The same with a signer told about the batch.
  static absl::StatusOr<std::unique_ptr<LogWriter>> Open(
      LogStore* store, std::string origin, BatchCheckpointSigner signer);

  // Appends `events` as one batch at integrated time max(now_ms, last time). On
  // error nothing is committed and the writer's state is unchanged.
  // INVALID_ARGUMENT if an event is too large for a leaf or the batch is empty.
  // The caller has checked each event's signature (VerifyEventSignature).
  absl::StatusOr<AppendResult> Append(absl::Span<const SignedEvent> events,
                                      uint64_t now_ms, BatchExtras extras = {});

  // After a failed Append: asks the store to recover (LogStore::Recover), then
  // checks what it holds. false: the state this writer committed last, the
  // failed batch is not there. true: exactly the state of the failed batch
  // (its write reached the disk after all), which the writer adopts. Either
  // way appends may go on. DATA_LOSS when the store holds any other state:
  // nothing may be signed until a restart re-reads the store. The fault's
  // error while it lasts.
  absl::StatusOr<bool> Recover();
  // Whether a commit failed and Recover has not yet succeeded; Append refuses
  // (FAILED_PRECONDITION) meanwhile.
  bool needs_recovery() const { return needs_recovery_; }

  const TreeState& state() const { return state_; }
  const std::string& origin() const { return origin_; }

 private:
  LogWriter(LogStore* store, std::string origin, BatchCheckpointSigner signer,
            TreeState state, CompactRange range);

  LogStore* const store_;
  const std::string origin_;
  const BatchCheckpointSigner signer_;
  TreeState state_;
  CompactRange range_;
  bool needs_recovery_ = false;
  std::optional<TreeState> failed_state_;  // of the batch whose commit failed
};

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_STORAGE_LOG_WRITER_H_
