// What references name, checked under role table version 3
// (ledger/governance/references.h): the target's own content agrees with the
// event that cites it.
#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "ledger/aia/survey.h"
#include "ledger/governance/references.h"

namespace ailedger {
namespace {

using Lookup = RefLookup;

// The target of an id field the reference table already resolved; nullopt
// when the field is empty or malformed (their own rules say so).
absl::StatusOr<std::optional<RefTarget>> TargetIn(const std::string& bytes,
                                                  const std::string& field,
                                                  const Lookup& lookup) {
  if (bytes.empty()) return std::optional<RefTarget>();
  auto id = HashFromBytes(bytes, field);
  if (!id.ok()) return std::optional<RefTarget>();
  return lookup(*id);
}

bool Lists(const RefTarget& t, const std::string& value) {
  return std::find(t.details.begin(), t.details.end(), value) !=
         t.details.end();
}

absl::Status PlanMetric(const std::string& plan, const std::string& metric,
                        const std::string& body, const Lookup& lookup) {
  auto t = TargetIn(plan, body + ".plan_event_id", lookup);
  if (!t.ok() || !t->has_value()) return t.status();
  if (Lists(**t, metric)) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat(body, ".plan_metric_id: the plan has no metric '", metric,
                   "' (it has ", absl::StrJoin((*t)->details, ", "), ")"));
}

// An SoA row's risk treatments chose its control (ISO/IEC 42001 6.1.3).
absl::Status TreatmentsNameControl(const v1::ControlStatusUpdated& c,
                                   const Lookup& lookup) {
  for (int i = 0; i < c.risk_treatment_event_ids_size(); ++i) {
    const std::string field = absl::StrCat(
        "control_status_updated.risk_treatment_event_ids[", i, "]");
    auto t = TargetIn(c.risk_treatment_event_ids(i), field, lookup);
    if (!t.ok()) return t.status();
    if (!t->has_value()) continue;
    if (Lists(**t, c.control_id())) continue;
    return absl::FailedPreconditionError(absl::StrCat(
        field, ": that RiskTreated does not choose ", c.control_id(),
        " (it lists ", absl::StrJoin((*t)->details, ", "), ")"));
  }
  return absl::OkStatus();
}

absl::Status PreviousReport(const v1::Event& e, const Lookup& lookup) {
  const v1::ReportPublished& r = e.report_published();
  auto t = TargetIn(r.previous_report_event_id(),
                    "report_published.previous_report_event_id", lookup);
  if (!t.ok() || !t->has_value()) return t.status();
  if ((*t)->organisation != e.organisation()) {
    return absl::FailedPreconditionError(
        absl::StrCat("report_published.previous_report_event_id: a report of '",
                     (*t)->organisation, "', not of '", e.organisation(), "'"));
  }
  if (Lists(**t, r.kind())) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "report_published.previous_report_event_id: names a '",
      absl::StrJoin((*t)->details, ""), "' report, not '", r.kind(), "'"));
}

// The approver holds the authority it cites: a RoleAssigned of its own
// organisation assigns it, by its key.
absl::Status Authority(const v1::Approval& a, const RefContext& c,
                       const Lookup& lookup) {
  const std::string field = "approval.authority_event_id";
  auto t = TargetIn(a.authority_event_id(), field, lookup);
  if (!t.ok() || !t->has_value()) return t.status();
  const RefTarget& role = **t;
  if (role.organisation != c.signer_organisation) {
    return absl::PermissionDeniedError(
        absl::StrCat(field, ": a role of '", role.organisation,
                     "', not of the approver's '", c.signer_organisation, "'"));
  }
  if (!Lists(role, c.signer_key)) {
    return absl::PermissionDeniedError(
        absl::StrCat(field,
                     ": that RoleAssigned names another holder_public_key "
                     "than the approver's key"));
  }
  return absl::OkStatus();
}

// A Canada AIA's answers, against the survey its questionnaire names.
absl::Status AiaAnswers(const v1::ImpactAssessmentRecorded& a,
                        const Lookup& lookup) {
  if (a.framework() != "ca-dadm:aia") return absl::OkStatus();
  const std::string field = "impact_assessment_recorded.questionnaire_event_id";
  auto t = TargetIn(a.questionnaire_event_id(), field, lookup);
  if (!t.ok() || !t->has_value()) return t.status();
  const auto& d = (*t)->details;  // framework, digest
  const aia::Survey* survey =
      d.size() == 2 && d[0] == "ca-dadm:aia" ? aia::FindSurvey(d[1]) : nullptr;
  if (survey == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat(field,
                     ": names no questionnaire of a shipped Canada AIA survey "
                     "(framework ca-dadm:aia)"));
  }
  if (absl::StripPrefix(a.survey_version(), "v") != survey->version()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "impact_assessment_recorded.survey_version: the questionnaire's "
        "survey is version ",
        survey->version()));
  }
  return aia::CheckAnswers(*survey, a.answers(),
                           "impact_assessment_recorded.answers");
}

std::string WithoutNamespace(const std::string& control) {
  return std::string(absl::StripPrefix(control, "iso42001:"));
}

}  // namespace

RefTarget TargetOf(const v1::Event& e) {
  RefTarget t{e.event_type(), e.organisation(), {}};
  if (e.has_risk_treated()) {
    // Written "iso42001:A.6.2.4" before version 3, "A.6.2.4" since.
    for (const auto& c : e.risk_treated().controls())
      t.details.push_back(WithoutNamespace(c));
  } else if (e.has_monitoring_plan()) {
    for (const auto& m : e.monitoring_plan().metrics())
      t.details.push_back(m.metric_id());
  } else if (e.has_role_assigned()) {
    t.details.push_back(e.role_assigned().holder_public_key());
  } else if (e.has_report_published()) {
    t.details.push_back(e.report_published().kind());
  } else if (e.has_questionnaire_defined()) {
    t.details = {e.questionnaire_defined().framework(),
                 e.questionnaire_defined().questionnaire_sha256()};
  }
  return t;
}

absl::Status CheckReferencesV3(const v1::Event& e, const RefContext& context,
                               const RefLookup& lookup) {
  if (e.has_fairness_snapshot() &&
      !e.fairness_snapshot().plan_event_id().empty())
    return PlanMetric(e.fairness_snapshot().plan_event_id(),
                      e.fairness_snapshot().plan_metric_id(),
                      "fairness_snapshot", lookup);
  if (e.has_group_metric_snapshot() &&
      !e.group_metric_snapshot().plan_event_id().empty())
    return PlanMetric(e.group_metric_snapshot().plan_event_id(),
                      e.group_metric_snapshot().plan_metric_id(),
                      "group_metric_snapshot", lookup);
  if (e.has_control_status_updated())
    return TreatmentsNameControl(e.control_status_updated(), lookup);
  if (e.has_report_published()) return PreviousReport(e, lookup);
  if (e.has_approval()) return Authority(e.approval(), context, lookup);
  if (e.has_impact_assessment_recorded())
    return AiaAnswers(e.impact_assessment_recorded(), lookup);
  return absl::OkStatus();
}

std::vector<std::pair<std::string, std::string>> EvidenceRefs(
    const v1::Event& e) {
  const google::protobuf::RepeatedPtrField<std::string>* ids = nullptr;
  std::string field;
  if (e.has_audit_finding()) {
    ids = &e.audit_finding().evidence_event_ids();
    field = "audit_finding.evidence_event_ids";
  } else if (e.has_control_status_updated()) {
    ids = &e.control_status_updated().evidence_event_ids();
    field = "control_status_updated.evidence_event_ids";
  } else if (e.has_objective_evaluated()) {
    ids = &e.objective_evaluated().evidence_event_ids();
    field = "objective_evaluated.evidence_event_ids";
  }
  std::vector<std::pair<std::string, std::string>> out;
  if (ids == nullptr) return out;
  for (int i = 0; i < ids->size(); ++i)
    out.emplace_back(absl::StrCat(field, "[", i, "]"), (*ids)[i]);
  return out;
}

}  // namespace ailedger
