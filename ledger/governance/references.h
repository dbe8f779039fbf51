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
// AuditFinding.evidence_event_ids may cite any entry and is not resolved here.
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

#include "absl/status/statusor.h"
#include "ailedger/event.pb.h"
#include "ledger/merkle/hash.h"

namespace ailedger {

// What a reference needs to know of the event it names.
struct RefTarget {
  std::string event_type, organisation;
};
// The target by id; nullopt when no such event is logged.
using RefLookup =
    std::function<absl::StatusOr<std::optional<RefTarget>>(const Hash&)>;

// `signer_organisation`: the organisation the roster gives the signer's key.
absl::Status CheckReferences(const v1::Event& e,
                             const std::string& signer_organisation,
                             const RefLookup& lookup);

// Whether events of `type` can be the target of a reference (the verifier
// keeps only their ids).
bool IsReferenceTarget(absl::string_view type);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_GOVERNANCE_REFERENCES_H_
