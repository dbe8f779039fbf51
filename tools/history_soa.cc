// The Statement of Applicability of the generated history (ISO/IEC 42001:2023
// 6.1.3): a row for each of the 38 Annex A controls, with its own
// justification, the events that show it operates, and the risk treatments
// that chose it; each full set approved as a version (SoaVersionDefined).
#include "absl/strings/str_cat.h"
#include "ledger/governance/approvals.h"
#include "ledger/governance/iso42001.h"
#include "tools/history_story.h"

namespace ailedger::history {
namespace {

struct Row {
  const char* id;
  const char* justification;
  const char* evidence;  // the event type whose latest record shows it
};

// clang-format off
constexpr Row kRows[] = {
  {"A.2.2", "Annex III credit systems need a board-approved AI policy", "PolicyPublished"},
  {"A.2.3", "the AI policy must agree with the credit-risk and privacy policies", "PolicyPublished"},
  {"A.2.4", "the AI Act timeline moves: the policy is reviewed yearly", "PolicyPublished"},
  {"A.3.2", "approvals must come from named people holding the authority", "RoleAssigned"},
  {"A.3.3", "staff need a channel to raise concerns about model behaviour", "AdvisoryBoardReview"},
  {"A.4.2", "auditors and deployers need the resources of each system listed", "DatasetRegistered"},
  {"A.4.3", "training data from partner banks must be documented", "DatasetRegistered"},
  {"A.4.4", "explanation and fairness tooling is part of the product", "ExplanationMethodRecorded"},
  {"A.4.5", "models run on rented EU compute that must be recorded", "ModelVersionReleased"},
  {"A.4.6", "underwriters overseeing the models need competence", "TrainingCompleted"},
  {"A.5.2", "an impact assessment is required before each system goes live", "QuestionnaireDefined"},
  {"A.5.3", "assessments are evidence for deployers and supervisors", "ImpactAssessmentRecorded"},
  {"A.5.4", "credit decisions affect individuals' access to finance", "FairnessSnapshot"},
  {"A.5.5", "declines at scale can exclude groups from credit", "SocietalMetricRecorded"},
  {"A.6.1.2", "responsible-development objectives steer each release", "PolicyPublished"},
  {"A.6.1.3", "design choices follow from the risk treatments", "RiskTreated"},
  {"A.6.2.2", "each system's intended purpose bounds its requirements", "SystemRegistered"},
  {"A.6.2.3", "design records are needed for Annex IV documentation", "ModelVersionReleased"},
  {"A.6.2.4", "subgroup testing before release treats the age-band risk", "TestReport"},
  {"A.6.2.5", "deployments change what customers experience", "DeploymentRecorded"},
  {"A.6.2.6", "drift and fairness are monitored after release (Art. 72)", "MonitoringPlan"},
  {"A.6.2.7", "deployers need technical documentation (Art. 11, 13)", "ModelVersionReleased"},
  {"A.6.2.8", "decision logs are kept for Art. 12 and 19", "LogSegmentAnchored"},
  {"A.7.2", "the data used to develop models must be defined", "DatasetRegistered"},
  {"A.7.3", "data is acquired from partner banks under agreements", "DatasetRegistered"},
  {"A.7.4", "label quality drives the age-band disparity", "DatasetRegistered"},
  {"A.7.5", "provenance of each training set must be traceable", "DatasetRegistered"},
  {"A.7.6", "feature preparation can introduce proxies", "DatasetRegistered"},
  {"A.8.2", "deployers and users need to understand the outputs", "ExplanationMethodRecorded"},
  {"A.8.3", "customers must be able to report adverse impacts", "StakeholderFeedbackReceived"},
  {"A.8.4", "incidents must reach deployers and authorities in time", "IncidentCommunicationPlan"},
  {"A.8.5", "applicants are told how decisions are explained", "ExplanationProvided"},
  {"A.9.2", "human overrides are how responsible use is exercised", "HumanOverrideLogged"},
  {"A.9.3", "use objectives are monitored with thresholds", "MonitoringPlan"},
  {"A.9.4", "each system is used only for its registered purpose", "SystemRegistered"},
  {"A.10.2", "duties between provider and deployer need allocation", "AgreementRecorded"},
  {"A.10.3", "customers assess Aurora as their supplier", "DueDiligenceRecorded"},
  {"A.10.4", "the deployer's customers are affected by Aurora's models", "AgreementRecorded"},
};
// clang-format on

}  // namespace

// Every row (all 38 controls) and a version approved as a set.
void History::Story::Soa() {
  std::vector<std::string> all;
  for (const AnnexAControl& c : AnnexAControls()) all.emplace_back(c.id);
  SoaRows(all);
}

void History::Story::SoaRows(const std::vector<std::string>& controls) {
  for (const std::string& id : controls) {
    const Row* row = nullptr;
    for (const Row& r : kRows) {
      if (r.id == id) row = &r;
    }
    v1::Event e =
        Base("ControlStatusUpdated", kProvider, {}, {"iso42001:6.1.3"});
    auto* c = e.mutable_control_status_updated();
    c->set_control_id(id);
    c->set_applicable(true);
    c->set_justification(row->justification);
    c->set_implemented_by("AI governance office");
    c->set_review_interval_days(365);
    const Hash* evidence = Latest(row->evidence);
    c->set_status(evidence ? v1::CONTROL_STATUS_IMPLEMENTED
                           : v1::CONTROL_STATUS_PLANNED);
    if (evidence) c->add_evidence_event_ids(Bytes(*evidence));
    if (id == "A.8.4") {  // shared with the deployer under the agreement
      c->set_status(v1::CONTROL_STATUS_SHARED);
      c->set_contract_clause("clause 9.2 (mutual incident notice, 24 hours)");
      c->set_agreement_event_id(Bytes(agreement_));
    }
    for (const Hash& t : treatments_[id])
      c->add_risk_treatment_event_ids(Bytes(t));
    soa_rows_[id] = Emit("analyst", e);
  }
  v1::Event v = Base("SoaVersionDefined", kProvider, {}, {"iso42001:6.1.3"});
  v.mutable_soa_version_defined()->set_version(absl::StrCat(++soa_version_));
  for (const auto& [id, row] : soa_rows_)
    v.mutable_soa_version_defined()->add_row_event_ids(Bytes(row));
  const Hash version = Emit("analyst", v);
  // Approved as a set (v3_rules: function "approver"), once the approval
  // table of the rules lists the type; until then an Approval of it is
  // refused ("no event that takes approvals"), so none is written.
  if (ApprovalFunction("SoaVersionDefined").has_value())
    Approve("cto", kProvider, version);
}

}  // namespace ailedger::history
