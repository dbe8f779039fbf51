#include "ledger/audit/replay_rule_state.h"

#include "absl/strings/str_cat.h"
#include "ledger/governance/event_types.h"

namespace ailedger {

absl::Status ReplayRuleState::BeforeRange(absl::string_view what) const {
  return MarkOutsideRange(absl::FailedPreconditionError(
      absl::StrCat(what, " is not in the bundle's range")));
}

absl::StatusOr<std::optional<EventFacts>> ReplayRuleState::Facts(
    const Hash& id) {
  return MarkDeferred(absl::UnavailableError("read in the second pass"));
}

absl::StatusOr<std::optional<RefTarget>> ReplayRuleState::Target(
    const Hash& id) {
  if (auto it = targets_.find(id); it != targets_.end())
    return std::optional<RefTarget>(it->second);
  if (ranged_) return BeforeRange(absl::StrCat("the event ", ToHex(id)));
  return std::optional<RefTarget>();
}

absl::StatusOr<std::optional<ApprovableEvent>> ReplayRuleState::Approvable(
    const Hash& id) {
  auto found = book_.Find(id);
  if (found.ok() && !found->has_value() && ranged_)
    return BeforeRange(absl::StrCat("the approved event ", ToHex(id)));
  return found;
}

absl::StatusOr<Phase> ReplayRuleState::PhaseOf(const std::string& key) {
  if (ranged_) {
    return MarkOutsideRange(absl::FailedPreconditionError(
        "lifecycle order is checked only in bundles that start at genesis"));
  }
  auto it = phases_.find(key);
  return it == phases_.end() ? Phase::kNone : it->second;
}

absl::StatusOr<bool> ReplayRuleState::Superseded(const Hash& id) {
  return superseded_.count(id) > 0;
}

absl::StatusOr<bool> ReplayRuleState::Retracted(const Hash& id) {
  return retracted_.count(id) > 0;
}

absl::StatusOr<int> ReplayRuleState::SealedAttachments(const Hash& id) {
  if (auto it = sealed_counts_.find(id); it != sealed_counts_.end())
    return it->second;
  if (ranged_) return BeforeRange(absl::StrCat("the event ", ToHex(id)));
  return 0;
}

absl::StatusOr<bool> ReplayRuleState::Erased(const Hash& id, uint32_t n) {
  return erased_.count({id, n}) > 0;
}

absl::StatusOr<bool> ReplayRuleState::Logged(const Hash& id, uint64_t index) {
  if (targets_.count(id)) return true;
  if (ranged_) return BeforeRange(absl::StrCat("the event ", ToHex(id)));
  wanted_.push_back({id, index});
  return true;
}

absl::Status ReplayRuleState::CheckRoot(uint64_t size, const Hash& root,
                                        uint64_t index) {
  if (ranged_) {
    return BeforeRange(
        absl::StrCat("the root at size ", size, " (a report's anchor)"));
  }
  anchors_.Note(index, size, root);
  return absl::OkStatus();
}

void ReplayRuleState::Record(const Candidate& c, const Admitted& a) {
  const v1::Event& e = *c.event;
  if (e.event_type() == kApproval)
    book_.NoteApproval(e.approval(), a.signer_organisation);
  for (const auto& withdrawn : {a.superseded, a.retracted}) {
    if (!withdrawn) continue;
    book_.NoteWithdrawn(*withdrawn);
  }
  if (a.superseded) superseded_.insert(*a.superseded);
  if (a.retracted) retracted_.insert(*a.retracted);
  if (a.approvable) book_.NoteEvent(c.event_id, *a.approvable);
  if (IsReferenceTarget(e.event_type())) targets_[c.event_id] = TargetOf(e);
  if (e.sealed_size() > 0) sealed_counts_[c.event_id] = e.sealed_size();
  for (const PhaseChange& p : a.phases) phases_[p.key] = p.phase;
  if (a.erasure) erased_.insert(*a.erasure);
  if (a.correction_deferred) {
    corrections_.Note(c.index, e, a.signer_is_admin, a.signer_organisation);
  }
}

void ReplayRuleState::NoteDeferredCorrection(const Candidate& c) {
  const v1::RosterMember* m = roster_.FindActive(c.signer);
  corrections_.Note(c.index, *c.event,
                    roster_.HasRole(c.signer, v1::ROLE_ADMIN),
                    m ? m->grant().organisation() : "");
}

absl::Status ReplayRuleState::FinishCorrections(
    std::istream* in, uint64_t from, uint64_t before,
    std::vector<std::string>* warnings) {
  if (auto s = FinishCorrectionsOnly(in, from, before, warnings); !s.ok())
    return s;
  if (anchors_.empty()) return absl::OkStatus();
  auto s = anchors_.Check(in, before);
  if (absl::IsUnavailable(s)) {
    warnings->push_back(
        absl::StrCat("report anchors not checked: ", s.message()));
    return absl::OkStatus();
  }
  return s;
}

absl::Status ReplayRuleState::FinishCorrectionsOnly(
    std::istream* in, uint64_t from, uint64_t before,
    std::vector<std::string>* warnings) {
  if (corrections_.empty()) return absl::OkStatus();
  if (auto s = corrections_.ReadTargets(in, origin_, from); !s.ok()) {
    warnings->push_back(absl::StrCat("corrections not checked: ", s.message()));
    return absl::OkStatus();
  }
  return corrections_.Replay(ranged_, before, warnings);
}

}  // namespace ailedger
