// The factsheet's approvals and audits (system_sections.h).
#include <map>

#include "absl/strings/str_cat.h"
#include "reports/system_sections.h"

namespace ailedger::reports::factsheet {
namespace {

std::string Signer(const Context& c, const PublicKey& key) {
  for (const SignerSummary& s : c.verified->signers) {
    if (s.key == key) return absl::StrCat(s.name, " (", s.organisation, ")");
  }
  return "key " +
         ToHex(absl::string_view(reinterpret_cast<const char*>(key.data()), 8));
}

std::string DecisionText(v1::Decision d) {
  switch (d) {
    case v1::DECISION_APPROVE:
      return "approve";
    case v1::DECISION_REJECT:
      return "REJECT";
    case v1::DECISION_APPROVE_WITH_CONDITIONS:
      return "approve with conditions";
    default:
      return "not stated";
  }
}

std::string Named(const Record* r) {
  return r ? absl::StrCat(r->event.event_type(), " idx ", r->index)
           : "an event not in the records";
}

// The verifier's (index, type) entries whose event is about the system.
void Listed(const Context& c,
            const std::vector<std::pair<uint64_t, std::string>>& list,
            const std::string& state, Table* t, nlohmann::json* data,
            std::vector<Gap>* gaps) {
  for (const auto& [index, type] : list) {
    auto it = c.by_index.find(index);
    if (it == c.by_index.end() || !c.about_ids.contains(IdOf(*it->second)))
      continue;
    t->rows.push_back(
        {Named(it->second), state, Status(c, *it->second), Cite(*it->second)});
    data->push_back({{"index", index}, {"event_type", type}});
    gaps->push_back(
        {"approval of " + Named(it->second), state, Cite(*it->second)});
  }
}

}  // namespace

void AddApprovals(const Context& c, Report* out, std::vector<Gap>* gaps) {
  Section s{"Approvals",
            {"Every approval of an event about the system, then the events "
             "the verification found awaiting approval or rejected."},
            {{{"approved event", "approver", "decision", "authority",
               "conditions", "status", "evidence"},
              {}},
             {{"event", "state", "status", "evidence"}, {}}}};
  nlohmann::json& data = out->data["approvals"] = nlohmann::json::object();
  data["approvals"] = nlohmann::json::array();
  for (const Record* r : c.about) {
    if (!r->event.has_approval()) continue;
    const v1::Approval& a = r->event.approval();
    auto it = c.by_id.find(a.approves());
    const Record* target = it == c.by_id.end() ? nullptr : it->second;
    s.tables[0].rows.push_back(
        {Named(target), Signer(c, r->signer), DecisionText(a.decision()),
         OrNot(a.authority()), a.conditions().empty() ? "none" : a.conditions(),
         Status(c, *r), Cite(*r)});
    nlohmann::json j = Ref(c, *r);
    j.update({{"approves_index",
               target ? nlohmann::json(target->index) : nlohmann::json()},
              {"decision", DecisionText(a.decision())},
              {"conditions", a.conditions()}});
    data["approvals"].push_back(std::move(j));
  }
  data["pending"] = nlohmann::json::array();
  data["rejected"] = nlohmann::json::array();
  Listed(c, c.verified->pending_approvals, "AWAITING APPROVAL", &s.tables[1],
         &data["pending"], gaps);
  Listed(c, c.verified->rejected, "REJECTED", &s.tables[1], &data["rejected"],
         gaps);
  if (s.tables[1].rows.empty()) {
    s.tables.pop_back();
    s.paragraphs.push_back(
        "No event about the system awaits approval or was rejected.");
  }
  if (s.tables[0].rows.empty())
    s.paragraphs.push_back("No approval of an event about the system.");
  out->sections.push_back(std::move(s));
}

void AddAudits(const Context& c, Report* out, std::vector<Gap>* gaps) {
  Section s{"Audits, findings and corrective actions",
            {"Audits naming the system, or with a finding resting on its "
             "records; nonconformities and their corrective actions."},
            {{{"audit", "event", "detail", "status", "evidence"}, {}}}};
  nlohmann::json& data = out->data["audits"] = nlohmann::json::array();
  std::map<uint64_t, const Record*> actions;  // index -> action past due
  for (const Record* r : c.about) {
    const v1::Event& e = r->event;
    std::string detail;
    if (e.has_audit_started()) {
      detail = absl::StrCat(
          "started: ", e.audit_started().scope(), " (",
          EnumText(v1::AuditType_Name(e.audit_started().audit_type()),
                   "AUDIT_TYPE_"),
          ")");
    } else if (e.has_audit_finding()) {
      const auto& f = e.audit_finding();
      detail = absl::StrCat(
          EnumText(v1::FindingClass_Name(f.classification()), "FINDING_CLASS_"),
          f.reference().empty() ? "" : " " + f.reference(), ": ",
          f.statement());
    } else if (e.has_audit_closed()) {
      detail = "closed: " + e.audit_closed().conclusion();
    } else if (e.has_nonconformity_raised()) {
      detail = "nonconformity: " + e.nonconformity_raised().description();
    } else if (e.has_corrective_action_recorded()) {
      const auto& a = e.corrective_action_recorded();
      detail = absl::StrCat("corrective action: ", a.action(), " (", a.owner(),
                            ", due ", Day(a.due_ms()), ")");
      if (IsCurrent(c, *r) && a.due_ms() < c.as_of_ms) actions[r->index] = r;
    } else if (e.has_effectiveness_verified()) {
      const auto& v = e.effectiveness_verified();
      detail = absl::StrCat(
          v.effective() ? "verified effective" : "verified NOT effective", ": ",
          v.method());
      auto it = c.by_id.find(v.action_event_id());
      if (IsCurrent(c, *r) && it != c.by_id.end())
        actions.erase(it->second->index);
    } else {
      continue;
    }
    const std::string audit = SubjectOf(e, "audit");
    s.tables[0].rows.push_back({audit.empty() ? "-" : audit, e.event_type(),
                                detail, Status(c, *r), Cite(*r)});
    nlohmann::json j = Ref(c, *r);
    j.update({{"audit", audit}, {"detail", detail}});
    data.push_back(std::move(j));
  }
  for (const auto& [index, r] : actions) {
    gaps->push_back(
        {"effectiveness of a corrective action",
         absl::StrCat("no record: due ",
                      Day(r->event.corrective_action_recorded().due_ms())),
         Cite(*r)});
  }
  if (s.tables[0].rows.empty())
    s.paragraphs.push_back(
        "No audit, finding or nonconformity about the "
        "system is on this log.");
  out->sections.push_back(std::move(s));
}

}  // namespace ailedger::reports::factsheet
