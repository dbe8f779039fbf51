// What the rules of state may read about a log: its state as of the index
// being admitted (every earlier entry applied, none later). The sequencer reads
// it from its store plus the batch in flight (ledger/storage/
// store_rule_state.h); the offline verifier from what it replayed of a bundle
// (ledger/audit/replay_rule_state.h). The rules themselves are in engine.h and
// see only this interface, so both run the same rules in the same order.
//
// A replay cannot always answer. A lookup may fail with a status marked
// (MarkOutsideRange) "the answer lies before the bundle's range": the engine
// then reports the rule as unchecked instead of failed. Or marked
// (MarkDeferred) "known only after a second pass": the engine hands the rule
// back to be run again then (corrections name any earlier event, which a
// streaming verifier does not keep).
#ifndef AILEDGER_LEDGER_RULES_RULE_STATE_H_
#define AILEDGER_LEDGER_RULES_RULE_STATE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "ledger/governance/approvals.h"
#include "ledger/governance/corrections.h"
#include "ledger/governance/lifecycle.h"
#include "ledger/governance/references.h"
#include "ledger/governance/roster.h"
#include "ledger/merkle/hash.h"

namespace ailedger {

struct Candidate;  // engine.h
struct Admitted;   // engine.h

class RuleState {
 public:
  virtual ~RuleState() = default;

  // The roster as of the index being admitted. The engine applies roster
  // events to it.
  virtual Roster& roster() = 0;

  // Facts of any logged event (corrections need them); nullopt if none.
  virtual absl::StatusOr<std::optional<EventFacts>> Facts(const Hash& id) = 0;
  // What a reference needs of the event it names; nullopt if none (or, for a
  // replay, none of a type a reference may name).
  virtual absl::StatusOr<std::optional<RefTarget>> Target(const Hash& id) = 0;
  // A logged event that takes approvals; nullopt if none.
  virtual absl::StatusOr<std::optional<ApprovableEvent>> Approvable(
      const Hash& id) = 0;
  virtual absl::StatusOr<Phase> PhaseOf(const std::string& key) = 0;
  virtual absl::StatusOr<bool> Superseded(const Hash& id) = 0;
  virtual absl::StatusOr<bool> Retracted(const Hash& id) = 0;
  // The sealed attachments of a logged event; 0 if none or no such event.
  virtual absl::StatusOr<int> SealedAttachments(const Hash& id) = 0;
  virtual absl::StatusOr<bool> Erased(const Hash& id, uint32_t attachment) = 0;
  // Whether an event with this id is logged before `index` (evidence may cite
  // any entry). A replay that keeps no such index answers true and checks the
  // id once every entry is read.
  virtual absl::StatusOr<bool> Logged(const Hash& id, uint64_t index) = 0;
  // OK if the log's root at `size` (at most `index`, the reporting entry's) is
  // `root`; FAILED_PRECONDITION naming report_published.root_hash (or
  // .tree_size) if not. A replay checks it in a second pass over the leaves.
  virtual absl::Status CheckRoot(uint64_t size, const Hash& root,
                                 uint64_t index) = 0;

  // Remembers an event the rules admitted (engine.h's Admitted: what it
  // changes).
  virtual void Record(const Candidate& c, const Admitted& admitted) = 0;
};

// Marks a lookup's failure: the answer lies outside a ranged bundle.
absl::Status MarkOutsideRange(absl::Status s);
bool IsOutsideRange(const absl::Status& s);
// Marks a lookup's failure: the answer needs the replay's second pass.
absl::Status MarkDeferred(absl::Status s);
bool IsDeferred(const absl::Status& s);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_RULES_RULE_STATE_H_
