#include "ledger/audit/rule_replay.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "ledger/tlog/contexts.h"

namespace ailedger {
namespace {

absl::Status Fail(uint64_t index, absl::string_view check,
                  absl::string_view detail) {
  return absl::FailedPreconditionError(
      absl::StrCat("index ", index, ": ", check, ": ", detail));
}

std::string OrganisationOf(const Roster& roster, const PublicKey& signer) {
  const v1::RosterMember* m = roster.FindActive(signer);
  return m ? m->grant().organisation() : "";
}

}  // namespace

absl::Status RuleReplay::Check(uint64_t index, const Roster& roster,
                               const PublicKey& signer, const v1::Event& e,
                               const std::string& event_bytes) {
  if (auto s = CheckApprovalAt(index, roster, signer, e); !s.ok()) return s;
  if (auto s = CheckLifecycleAt(index, e); !s.ok()) return s;
  const std::string org = OrganisationOf(roster, signer);
  if (auto s = CheckReferencesAt(index, org, e, event_bytes); !s.ok()) return s;
  corrections_.Note(index, e, roster.HasRole(signer, v1::ROLE_ADMIN), org);
  return absl::OkStatus();
}

// Segregation of duties: an Approval's target is on the log, not the
// approver's own, and the approver holds the function.
absl::Status RuleReplay::CheckApprovalAt(uint64_t index, const Roster& roster,
                                         const PublicKey& signer,
                                         const v1::Event& e) {
  if (e.event_type() != "Approval") return absl::OkStatus();
  auto s = CheckApproval(e, signer, *roster.FindActive(signer),
                         [this](const Hash& id) { return book_.Find(id); });
  if (absl::IsFailedPrecondition(s) && ranged_) {
    warnings_->push_back(absl::StrCat(
        "index ", index,
        ": approval of an event outside the bundle's range (not checked)"));
    return absl::OkStatus();
  }
  return s.ok() ? s : Fail(index, "approval", s.message());
}

// Lifecycle order, replayed from genesis; a ranged bundle is reported once.
absl::Status RuleReplay::CheckLifecycleAt(uint64_t index, const v1::Event& e) {
  if (ranged_) {
    if (!lifecycle_warned_) {
      warnings_->push_back(
          "lifecycle order is checked only in bundles that start at genesis");
      lifecycle_warned_ = true;
    }
    return absl::OkStatus();
  }
  auto changes =
      CheckLifecycle(e, [this](const std::string& k) -> absl::StatusOr<Phase> {
        auto it = phases_.find(k);
        return it == phases_.end() ? Phase::kNone : it->second;
      });
  if (!changes.ok())
    return Fail(index, "lifecycle", changes.status().message());
  for (const PhaseChange& c : *changes) phases_[c.key] = c.phase;
  return absl::OkStatus();
}

// References resolve to earlier events of the right type.
absl::Status RuleReplay::CheckReferencesAt(uint64_t index,
                                           const std::string& org,
                                           const v1::Event& e,
                                           const std::string& event_bytes) {
  auto s = CheckReferences(
      e, org,
      [this](const Hash& id) -> absl::StatusOr<std::optional<RefTarget>> {
        auto it = targets_.find(id);
        if (it == targets_.end()) return std::optional<RefTarget>();
        return std::optional<RefTarget>(it->second);
      });
  if (IsReferenceTarget(e.event_type())) {
    targets_[EventId(origin_, event_bytes)] = {e.event_type(),
                                               e.organisation()};
  }
  if (absl::IsFailedPrecondition(s) && ranged_) {
    warnings_->push_back(absl::StrCat("index ", index,
                                      ": a reference outside the bundle's "
                                      "range (",
                                      s.message(), ") not checked"));
    return absl::OkStatus();
  }
  return s.ok() ? s : Fail(index, "reference", s.message());
}

void RuleReplay::Record(uint64_t index, const Roster& roster,
                        const PublicKey& signer, const v1::Event& e,
                        const std::string& event_bytes) {
  if (e.event_type() == "Approval")
    book_.NoteApproval(e.approval(), OrganisationOf(roster, signer));
  for (const std::string* withdrawn :
       {&e.supersedes(), &e.retraction().retracts()}) {
    if (auto id = HashFromBytes(*withdrawn, "withdrawn"); id.ok())
      book_.NoteWithdrawn(*id);
  }
  if (TakesApprovals(e)) {
    book_.NoteEvent(
        EventId(origin_, event_bytes),
        ApprovableOf(index, signer, e, roster.role_table_version()));
  }
}

absl::Status RuleReplay::Finish(std::istream* in, uint64_t from) {
  if (corrections_.empty()) return absl::OkStatus();
  if (auto s = corrections_.ReadTargets(in, origin_, from); !s.ok()) {
    warnings_->push_back(
        absl::StrCat("corrections not checked: ", s.message()));
    return absl::OkStatus();
  }
  return corrections_.Replay(ranged_, warnings_);
}

}  // namespace ailedger
