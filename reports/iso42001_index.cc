// The records of an ISO/IEC 42001 evidence pack as of its date
// (iso42001_evidence.h, Index).
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "ledger/governance/approvals.h"
#include "reports/iso42001_evidence.h"

namespace ailedger::reports::iso42001 {

std::string Day(int64_t ms) {
  return absl::FormatTime("%Y-%m-%d", absl::FromUnixMillis(ms),
                          absl::UTCTimeZone());
}

std::string SubjectOf(const v1::Event& e, absl::string_view kind) {
  for (const auto& s : e.subjects()) {
    if (s.kind() == kind) return s.id();
  }
  return "";
}

std::string IdOf(const Record& r) { return std::string(AsBytes(r.event_id)); }

Index::Index(const std::vector<Record>& records, const VerifyReport& verified,
             std::string organisation, int64_t as_of)
    : organisation_(std::move(organisation)),
      as_of_(as_of),
      verified_(verified) {
  for (const Record& r : records) {
    if (static_cast<int64_t>(r.integrated_time_ms) > as_of_) continue;
    const v1::Event& e = r.event;
    all_.push_back(&r);
    by_id_.emplace(IdOf(r), &r);
    if (e.has_retraction())
      retracted_by_.emplace(e.retraction().retracts(), &r);
    if (!e.supersedes().empty()) superseded_by_.emplace(e.supersedes(), &r);
    if (e.has_approval()) decisions_[e.approval().approves()].push_back(&r);
    if (e.has_audit_started()) audits_.emplace(SubjectOf(e, "audit"), &r);
    if (e.organisation() == organisation_) {
      own_.push_back(&r);
      continue;
    }
    // A two-party record binds the organisation too (approvals.h).
    for (const std::string& party : PartiesOf(e)) {
      if (party == organisation_) {
        own_.push_back(&r);
        break;
      }
    }
  }
  for (const Record* r : own_) {
    if (IsCurrent(*r)) current_[r->event.event_type()].push_back(r);
  }
}

const std::vector<const Record*>& Index::Current(
    const std::string& type) const {
  static const auto* none = new std::vector<const Record*>();
  auto it = current_.find(type);
  return it == current_.end() ? *none : it->second;
}

const Record* Index::ById(const std::string& id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second;
}

std::string Index::StateOf(const Record& r) const {
  if (auto it = retracted_by_.find(IdOf(r)); it != retracted_by_.end())
    return absl::StrCat("retracted by idx ", it->second->index);
  if (auto it = superseded_by_.find(IdOf(r)); it != superseded_by_.end())
    return absl::StrCat("superseded by idx ", it->second->index);
  return "current";
}

bool Index::IsCurrent(const Record& r) const {
  return !retracted_by_.count(IdOf(r)) && !superseded_by_.count(IdOf(r));
}

std::vector<const Record*> Index::About(const std::string& type) const {
  std::vector<const Record*> out;
  for (const Record* r : all_) {
    if (r->event.event_type() != type || !IsCurrent(*r)) continue;
    if (r->event.organisation() == organisation_) {
      out.push_back(r);
      continue;
    }
    auto audit = audits_.find(SubjectOf(r->event, "audit"));
    if (audit == audits_.end() || SubjectOf(r->event, "audit").empty())
      continue;
    const v1::Event& started = audit->second->event;
    if (started.audit_started().auditee() == organisation_ ||
        SubjectOf(started, "organisation") == organisation_)
      out.push_back(r);
  }
  return out;
}

bool Index::Approved(const Record& r, std::string* why) const {
  if (!TakesApprovals(r.event)) {
    if (why) *why = "takes no approval";
    return true;
  }
  std::vector<std::string> parties = PartiesOf(r.event);
  const bool any_organisation = parties.empty();
  if (any_organisation) parties.push_back(r.event.organisation());
  auto it = decisions_.find(IdOf(r));
  std::vector<std::string> said, lacking;
  for (const std::string& party : parties) {
    const Record* latest = nullptr;
    if (it != decisions_.end()) {
      for (const Record* a : it->second) {
        if (any_organisation || a->event.organisation() == party) latest = a;
      }
    }
    if (latest == nullptr) {
      lacking.push_back(absl::StrCat("no approval by ", party));
    } else if (latest->event.approval().decision() == v1::DECISION_REJECT) {
      lacking.push_back(
          absl::StrCat("REJECTED by ", party, " (idx ", latest->index, ")"));
    } else {
      said.push_back(absl::StrCat("approved by ", party, " (",
                                  latest->event.approval().authority(),
                                  ", idx ", latest->index, ")"));
    }
  }
  if (why) {
    *why = lacking.empty() ? absl::StrJoin(said, "; ")
                           : absl::StrCat("NOT APPROVED by the date: ",
                                          absl::StrJoin(lacking, "; "));
  }
  return lacking.empty();
}

bool Index::ByAuditor(const Record& r, bool* pinned) const {
  for (const SignerSummary& s : verified_.signers) {
    if (s.key != r.signer) continue;
    for (v1::Role role : s.roles) {
      if (role != v1::ROLE_AUDITOR) continue;
      *pinned = !s.unexpected;
      return true;
    }
  }
  *pinned = false;
  return false;
}

}  // namespace ailedger::reports::iso42001
