#include "ledger/governance/approvals.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace ailedger {
namespace {

constexpr std::pair<absl::string_view, absl::string_view> kRules[] = {
    {"ModelVersionReleased", "approver"},
    {"DeploymentRecorded", "approver"},
    {"ImpactAssessmentRecorded", "approver"},
    {"PolicyPublished", "approver"},
    {"ReportPublished", "approver"},
    {"AgreementRecorded", "approver"},
    // Vocabulary v2: an SoA version is approved as a set (ISO/IEC 42001
    // 6.1.3; no earlier log holds the type).
    {"SoaVersionDefined", "approver"},
    {"RiskTreated", "risk_owner"},
    {"PrivacyAssessmentRecorded", "dpo"},
};

// Whether `organisation` may decide on `e`: the record's own organisation,
// or one of the parties of a two-party record. Under role table version 1 any
// organisation may (the rule came with version 2).
bool MayDecide(const ApprovableEvent& e, const std::string& organisation) {
  if (!AppliesVersion2Rules(e.role_table_version)) return true;
  if (e.parties.empty()) return organisation == e.organisation;
  return std::find(e.parties.begin(), e.parties.end(), organisation) !=
         e.parties.end();
}

absl::Status CheckApproverOrganisation(const ApprovableEvent& t,
                                       const std::string& organisation) {
  if (MayDecide(t, organisation)) return absl::OkStatus();
  const std::string who =
      t.parties.empty()
          ? "only its own organisation approves it"
          : absl::StrCat("only the parties it binds ('",
                         absl::StrJoin(t.parties, "', '"), "') approve it");
  return absl::PermissionDeniedError(
      absl::StrCat("approval: '", organisation, "' may not approve event ",
                   t.index, " of '", t.organisation, "': ", who));
}

}  // namespace

std::optional<std::string> ApprovalFunction(absl::string_view event_type) {
  for (const auto& [type, function] : kRules) {
    if (type == event_type) return std::string(function);
  }
  return std::nullopt;
}

absl::Status CheckApproval(const v1::Event& e, const PublicKey& approver,
                           const v1::RosterMember& member,
                           const EventLookup& lookup) {
  if (!e.has_approval() ||
      e.approval().decision() == v1::DECISION_UNSPECIFIED) {
    return absl::InvalidArgumentError(
        "approval: body with a decision is required");
  }
  if (e.approval().authority().empty()) {
    return absl::InvalidArgumentError(
        "approval.authority: required (under which authority it is given)");
  }
  if (e.approval().decision() == v1::DECISION_APPROVE_WITH_CONDITIONS &&
      e.approval().conditions().empty()) {
    return absl::InvalidArgumentError("approval.conditions: required");
  }
  auto id = HashFromBytes(e.approval().approves(), "approval.approves");
  if (!id.ok()) return id.status();
  auto target = lookup(*id);
  if (!target.ok()) return target.status();
  if (!target->has_value()) {
    return absl::FailedPreconditionError(
        absl::StrCat("approval.approves: no event ", ToHex(*id),
                     " that takes approvals is on the log"));
  }
  const ApprovableEvent& t = **target;
  if (t.author == approver) {
    return absl::PermissionDeniedError(
        absl::StrCat("approval: the approver wrote event ", t.index,
                     " (segregation of duties)"));
  }
  if (auto s = CheckApproverOrganisation(t, member.grant().organisation());
      !s.ok())
    return s;
  // A two-party record without a rule of its own: "approver".
  const std::string function =
      ApprovalFunction(t.event_type).value_or("approver");
  const auto& fns = member.grant().functions();
  if (std::find(fns.begin(), fns.end(), function) == fns.end()) {
    return absl::PermissionDeniedError(
        absl::StrCat("approval: approving ", t.event_type, " needs the '",
                     function, "' function"));
  }
  return absl::OkStatus();
}

void ApprovalBook::NoteEvent(const Hash& event_id, const ApprovableEvent& e) {
  events_[event_id] = e;
}

std::vector<std::string> PartiesOf(const v1::Event& e) {
  std::vector<std::string> parties;
  if (e.event_type() == "AgreementRecorded") {
    parties.push_back(e.organisation());
    for (const auto& s : e.subjects()) {
      if (s.kind() == "organisation" || s.kind() == "partner")
        parties.push_back(s.id());
    }
  } else if (e.event_type() == "AuditStarted") {  // a joint audit
    for (const auto& s : e.subjects()) {
      if (s.kind() == "organisation") parties.push_back(s.id());
    }
  }
  std::sort(parties.begin(), parties.end());
  parties.erase(std::unique(parties.begin(), parties.end()), parties.end());
  if (parties.size() < 2) parties.clear();  // binds one organisation only
  return parties;
}

bool TakesApprovals(const v1::Event& e) {
  return ApprovalFunction(e.event_type()).has_value() || !PartiesOf(e).empty();
}

ApprovableEvent ApprovableOf(uint64_t index, const PublicKey& author,
                             const v1::Event& e, uint32_t role_table_version) {
  return {index,        author,           e.event_type(),
          PartiesOf(e), e.organisation(), role_table_version};
}

void ApprovalBook::NoteWithdrawn(const Hash& event_id) {
  events_.erase(event_id);
  decisions_.erase(event_id);
}

void ApprovalBook::NoteApproval(const v1::Approval& a,
                                const std::string& approver_organisation) {
  auto id = HashFromBytes(a.approves(), "approves");
  if (!id.ok()) return;
  decisions_[*id][approver_organisation] = a.decision();  // the latest counts
}

absl::StatusOr<std::optional<ApprovableEvent>> ApprovalBook::Find(
    const Hash& event_id) const {
  auto it = events_.find(event_id);
  if (it == events_.end()) return std::optional<ApprovableEvent>();
  return std::optional<ApprovableEvent>(it->second);
}

// Approved when the record's own organisation approved (or, for a two-party
// record, every party did); else rejected when the latest decision of one of
// them rejects. Decisions of any other organisation do not count.
ApprovalBook::Status ApprovalBook::StatusOf(const Hash& id,
                                            const ApprovableEvent& e) const {
  auto it = decisions_.find(id);
  if (it == decisions_.end()) return Status::kPending;
  auto yes = [](v1::Decision d) {
    return d == v1::DECISION_APPROVE ||
           d == v1::DECISION_APPROVE_WITH_CONDITIONS;
  };
  bool approved = !e.parties.empty();
  bool rejected = false;
  for (const auto& [org, d] : it->second) {
    if (!MayDecide(e, org)) continue;
    if (e.parties.empty()) approved |= yes(d);
    rejected |= d == v1::DECISION_REJECT;
  }
  for (const std::string& party : e.parties) {
    auto p = it->second.find(party);
    approved &= p != it->second.end() && yes(p->second);
  }
  if (approved) return Status::kApproved;
  return rejected ? Status::kRejected : Status::kPending;
}

std::vector<ApprovableEvent> ApprovalBook::With(Status status) const {
  std::vector<ApprovableEvent> out;
  for (const auto& [id, e] : events_) {
    if (StatusOf(id, e) == status) out.push_back(e);
  }
  std::sort(out.begin(), out.end(),
            [](const ApprovableEvent& a, const ApprovableEvent& b) {
              return a.index < b.index;
            });
  return out;
}

std::vector<ApprovableEvent> ApprovalBook::Pending() const {
  return With(Status::kPending);
}

std::vector<ApprovableEvent> ApprovalBook::Rejected() const {
  return With(Status::kRejected);
}

}  // namespace ailedger
