#include "reports/annual_scope.h"

#include <algorithm>
#include <limits>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "ledger/governance/approvals.h"
#include "reports/fairness_analysis.h"

namespace ailedger::reports::annual {
namespace {

std::string IdOf(const Record& r) { return std::string(AsBytes(r.event_id)); }

// The ids of the records `e` refers to (references point back in the log).
std::vector<const std::string*> Refers(const v1::Event& e) {
  std::vector<const std::string*> out = {&e.supersedes()};
  if (e.has_retraction()) out.push_back(&e.retraction().retracts());
  if (e.has_approval()) out.push_back(&e.approval().approves());
  if (e.has_erasure()) out.push_back(&e.erasure().event_id());
  if (e.has_regulator_notification())
    out.push_back(&e.regulator_notification().incident_event_id());
  if (e.has_incident_communicated())
    out.push_back(&e.incident_communicated().incident_event_id());
  if (e.has_nonconformity_raised())
    out.push_back(&e.nonconformity_raised().source_event_id());
  if (e.has_corrective_action_recorded())
    out.push_back(&e.corrective_action_recorded().nonconformity_event_id());
  if (e.has_effectiveness_verified())
    out.push_back(&e.effectiveness_verified().action_event_id());
  if (e.has_due_diligence_recorded())
    out.push_back(&e.due_diligence_recorded().answers_event_id());
  if (e.has_objective_evaluated())
    out.push_back(&e.objective_evaluated().objective_event_id());
  if (e.has_change_completed())
    out.push_back(&e.change_completed().change_event_id());
  return out;
}

}  // namespace

Scope::Scope(const std::vector<Record>& records, const VerifyReport& verified,
             const AnnualOptions& a)
    : options_(a),
      start_ms_(a.start_ms()),
      end_ms_(a.end_ms()),
      systems_(SystemsOf(records, a.organisation)),
      log_(records, verified, a.organisation,
           std::numeric_limits<int64_t>::max()) {
  const std::string& org = a.organisation;
  std::set<std::string> ids;       // of the records in about_
  std::set<std::string> audits;    // audit ids of audits of the organisation
  std::set<std::string> partners;  // the organisation's registered partners
  for (const Record& r : records) {
    as_of_ms_ = std::max<int64_t>(as_of_ms_, r.integrated_time_ms);
    const v1::Event& e = r.event;
    bool in = e.organisation() == org;
    for (const std::string& party : PartiesOf(e)) in = in || party == org;
    if (e.has_audit_started() && (e.audit_started().auditee() == org ||
                                  SubjectOf(e, "organisation") == org)) {
      audits.insert(SubjectOf(e, "audit"));
    }
    for (const auto& s : e.subjects()) {
      in = in || (s.kind() == "system" && IsSystem(s.id())) ||
           ((s.kind() == "partner" || s.kind() == "organisation") &&
            s.id() == org) ||
           (s.kind() == "partner" && partners.contains(s.id())) ||
           (s.kind() == "audit" && audits.contains(s.id()));
    }
    for (const std::string* id : Refers(e))
      in = in || (!id->empty() && ids.contains(*id));
    if (!in) continue;
    if (e.has_approval()) decisions_[e.approval().approves()].push_back(&r);
    if (e.has_partner_registered() && e.organisation() == org)
      partners.insert(e.partner_registered().partner_organisation());
    if (!e.supersedes().empty()) corrected_by_.emplace(e.supersedes(), &r);
    if (e.has_retraction())
      corrected_by_.emplace(e.retraction().retracts(), &r);
    about_.push_back(&r);
    ids.insert(IdOf(r));
    if (InYear(e.occurred_at_ms())) year_.push_back(&r);
  }
}

bool Scope::IsSystem(const std::string& id) const {
  return std::binary_search(systems_.begin(), systems_.end(), id);
}

std::string Scope::State(const Record& r) const {
  auto it = corrected_by_.find(IdOf(r));
  if (it == corrected_by_.end()) return log_.StateOf(r);
  const v1::Event& by = it->second->event;
  return by.has_retraction()
             ? absl::StrCat("RETRACTED by idx ", it->second->index, ": ",
                            by.retraction().reason())
             : absl::StrCat("SUPERSEDED by idx ", it->second->index, ": ",
                            by.supersedes_reason());
}

Records Scope::Decisions(const Record& r) const {
  Records out;
  auto it = decisions_.find(IdOf(r));
  if (it == decisions_.end()) return out;
  for (const Record* d : it->second)
    if (IsCurrent(*d)) out.push_back(d);
  return out;
}

std::string Scope::CiteWithDecisions(const Record& r) const {
  std::string out = Cite(r);
  for (const Record* d : Decisions(r)) absl::StrAppend(&out, "; ", Cite(*d));
  return out;
}

Records Scope::OfSystem(const std::string& system) const {
  Records out;
  for (const Record* r : about_) {
    if (SubjectOf(r->event, "system") == system) out.push_back(r);
  }
  return out;
}

std::string Day(int64_t ms) {
  return absl::FormatTime("%Y-%m-%d", absl::FromUnixMillis(ms),
                          absl::UTCTimeZone());
}

int64_t Days(int64_t from, int64_t to) { return (to - from) / kDayMs; }

std::string SubjectOf(const v1::Event& e, const std::string& kind) {
  for (const auto& s : e.subjects()) {
    if (s.kind() == kind) return s.id();
  }
  return "";
}

size_t Cap(Section* s, size_t table, const std::string& what) {
  auto& rows = s->tables[table].rows;
  if (rows.size() <= kListed) return 0;
  const size_t cut = rows.size() - kListed;
  s->paragraphs.push_back(absl::StrCat(rows.size(), " ", what, ": the first ",
                                       kListed, " are listed, ", cut,
                                       " more are counted, not listed."));
  rows.resize(kListed);
  return cut;
}

nlohmann::json TablesJson(const Section& s) {
  if (s.tables.size() == 1) return s.tables[0].rows;
  nlohmann::json out = nlohmann::json::array();
  for (const Table& t : s.tables)
    out.push_back({{"header", t.header}, {"rows", t.rows}});
  return out;
}

}  // namespace ailedger::reports::annual
