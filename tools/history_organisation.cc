// The organisations in the generated history: who they are, their people and
// the functions each holds, the management system, the partnership, people,
// feedback, the key rotation and the erasure.
#include "absl/strings/str_cat.h"
#include "ledger/governance/key_grant_event.h"
#include "ledger/tlog/contexts.h"
#include "tools/history_story.h"

namespace ailedger::history {

void History::Story::Grant(const KeySpec& k) {
  KeyGrantParams p;
  p.origin = o_.origin;
  p.display_name = k.display_name;
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
  for (const auto& [org, tz, country, author] :
       {std::tuple{kProvider, "Europe/Berlin", "DE", "analyst"},
        std::tuple{kDeployer, "Europe/Dublin", "IE", "staff"}}) {
    v1::Event e = Base("OrganisationProfile", org, {});
    auto* p = e.mutable_organisation_profile();
    p->set_legal_name(absl::StrCat(org, org == kProvider ? " GmbH" : " DAC"));
    p->set_time_zone(tz);
    p->set_country(country);
    p->set_fiscal_year_start_month(1);
    Emit(author, e);
  }
  Roles();
  ManagementSystem();
  Partnership();
  Soa();
}

// ISO/IEC 42001 5.3: each person who approves holds the role on the log, with
// their own key, so that every Approval can cite it (authority_event_id).
void History::Story::Roles() {
  for (const KeySpec& k : StoryKeys()) {
    if (*k.title == '\0') continue;
    const bool provider = std::string(k.organisation) == kProvider;
    v1::Event e = Base("RoleAssigned", k.organisation, {}, {"iso42001:5.3"});
    auto* r = e.mutable_role_assigned();
    r->set_role(k.functions.front());
    r->set_holder(k.display_name);
    r->set_responsibilities(k.title);
    r->set_authority(provider ? "management board resolution"
                              : "board of directors");
    r->set_holder_public_key(
        std::string(AsBytes(Key(k.name).verifier().public_key())));
    authority_[k.name] = Emit(provider ? "analyst" : "staff", e);
  }
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
  rc->set_acceptance(
      "rare x minor may be accepted by the risk owner; anything higher is "
      "treated further");
  risk_criteria_ = Emit("analyst", criteria);
  Questionnaire();
  v1::Event plan = Base("IncidentCommunicationPlan", kProvider, {},
                        {"iso42001:A.8.4", "euaia:art20"});
  auto* cp = plan.mutable_incident_communication_plan();
  cp->set_version("1");
  cp->set_plan_sha256(Digest("Aurora incident communication plan v1"));
  for (const auto& [audience, hours, channel] :
       {std::tuple{v1::AUDIENCE_DEPLOYER, 24u, "email to the named contact"},
        std::tuple{v1::AUDIENCE_AFFECTED_PERSONS, 72u,
                   "letter, through the deployer"}}) {
    auto* m = cp->add_commitments();
    m->set_audience(audience);
    m->set_within_hours(hours);
    m->set_channel(channel);
  }
  Emit("analyst", plan);
}

void History::Story::Policy(int version) {
  v1::Event e = Base("PolicyPublished", kProvider, {}, {"iso42001:5.2"});
  auto* p = e.mutable_policy_published();
  p->set_title("Aurora AI policy");
  p->set_version(absl::StrCat(version, ".0"));
  p->set_policy_sha256(Digest(absl::StrCat("AI policy ", version)));
  p->set_next_review_ms(clock_ms_ + 365 * kDay);
  Approve("cto", kProvider, Emit("analyst", e));
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
  a->set_bias_prevention("quarterly subgroup evaluation of each system");
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
  for (const auto& [duty, party] :
       {std::pair{"serious-incident reports (Art. 73), clause 9.1", kProvider},
        std::pair{"incident notice to the other party within 24 hours, "
                  "clause 9.2",
                  kProvider},
        std::pair{"notice to affected customers (Art. 26(11)), clause 9.3",
                  kDeployer},
        std::pair{"FRIA before first use (Art. 27), clause 6.1", kDeployer}}) {
    auto* r = g->add_responsibilities();
    r->set_duty(duty);
    r->set_party(party);
  }
  g->set_audit_rights("one audit a year");
  g->set_incident_duties("mutual notice within 24 hours (clause 9.2)");
  g->set_escalation("account manager, then directors");
  g->set_dispute_resolution("mediation, then the courts of Ireland");
  agreement_ = Emit("staff", ag);
  Approve("manager", kDeployer, agreement_);
  Approve("liaison", kProvider, agreement_);
}

void History::Story::OrganisationDay() {
  const int d = day_ % 365, year = day_ / 365;
  if (day_ % 240 == 100) Incident(++incidents_);
  if (d == 20) AuditProgramme(year);
  if (d == 200) Audit(year);
  if (d == 60) Training(year);
  if (d == 330) Review(year);
  if (d == 350) Soa();  // the yearly re-review, inside 365 days
  if (day_ % 30 == 15) Feedback();
  if (day_ % 182 == 90) Board();
  if (day_ == days_ / 2) RotatePipelineKey();
  if (d == 0 && year > 0) Policy(year + 1);
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
  for (const KeySpec& k : StoryKeys()) {
    if (std::string(k.organisation) == kProvider && *k.title != '\0')
      r->add_attendees(k.display_name);
  }
  auto* in = r->mutable_inputs();
  in->set_previous_actions(absl::StrCat("actions of year ", year, " closed"));
  in->set_issue_changes("EU AI Act timeline (Digital Omnibus proposal)");
  in->set_party_needs("deployers ask for monthly fairness extracts");
  in->set_performance(absl::StrCat(incidents_, " incidents so far"));
  in->set_opportunities("counterfactual explanations");
  r->add_outputs("fund counterfactual explanations");
  Emit("analyst", e);
}

// Monthly feedback from customers (external: A.8.3); the first with the
// person's contact sealed, erased on request a month later; one duplicate
// retracted.
void History::Story::Feedback() {
  v1::Event e = Base("StakeholderFeedbackReceived", kDeployer,
                     {{"system", systems_[0].id}}, {"iso42001:A.8.3"});
  auto* f = e.mutable_stakeholder_feedback_received();
  f->set_channel("email");
  f->set_category(Uniform(3) == 0 ? "complaint" : "question");
  f->set_summary(absl::StrCat("customer question, month ", day_ / 30));
  f->set_origin(v1::FEEDBACK_ORIGIN_EXTERNAL);
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
  if (day_ != 90) {
    Emit("analyst", e);
    return;
  }
  // The first review's minutes are entered three weeks late, and say why.
  const int64_t held = clock_ms_;
  e.set_backfill_reason("minutes approved at the board's next meeting");
  Later(21, [=, this] { Emit("analyst", e, std::nullopt, held); });
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
