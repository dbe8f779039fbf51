#include "tools/history.h"

#include <functional>
#include <map>
#include <random>

#include "absl/strings/str_cat.h"
#include "ledger/canonical.h"
#include "ledger/contexts.h"
#include "ledger/iso42001.h"

namespace ailedger::history {
namespace {

constexpr char kProvider[] = "Aurora Credit AI";
constexpr char kDeployer[] = "Corner Shop Finance";
constexpr int64_t kDay = 86400000;
constexpr int64_t kEnd = 1782777600000;  // 2026-06-30T00:00:00Z

// The keys of the story: organisation, kind, role, functions, scope.
struct KeySpec {
  const char* name;
  const char* organisation;
  v1::KeyKind kind;
  v1::Role role;
  std::vector<std::string> functions;
  const char* scope;
};

const std::vector<KeySpec>& Keys() {
  static const auto* keys = new std::vector<KeySpec>{
      {"analyst", kProvider, v1::KEY_KIND_PERSON, v1::ROLE_PUBLISHER, {}, ""},
      {"officer",
       kProvider,
       v1::KEY_KIND_PERSON,
       v1::ROLE_PUBLISHER,
       {"approver", "risk_owner", "dpo"},
       ""},
      {"pipeline",
       kProvider,
       v1::KEY_KIND_SERVICE_ACCOUNT,
       v1::ROLE_PUBLISHER,
       {},
       ""},
      {"pipeline-2",
       kProvider,
       v1::KEY_KIND_SERVICE_ACCOUNT,
       v1::ROLE_PUBLISHER,
       {},
       ""},
      {"liaison",
       kProvider,
       v1::KEY_KIND_PERSON,
       v1::ROLE_PUBLISHER,
       {"approver"},
       kProvider},
      {"staff", kDeployer, v1::KEY_KIND_PERSON, v1::ROLE_PUBLISHER, {}, ""},
      {"manager",
       kDeployer,
       v1::KEY_KIND_PERSON,
       v1::ROLE_PUBLISHER,
       {"approver"},
       ""},
      {"auditor",
       "Independent Audit GmbH",
       v1::KEY_KIND_PERSON,
       v1::ROLE_AUDITOR,
       {},
       ""},
  };
  return *keys;
}

std::string Bytes(const Hash& h) { return std::string(AsBytes(h)); }

std::string Digest(absl::string_view text) { return Bytes(HashLeaf(text)); }

}  // namespace

// The story, generated one day at a time. Actions due on a later day wait in
// `later_`.
class History::Story {
 public:
  Story(Options o, const SigningKey* admin, std::deque<Generated>* out)
      : o_(std::move(o)), admin_(admin), out_(out), rng_(o_.seed) {
    days_ = o_.years * 365;
    start_ms_ = kEnd - int64_t{days_} * kDay;
    for (int s = 0; s < o_.systems; ++s) {
      static const char* kNames[] = {"credit-scoring", "fraud-screening",
                                     "support-assistant"};
      systems_.push_back(
          {s < 3 ? kNames[s] : absl::StrCat("system-", s + 1), 3 + 40 * s});
    }
  }

  bool done() const { return day_ >= days_; }

  void NextDay() {
    clock_ms_ = start_ms_ + int64_t{day_} * kDay + 8 * 3600000;
    if (day_ == 0) Setup();
    for (size_t s = 0; s < systems_.size(); ++s) SystemDay(s);
    OrganisationDay();
    // Taken out first: an action may schedule more (never for today).
    std::vector<std::function<void()>> due;
    for (auto it = later_.begin(); it != later_.end() && it->first == day_;)
      due.push_back(std::move(later_.extract(it++).mapped()));
    for (auto& action : due) action();
    Filler();
    ++day_;
  }

 private:
  struct System {
    std::string id;
    int registered_day;
    bool active = false;
    int releases = 0;
    std::string version = "1.0.0";
    Hash explanation_method{};
  };

  // --- emitting -----------------------------------------------------------

  const SigningKey& Key(const std::string& name) {
    if (name == "admin") return *admin_;
    auto& k = keys_[name];
    if (!k) {
      const Hash seed = HashLeaf(
          absl::StrCat("gen-history/", o_.seed, "/", o_.origin, "/", name));
      k = std::make_unique<SigningKey>(
          SigningKey::FromSeed(name, kKeyTypeEd25519, AsBytes(seed)).value());
    }
    return *k;
  }

  v1::Event Base(const std::string& type, const std::string& organisation,
                 std::vector<std::pair<std::string, std::string>> subjects,
                 std::vector<std::string> refs = {}) {
    v1::Event e;
    e.set_event_type(type);
    e.set_schema_version(1);
    e.set_organisation(organisation);
    for (const auto& [kind, id] : subjects) {
      auto* s = e.add_subjects();
      s->set_kind(kind);
      s->set_id(id);
    }
    for (const auto& r : refs) e.add_framework_refs(r);
    return e;
  }

  Hash Emit(const std::string& signer, v1::Event e,
            std::optional<Sealed> sealed = std::nullopt) {
    clock_ms_ += 5000;
    e.set_occurred_at_ms(clock_ms_);
    Generated g;
    g.request = LedgerClient_SignEvent(e, Key(signer));
    g.event_id = EventId(o_.origin, g.request.event());
    g.event_type = e.event_type();
    g.sealed = std::move(sealed);
    g.author = &Key(signer);
    out_->push_back(std::move(g));
    ++emitted_;
    return out_->back().event_id;
  }

  // The same signing as LedgerClient::SignEvent, without the gRPC library.
  v1::AppendRequest LedgerClient_SignEvent(const v1::Event& e,
                                           const SigningKey& k) {
    v1::AppendRequest req;
    req.set_event(CanonicalEncoding(e));
    req.set_signer(std::string(AsBytes(k.verifier().public_key())));
    req.set_signature(std::string(
        AsBytes(k.Sign(EventSigningMessage(o_.origin, req.event())))));
    return req;
  }

  void Approve(const std::string& approver, const std::string& organisation,
               const Hash& id, v1::Decision decision = v1::DECISION_APPROVE,
               const std::string& conditions = "") {
    v1::Event e = Base("Approval", organisation, {});
    auto* a = e.mutable_approval();
    a->set_approves(Bytes(id));
    a->set_decision(decision);
    a->set_authority(approver == "officer" ? "AI governance officer"
                                           : "managing director");
    a->set_conditions(conditions);
    Emit(approver, e);
  }

  uint64_t Uniform(uint64_t n) { return rng_() % n; }
  void Later(int days, std::function<void()> f) {
    later_.emplace(day_ + days, std::move(f));
  }

  // --- the story ----------------------------------------------------------

  void Grant(const KeySpec& k) {
    v1::Event e = Base("KeyGranted", kProvider, {});
    auto* g = e.mutable_key_granted();
    const PublicKey pk = Key(k.name).verifier().public_key();
    g->set_public_key(std::string(AsBytes(pk)));
    g->set_display_name(k.name);
    g->set_organisation(k.organisation);
    g->set_kind(k.kind);
    g->add_roles(k.role);
    for (const auto& f : k.functions) g->add_functions(f);
    g->set_scope_organisation(k.scope);
    g->set_possession_signature(std::string(
        AsBytes(Key(k.name).Sign(KeyPossessionMessage(o_.origin, pk)))));
    Emit("admin", e);
  }

  void Setup() {
    for (const KeySpec& k : Keys()) {
      if (std::string(k.name) != "pipeline-2") Grant(k);
    }
    ManagementSystem();
    Partnership();
  }

  void ManagementSystem() {
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
    for (const char* l : {"minor", "major", "severe"})
      rc->add_severity_scale(l);
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

  void Policy(int version) {
    v1::Event e = Base("PolicyPublished", kProvider, {}, {"iso42001:5.2"});
    auto* p = e.mutable_policy_published();
    p->set_title("Aurora AI policy");
    p->set_version(absl::StrCat(version, ".0"));
    p->set_policy_sha256(Digest(absl::StrCat("AI policy ", version)));
    p->set_next_review_ms(clock_ms_ + 365 * kDay);
    Approve("officer", kProvider, Emit("analyst", e));
  }

  void Control(const std::string& id) {
    v1::Event e =
        Base("ControlStatusUpdated", kProvider, {}, {"iso42001:6.1.3"});
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

  void Partnership() {
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

  void Register(System& s) {
    const std::pair<std::string, std::string> sys{"system", s.id};
    v1::Event e = Base("SystemRegistered", kProvider, {sys}, {"euaia:art49"});
    auto* r = e.mutable_system_registered();
    r->set_intended_purpose(absl::StrCat(s.id, " for consumer lending"));
    r->set_provider(kProvider);
    r->add_deployers(kDeployer);
    r->set_eu_role(v1::EU_ROLE_PROVIDER);
    const bool high = s.id != "support-assistant";
    r->set_risk_class(high ? v1::RISK_CLASS_HIGH : v1::RISK_CLASS_LIMITED);
    if (high) r->set_annex_iii_point("5(b)");
    r->add_jurisdictions("EU");
    r->set_owner("Head of Credit Risk");
    Emit("analyst", e);
    s.active = true;
    v1::Event c = Base("ClassificationAssessed", kProvider, {sys});
    c.mutable_classification_assessed()->set_risk_class(r->risk_class());
    c.mutable_classification_assessed()->set_reasoning(
        high ? "evaluates creditworthiness: Annex III 5(b)"
             : "informs customers only: Art. 50 transparency");
    Emit("analyst", c);
    Dataset(s);
    Risk(s);
    v1::Event m = Base("ExplanationMethodRecorded", kProvider, {sys});
    auto* x = m.mutable_explanation_method_recorded();
    x->set_method("SHAP");
    x->set_scope("local");
    x->set_model_version(s.version);
    x->set_fidelity_check("deletion curve");
    x->set_fidelity(0.9);
    x->set_stability_check("rank correlation over resamples");
    x->set_stability(0.85);
    s.explanation_method = Emit(pipeline_, m);
    ImpactAssessment(s);
    Release(s);
  }

  void Dataset(const System& s) {
    v1::Event e = Base("DatasetRegistered", kProvider, {{"system", s.id}},
                       {"iso42001:A.7.5"});
    auto* d = e.mutable_dataset_registered();
    d->set_name(absl::StrCat(s.id, "-training"));
    d->set_version("1");
    d->set_dataset_sha256(Digest(s.id));
    for (auto* f : {d->mutable_motivation(), d->mutable_composition(),
                    d->mutable_collection_process(), d->mutable_preprocessing(),
                    d->mutable_uses(), d->mutable_distribution(),
                    d->mutable_maintenance()})
      *f = "see the datasheet (evidence digest)";
    d->add_provenance("partner bank exports under data-sharing agreements");
    e.add_evidence()->set_sha256(Digest(absl::StrCat(s.id, " datasheet")));
    e.mutable_evidence(0)->set_media_type("application/pdf");
    Emit("analyst", e);
  }

  void Risk(const System& s) {
    v1::Event e = Base("RiskAssessed", kProvider, {{"system", s.id}});
    auto* r = e.mutable_risk_assessed();
    r->set_description("lower limits for applicants over 60");
    r->set_likelihood("likely");
    r->set_severity("major");
    r->set_criteria_event_id(Bytes(risk_criteria_));
    const Hash assessed = Emit("analyst", e);
    v1::Event t = Base("RiskTreated", kProvider, {{"system", s.id}});
    auto* tr = t.mutable_risk_treated();
    tr->set_assessment_event_id(Bytes(assessed));
    tr->set_option(v1::TREATMENT_OPTION_MODIFY);
    tr->add_controls("iso42001:A.6.2.4");
    tr->set_residual_likelihood("possible");
    tr->set_residual_severity("minor");
    Approve("officer", kProvider, Emit("analyst", t),
            v1::DECISION_APPROVE_WITH_CONDITIONS, "review after two quarters");
    v1::Event p = Base("PrivacyAssessmentRecorded", kProvider,
                       {{"system", s.id}}, {"gdpr:art35"});
    auto* pa = p.mutable_privacy_assessment_recorded();
    pa->set_kind("dpia");
    pa->set_processing("automated evaluation of loan applicants");
    pa->set_legal_basis("GDPR Art. 6(1)(b)");
    pa->set_outcome("acceptable with pseudonymised features");
    Approve("officer", kProvider, Emit("analyst", p));
    v1::Event plan =
        Base("MonitoringPlan", kProvider, {{"system", s.id}}, {"euaia:art72"});
    auto* metric = plan.mutable_monitoring_plan()->add_metrics();
    metric->set_name("selection-rate ratio by age band");
    metric->set_event_type("FairnessSnapshot");
    metric->set_threshold(0.8);
    metric->set_comparison("at least");
    metric->set_cadence_days(91);
    Emit("analyst", plan);
  }

  void ImpactAssessment(const System& s) {
    v1::Event e = Base("ImpactAssessmentRecorded", kProvider,
                       {{"system", s.id}}, {"ca-dadm:aia"});
    auto* a = e.mutable_impact_assessment_recorded();
    a->set_framework("ca-dadm:aia");
    a->set_framework_version("v1.0.1 (voluntary use)");
    a->set_questionnaire_event_id(Bytes(aia_));
    for (const char* id : {"riskProfile1", "riskProfile2", "impact1"}) {
      auto* answer = a->add_answers();
      answer->set_question_id(id);
      answer->add_values(absl::StrCat("item", 1 + Uniform(3), "-", Uniform(4)));
    }
    a->set_scope(absl::StrCat(s.id, " version ", s.version));
    a->set_next_review_ms(clock_ms_ + 365 * kDay);
    Approve("officer", kProvider, Emit("analyst", e));
  }

  void Release(System& s) {
    const std::pair<std::string, std::string> sys{"system", s.id};
    const bool major = s.releases > 0 && s.releases % 3 == 0;
    const std::string previous = s.version;
    const std::string version =
        absl::StrCat(1 + s.releases / 3, ".", s.releases % 3, ".0");
    ++s.releases;
    v1::Event e =
        Base("ModelVersionReleased", kProvider,
             {sys, {"model_version", s.id + "@" + version}}, {"euaia:art11"});
    auto* r = e.mutable_model_version_released();
    r->set_version(version);
    if (version != previous) r->set_previous_version(previous);
    r->set_artifact_sha256(Digest(s.id + version));
    r->set_substantial_modification(major);
    if (major) r->set_modification_rationale("retrained on new data sources");
    const Hash release = Emit(pipeline_, e);
    // The fourth release of the first system is rejected and never deployed.
    if (s.releases == 4 && &s == &systems_[0]) {
      Approve("officer", kProvider, release, v1::DECISION_REJECT);
      return;
    }
    Approve("officer", kProvider, release);
    s.version = version;
    if (major) ImpactAssessment(s);  // revised for the substantial change
    v1::Event d = Base("DeploymentRecorded", kDeployer, {sys});
    d.mutable_deployment_recorded()->set_version(version);
    d.mutable_deployment_recorded()->set_environment("production");
    d.mutable_deployment_recorded()->set_deployer(kDeployer);
    Approve("manager", kDeployer, Emit("staff", d));
  }

  // Selection rates by age band; the 60+ band drifts below four fifths of the
  // reference rate in quarters 3 to 5 and recovers. One small group.
  void Fairness(const System& s, int quarter) {
    v1::Event e = Base("FairnessSnapshot", kProvider, {{"system", s.id}},
                       {"nist:MEASURE-2.11"});
    auto* f = e.mutable_fairness_snapshot();
    f->set_model_version(s.version);
    f->set_evaluation_dataset_sha256(Digest(absl::StrCat(s.id, quarter)));
    f->set_decision_threshold(0.5);
    for (auto* w : {f->mutable_label_window(), f->mutable_decision_window()}) {
      w->set_start_ms(clock_ms_ - 91 * kDay);
      w->set_end_ms(clock_ms_ - kDay);
    }
    auto* feature = f->add_features();
    feature->set_name("age band");
    const double ratio = quarter >= 3 && quarter <= 5 ? 0.7 : 0.9;
    struct Band {
      const char* name;
      uint64_t n;
      double rate;
    } bands[] = {{"18-39", 2000 + Uniform(400), 0.52},
                 {"40-59", 1800 + Uniform(400), 0.55},
                 {"60+", 600 + Uniform(200), 0.55 * ratio},
                 {"undisclosed", 8 + Uniform(10), 0.5}};
    for (const Band& b : bands) {
      auto* cell = feature->add_cells();
      cell->add_group(b.name);
      const uint64_t selected = static_cast<uint64_t>(b.n * b.rate);
      cell->set_tp(selected * 85 / 100);
      cell->set_fp(selected - cell->tp());
      cell->set_fn((b.n - selected) / 10);
      cell->set_tn(b.n - selected - cell->fn());
    }
    f->set_favourable_outcome("limit granted");
    f->set_reference_group("40-59");
    f->set_membership_source(v1::MEMBERSHIP_SOURCE_SELF_DECLARED);
    f->set_share_unknown(0.01);
    const Hash snapshot = Emit(pipeline_, e);
    if (quarter == 1 && &s == &systems_[0]) {  // one correction
      e.set_supersedes(Bytes(snapshot));
      e.set_supersedes_reason("the first snapshot used last quarter's labels");
      f->set_evaluation_dataset_sha256(Digest(absl::StrCat(s.id, "fixed")));
      Emit(pipeline_, e);
    }
  }

  void Metrics(const System& s, int quarter) {
    v1::Event g = Base("GroupMetricSnapshot", kProvider, {{"system", s.id}});
    auto* m = g.mutable_group_metric_snapshot();
    m->set_model_version(s.version);
    m->set_outcome("credit limit granted (EUR)");
    m->mutable_window()->set_start_ms(clock_ms_ - 91 * kDay);
    m->mutable_window()->set_end_ms(clock_ms_ - kDay);
    for (const char* group : {"female", "male"}) {
      auto* stat = m->add_groups();
      stat->set_group(group);
      stat->set_n(4000 + Uniform(500));
      const double mean = 5000 + Uniform(400);
      stat->set_sum(mean * stat->n());
      stat->set_sum_of_squares(mean * mean * 1.1 * stat->n());
    }
    Emit(pipeline_, g);
    v1::Event e = Base("SocietalMetricRecorded", kDeployer, {{"system", s.id}},
                       {"iso42001:A.5.5"});
    auto* sm = e.mutable_societal_metric();
    sm->set_name("appeals upheld");
    sm->set_unit("% of appeals");
    sm->set_population(absl::StrCat("applicants declined by ", s.id));
    sm->mutable_period()->set_start_ms(clock_ms_ - 91 * kDay);
    sm->mutable_period()->set_end_ms(clock_ms_ - kDay);
    sm->set_value(3.0 + (quarter % 5) * 0.4);
    sm->set_baseline(4.0);
    sm->set_method_version("appeals-v1");
    sm->set_uncertainty(0.5);
    Emit("staff", e);
  }

  // An incident every 240 days; serious ones are notified within the Art. 73
  // deadline or, every other time, 20 days late.
  void Incident(const System& s, int n) {
    const std::string id = absl::StrCat("INC-", n);
    const std::vector<std::pair<std::string, std::string>> subjects = {
        {"system", s.id}, {"incident", id}};
    v1::Event e =
        Base("IncidentReported", kProvider, subjects, {"euaia:art73"});
    auto* r = e.mutable_incident_reported();
    r->add_harm_types("economic");
    r->add_affected_stakeholders("consumers");
    r->set_aware_at_ms(clock_ms_);
    r->set_deciding_party(v1::PARTY_PROVIDER);
    const bool serious = n % 2 == 0;
    r->set_severity(serious ? v1::SEVERITY_SERIOUS : v1::SEVERITY_MINOR);
    if (serious) {
      r->set_art3_49_category("c");
    } else {
      r->set_not_serious(true);
      r->set_not_serious_reason("corrected within a day; no lasting harm");
    }
    Emit("analyst", e);
    const int notify_after = n % 4 == 2 ? 20 : 1;
    if (serious) Later(notify_after, [=, this] { Notify(subjects); });
    Later(5, [=, this] {
      v1::Event u = Base("IncidentUpdated", kProvider, subjects);
      u.mutable_incident_updated()->set_update("causal link established");
      u.mutable_incident_updated()->set_causal_link_at_ms(clock_ms_);
      Emit("analyst", u);
    });
    Later(25, [=, this] {
      v1::Event c = Base("IncidentClosed", kProvider, subjects);
      c.mutable_incident_closed()->set_resolution("fixed and re-scored");
      Emit("analyst", c);
    });
  }

  void Notify(const std::vector<std::pair<std::string, std::string>>& subj) {
    v1::Event e = Base("RegulatorNotificationSent", kProvider, subj);
    auto* n = e.mutable_regulator_notification();
    n->set_authority("Bundesnetzagentur");
    n->set_member_state("DE");
    n->set_kind(v1::NOTIFICATION_KIND_INITIAL);
    n->set_sent_at_ms(clock_ms_);
    Emit("analyst", e);
  }

  void SystemDay(size_t i) {
    System& s = systems_[i];
    const int age = day_ - s.registered_day;
    if (age == 0) Register(s);
    if (!s.active || age <= 0) return;
    if (age % 120 == 0) Release(s);
    if (age % 91 == 30) {
      Fairness(s, age / 91);
      Metrics(s, age / 91);
    }
    if (i + 1 == systems_.size() && systems_.size() >= 3 &&
        day_ == days_ * 85 / 100) {
      v1::Event e = Base("SystemDecommissioned", kProvider, {{"system", s.id}});
      e.mutable_system_decommissioned()->set_reason("replaced");
      e.mutable_system_decommissioned()->set_data_disposition(
          "artifacts archived for 10 years (Art. 18)");
      Emit("analyst", e);
      s.active = false;
    }
  }

  void OrganisationDay() {
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

  void AuditProgramme(int year) {
    v1::Event e = Base("AuditProgramme", "Independent Audit GmbH", {},
                       {"iso42001:9.2.2"});
    auto* p = e.mutable_audit_programme();
    p->mutable_period()->set_start_ms(clock_ms_);
    p->mutable_period()->set_end_ms(clock_ms_ + 365 * kDay);
    p->set_scope(absl::StrCat("Aurora's AIMS, year ", year + 1));
    p->set_criteria("ISO/IEC 42001:2023");
    Emit("auditor", e);
  }

  void Audit(int year) {
    const std::pair<std::string, std::string> audit{
        "audit", absl::StrCat("IA-", year + 1)};
    v1::Event e = Base("AuditStarted", "Independent Audit GmbH", {audit});
    auto* a = e.mutable_audit_started();
    a->set_scope("A.6 AI system life cycle");
    a->set_criteria("ISO/IEC 42001:2023 Annex A");
    a->add_auditors("external lead auditor");
    a->set_independence("no role in development or operations");
    Emit("auditor", e);
    Later(3, [=, this] {
      v1::Event f = Base("AuditFinding", "Independent Audit GmbH", {audit});
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
  void Correct(const Hash& finding,
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
      v1::Event c = Base("AuditClosed", "Independent Audit GmbH", {audit});
      c.mutable_audit_closed()->set_conclusion("conforms after correction");
      c.mutable_audit_closed()->set_findings(2);
      Emit("auditor", c);
    });
  }

  void Training(int year) {
    v1::Event e = Base("TrainingCompleted", kProvider, {}, {"euaia:art4"});
    auto* t = e.mutable_training_completed();
    t->set_course(absl::StrCat("Human oversight, edition ", year + 1));
    t->set_audience("underwriters");
    t->set_participants(20 + Uniform(20));
    t->mutable_period()->set_start_ms(clock_ms_ - 2 * kDay);
    t->mutable_period()->set_end_ms(clock_ms_);
    Emit("analyst", e);
  }

  void Review(int year) {
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
  void Feedback() {
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

  void Board() {
    v1::Event e =
        Base("AdvisoryBoardReview", kProvider, {{"system", systems_[0].id}});
    auto* b = e.mutable_advisory_board_review();
    b->set_board("Aurora ethics board");
    b->set_question("may postcode-level features be used?");
    b->set_decision(Uniform(2) ? "no: postcode is a proxy" : "only aggregated");
    Emit("analyst", e);
  }

  void RotatePipelineKey() {
    for (const KeySpec& k : Keys()) {
      if (std::string(k.name) == "pipeline-2") Grant(k);
    }
    v1::Event e = Base("KeyRevoked", kProvider, {});
    e.mutable_key_revoked()->set_public_key(
        std::string(AsBytes(Key("pipeline").verifier().public_key())));
    e.mutable_key_revoked()->set_reason("scheduled rotation");
    Emit("admin", e);
    pipeline_ = "pipeline-2";
  }

  // Operational records spread evenly, so the history reaches its size.
  void Filler() {
    const uint64_t target = o_.events * (day_ + 1) / days_;
    while (emitted_ < target) {
      const System& s = systems_[filler_ % systems_.size()];
      ++filler_;
      if (!s.active) {
        if (filler_ > 4 * systems_.size() && NoneActive()) return;
        continue;
      }
      FillOne(s);
    }
  }

  bool NoneActive() const {
    for (const System& s : systems_)
      if (s.active) return false;
    return true;
  }

  void FillOne(const System& s) {
    const std::pair<std::string, std::string> sys{"system", s.id};
    switch (filler_ % 3) {
      case 0: {
        v1::Event e =
            Base("LogSegmentAnchored", kProvider, {sys}, {"euaia:art12"});
        auto* l = e.mutable_log_segment_anchored();
        l->mutable_period()->set_start_ms(clock_ms_ - 60000);
        l->mutable_period()->set_end_ms(clock_ms_);
        l->set_record_count(100 + Uniform(900));
        l->set_segment_sha256(Digest(absl::StrCat(s.id, filler_)));
        l->set_location(absl::StrCat("s3://aurora-logs/", s.id, "/", filler_));
        l->set_retain_until_ms(clock_ms_ + 3 * 365 * kDay);
        l->set_overrides(Uniform(5));
        Emit(pipeline_, e);
        return;
      }
      case 1: {
        v1::Event e = Base("HumanOverrideLogged", kProvider, {sys});
        auto* o = e.mutable_human_override_logged();
        o->set_model_version(s.version);
        o->set_decision_reference(absl::StrCat("case-", filler_));
        o->set_original_outcome("declined");
        o->set_final_outcome("approved");
        o->set_reason("income evidence the model did not see");
        Emit(pipeline_, e);
        return;
      }
      default: {
        v1::Event e = Base("ExplanationProvided", kProvider, {sys});
        auto* x = e.mutable_explanation_provided();
        x->set_method_event_id(Bytes(s.explanation_method));
        x->mutable_period()->set_start_ms(clock_ms_ - 60000);
        x->mutable_period()->set_end_ms(clock_ms_);
        x->set_count(1 + Uniform(20));
        x->set_channel("decision letter");
        Emit(pipeline_, e);
      }
    }
  }

  Options o_;
  const SigningKey* admin_;
  std::deque<Generated>* out_;
  std::mt19937_64 rng_;
  std::map<std::string, std::unique_ptr<SigningKey>> keys_;
  std::vector<System> systems_;
  std::multimap<int, std::function<void()>> later_;
  Hash risk_criteria_{}, aia_{};
  std::string pipeline_ = "pipeline";
  int day_ = 0, days_ = 0, incidents_ = 0, feedback_ = 0;
  int64_t start_ms_ = 0, clock_ms_ = 0;
  uint64_t emitted_ = 0, filler_ = 0;
};

History::History(Options options, const SigningKey* admin)
    : story_(std::make_unique<Story>(std::move(options), admin, &queue_)) {}

History::~History() = default;

std::vector<Generated> History::Next(size_t max) {
  while (queue_.size() < max && !story_->done()) story_->NextDay();
  std::vector<Generated> out;
  while (!queue_.empty() && out.size() < max) {
    out.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  emitted_ += out.size();
  return out;
}

}  // namespace ailedger::history
