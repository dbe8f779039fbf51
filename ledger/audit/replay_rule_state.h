// The offline verifier's RuleState (ledger/rules/rule_state.h): the state of
// the log replayed from a bundle's records in index order, kept small. It
// remembers only what later rules can ask: phases, the events references may
// name (references.h), events that take approvals (approvals.h), events with
// sealed attachments, erasures, and the ids superseded or retracted. Memory
// grows with those, not with the log.
//
// Two questions it answers later or not at all:
//   - Facts of any event, which a correction needs, are deferred: the
//     corrections are noted and checked after the last leaf, against the
//     facts of just the events they name, read in a second pass over the
//     bundle (correction_replay.h).
//   - In a ranged bundle (from > 0) an event before the range is not known:
//     the rule that needs it is reported unchecked (a warning), not failed.
#ifndef AILEDGER_LEDGER_AUDIT_REPLAY_RULE_STATE_H_
#define AILEDGER_LEDGER_AUDIT_REPLAY_RULE_STATE_H_

#include <cstdint>
#include <istream>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "ledger/audit/anchor_replay.h"
#include "ledger/audit/correction_replay.h"
#include "ledger/rules/engine.h"
#include "ledger/rules/rule_state.h"

namespace ailedger {

class ReplayRuleState : public RuleState {
 public:
  // `ranged`: the bundle starts after genesis.
  ReplayRuleState(std::string origin, bool ranged)
      : origin_(std::move(origin)), ranged_(ranged), roster_(origin_) {}

  // After the last leaf: the deferred corrections logged before index
  // `before`, against the events they name, read in a second pass over `in`
  // (left where it was), then the report anchors logged before it. Failures
  // read "index N: correction: detail" or "index N: reference: detail".
  absl::Status FinishCorrections(std::istream* in, uint64_t from,
                                 uint64_t before,
                                 std::vector<std::string>* warnings);

  // Notes the correction of `c`, refused by a later rule after the
  // correction rule was deferred: the second pass checks it first.
  void NoteDeferredCorrection(const Candidate& c);

  const ApprovalBook& book() const { return book_; }
  const Roster& roster() const { return roster_; }

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
  // An id not among the reference targets is noted (wanted()) and answered
  // true: the duplicate check, which sees every id, settles it at the end.
  absl::StatusOr<bool> Logged(const Hash& id, uint64_t index) override;
  // Noted, and checked by FinishCorrections in a second pass (anchor_replay.h);
  // in a ranged bundle, reported unchecked.
  absl::Status CheckRoot(uint64_t size, const Hash& root,
                         uint64_t index) override;
  void Record(const Candidate& c, const Admitted& a) override;

  struct Wanted {
    Hash id;
    uint64_t index;  // of the entry that cites it
  };
  const std::vector<Wanted>& wanted() const { return wanted_; }

 private:
  absl::Status FinishCorrectionsOnly(std::istream* in, uint64_t from,
                                     uint64_t before,
                                     std::vector<std::string>* warnings);
  // In a ranged bundle, "not found" may mean "before the range".
  absl::Status BeforeRange(absl::string_view what) const;

  const std::string origin_;
  const bool ranged_;
  Roster roster_;
  ApprovalBook book_;
  std::map<std::string, Phase> phases_;
  std::map<Hash, RefTarget> targets_;
  std::map<Hash, int> sealed_counts_;
  std::set<Hash> superseded_, retracted_;
  std::set<std::pair<Hash, uint32_t>> erased_;
  CorrectionReplay corrections_;
  AnchorReplay anchors_;
  std::vector<Wanted> wanted_;
};

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_AUDIT_REPLAY_RULE_STATE_H_
