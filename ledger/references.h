// References between events resolve (issue "Events that survive an audit",
// Validation): a field that names another event by its id (the fields ending
// in `_event_id` or `_event_ids`) must name an event already on the log, of
// one of the types the rule allows:
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
// Approvals, supersessions, retractions and erasures have their own rules
// (approvals.h, corrections.h). A reference that does not resolve is
// FAILED_PRECONDITION naming the field; nothing is written.
#ifndef AILEDGER_LEDGER_REFERENCES_H_
#define AILEDGER_LEDGER_REFERENCES_H_

#include <functional>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "ailedger/event.pb.h"
#include "ledger/hash.h"

namespace ailedger {

// The type of a logged event by id; nullopt when no such event is logged.
using EventTypeLookup =
    std::function<absl::StatusOr<std::optional<std::string>>(const Hash&)>;

absl::Status CheckReferences(const v1::Event& e, const EventTypeLookup& lookup);

// Whether events of `type` can be the target of a reference (the verifier
// keeps only their ids).
bool IsReferenceTarget(absl::string_view type);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_REFERENCES_H_
