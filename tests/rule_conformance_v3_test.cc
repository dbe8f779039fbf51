// The rules of role table version 3 (vocabulary v2) before both judges: the
// sequencer refuses each case before it is logged, naming the rule, and the
// verifier fails a forged bundle holding it at its index by the same rule
// (see rule_conformance_test.cc for the harness and the older versions). A
// history that follows every rule is accepted by both, in one batch or many.
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "ledger/aia/score.h"
#include "ledger/aia/survey.h"
#include "ledger/governance/examples.h"
#include "ledger/rules/engine.h"
#include "ledger/tlog/checkpoint.h"
#include "ledger/tlog/contexts.h"
#include "ledger/tlog/tlog_proof.h"
#include "tests/testing/rule_harness.h"

namespace ailedger {
namespace {

using testing::RuleHarness;
using testing::Verdict;

using Subjects = std::vector<std::pair<std::string, std::string>>;

std::string Id(const SignedEvent& e) {
  return std::string(AsBytes(EventId(testing::kHarnessOrigin, e.event_bytes)));
}

std::string Key(const SigningKey& k) {
  return std::string(AsBytes(k.verifier().public_key()));
}

class RuleConformanceV3Test : public ::testing::Test {
 protected:
  RuleConformanceV3Test()
      : publisher_(New("publisher")),
        approver_(New("approver")),
        auditor_(New("auditor")) {
    log_ = {h_.Genesis(3), h_.Grant(publisher_, "Acme AI", v1::ROLE_PUBLISHER),
            h_.Grant(approver_, "Acme AI", v1::ROLE_PUBLISHER, "approver"),
            h_.Grant(auditor_, "Audit Co", v1::ROLE_AUDITOR)};
    v1::Event role = About("RoleAssigned", {}, "role");
    role.mutable_role_assigned()->set_holder_public_key(Key(approver_));
    authority_ = Add(By(publisher_, role));
    Add(Pub("SystemRegistered", {{"system", "credit"}}, "reg"));
    v1::Event release =
        About("ModelVersionReleased", {{"system", "credit"}}, "rel");
    release.mutable_model_version_released()->set_version("1.0");
    release_ = Add(By(publisher_, release));
  }

  static SigningKey New(const std::string& name) {
    return SigningKey::Generate(name, kKeyTypeEd25519).value();
  }
  v1::Event About(const std::string& type, Subjects subjects,
                  const std::string& nonce,
                  const std::string& org = "Acme AI") const {
    return testing::ExampleAbout(type, subjects, nonce, org);
  }
  SignedEvent By(const SigningKey& k, const v1::Event& e) const {
    return h_.Sign(e, k);
  }
  SignedEvent Pub(const std::string& type, Subjects subjects,
                  const std::string& nonce) const {
    return By(publisher_, About(type, std::move(subjects), nonce));
  }
  // Appends `e` to the log every case starts from; its id.
  std::string Add(const SignedEvent& e) {
    log_.push_back(e);
    return Id(e);
  }

  // The sequencer refuses `offered` after `log_` by `rule` (alone and in one
  // batch) and the verifier fails it at its index by the same rule.
  // `field`: what the sequencer's message names.
  void ExpectBothRefuse(const std::string& name, const SignedEvent& offered,
                        Rule rule, const std::string& field,
                        bool one_batch_too = true) {
    SCOPED_TRACE(name);
    std::vector<SignedEvent> all = log_;
    all.push_back(offered);
    const std::vector<Verdict> seq = h_.Sequence(all);
    for (size_t i = 0; i + 1 < seq.size(); ++i)
      ASSERT_TRUE(seq[i].accepted) << i << ": " << ToString(seq[i]);
    if (one_batch_too) EXPECT_EQ(h_.Sequence(all, /*one_batch=*/true), seq);
    EXPECT_FALSE(seq.back().accepted);
    EXPECT_EQ(seq.back().rule, RuleName(rule)) << ToString(seq.back());
    EXPECT_NE(seq.back().message.find(field), std::string::npos)
        << ToString(seq.back());
    const Verdict offline = h_.VerifyLast(all);
    EXPECT_EQ(offline, seq.back()) << "verifier: " << ToString(offline)
                                   << "\nsequencer: " << ToString(seq.back());
  }
  // Both judges accept `log_` and everything in it. `one_batch_too`: also
  // when the sequencer gets it all in one batch. Not for a log with a report:
  // a report anchors a checkpoint the log has signed, so the sequencer takes
  // only a root it has committed (StoreRuleState::CheckRoot), and a root
  // inside the batch in flight is one no author could have known.
  void ExpectBothAccept(bool one_batch_too = true) {
    for (bool one_batch : {false, one_batch_too}) {
      for (const Verdict& v : h_.Sequence(log_, one_batch))
        ASSERT_TRUE(v.accepted) << ToString(v);
    }
    VerifyReport r = h_.ForgeAndVerify(log_);
    EXPECT_TRUE(r.verified) << r.failure;
  }

  // An AIA questionnaire of the shipped survey.
  v1::Event AiaQuestionnaire() const {
    const aia::Survey* s = aia::ShippedSurveys().front();
    v1::Event q = About("QuestionnaireDefined", {}, "aia-q");
    auto* d = q.mutable_questionnaire_defined();
    d->set_framework("ca-dadm:aia");
    d->set_version("v" + s->version());
    d->set_questionnaire_sha256(std::string(AsBytes(s->sha256())));
    d->clear_question_ids();
    d->add_question_ids("projectDetailsPhase");
    return q;
  }
  v1::Event Aia(const std::string& questionnaire,
                std::vector<v1::Answer> answers) const {
    v1::Event a =
        About("ImpactAssessmentRecorded", {{"system", "credit"}}, "aia");
    auto* r = a.mutable_impact_assessment_recorded();
    r->set_framework("ca-dadm:aia");
    r->set_survey_version(aia::ShippedSurveys().front()->version());
    r->set_applicability(v1::AIA_APPLICABILITY_VOLUNTARY);
    r->set_requirement_set("2023");
    r->set_questionnaire_event_id(questionnaire);
    for (auto& answer : answers) *r->add_answers() = std::move(answer);
    return a;
  }

  RuleHarness h_;
  SigningKey publisher_, approver_, auditor_;
  std::vector<SignedEvent> log_;
  std::string authority_, release_;
};

TEST_F(RuleConformanceV3Test, ReleasesAreRealAndMeasurementsNameASystem) {
  v1::Event deploy =
      About("DeploymentRecorded", {{"system", "credit"}}, "deploy");
  deploy.mutable_deployment_recorded()->set_version("9.9");
  ExpectBothRefuse("a deployment of a version never released",
                   By(publisher_, deploy), Rule::kLifecycle,
                   "deployment_recorded.version");
  v1::Event rollback = About("RolledBack", {{"system", "credit"}}, "rb");
  rollback.mutable_rolled_back()->set_from_version("2.4.1");
  rollback.mutable_rolled_back()->set_to_version("1.0");
  ExpectBothRefuse("a rollback from an unlogged release (E1)",
                   By(publisher_, rollback), Rule::kLifecycle,
                   "rolled_back.from_version");
  ExpectBothRefuse("a snapshot of an unregistered system",
                   Pub("FairnessSnapshot", {{"system", "ghost"}}, "f1"),
                   Rule::kLifecycle, "system 'ghost' is not registered");
  ExpectBothRefuse("a snapshot naming no system",
                   Pub("FairnessSnapshot", {}, "f2"), Rule::kLifecycle,
                   "subjects");
  v1::Event sys = About("SystemRegistered", {{"system", "chat"}}, "chat");
  sys.mutable_system_registered()->add_deployers("Nordbank AG");
  ExpectBothRefuse("a deployer neither on the roster nor a partner",
                   By(publisher_, sys), Rule::kLifecycle,
                   "system_registered.deployers[0]");
  // Cited from the provider's own log with a proof of that entry, a version
  // need not be released here (the provider's signature is the reader's to
  // check, with the provider's key).
  const SigningKey provider =
      SigningKey::Generate("provider.example/log", kKeyTypeEd25519).value();
  const Hash leaf = HashLeaf("the provider's release 9.9"),
             sibling = HashLeaf("another entry");
  TlogProof proof{"", 0, {sibling}, ""};
  proof.checkpoint =
      SignCheckpoint({"provider.example/log", 2, HashChildren(leaf, sibling)},
                     provider)
          .value();
  v1::ExternalEntryRef* ref = deploy.add_external_refs();
  ref->set_origin("provider.example/log");
  ref->set_index(0);
  ref->set_leaf_hash(std::string(AsBytes(sibling)));  // not what it proves
  ref->set_tlog_proof(FormatTlogProof(proof));
  ExpectBothRefuse("a cited proof of another entry", By(publisher_, deploy),
                   Rule::kLifecycle, "external_refs[0].tlog_proof");
  ref->set_leaf_hash(std::string(AsBytes(leaf)));
  Add(By(publisher_, deploy));
  sys.mutable_system_registered()->set_deployers(0, "Audit Co");  // on roster
  Add(By(publisher_, sys));
  v1::Event snapshot = About("FairnessSnapshot", {{"system", "credit"}}, "f3");
  snapshot.mutable_fairness_snapshot()->set_model_version("1.0");
  Add(By(publisher_, snapshot));
  ExpectBothAccept();
}

TEST_F(RuleConformanceV3Test, EvidenceAndAnchorsResolveAgainstTheLog) {
  v1::Event started =
      About("AuditStarted", {{"audit", "A-1"}}, "start", "Audit Co");
  Add(By(auditor_, started));
  v1::Event finding =
      About("AuditFinding", {{"audit", "A-1"}}, "find", "Audit Co");
  finding.mutable_audit_finding()->add_evidence_event_ids(std::string(32, 'n'));
  ExpectBothRefuse("evidence citing an event never logged",
                   By(auditor_, finding), Rule::kReference,
                   "audit_finding.evidence_event_ids[0]");
  finding.mutable_audit_finding()->set_evidence_event_ids(0, release_);
  Add(By(auditor_, finding));

  const uint64_t size = log_.size();
  const Hash root = h_.RootOf(log_);
  v1::Event report = About("ReportPublished", {}, "report");
  auto* r = report.mutable_report_published();
  r->set_tree_size(size);
  r->set_root_hash(std::string(32, 'r'));
  ExpectBothRefuse("a report anchoring a root the log never had",
                   By(publisher_, report), Rule::kReference,
                   "report_published.root_hash");
  r->set_tree_size(size + 5);
  ExpectBothRefuse("a report anchoring beyond its own index",
                   By(publisher_, report), Rule::kReference,
                   "report_published.tree_size");
  r->set_tree_size(size);
  r->set_root_hash(std::string(AsBytes(root)));
  const std::string first = Add(By(publisher_, report));
  v1::Event next = report;
  next.set_nonce("report 2");
  ExpectBothRefuse("a second report of a kind not linking the first",
                   By(publisher_, next), Rule::kLifecycle,
                   "report_published.previous_report_event_id",
                   /*one_batch_too=*/false);  // see ExpectBothAccept
  next.mutable_report_published()->set_previous_report_event_id(first);
  Add(By(publisher_, next));
  ExpectBothAccept(/*one_batch_too=*/false);
}

TEST_F(RuleConformanceV3Test, ReferencesAgreeWithWhatTheyName) {
  // An approval's authority is the approver's own assignment.
  v1::Event other = About("RoleAssigned", {}, "other role");
  other.mutable_role_assigned()->set_holder_public_key(Key(publisher_));
  const std::string not_mine = Add(By(publisher_, other));
  v1::Event approval = About("Approval", {}, "approve");
  approval.mutable_approval()->set_approves(release_);
  approval.mutable_approval()->set_authority_event_id(not_mine);
  ExpectBothRefuse("an approval citing another holder's role",
                   By(approver_, approval), Rule::kReference,
                   "approval.authority_event_id");
  approval.mutable_approval()->set_authority_event_id(authority_);
  Add(By(approver_, approval));
  // An SoA row's treatments chose its control.
  const std::string risk = Add(Pub("RiskAssessed", {}, "risk"));
  v1::Event treated = About("RiskTreated", {}, "treat");
  treated.mutable_risk_treated()->set_assessment_event_id(risk);
  treated.mutable_risk_treated()->add_controls("A.6.2.4");
  const std::string treatment = Add(By(publisher_, treated));
  v1::Event row = About("ControlStatusUpdated", {}, "row");
  row.mutable_control_status_updated()->add_risk_treatment_event_ids(treatment);
  ExpectBothRefuse("an SoA row citing a treatment of another control",
                   By(publisher_, row), Rule::kReference,
                   "control_status_updated.risk_treatment_event_ids[0]");
  row.mutable_control_status_updated()->set_control_id("A.6.2.4");
  Add(By(publisher_, row));
  // A snapshot answers a metric its plan has.
  v1::Event plan = About("MonitoringPlan", {}, "plan");
  const std::string plan_id = Add(By(publisher_, plan));
  v1::Event snapshot = About("FairnessSnapshot", {{"system", "credit"}}, "s");
  snapshot.mutable_fairness_snapshot()->set_model_version("1.0");
  snapshot.mutable_fairness_snapshot()->set_plan_event_id(plan_id);
  snapshot.mutable_fairness_snapshot()->set_plan_metric_id("x:absent");
  ExpectBothRefuse("a snapshot naming a metric its plan lacks",
                   By(publisher_, snapshot), Rule::kReference,
                   "fairness_snapshot.plan_metric_id");
  snapshot.mutable_fairness_snapshot()->set_plan_metric_id("example:metric");
  Add(By(publisher_, snapshot));
  ExpectBothAccept();
}

TEST_F(RuleConformanceV3Test, AiaAnswersAreCheckedAgainstTheShippedSurvey) {
  v1::Event unknown = AiaQuestionnaire();
  unknown.mutable_questionnaire_defined()->set_questionnaire_sha256(
      std::string(32, 'q'));
  ExpectBothRefuse("a questionnaire naming an unknown survey digest",
                   By(publisher_, unknown), Rule::kFields,
                   "questionnaire_defined.questionnaire_sha256");
  const std::string q = Add(By(publisher_, AiaQuestionnaire()));
  v1::Answer bad;
  bad.set_question_id("projectDetailsPhase");
  bad.add_values("item2-0");  // the review's SD-11: not a choice
  ExpectBothRefuse("an answer that is not a choice of its question",
                   By(publisher_, Aia(q, {bad})), Rule::kReference,
                   "impact_assessment_recorded.answers[0].values");
  v1::Answer impact1;
  impact1.set_question_id("impact1");  // no such question (SD-11)
  impact1.add_values("item1-3");
  ExpectBothRefuse("an answer to a question the survey does not have",
                   By(publisher_, Aia(q, {impact1})), Rule::kReference,
                   "impact_assessment_recorded.answers[0].question_id");
  const aia::Survey& survey = *aia::ShippedSurveys().front();
  Add(By(publisher_, Aia(q, aia::ExampleAnswers(survey, 2, 7))));
  ExpectBothAccept();
}

TEST_F(RuleConformanceV3Test, FieldRulesOfVocabularyTwo) {
  v1::Event incident = About(
      "IncidentReported", {{"incident", "INC-1"}, {"system", "credit"}}, "inc");
  incident.mutable_incident_reported()->clear_member_states();
  ExpectBothRefuse("a serious incident naming no member state",
                   By(publisher_, incident), Rule::kFields,
                   "incident_reported.member_states");
  incident.mutable_incident_reported()->add_member_states("DE");
  incident.mutable_incident_reported()->set_severity(v1::SEVERITY_MINOR);
  ExpectBothRefuse("a minor incident with an Art. 3(49) category",
                   By(publisher_, incident), Rule::kFields,
                   "incident_reported.severity");
  v1::Event treated = About("RiskTreated", {}, "t");
  treated.mutable_risk_treated()->add_controls("iso42001:A.6.2.4");
  ExpectBothRefuse("a control written as a framework ref",
                   By(publisher_, treated), Rule::kFields,
                   "risk_treated.controls[0]");
  v1::Event fairness = About("FairnessSnapshot", {{"system", "credit"}}, "fs");
  fairness.mutable_fairness_snapshot()->clear_positive_is_favourable();
  ExpectBothRefuse("a snapshot not saying if positive is favourable",
                   By(publisher_, fairness), Rule::kFields,
                   "fairness_snapshot.positive_is_favourable");
}

// A record about a decommissioned system is accepted (it may be late) and the
// verifier lists it.
TEST_F(RuleConformanceV3Test, RecordsAfterDecommissioningAreListed) {
  Add(Pub("SystemDecommissioned", {{"system", "credit"}}, "end"));
  v1::Event late = About("FairnessSnapshot", {{"system", "credit"}}, "late");
  late.mutable_fairness_snapshot()->set_model_version("1.0");
  Add(By(publisher_, late));
  ExpectBothAccept();
  VerifyReport r = h_.ForgeAndVerify(log_);
  ASSERT_EQ(r.after_decommissioning.size(), 1u);
  EXPECT_EQ(
      r.after_decommissioning[0],
      std::make_pair(uint64_t{log_.size() - 1},
                     std::string("FairnessSnapshot about system credit")));
}

// A log written under version 2 and moved to version 3: the releases logged
// before count, and the types of vocabulary v2 exist only from the move on.
TEST_F(RuleConformanceV3Test, ALogMovedToVersionThreeKeepsItsReleases) {
  log_[0] = h_.Genesis(2);
  log_.erase(log_.begin() + 4);  // the RoleAssigned: v2 needs no holder key
  ExpectBothRefuse("a type of vocabulary v2 before the move",
                   Pub("OrganisationProfile", {}, "early"), Rule::kRole,
                   "not in role table version 2");
  v1::Event adopt;
  adopt.set_event_type("RulesVersionAdopted");
  adopt.set_organisation("Acme AI");
  adopt.mutable_rules_version_adopted()->set_role_table_version(3);
  adopt.mutable_rules_version_adopted()->set_reason("vocabulary v2");
  Add(By(h_.admin(), adopt));
  v1::Event deploy =
      About("DeploymentRecorded", {{"system", "credit"}}, "after the move");
  deploy.mutable_deployment_recorded()->set_version("1.0");  // logged under v2
  Add(By(publisher_, deploy));
  Add(Pub("OrganisationProfile", {}, "late"));
  ExpectBothAccept();
}

}  // namespace
}  // namespace ailedger
