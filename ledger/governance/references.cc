#include "ledger/governance/references.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "ledger/governance/roles.h"
#include "ledger/governance/validation.h"

namespace ailedger {
namespace {

struct Rule {
  absl::string_view type, field;
  std::vector<absl::string_view> targets;
};

const std::vector<Rule>& Rules() {
  static const auto* rules = new std::vector<Rule>{
      {"ImpactAssessmentRecorded",
       "questionnaire_event_id",
       {"QuestionnaireDefined"}},
      {"DueDiligenceRecorded",
       "questionnaire_event_id",
       {"QuestionnaireDefined"}},
      {"DueDiligenceRecorded", "answers_event_id", {"DueDiligenceRecorded"}},
      {"RiskAssessed", "criteria_event_id", {"RiskCriteriaDefined"}},
      {"RiskTreated", "assessment_event_id", {"RiskAssessed"}},
      {"ControlStatusUpdated", "risk_treatment_event_ids", {"RiskTreated"}},
      {"ExplanationProvided", "method_event_id", {"ExplanationMethodRecorded"}},
      {"NonconformityRaised",
       "source_event_id",
       {"AuditFinding", "IncidentReported", "StakeholderFeedbackReceived",
        "AdvisoryBoardReview"}},
      {"CorrectiveActionRecorded",
       "nonconformity_event_id",
       {"NonconformityRaised"}},
      {"EffectivenessVerified",
       "action_event_id",
       {"CorrectiveActionRecorded"}},
      // Vocabulary v2.
      {"FairnessSnapshot", "plan_event_id", {"MonitoringPlan"}},
      {"GroupMetricSnapshot", "plan_event_id", {"MonitoringPlan"}},
      {"RegulatorNotificationSent", "incident_event_id", {"IncidentReported"}},
      {"IncidentCommunicated", "incident_event_id", {"IncidentReported"}},
      {"ControlStatusUpdated", "agreement_event_id", {"AgreementRecorded"}},
      {"SoaVersionDefined", "row_event_ids", {"ControlStatusUpdated"}},
      {"ReportPublished", "previous_report_event_id", {"ReportPublished"}},
      {"Approval", "authority_event_id", {"RoleAssigned"}},
      {"ModelVersionReleased", "test_report_event_id", {"TestReport"}},
      {"ImpactAssessmentRecorded",
       "previous_assessment_event_id",
       {"ImpactAssessmentRecorded"}},
      {"ImpactAssessmentRecorded",
       "trigger_event_id",
       {"ModelVersionReleased", "ChangePlanned"}},
      {"GbaPlusRecorded", "assessment_event_id", {"ImpactAssessmentRecorded"}},
      {"AiaPublished", "assessment_event_id", {"ImpactAssessmentRecorded"}},
      {"ObjectiveEvaluated", "objective_event_id", {"ObjectiveSet"}},
      {"ChangeCompleted", "change_event_id", {"ChangePlanned"}},
      {"PeerReviewPublished",
       "reviewed_event_id",
       {"ImpactAssessmentRecorded", "SystemRegistered"}},
  };
  return *rules;
}

// The ids a rule's field holds in `e` (none when the body is absent).
std::vector<std::string> IdsIn(const v1::Event& e, const Rule& rule,
                               std::string* name) {
  using google::protobuf::FieldDescriptor;
  *name = absl::StrCat(BodyFieldOf(rule.type), ".", rule.field);
  const FieldDescriptor* body =
      v1::Event::descriptor()->FindFieldByName(BodyFieldOf(rule.type));
  if (body == nullptr || !e.GetReflection()->HasField(e, body)) return {};
  const auto& m = e.GetReflection()->GetMessage(e, body);
  const FieldDescriptor* f =
      m.GetDescriptor()->FindFieldByName(std::string(rule.field));
  if (f == nullptr) return {};  // a table error; the tests walk the table
  const auto* r = m.GetReflection();
  if (!f->is_repeated()) {
    std::string id = r->GetString(m, f);
    return id.empty() ? std::vector<std::string>()
                      : std::vector<std::string>{id};
  }
  std::vector<std::string> ids;
  for (int i = 0; i < r->FieldSize(m, f); ++i)
    ids.push_back(r->GetRepeatedString(m, f, i));
  return ids;
}

absl::StatusOr<RefTarget> Resolve(const Rule& rule, const std::string& field,
                                  const std::string& bytes,
                                  const RefLookup& lookup) {
  auto id = HashFromBytes(bytes, field);
  if (!id.ok()) return id.status();
  auto target = lookup(*id);
  if (!target.ok()) return target.status();
  for (absl::string_view t : rule.targets) {
    if (target->has_value() && (*target)->event_type == t) return **target;
  }
  return absl::FailedPreconditionError(absl::StrCat(
      field, ": no ", absl::StrJoin(rule.targets, " or "), " with id ",
      ToHex(*id), " is on the log",
      target->has_value()
          ? absl::StrCat(" (it names a ", (*target)->event_type, ")")
          : ""));
}

// The provider answers with its own key; another organisation evaluates.
absl::Status CheckDueDiligence(const v1::Event& e, const std::string& signer,
                               const RefLookup& lookup) {
  const v1::DueDiligenceRecorded& d = e.due_diligence_recorded();
  if (d.kind() == v1::DUE_DILIGENCE_KIND_ANSWERS) {
    for (const auto& s : e.subjects()) {
      if (s.kind() == "partner" && s.id() == signer &&
          e.organisation() == signer)
        return absl::OkStatus();
    }
    return absl::PermissionDeniedError(absl::StrCat(
        "due_diligence_recorded.kind: the answers are signed by a key of the "
        "partner itself, not of '",
        signer, "'"));
  }
  auto id = HashFromBytes(d.answers_event_id(), "answers_event_id");
  if (!id.ok()) return absl::OkStatus();  // validation names it
  auto answers = lookup(*id);
  if (!answers.ok()) return answers.status();
  if (answers->has_value() && (*answers)->organisation == signer) {
    return absl::PermissionDeniedError(
        "due_diligence_recorded.answers_event_id: an organisation does not "
        "evaluate its own answers");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckReferences(const v1::Event& e, const RefContext& context,
                             const RefLookup& lookup) {
  for (const Rule& rule : Rules()) {
    if (rule.type != e.event_type()) continue;
    std::string field;
    for (const std::string& id : IdsIn(e, rule, &field)) {
      if (auto s = Resolve(rule, field, id, lookup); !s.ok()) return s.status();
    }
  }
  if (e.has_due_diligence_recorded()) {
    auto s = CheckDueDiligence(e, context.signer_organisation, lookup);
    if (!s.ok()) return s;
  }
  if (AppliesVersion3Rules(context.version))
    return CheckReferencesV3(e, context, lookup);
  return absl::OkStatus();
}

bool IsReferenceTarget(absl::string_view type) {
  for (const Rule& rule : Rules()) {
    for (absl::string_view t : rule.targets) {
      if (t == type) return true;
    }
  }
  return false;
}

}  // namespace ailedger
