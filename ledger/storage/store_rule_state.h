// The sequencer's RuleState (ledger/rules/rule_state.h): the log as stored,
// overlaid with the events of the batch being decided, which are not committed
// yet. It also gathers what the batch commits beside its leaves: the index
// rows, the phase and erasure meta rows, when the roster changed the roster
// snapshot, for a LogKeyRotated the size of its handover checkpoint (the
// batch's: meta_keys.h), and the chain of log keys the checkpoint is signed
// by.
//
// Thread-compatible: one batch, one thread.
#ifndef AILEDGER_LEDGER_STORAGE_STORE_RULE_STATE_H_
#define AILEDGER_LEDGER_STORAGE_STORE_RULE_STATE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "ledger/rules/engine.h"
#include "ledger/rules/rule_state.h"
#include "ledger/storage/log_store.h"
#include "ledger/storage/log_writer.h"
#include "ledger/tlog/leaf.h"

namespace ailedger {

class StoreRuleState : public RuleState {
 public:
  // `roster`: as of the index the batch starts at.
  StoreRuleState(const LogStore* store, Roster roster);

  // Asks the store where the events `ids` are, in one read (FindEvents), so
  // that the rules' lookups of them need no read each. The store does not
  // change while a batch is decided, so every answer, these and the ones read
  // one at a time, holds for the whole batch. A failed read remembers nothing:
  // each lookup then reads for itself, and fails with its own event.
  void Prefetch(absl::Span<const Hash> ids);

  // An earlier copy of the event `id` (in the store or this batch): its index
  // and signer.
  absl::StatusOr<std::optional<std::pair<uint64_t, PublicKey>>> EarlierCopy(
      const Hash& id);

  // The rows the batch commits beside its leaves (moves them out).
  BatchExtras TakeExtras();
  bool roster_changed() const { return roster_changed_; }

  Roster& roster() override { return roster_; }
  absl::StatusOr<std::optional<EventFacts>> Facts(const Hash& id) override;
  absl::StatusOr<std::optional<RefTarget>> Target(const Hash& id) override;
  absl::StatusOr<std::optional<ApprovableEvent>> Approvable(
      const Hash& id) override;
  absl::StatusOr<Phase> PhaseOf(const std::string& key) override;
  absl::StatusOr<bool> Superseded(const Hash& id) override;
  absl::StatusOr<bool> Retracted(const Hash& id) override;
  absl::StatusOr<int> SealedAttachments(const Hash& id) override;
  absl::StatusOr<bool> Erased(const Hash& id, uint32_t attachment) override;
  absl::StatusOr<bool> Logged(const Hash& id, uint64_t index) override;
  // The committed tree only: a report anchors a state the log has signed, so
  // a size beyond it (inside the batch in flight) is refused.
  absl::Status CheckRoot(uint64_t size, const Hash& root,
                         uint64_t index) override;
  void Record(const Candidate& c, const Admitted& a) override;

 private:
  struct Stored {
    Leaf leaf;
    v1::Event event;
  };
  absl::StatusOr<std::optional<Stored>> StoredEvent(const Hash& id);
  // The store's FindEvent, remembered for the batch.
  absl::StatusOr<std::optional<uint64_t>> FindStored(const Hash& id);
  absl::StatusOr<bool> HasRow(const std::string& prefix);

  const LogStore* const store_;
  Roster roster_;
  bool roster_changed_ = false;
  BatchExtras extras_;
  // The last index admitted, and the LogKeyRotated events, of this batch.
  std::optional<uint64_t> last_index_;
  std::vector<uint64_t> rotations_;
  // The events of this batch, as the rules read them back.
  std::map<Hash, std::pair<uint64_t, PublicKey>> in_batch_;
  // The store's FindEvent answers, kept for the batch (phases_ below also
  // keeps the phase rows read, under the batch's own changes).
  std::map<Hash, std::optional<uint64_t>> stored_ids_;
  std::map<Hash, EventFacts> facts_;
  std::map<Hash, RefTarget> targets_;
  std::map<Hash, ApprovableEvent> approvable_;
  std::map<Hash, int> sealed_counts_;
  std::set<Hash> superseded_, retracted_;
  std::map<std::string, Phase> phases_;
  std::set<std::pair<Hash, uint32_t>> erased_;
};

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_STORAGE_STORE_RULE_STATE_H_
