#include "reports/iso42001_report.h"

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "ledger/governance/iso42001.h"

namespace ailedger::reports {
namespace {

constexpr int64_t kDayMs = 86'400'000;

std::string Day(int64_t ms) {
  return absl::FormatTime("%Y-%m-%d", absl::FromUnixMillis(ms),
                          absl::UTCTimeZone());
}

std::string StatusName(v1::ControlStatus s) {
  std::string name = v1::ControlStatus_Name(s);
  return absl::AsciiStrToLower(name.substr(sizeof("CONTROL_STATUS_") - 1));
}

// The clauses of the management system and the record types that document
// them (review §1.3 (b)).
const std::vector<std::pair<std::string, std::vector<std::string>>>& Clauses() {
  static const auto* clauses =
      new std::vector<std::pair<std::string, std::vector<std::string>>>{
          {"4.1/4.2 context", {"ContextRecorded"}},
          {"4.3 scope", {"ScopeDefined"}},
          {"5.2 policy", {"PolicyPublished"}},
          {"5.3 roles", {"RoleAssigned"}},
          {"6.1.2 risk assessment", {"RiskCriteriaDefined", "RiskAssessed"}},
          {"6.1.3 risk treatment, SoA",
           {"RiskTreated", "ControlStatusUpdated", "SoaVersionDefined"}},
          {"6.1.4 / 8.4 impact assessment", {"ImpactAssessmentRecorded"}},
          {"6.2 objectives", {"ObjectiveSet", "ObjectiveEvaluated"}},
          {"6.3 changes", {"ChangePlanned", "ChangeCompleted"}},
          {"7.2/7.3 competence, awareness",
           {"CompetenceRecorded", "TrainingCompleted"}},
          {"7.5 documented information", {"DocumentRetention"}},
          {"9.1 monitoring", {"MonitoringPlan", "FairnessSnapshot"}},
          {"9.2 internal audit",
           {"AuditProgramme", "AuditStarted", "AuditFinding", "AuditClosed"}},
          {"9.3 management review", {"ManagementReviewHeld"}},
          {"10.2 nonconformity",
           {"NonconformityRaised", "CorrectiveActionRecorded",
            "EffectivenessVerified"}},
      };
  return *clauses;
}

std::vector<std::string> Row(const std::string& id, const std::string& title,
                             const Record* r, int64_t as_of) {
  if (r == nullptr) return {id, title, "not determined", "", "", "", "", ""};
  const v1::ControlStatusUpdated& c = r->event.control_status_updated();
  std::string due;
  if (c.review_interval_days() > 0) {
    const int64_t at =
        r->event.occurred_at_ms() + int64_t{c.review_interval_days()} * kDayMs;
    due = absl::StrCat(Day(at), at < as_of ? " STALE" : "");
  }
  return {
      id,
      title,
      StatusName(c.status()),
      absl::StrCat(c.applicable() ? "applicable: " : "excluded: ",
                   c.justification()),
      absl::StrCat(c.implemented_by(),
                   c.contract_clause().empty()
                       ? ""
                       : absl::StrCat(" (clause ", c.contract_clause(),
                                      c.agreement_event_id().empty()
                                          ? ", no agreement linked)"
                                          : ", agreement linked)")),
      absl::StrCat(c.risk_treatment_event_ids_size(), " treatment(s), ",
                   c.evidence_event_ids_size(), " evidence (self-attested)"),
      due,
      Cite(*r)};
}

}  // namespace

absl::StatusOr<Report> Iso42001Report(const std::vector<Record>& records,
                                      const VerifyReport& verified,
                                      const VerifyOptions& options,
                                      const std::string& organisation) {
  std::map<std::string, const Record*> latest;  // control id -> row
  std::map<std::string, std::vector<const Record*>> by_type;
  std::map<std::string, std::vector<std::string>> approvals;  // id -> who
  int64_t as_of = 0;
  for (const Record& r : records) {
    as_of = std::max<int64_t>(as_of, r.integrated_time_ms);
    if (r.event.has_approval() &&
        r.event.approval().decision() != v1::DECISION_REJECT) {
      approvals[r.event.approval().approves()].push_back(
          absl::StrCat(r.event.approval().authority(), " (", Cite(r), ")"));
    }
    if (r.event.organisation() != organisation) continue;
    by_type[r.event.event_type()].push_back(&r);
    if (r.event.has_control_status_updated())
      latest[r.event.control_status_updated().control_id()] = &r;
  }
  if (by_type.empty()) {
    return absl::NotFoundError(absl::StrCat("no record of organisation '",
                                            organisation,
                                            "' in the verified records"));
  }
  Table soa{{"control", "title", "status", "applicability and justification",
             "implemented by", "treatments, evidence", "review due", "row"},
            {}};
  int determined = 0;
  for (const AnnexAControl& c : AnnexAControls()) {
    auto it = latest.find(std::string(c.id));
    const Record* r = it == latest.end() ? nullptr : it->second;
    determined += r != nullptr;
    soa.rows.push_back(Row(std::string(c.id), std::string(c.title), r, as_of));
  }
  for (const auto& [id, r] : latest) {
    if (absl::StartsWith(id, "x:"))
      soa.rows.push_back(Row(id, "own control", r, as_of));
  }
  Table versions{{"SoA version", "rows", "approved by", "defined"}, {}};
  for (const Record* r : by_type["SoaVersionDefined"]) {
    const auto& v = r->event.soa_version_defined();
    auto a = approvals.find(std::string(AsBytes(r->event_id)));
    versions.rows.push_back(
        {v.version(), absl::StrCat(v.row_event_ids_size()),
         a == approvals.end() ? "NOT APPROVED" : absl::StrJoin(a->second, "; "),
         Cite(*r)});
  }
  Table index{{"clause", "records", "latest"}, {}};
  for (const auto& [clause, types] : Clauses()) {
    size_t n = 0;
    const Record* last = nullptr;
    for (const std::string& t : types) {
      for (const Record* r : by_type[t]) {
        ++n;
        if (!last || r->index > last->index) last = r;
      }
    }
    index.rows.push_back(
        {clause, n ? absl::StrCat(n) : "NO RECORDS", last ? Cite(*last) : ""});
  }
  Report out;
  out.kind = "iso42001-evidence";
  out.title = absl::StrCat("ISO/IEC 42001 evidence pack: ", organisation);
  out.envelope = EnvelopeOf(verified, options);
  out.envelope.parameters = {{"organisation", organisation},
                             {"as of", as_of ? Day(as_of) : "no entries"}};
  out.sections = {{"Statement of Applicability (6.1.3)",
                   {absl::StrCat(determined,
                                 " of 38 Annex A controls determined; the "
                                 "others are shown \"not determined\".")},
                   {std::move(soa)}},
                  {"SoA versions", {}, {std::move(versions)}},
                  {"Documented information by clause", {}, {std::move(index)}}};
  out.data["determined"] = determined;
  out.data["soa"] = out.sections[0].tables[0].rows;
  out.data["versions"] = out.sections[1].tables[0].rows;
  out.data["clauses"] = out.sections[2].tables[0].rows;
  return out;
}

}  // namespace ailedger::reports
