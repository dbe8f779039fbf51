// The fields of vocabulary v2 that role table version 3 requires, and its
// rules of single events (ledger/governance/validation.h layers 2 and 4;
// docs/VOCABULARY.md "Vocabulary v2"). Logs of versions 1 and 2 are checked
// without them, as they were written. Internal to validation.cc.
//
// clang-format off
//   FairnessSnapshot     per-feature reference_group (one of its groups; the
//                        snapshot's own is then empty), positive_label,
//                        positive_is_favourable and decision_threshold given
//                        (0 and false are values), method_version, population
//                        with its sampling; plan_metric_id with plan_event_id
//   GroupMetricSnapshot  feature, reference_group (one of the groups), population
//   SocietalMetric       value given; uncertainty_kind with an uncertainty;
//                        confidence_level in (0, 1) with a half-width
//   MonitoringPlan       metric_id "namespace:name", unique, and rationale; for
//                        fairness metrics method, comparator, threshold and
//                        min_cell_count
//   IncidentReported     severity, Art. 3(49) category and not_serious agree;
//                        death is category (a); member_states (EU/EEA) with a
//                        category
//   IncidentUpdated      a reclassification says why; a serious one says when
//                        seriousness was established
//   RegulatorNotification regime, incident, content digest; an EU/EEA
//                        member_state under Art. 73
//   ControlStatusUpdated agreement_event_id with BY_SUPPLIER or SHARED
//   RiskTreated          controls written as control_id: "A.6.2.4" or "x:..."
//   AuditFinding, NonconformityRaised  reference: a framework ref whose
//                        iso42001 clause or control exists
//   ReportPublished      kind from the closed list (ReportKinds), period
//   AuditStarted         auditee, audit_type;  AuditProgramme  planned audits
//   SystemRegistered     name;  LogSegmentAnchored  how the digest is made,
//                        versions, whose logs, cadence
//   ImpactAssessment     for ca-dadm:aia: survey_version, applicability,
//                        requirement_set, questionnaire and answers; a claimed
//                        level 1..4
//   QuestionnaireDefined for ca-dadm:aia: a shipped survey's digest and version,
//                        question ids of that survey (ledger/aia/survey.h)
//   Approval             authority_event_id;  RoleAssigned  holder_public_key
// clang-format on
#ifndef AILEDGER_LEDGER_GOVERNANCE_VALIDATION_V3_H_
#define AILEDGER_LEDGER_GOVERNANCE_VALIDATION_V3_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "ailedger/event.pb.h"

namespace ailedger::validation {

// Required field paths under version 3, beyond the table every version has.
const std::map<std::string, std::vector<std::string>>& Version3Table();

// The rules of version 3 on `e` alone.
absl::Status CheckVersion3Rules(const v1::Event& e);

// The rules of the types vocabulary v2 added (at every version: no earlier
// log holds them).
absl::Status CheckNewTypeRules(const v1::Event& e);

// A QuestionnaireDefined of framework "ca-dadm:aia" names a shipped survey by
// its digest and version, and only question ids of that survey.
absl::Status CheckAiaQuestionnaire(const v1::Event& e);

// ReportPublished.kind under version 3.
absl::Span<const absl::string_view> ReportKinds();

// Whether `code` is an EU or EEA member state (ISO 3166-1 alpha-2).
bool IsEeaMemberState(absl::string_view code);

}  // namespace ailedger::validation

#endif  // AILEDGER_LEDGER_GOVERNANCE_VALIDATION_V3_H_
