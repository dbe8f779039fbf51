// The documented-information index of clauses 4-10 (ISO/IEC 42001 7.5;
// domain review §1.3 (b)): per item, "no record type" (the vocabulary has
// none), "no record" (it has one, the log holds none by the date) or the
// records; then each record with what 7.5.2 and 7.5.3 ask of documented
// information: identification, version, approval, review, retention.
#include <map>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "ledger/governance/approvals.h"
#include "reports/iso42001_sections.h"

namespace ailedger::reports::iso42001 {
namespace {

// The body message of `e` (the oneof field set), or nullptr.
const google::protobuf::Message* Body(const v1::Event& e) {
  const auto* field = v1::Event::descriptor()->FindFieldByNumber(e.body_case());
  if (field == nullptr) return nullptr;
  return &e.GetReflection()->GetMessage(e, field);
}

// The digests of the documents `e` names: its evidence, and the body's own
// fields named "..sha256".
std::set<std::string> Digests(const v1::Event& e) {
  std::set<std::string> out;
  for (const auto& d : e.evidence()) out.insert(d.sha256());
  const google::protobuf::Message* body = Body(e);
  if (body == nullptr) return out;
  const auto* desc = body->GetDescriptor();
  const auto* refl = body->GetReflection();
  for (int i = 0; i < desc->field_count(); ++i) {
    const auto* f = desc->field(i);
    if (f->type() != google::protobuf::FieldDescriptor::TYPE_BYTES ||
        !absl::EndsWith(f->name(), "sha256"))
      continue;
    if (f->is_repeated()) {
      for (int j = 0; j < refl->FieldSize(*body, f); ++j)
        out.insert(refl->GetRepeatedString(*body, f, j));
    } else if (!refl->GetString(*body, f).empty()) {
      out.insert(refl->GetString(*body, f));
    }
  }
  return out;
}

std::string Version(const v1::Event& e) {
  if (e.has_policy_published()) return e.policy_published().version();
  if (e.has_risk_criteria_defined()) return e.risk_criteria_defined().version();
  if (e.has_soa_version_defined()) return e.soa_version_defined().version();
  if (e.has_incident_communication_plan())
    return e.incident_communication_plan().version();
  if (e.has_questionnaire_defined()) return e.questionnaire_defined().version();
  if (e.has_model_version_released())
    return e.model_version_released().version();
  return "";
}

// A date the record is due to be reviewed or done by, if it has one.
std::string Due(const Index& index, const v1::Event& e) {
  int64_t at = 0;
  const char* what = "review due ";
  if (e.has_policy_published()) at = e.policy_published().next_review_ms();
  if (e.has_impact_assessment_recorded())
    at = e.impact_assessment_recorded().next_review_ms();
  if (e.has_privacy_assessment_recorded())
    at = e.privacy_assessment_recorded().next_review_ms();
  if (e.has_objective_set()) {
    at = e.objective_set().due_ms();
    what = "due ";
  }
  if (e.has_corrective_action_recorded()) {
    at = e.corrective_action_recorded().due_ms();
    what = "due ";
  }
  if (e.has_change_planned()) {
    at = e.change_planned().planned_for_ms();
    what = "planned for ";
  }
  if (at <= 0) return "";
  return absl::StrCat(what, Day(at),
                      at < index.as_of() ? " (passed by the date)" : "");
}

std::string Retention(const std::set<std::string>& digests,
                      const std::vector<const Record*>& retention) {
  if (digests.empty()) return "no document digest";
  const Record* latest = nullptr;
  for (const Record* r : retention) {
    if (digests.count(r->event.document_retention().document_sha256()))
      latest = r;
  }
  if (latest == nullptr)
    return absl::StrCat(digests.size(),
                        " document digest(s); no retention "
                        "record");
  const v1::DocumentRetention& d = latest->event.document_retention();
  std::string action;
  switch (d.action()) {
    case v1::RETENTION_ACTION_RETAIN:
      action = "retain until " + Day(d.retain_until_ms());
      break;
    case v1::RETENTION_ACTION_LEGAL_HOLD:
      action = "legal hold";
      break;
    case v1::RETENTION_ACTION_RELEASE_HOLD:
      action = "hold released";
      break;
    case v1::RETENTION_ACTION_DISPOSE:
      action = "DISPOSED of (" + d.method() + ")";
      break;
    default:
      action = "action unstated";
  }
  return absl::StrCat(digests.size(), " document digest(s); ", action, " (idx ",
                      latest->index, ")");
}

}  // namespace

Section ClauseIndex(const Index& index, const EventMapping& mapping,
                    std::vector<ClauseStatus>* statuses) {
  std::map<std::string, size_t> claims;  // "iso42001:9.1" -> records
  for (const Record* r : index.own()) {
    for (const std::string& ref : r->event.framework_refs()) ++claims[ref];
  }
  Table t{{"clause", "documented information", "record types", "records",
           "latest", "author's framework_refs"},
          {}};
  for (const ClauseItem& item : mapping.clauses) {
    ClauseStatus s{&item, {}};
    std::map<uint64_t, const Record*> found;
    for (const std::string& type : item.types) {
      for (const Record* r : index.About(type)) found.emplace(r->index, r);
    }
    for (const auto& [i, r] : found) s.records.push_back(r);
    std::string records = absl::StrCat(s.records.size());
    if (item.types.empty()) {
      records = "no record type" + (item.gap.empty() ? "" : ": " + item.gap);
    } else if (s.records.empty()) {
      records = "no record";
    }
    auto claim = claims.find("iso42001:" + item.clause);
    t.rows.push_back(
        {item.clause, item.item,
         item.types.empty() ? "none" : absl::StrJoin(item.types, ", "), records,
         s.records.empty() ? "" : Cite(*s.records.back()),
         claim == claims.end() ? "0" : absl::StrCat(claim->second)});
    statuses->push_back(std::move(s));
  }
  return {"Documented information by clause (4-10)",
          {"\"no record type\": the vocabulary has no record for it, so the "
           "log cannot hold it; \"no record\": it has one and the log holds "
           "none by the date. Records are the organisation's current records "
           "(not retracted or superseded) and, for audits, those of audits of "
           "it. The last column counts records whose author named the clause "
           "in framework_refs: shown, not counted.",
           "Documents are kept outside the log: this report was given no "
           "document, so none was matched against its digest."},
          {std::move(t)}};
}

Section ClauseRecords(const Index& index,
                      const std::vector<ClauseStatus>& statuses,
                      size_t max_listed) {
  Table t{{"clause", "record", "version", "approval (7.5.2)", "review or due",
           "retention (7.5.3)"},
          {}};
  const std::vector<const Record*> retention = index.About("DocumentRetention");
  for (const ClauseStatus& s : statuses) {
    const size_t n = s.records.size();
    const size_t skip = max_listed && n > max_listed ? n - max_listed : 0;
    if (skip > 0)
      t.rows.push_back(
          {s.item->clause,
           absl::StrCat(skip, " older record(s) of '", s.item->item,
                        "' not listed: the newest ", max_listed, " are"),
           "", "", "", ""});
    for (size_t i = skip; i < n; ++i) {
      const Record* r = s.records[i];
      std::string approval = "takes no approval";
      if (TakesApprovals(r->event)) index.Approved(*r, &approval);
      t.rows.push_back({s.item->clause, Cite(*r), Version(r->event), approval,
                        Due(index, r->event),
                        Retention(Digests(r->event), retention)});
    }
  }
  Section out{"Documented information: the records", {}, {std::move(t)}};
  if (out.tables[0].rows.empty())
    out.paragraphs.push_back("No record of clauses 4-10 by the date.");
  return out;
}

}  // namespace ailedger::reports::iso42001
