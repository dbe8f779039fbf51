#include "ledger/governance/roles.h"

#include <iterator>
#include <utility>

#include "absl/strings/str_cat.h"

namespace ailedger {
namespace {

using v1::Role;

// The table of role table versions 1 to 3 (version 3 moves AuditProgramme, see
// RequiredRole, and adds the types of vocabulary v2, which no earlier log
// holds). Keep docs/ROLES.md in step.
constexpr std::pair<absl::string_view, Role> kTable[] = {
    // The log itself.
    {"Genesis", Role::ROLE_ADMIN},
    {"KeyGranted", Role::ROLE_ADMIN},
    {"KeyRevoked", Role::ROLE_ADMIN},
    {"LogKeyRotated", Role::ROLE_ADMIN},
    {"Erasure", Role::ROLE_ADMIN},
    {"RulesVersionAdopted", Role::ROLE_ADMIN},
    // Audits (ISO/IEC 42001 9.2): auditor keys only.
    {"AuditProgramme", Role::ROLE_AUDITOR},
    {"AuditStarted", Role::ROLE_AUDITOR},
    {"AuditFinding", Role::ROLE_AUDITOR},
    {"AuditClosed", Role::ROLE_AUDITOR},
    {"PeerReviewPublished", Role::ROLE_AUDITOR},
    // Everything a provider or deployer records.
    {"Approval", Role::ROLE_PUBLISHER},
    {"Retraction", Role::ROLE_PUBLISHER},
    {"SystemRegistered", Role::ROLE_PUBLISHER},
    {"ClassificationAssessed", Role::ROLE_PUBLISHER},
    {"DatasetRegistered", Role::ROLE_PUBLISHER},
    {"ModelVersionReleased", Role::ROLE_PUBLISHER},
    {"DeploymentRecorded", Role::ROLE_PUBLISHER},
    {"RolledBack", Role::ROLE_PUBLISHER},
    {"SystemDecommissioned", Role::ROLE_PUBLISHER},
    {"LogSegmentAnchored", Role::ROLE_PUBLISHER},
    {"QuestionnaireDefined", Role::ROLE_PUBLISHER},
    {"ImpactAssessmentRecorded", Role::ROLE_PUBLISHER},
    {"RiskCriteriaDefined", Role::ROLE_PUBLISHER},
    {"RiskAssessed", Role::ROLE_PUBLISHER},
    {"RiskTreated", Role::ROLE_PUBLISHER},
    {"PrivacyAssessmentRecorded", Role::ROLE_PUBLISHER},
    {"MonitoringPlan", Role::ROLE_PUBLISHER},
    {"FairnessSnapshot", Role::ROLE_PUBLISHER},
    {"GroupMetricSnapshot", Role::ROLE_PUBLISHER},
    {"SocietalMetricRecorded", Role::ROLE_PUBLISHER},
    {"IncidentReported", Role::ROLE_PUBLISHER},
    {"IncidentUpdated", Role::ROLE_PUBLISHER},
    {"IncidentClosed", Role::ROLE_PUBLISHER},
    {"RegulatorNotificationSent", Role::ROLE_PUBLISHER},
    {"HumanOverrideLogged", Role::ROLE_PUBLISHER},
    {"ExplanationMethodRecorded", Role::ROLE_PUBLISHER},
    {"ExplanationProvided", Role::ROLE_PUBLISHER},
    {"PartnerRegistered", Role::ROLE_PUBLISHER},
    {"DueDiligenceRecorded", Role::ROLE_PUBLISHER},
    {"AgreementRecorded", Role::ROLE_PUBLISHER},
    {"StakeholderFeedbackReceived", Role::ROLE_PUBLISHER},
    {"AdvisoryBoardReview", Role::ROLE_PUBLISHER},
    {"ConsultationHeld", Role::ROLE_PUBLISHER},
    {"ContextRecorded", Role::ROLE_PUBLISHER},
    {"ScopeDefined", Role::ROLE_PUBLISHER},
    {"PolicyPublished", Role::ROLE_PUBLISHER},
    {"RoleAssigned", Role::ROLE_PUBLISHER},
    {"ObjectiveSet", Role::ROLE_PUBLISHER},
    {"ChangePlanned", Role::ROLE_PUBLISHER},
    {"CompetenceRecorded", Role::ROLE_PUBLISHER},
    {"TrainingCompleted", Role::ROLE_PUBLISHER},
    {"ControlStatusUpdated", Role::ROLE_PUBLISHER},
    {"ManagementReviewHeld", Role::ROLE_PUBLISHER},
    {"NonconformityRaised", Role::ROLE_PUBLISHER},
    {"CorrectiveActionRecorded", Role::ROLE_PUBLISHER},
    {"EffectivenessVerified", Role::ROLE_PUBLISHER},
    {"NoticePublished", Role::ROLE_PUBLISHER},
    {"ReportPublished", Role::ROLE_PUBLISHER},
    // Vocabulary v2 (role table version 3).
    {"IncidentCommunicated", Role::ROLE_PUBLISHER},
    {"IncidentCommunicationPlan", Role::ROLE_PUBLISHER},
    {"SoaVersionDefined", Role::ROLE_PUBLISHER},
    {"OrganisationProfile", Role::ROLE_PUBLISHER},
    {"TestReport", Role::ROLE_PUBLISHER},
    {"ConformityDeclared", Role::ROLE_PUBLISHER},
    {"EuDatabaseRegistered", Role::ROLE_PUBLISHER},
    {"GbaPlusRecorded", Role::ROLE_PUBLISHER},
    {"ContingencyPlan", Role::ROLE_PUBLISHER},
    {"AiaPublished", Role::ROLE_PUBLISHER},
    {"ObjectiveEvaluated", Role::ROLE_PUBLISHER},
    {"ChangeCompleted", Role::ROLE_PUBLISHER},
    {"DocumentRetention", Role::ROLE_PUBLISHER},
};

// Where the types of vocabulary v2 start in kTable.
constexpr size_t kFirstVersion3Type = [] {
  for (size_t i = 0; i < std::size(kTable); ++i) {
    if (kTable[i].first == "IncidentCommunicated") return i;
  }
  return std::size(kTable);
}();

constexpr std::pair<absl::string_view, Role> kRoleNames[] = {
    {"admin", Role::ROLE_ADMIN},
    {"publisher", Role::ROLE_PUBLISHER},
    {"auditor", Role::ROLE_AUDITOR},
    {"reader", Role::ROLE_READER},
};

}  // namespace

absl::StatusOr<v1::Role> RequiredRole(absl::string_view event_type,
                                      uint32_t version) {
  // ISO/IEC 42001 9.2.2: the audit programme is the organisation's own.
  if (event_type == "AuditProgramme" && AppliesVersion3Rules(version))
    return Role::ROLE_PUBLISHER;
  for (size_t i = 0; i < std::size(kTable); ++i) {
    if (kTable[i].first != event_type) continue;
    // The types of vocabulary v2 came with version 3: a log of an earlier
    // version holds none, and its verifiers know none.
    if (i >= kFirstVersion3Type && !AppliesVersion3Rules(version)) break;
    return kTable[i].second;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "event_type: '", event_type, "' is not in role table version ",
      version == 0 ? kRoleTableVersion : version));
}

bool IsKnownRoleTableVersion(uint32_t version) {
  return version >= 1 && version <= 3;
}

bool AppliesVersion2Rules(uint32_t version) { return version != 1; }

bool AppliesVersion3Rules(uint32_t version) {
  return version == 0 || version >= 3;
}

uint32_t RulesVersionOf(const v1::Event& e, uint32_t log_version) {
  return e.event_type() == "Genesis" ? e.genesis().role_table_version()
                                     : log_version;
}

bool NamesSignersOrganisation(absl::string_view event_type) {
  auto role = RequiredRole(event_type);
  return role.ok() && *role != Role::ROLE_ADMIN;
}

std::vector<absl::string_view> EventTypes() {
  std::vector<absl::string_view> types;
  for (const auto& [type, role] : kTable) types.push_back(type);
  return types;
}

absl::string_view RoleName(v1::Role role) {
  for (const auto& [name, r] : kRoleNames) {
    if (r == role) return name;
  }
  return "unspecified";
}

absl::StatusOr<v1::Role> ParseRole(absl::string_view name) {
  for (const auto& [n, r] : kRoleNames) {
    if (n == name) return r;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "role: '", name, "' is not admin, publisher, auditor or reader"));
}

}  // namespace ailedger
