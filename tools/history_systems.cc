// Each system's life in the generated history: registration, assessments,
// releases and deployments, quarterly measurements, incidents, and the
// operational records that fill the history to its size.
#include "absl/strings/str_cat.h"
#include "tools/history_story.h"

namespace ailedger::history {

void History::Story::Register(System& s) {
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

void History::Story::Dataset(const System& s) {
  v1::Event e = Base("DatasetRegistered", kProvider, {{"system", s.id}},
                     {"iso42001:A.7.5"});
  auto* d = e.mutable_dataset_registered();
  d->set_name(absl::StrCat(s.id, "-training"));
  d->set_version("1");
  d->set_dataset_sha256(Digest(s.id));
  for (auto* f :
       {d->mutable_motivation(), d->mutable_composition(),
        d->mutable_collection_process(), d->mutable_preprocessing(),
        d->mutable_uses(), d->mutable_distribution(), d->mutable_maintenance()})
    *f = "see the datasheet (evidence digest)";
  d->add_provenance("partner bank exports under data-sharing agreements");
  e.add_evidence()->set_sha256(Digest(absl::StrCat(s.id, " datasheet")));
  e.mutable_evidence(0)->set_media_type("application/pdf");
  Emit("analyst", e);
}

void History::Story::Risk(const System& s) {
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
  v1::Event p = Base("PrivacyAssessmentRecorded", kProvider, {{"system", s.id}},
                     {"gdpr:art35"});
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

void History::Story::ImpactAssessment(const System& s) {
  v1::Event e = Base("ImpactAssessmentRecorded", kProvider, {{"system", s.id}},
                     {"ca-dadm:aia"});
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

void History::Story::Release(System& s) {
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
void History::Story::Fairness(const System& s, int quarter) {
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

void History::Story::Metrics(const System& s, int quarter) {
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
void History::Story::Incident(const System& s, int n) {
  const std::string id = absl::StrCat("INC-", n);
  const std::vector<std::pair<std::string, std::string>> subjects = {
      {"system", s.id}, {"incident", id}};
  v1::Event e = Base("IncidentReported", kProvider, subjects, {"euaia:art73"});
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

void History::Story::Notify(
    const std::vector<std::pair<std::string, std::string>>& subj) {
  v1::Event e = Base("RegulatorNotificationSent", kProvider, subj);
  auto* n = e.mutable_regulator_notification();
  n->set_authority("Bundesnetzagentur");
  n->set_member_state("DE");
  n->set_kind(v1::NOTIFICATION_KIND_INITIAL);
  n->set_sent_at_ms(clock_ms_);
  Emit("analyst", e);
}

void History::Story::SystemDay(size_t i) {
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

// Operational records spread evenly, so the history reaches its size.
void History::Story::Filler() {
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

bool History::Story::NoneActive() const {
  for (const System& s : systems_)
    if (s.active) return false;
  return true;
}

void History::Story::FillOne(const System& s) {
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

}  // namespace ailedger::history
