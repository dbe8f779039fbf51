// References between events resolve (docs/FORMATS.md, "Rule tables"): a field
// that names another event by its id (the fields ending in `_event_id` or
// `_event_ids`) must name an event already on the log, of one of the types the
// rule allows:
//
//   ImpactAssessmentRecorded.questionnaire_event_id   QuestionnaireDefined
//   DueDiligenceRecorded.questionnaire_event_id       QuestionnaireDefined
//   DueDiligenceRecorded.answers_event_id             DueDiligenceRecorded
//   RiskAssessed.criteria_event_id                    RiskCriteriaDefined
//   RiskTreated.assessment_event_id                   RiskAssessed
//   ControlStatusUpdated.risk_treatment_event_ids     RiskTreated
//   ExplanationProvided.method_event_id               ExplanationMethodRecorded
//   NonconformityRaised.source_event_id               AuditFinding,
//       IncidentReported, StakeholderFeedbackReceived, AdvisoryBoardReview
//   CorrectiveActionRecorded.nonconformity_event_id   NonconformityRaised
//   EffectivenessVerified.action_event_id             CorrectiveActionRecorded
//
// Vocabulary v2 adds (for the new fields, at every version; no earlier event
// carries them):
//
//   FairnessSnapshot.plan_event_id, GroupMetricSnapshot.plan_event_id
//                                                     MonitoringPlan
//   RegulatorNotificationSent.incident_event_id,
//   IncidentCommunicated.incident_event_id            IncidentReported
//   ControlStatusUpdated.agreement_event_id           AgreementRecorded
//   SoaVersionDefined.row_event_ids                   ControlStatusUpdated
//   ReportPublished.previous_report_event_id          ReportPublished
//   Approval.authority_event_id                       RoleAssigned
//   ModelVersionReleased.test_report_event_id         TestReport
//   ImpactAssessmentRecorded.previous_assessment_event_id,
//   GbaPlusRecorded.assessment_event_id,
//   AiaPublished.assessment_event_id                  ImpactAssessmentRecorded
//   ImpactAssessmentRecorded.trigger_event_id         ModelVersionReleased,
//                                                     ChangePlanned
//   ObjectiveEvaluated.objective_event_id             ObjectiveSet
//   ChangeCompleted.change_event_id                   ChangePlanned
//   PeerReviewPublished.reviewed_event_id             ImpactAssessmentRecorded,
//                                                     SystemRegistered
//
// and, under role table version 3 (references_v3.cc), what the target says:
// a plan lists the snapshot's plan_metric_id; a risk treatment cited by an SoA
// row lists the row's control; a previous report is of the same kind; an
// approval's authority is a RoleAssigned of the approver's organisation whose
// holder_public_key is the approver's key; a Canada AIA's answers are checked
// against the survey its questionnaire names (ledger/aia/survey.h). Evidence
// (AuditFinding, ControlStatusUpdated and ObjectiveEvaluated
// .evidence_event_ids) may cite any earlier entry: EvidenceRefs lists them for
// the engine, which asks the log (RuleState::Logged).
//
// Due diligence between a deployer and its provider (ISO/IEC 42001 A.10.3):
// the provider's answers are signed by a key of the provider itself (the
// signer's roster organisation is the `partner` subject and the event's own
// organisation), and the evaluation is by another organisation than the
// answers'. PERMISSION_DENIED otherwise.
// Approvals, supersessions, retractions and erasures have their own rules
// (approvals.h, corrections.h). A reference that does not resolve is
// FAILED_PRECONDITION naming the field; nothing is written.
#ifndef AILEDGER_LEDGER_GOVERNANCE_REFERENCES_H_
#define AILEDGER_LEDGER_GOVERNANCE_REFERENCES_H_

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "ailedger/event.pb.h"
#include "ledger/merkle/hash.h"

namespace ailedger {

// What a reference needs to know of the event it names.
struct RefTarget {
  std::string event_type, organisation;
  // What version 3's rules read of some targets (TargetOf): a RiskTreated's
  // controls, a MonitoringPlan's metric ids, a RoleAssigned's holder key, a
  // ReportPublished's kind, a QuestionnaireDefined's framework and digest.
  std::vector<std::string> details;
};
RefTarget TargetOf(const v1::Event& e);
// The target by id; nullopt when no such event is logged.
using RefLookup =
    std::function<absl::StatusOr<std::optional<RefTarget>>(const Hash&)>;

// Who signs the event, and under which rules.
struct RefContext {
  // The organisation the roster gives the signer's key.
  std::string signer_organisation;
  std::string signer_key;  // its 32 bytes
  uint32_t version = 0;    // the role table version in force (roles.h)
};

absl::Status CheckReferences(const v1::Event& e, const RefContext& context,
                             const RefLookup& lookup);

// Version 3's checks of what the targets say (references_v3.cc).
absl::Status CheckReferencesV3(const v1::Event& e, const RefContext& context,
                               const RefLookup& lookup);

// The evidence ids `e` cites (any earlier entry may be cited), with the field
// each is in, e.g. "audit_finding.evidence_event_ids[2]"; under version 3.
std::vector<std::pair<std::string, std::string>> EvidenceRefs(
    const v1::Event& e);

// Whether events of `type` can be the target of a reference (the verifier
// keeps only their ids).
bool IsReferenceTarget(absl::string_view type);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_GOVERNANCE_REFERENCES_H_
