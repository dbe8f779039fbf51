// The single-event rules of role table version 3 (vocabulary v2,
// ledger/governance/validation_v3.h): each type's worked example passes, and
// each defect is refused as INVALID_ARGUMENT naming its field. The same
// defects pass under version 2, which logs written before keep. The rules that
// need the log are in rule_conformance_v3_test.cc.
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "ledger/aia/survey.h"
#include "ledger/governance/examples.h"
#include "ledger/governance/validation.h"

namespace ailedger {
namespace {

v1::Event Example(const std::string& type) {
  v1::Event e;
  e.set_event_type(type);
  e.set_schema_version(2);
  e.set_organisation("Acme AI");
  FillExampleBody(&e);
  return e;
}

struct Case {
  std::string type;
  std::function<void(v1::Event*)> spoil;
  std::string field;           // the message starts with it
  bool also_under_v2 = false;  // a new type: refused at every version
};

TEST(ValidationV3Test, EachRuleNamesItsFieldAndVersionTwoLogsKeepTheirs) {
  const std::vector<Case> cases = {
      {"FairnessSnapshot",
       [](v1::Event* e) {
         e->mutable_fairness_snapshot()
             ->mutable_features(0)
             ->set_reference_group("Z");
       },
       "fairness_snapshot.features[0].reference_group"},
      {"FairnessSnapshot",
       [](v1::Event* e) {
         e->mutable_fairness_snapshot()->clear_decision_threshold();
       },
       "fairness_snapshot.decision_threshold"},
      {"FairnessSnapshot",
       [](v1::Event* e) {
         e->mutable_fairness_snapshot()->clear_positive_label();
       },
       "fairness_snapshot.positive_label"},
      {"FairnessSnapshot",
       [](v1::Event* e) {
         e->mutable_fairness_snapshot()->mutable_population()->set_sampling(
             v1::SAMPLING_SAMPLE);
       },
       "fairness_snapshot.population.sampling_method"},
      {"FairnessSnapshot",
       [](v1::Event* e) {
         e->mutable_fairness_snapshot()->set_plan_event_id(
             std::string(32, 'p'));
       },
       "fairness_snapshot.plan_metric_id"},
      {"GroupMetricSnapshot",
       [](v1::Event* e) {
         e->mutable_group_metric_snapshot()->set_reference_group("other");
       },
       "group_metric_snapshot.reference_group"},
      {"SocietalMetricRecorded",
       [](v1::Event* e) { e->mutable_societal_metric()->set_uncertainty(0.1); },
       "societal_metric.uncertainty_kind"},
      {"SocietalMetricRecorded",
       [](v1::Event* e) {
         e->mutable_societal_metric()->set_uncertainty_kind(
             v1::UNCERTAINTY_KIND_CONFIDENCE_HALF_WIDTH);
       },
       "societal_metric.confidence_level"},
      {"MonitoringPlan",
       [](v1::Event* e) {
         e->mutable_monitoring_plan()->mutable_metrics(0)->set_metric_id(
             "dp ratio");
       },
       "monitoring_plan.metrics[0].metric_id"},
      {"MonitoringPlan",
       [](v1::Event* e) {
         e->mutable_monitoring_plan()->mutable_metrics(0)->set_event_type(
             "FairnessSnapshot");
       },
       "monitoring_plan.metrics[0].method"},
      {"IncidentReported",
       [](v1::Event* e) { e->mutable_incident_reported()->set_death(true); },
       "incident_reported.art3_49_category"},
      {"IncidentReported",
       [](v1::Event* e) {
         e->mutable_incident_reported()->set_member_states(0, "CH");
       },
       "incident_reported.member_states[0]"},
      {"IncidentUpdated",
       [](v1::Event* e) {
         e->mutable_incident_updated()->set_not_serious(true);
       },
       "incident_updated.reclassification_reason"},
      {"IncidentUpdated",
       [](v1::Event* e) {
         e->mutable_incident_updated()->set_severity(v1::SEVERITY_SERIOUS);
         e->mutable_incident_updated()->set_reclassification_reason("harm");
       },
       "incident_updated.seriousness_established_at_ms"},
      {"RegulatorNotificationSent",
       [](v1::Event* e) {
         e->mutable_regulator_notification()->clear_regime();
       },
       "regulator_notification.regime"},
      {"RegulatorNotificationSent",
       [](v1::Event* e) {
         e->mutable_regulator_notification()->set_member_state("US");
       },
       "regulator_notification.member_state"},
      {"ControlStatusUpdated",
       [](v1::Event* e) {
         auto* c = e->mutable_control_status_updated();
         c->set_status(v1::CONTROL_STATUS_BY_SUPPLIER);
         c->set_contract_clause("7.2");
       },
       "control_status_updated.agreement_event_id"},
      {"RiskTreated",
       [](v1::Event* e) { e->mutable_risk_treated()->add_controls("A.5.1.1"); },
       "risk_treated.controls[0]"},
      {"AuditFinding",
       [](v1::Event* e) {
         e->mutable_audit_finding()->set_reference("iso42001:9.9");
       },
       "audit_finding.reference"},
      {"NonconformityRaised",
       [](v1::Event* e) {
         e->mutable_nonconformity_raised()->set_reference("iso42001:A.5.1.1");
       },
       "nonconformity_raised.reference"},
      {"ReportPublished",
       [](v1::Event* e) { e->mutable_report_published()->set_kind("yearly"); },
       "report_published.kind"},
      {"AuditStarted",
       [](v1::Event* e) { e->mutable_audit_started()->clear_auditee(); },
       "audit_started.auditee"},
      {"AuditProgramme",
       [](v1::Event* e) { e->mutable_audit_programme()->clear_audits(); },
       "audit_programme.audits"},
      {"SystemRegistered",
       [](v1::Event* e) { e->mutable_system_registered()->clear_name(); },
       "system_registered.name"},
      {"LogSegmentAnchored",
       [](v1::Event* e) {
         e->mutable_log_segment_anchored()->clear_digest_method();
       },
       "log_segment_anchored.digest_method"},
      {"Approval",
       [](v1::Event* e) { e->mutable_approval()->clear_authority_event_id(); },
       "approval.authority_event_id"},
      {"RoleAssigned",
       [](v1::Event* e) {
         e->mutable_role_assigned()->set_holder_public_key("short");
       },
       "role_assigned.holder_public_key"},
      {"ImpactAssessmentRecorded",
       [](v1::Event* e) {
         auto* a = e->mutable_impact_assessment_recorded();
         a->set_framework("ca-dadm:aia");  // as version 2 wants it
         a->set_questionnaire_event_id(std::string(32, 'q'));
         a->add_answers()->set_question_id("projectDetailsPhase");
         a->mutable_answers(0)->add_values("item2");
       },
       "impact_assessment_recorded.survey_version"},
      {"ImpactAssessmentRecorded",
       [](v1::Event* e) {
         e->mutable_impact_assessment_recorded()->mutable_claimed()->set_level(
             5);
       },
       "impact_assessment_recorded.claimed.level"},
      {"QuestionnaireDefined",
       [](v1::Event* e) {
         auto* q = e->mutable_questionnaire_defined();
         const aia::Survey* s = aia::ShippedSurveys().front();
         q->set_framework("ca-dadm:aia");
         q->set_version("v" + s->version());
         q->set_questionnaire_sha256(std::string(AsBytes(s->sha256())));
         q->set_question_ids(0, "impact1");  // not in the survey
       },
       "questionnaire_defined.question_ids[0]"},
      {"PolicyPublished",
       [](v1::Event* e) { e->add_framework_refs("iso42001:4.7"); },
       "framework_refs[0]"},
      {"PolicyPublished", [](v1::Event* e) { e->set_schema_version(3); },
       "schema_version"},
      // The types of vocabulary v2: their own rules hold at every version.
      {"OrganisationProfile",
       [](v1::Event* e) {
         e->mutable_organisation_profile()->set_time_zone("CET+1");
       },
       "organisation_profile.time_zone", true},
      {"IncidentCommunicated",
       [](v1::Event* e) {
         e->mutable_incident_communicated()->set_audience(
             v1::AUDIENCE_DEPLOYER);
       },
       "incident_communicated.recipient", true},
      {"ConformityDeclared",
       [](v1::Event* e) {
         e->mutable_conformity_declared()->set_procedure("annex-vii");
       },
       "conformity_declared.notified_body", true},
      {"EuDatabaseRegistered",
       [](v1::Event* e) {
         e->mutable_eu_database_registered()->set_article("49(4)");
       },
       "eu_database_registered.article", true},
      {"DocumentRetention",
       [](v1::Event* e) {
         e->mutable_document_retention()->set_action(
             v1::RETENTION_ACTION_LEGAL_HOLD);
       },
       "document_retention.reason", true},
      {"ObjectiveEvaluated",
       [](v1::Event* e) { e->mutable_objective_evaluated()->clear_met(); },
       "objective_evaluated.met", true},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.field);
    v1::Event e = Example(c.type);
    ASSERT_TRUE(ValidateFields(e).ok()) << ValidateFields(e);
    c.spoil(&e);
    absl::Status s = ValidateFields(e);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
    EXPECT_TRUE(absl::StartsWith(s.message(), c.field)) << s;
    if (!c.also_under_v2 && c.type != "FairnessSnapshot") {
      EXPECT_TRUE(ValidateFields(e, /*log_version=*/2).ok())
          << ValidateFields(e, 2);
    }
  }
}

// Meaning does not hide in zero: a threshold of 0 and "positive is not
// favourable" are values, given and accepted.
TEST(ValidationV3Test, ZeroAndFalseAreValuesWhenGiven) {
  v1::Event e = Example("FairnessSnapshot");
  e.mutable_fairness_snapshot()->set_decision_threshold(0);
  e.mutable_fairness_snapshot()->set_positive_is_favourable(false);
  EXPECT_TRUE(ValidateFields(e).ok()) << ValidateFields(e);
  std::string bytes;
  ASSERT_TRUE(e.SerializeToString(&bytes));
  v1::Event back;
  ASSERT_TRUE(back.ParseFromString(bytes));
  EXPECT_TRUE(back.fairness_snapshot().has_decision_threshold());
  EXPECT_TRUE(back.fairness_snapshot().has_positive_is_favourable());
  v1::Event societal = Example("SocietalMetricRecorded");
  societal.mutable_societal_metric()->set_value(0);
  societal.mutable_societal_metric()->set_baseline(0);
  EXPECT_TRUE(ValidateFields(societal).ok()) << ValidateFields(societal);
}

}  // namespace
}  // namespace ailedger
