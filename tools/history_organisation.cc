// The organisations in the generated history: the management system, the
// partnership, audits and their corrective actions, people, feedback, the key
// rotation and the erasure.
#include "absl/strings/str_cat.h"
#include "ledger/governance/iso42001.h"
#include "ledger/governance/key_grant_event.h"
#include "ledger/tlog/contexts.h"
#include "tools/history_story.h"

namespace ailedger::history {

void History::Story::Grant(const KeySpec& k) {
  KeyGrantParams p;
  p.origin = o_.origin;
  p.display_name = k.name;
  p.organisation = k.organisation;
  p.event_organisation = kProvider;
  p.kind = k.kind;
  p.roles = {k.role};
  p.functions = k.functions;
  p.scope_organisation = k.scope;
  Emit("admin", MakeKeyGrant(Key(k.name), p));
}

void History::Story::Setup() {
  for (const KeySpec& k : StoryKeys()) {
    if (std::string(k.name) != "pipeline-2") Grant(k);
  }
  ManagementSystem();
  Partnership();
}

void History::Story::ManagementSystem() {
  v1::Event ctx = Base("ContextRecorded", kProvider, {}, {"iso42001:4.1"});
  auto* c = ctx.mutable_context_recorded();
  c->add_external_issues("EU AI Act obligations for Annex III systems");
  c->add_internal_issues("one data-science team; quarterly retraining");
  auto* p = c->add_interested_parties();
  p->set_name("loan applicants");
  p->set_needs("fair, explained decisions and a way to contest them");
  Emit("analyst", ctx);
  v1::Event scope = Base("ScopeDefined", kProvider, {}, {"iso42001:4.3"});
  scope.mutable_scope_defined()->set_scope(
      "design, release and monitoring of Aurora's AI systems");
  for (const System& s : systems_)
    scope.mutable_scope_defined()->add_systems(s.id);
  Emit("analyst", scope);
  Policy(1);
  v1::Event criteria =
      Base("RiskCriteriaDefined", kProvider, {}, {"iso42001:6.1.2"});
  auto* rc = criteria.mutable_risk_criteria_defined();
  rc->set_version("1");
  for (const char* l : {"rare", "possible", "likely"})
    rc->add_likelihood_scale(l);
  for (const char* l : {"minor", "major", "severe"}) rc->add_severity_scale(l);
  rc->set_acceptance("rare x minor may be accepted by the risk owner");
  risk_criteria_ = Emit("analyst", criteria);
  v1::Event q = Base("QuestionnaireDefined", kProvider, {}, {"ca-dadm:aia"});
  auto* qd = q.mutable_questionnaire_defined();
  qd->set_name("Algorithmic Impact Assessment");
  qd->set_version("v1.0.1");
  qd->set_framework("ca-dadm:aia");
  qd->set_questionnaire_sha256(Digest("survey-enfr.json v1.0.1"));
  for (const char* id : {"riskProfile1", "riskProfile2", "impact1", "impact2",
                         "dataQuality1", "consultation1"})
    qd->add_question_ids(id);
  aia_ = Emit("analyst", q);
  int row = 0;
  for (const AnnexAControl& control : AnnexAControls()) {
    if (row++ % 4 != 0) continue;  // a sample of the SoA at the start
    Control(std::string(control.id));
  }
}

void History::Story::Policy(int version) {
  v1::Event e = Base("PolicyPublished", kProvider, {}, {"iso42001:5.2"});
  auto* p = e.mutable_policy_published();
  p->set_title("Aurora AI policy");
  p->set_version(absl::StrCat(version, ".0"));
  p->set_policy_sha256(Digest(absl::StrCat("AI policy ", version)));
  p->set_next_review_ms(clock_ms_ + 365 * kDay);
  Approve("officer", kProvider, Emit("analyst", e));
}

void History::Story::Control(const std::string& id) {
  v1::Event e = Base("ControlStatusUpdated", kProvider, {}, {"iso42001:6.1.3"});
  auto* c = e.mutable_control_status_updated();
  c->set_control_id(id);
  c->set_applicable(true);
  c->set_justification("needed to treat the risks of the credit systems");
  c->set_status(Uniform(3) == 0 ? v1::CONTROL_STATUS_PLANNED
                                : v1::CONTROL_STATUS_IMPLEMENTED);
  c->set_implemented_by("AI governance office");
  c->set_review_interval_days(365);
  Emit("analyst", e);
}

void History::Story::Partnership() {
  const std::pair<std::string, std::string> partner{"partner", kProvider};
  v1::Event reg =
      Base("PartnerRegistered", kDeployer, {partner}, {"iso42001:A.10.3"});
  reg.mutable_partner_registered()->set_partner_organisation(kProvider);
  reg.mutable_partner_registered()->set_role("provider");
  Emit("staff", reg);
  v1::Event answers = Base("DueDiligenceRecorded", kProvider, {partner});
  auto* a = answers.mutable_due_diligence_recorded();
  a->set_kind(v1::DUE_DILIGENCE_KIND_ANSWERS);
  a->set_ethical_principles("published AI principles, board-approved");
  a->set_bias_prevention("quarterly subgroup evaluation before release");
  a->set_privacy_and_security("ISO/IEC 27001; EU hosting");
  a->set_transparency("model cards and change notices 30 days ahead");
  a->set_complaints_process("complaints desk, answered within 10 days");
  const Hash answered = Emit("liaison", answers);
  v1::Event eval = Base("DueDiligenceRecorded", kDeployer, {partner});
  auto* ev = eval.mutable_due_diligence_recorded();
  ev->set_kind(v1::DUE_DILIGENCE_KIND_EVALUATION);
  ev->set_answers_event_id(Bytes(answered));
  ev->set_outcome(v1::DECISION_APPROVE);
  ev->set_evaluation("adequate for limited-risk and credit systems");
  Emit("staff", eval);
  v1::Event ag =
      Base("AgreementRecorded", kDeployer, {partner}, {"iso42001:A.10.2"});
  auto* g = ag.mutable_agreement_recorded();
  g->set_contract_sha256(Digest("Corner Shop - Aurora agreement"));
  auto* r = g->add_responsibilities();
  r->set_duty("serious-incident reports (Art. 73)");
  r->set_party(kProvider);
  g->set_audit_rights("one audit a year");
  g->set_incident_duties("notice within 24 hours");
  g->set_escalation("account manager, then directors");
  g->set_dispute_resolution("mediation, then the courts of Ireland");
  const Hash agreement = Emit("staff", ag);
  Approve("manager", kDeployer, agreement);
  Approve("liaison", kProvider, agreement);
}

void History::Story::OrganisationDay() {
  const int d = day_ % 365, year = day_ / 365;
  if (day_ % 240 == 100) {
    const System& s = systems_[(day_ / 240) % systems_.size()];
    if (s.active) Incident(s, ++incidents_);
  }
  if (d == 20) AuditProgramme(year);
  if (d == 200) Audit(year);
  if (d == 60) Training(year);
  if (d == 330) Review(year);
  if (day_ % 30 == 15) Feedback();
  if (day_ % 182 == 90) Board();
  if (day_ == days_ / 2) RotatePipelineKey();
  if (d == 0 && year > 0) Policy(year + 1);
}

void History::Story::AuditProgramme(int year) {
  v1::Event e = Base("AuditProgramme", kAuditFirm, {}, {"iso42001:9.2.2"});
  auto* p = e.mutable_audit_programme();
  p->mutable_period()->set_start_ms(clock_ms_);
  p->mutable_period()->set_end_ms(clock_ms_ + 365 * kDay);
  p->set_scope(absl::StrCat("Aurora's AIMS, year ", year + 1));
  p->set_criteria("ISO/IEC 42001:2023");
  Emit("auditor", e);
}

void History::Story::Audit(int year) {
  const std::pair<std::string, std::string> audit{
      "audit", absl::StrCat("IA-", year + 1)};
  v1::Event e = Base("AuditStarted", kAuditFirm, {audit});
  auto* a = e.mutable_audit_started();
  a->set_scope("A.6 AI system life cycle");
  a->set_criteria("ISO/IEC 42001:2023 Annex A");
  a->add_auditors("external lead auditor");
  a->set_independence("no role in development or operations");
  Emit("auditor", e);
  Later(3, [=, this] {
    v1::Event f = Base("AuditFinding", kAuditFirm, {audit});
    auto* af = f.mutable_audit_finding();
    af->set_classification(v1::FINDING_CLASS_MINOR_NONCONFORMITY);
    af->set_reference("iso42001:A.6.2.4");
    af->set_statement("a release skipped its subgroup evaluation");
    const Hash finding = Emit("auditor", f);
    af->set_classification(v1::FINDING_CLASS_OBSERVATION);
    af->set_statement("SoA review intervals are not tracked");
    Emit("auditor", f);
    Correct(finding, audit);
  });
}

// A nonconformity from `finding`, its corrective action and, later, the
// verification; the audit closes after.
void History::Story::Correct(const Hash& finding,
                             const std::pair<std::string, std::string>& audit) {
  v1::Event n = Base("NonconformityRaised", kProvider, {}, {"iso42001:10.2"});
  n.mutable_nonconformity_raised()->set_description("evaluation skipped");
  n.mutable_nonconformity_raised()->set_root_cause("a manual step");
  n.mutable_nonconformity_raised()->set_source_event_id(Bytes(finding));
  const Hash nc = Emit("analyst", n);
  v1::Event a = Base("CorrectiveActionRecorded", kProvider, {});
  auto* ca = a.mutable_corrective_action_recorded();
  ca->set_nonconformity_event_id(Bytes(nc));
  ca->set_action("evaluation made a blocking pipeline stage");
  ca->set_owner("ML platform lead");
  ca->set_due_ms(clock_ms_ + 45 * kDay);
  const Hash action = Emit("analyst", a);
  Later(60, [=, this] {
    v1::Event v = Base("EffectivenessVerified", kProvider, {});
    v.mutable_effectiveness_verified()->set_action_event_id(Bytes(action));
    v.mutable_effectiveness_verified()->set_effective(true);
    v.mutable_effectiveness_verified()->set_method("two gated releases");
    Emit("analyst", v);
    v1::Event c = Base("AuditClosed", kAuditFirm, {audit});
    c.mutable_audit_closed()->set_conclusion("conforms after correction");
    c.mutable_audit_closed()->set_findings(2);
    Emit("auditor", c);
  });
}

void History::Story::Training(int year) {
  v1::Event e = Base("TrainingCompleted", kProvider, {}, {"euaia:art4"});
  auto* t = e.mutable_training_completed();
  t->set_course(absl::StrCat("Human oversight, edition ", year + 1));
  t->set_audience("underwriters");
  t->set_participants(20 + Uniform(20));
  t->mutable_period()->set_start_ms(clock_ms_ - 2 * kDay);
  t->mutable_period()->set_end_ms(clock_ms_);
  Emit("analyst", e);
}

void History::Story::Review(int year) {
  v1::Event e = Base("ManagementReviewHeld", kProvider, {}, {"iso42001:9.3"});
  auto* r = e.mutable_management_review_held();
  r->add_attendees("CEO");
  r->add_attendees("AI governance officer");
  auto* in = r->mutable_inputs();
  in->set_previous_actions(absl::StrCat("actions of year ", year, " closed"));
  in->set_issue_changes("Digital Omnibus timeline");
  in->set_party_needs("deployers ask for monthly fairness extracts");
  in->set_performance(absl::StrCat(incidents_, " incidents so far"));
  in->set_opportunities("counterfactual explanations");
  r->add_outputs("fund counterfactual explanations");
  Emit("analyst", e);
}

// Monthly feedback; the first with the person's contact sealed, erased on
// request a month later; one duplicate retracted.
void History::Story::Feedback() {
  v1::Event e = Base("StakeholderFeedbackReceived", kDeployer,
                     {{"system", systems_[0].id}}, {"iso42001:A.3.3"});
  auto* f = e.mutable_stakeholder_feedback_received();
  f->set_channel("email");
  f->set_category(Uniform(3) == 0 ? "complaint" : "question");
  f->set_summary(absl::StrCat("customer question, month ", day_ / 30));
  std::optional<Sealed> sealed;
  if (++feedback_ == 2) {
    std::string salt(32, '\0');
    for (char& c : salt) c = static_cast<char>(Uniform(256));
    sealed = SealWithSalt("J. Doe, +353 1 555 0100", salt);
    auto* a = e.add_sealed();
    a->set_commitment(Bytes(sealed->commitment));
    a->set_label("complainant contact");
  }
  const Hash id = Emit("staff", e, sealed);
  if (feedback_ == 2) {
    Later(30, [=, this] {
      v1::Event x = Base("Erasure", kDeployer, {});
      x.mutable_erasure()->set_event_id(Bytes(id));
      x.mutable_erasure()->set_legal_basis("GDPR Art. 17(1)(a)");
      x.mutable_erasure()->set_requested_by("the data subject");
      Emit("admin", x);
    });
  }
  if (feedback_ == 3) {
    v1::Event r = Base("Retraction", kDeployer, {});
    r.mutable_retraction()->set_retracts(Bytes(id));
    r.mutable_retraction()->set_reason("recorded twice");
    Emit("staff", r);
  }
}

void History::Story::Board() {
  v1::Event e =
      Base("AdvisoryBoardReview", kProvider, {{"system", systems_[0].id}});
  auto* b = e.mutable_advisory_board_review();
  b->set_board("Aurora ethics board");
  b->set_question("may postcode-level features be used?");
  b->set_decision(Uniform(2) ? "no: postcode is a proxy" : "only aggregated");
  Emit("analyst", e);
}

void History::Story::RotatePipelineKey() {
  for (const KeySpec& k : StoryKeys()) {
    if (std::string(k.name) == "pipeline-2") Grant(k);
  }
  v1::Event e = Base("KeyRevoked", kProvider, {});
  e.mutable_key_revoked()->set_public_key(
      std::string(AsBytes(Key("pipeline").verifier().public_key())));
  e.mutable_key_revoked()->set_reason("scheduled rotation");
  Emit("admin", e);
  pipeline_ = "pipeline-2";
}

}  // namespace ailedger::history
