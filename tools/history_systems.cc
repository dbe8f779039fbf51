// Each system's life in the generated history: registration, risk, releases
// with their test reports, deployments, and the operational records that fill
// the history to its size. Every event that names a model version comes after
// that version's release on the log.
#include "absl/strings/str_cat.h"
#include "tools/history_story.h"

namespace ailedger::history {

void History::Story::Register(System& s) {
  const std::pair<std::string, std::string> sys{"system", s.id};
  v1::Event e = Base("SystemRegistered", kProvider, {sys}, {"euaia:art49"});
  auto* r = e.mutable_system_registered();
  r->set_name(s.name);
  static const char* kPurposes[] = {
      "creditworthiness scores for consumer loan applications",
      "flags card transactions for fraud review",
      "answers customers' questions about their loans"};
  r->set_intended_purpose(kPurposes[static_cast<int>(s.kind)]);
  r->set_provider(kProvider);
  r->add_deployers(kDeployer);
  r->set_eu_role(v1::EU_ROLE_PROVIDER);
  static const v1::RiskClass kClasses[] = {
      v1::RISK_CLASS_HIGH, v1::RISK_CLASS_MINIMAL, v1::RISK_CLASS_LIMITED};
  r->set_risk_class(kClasses[static_cast<int>(s.kind)]);
  if (s.high()) r->set_annex_iii_point("5(b)");
  r->add_jurisdictions("EU");
  r->set_owner("Anna Schmidt, Head of Credit Risk");
  Emit("analyst", e);
  s.active = true;
  v1::Event c = Base("ClassificationAssessed", kProvider, {sys});
  auto* ca = c.mutable_classification_assessed();
  ca->set_risk_class(r->risk_class());
  static const char* kReasons[] = {
      "evaluates creditworthiness of natural persons: Annex III 5(b)",
      "fraud detection is excluded from Annex III 5(b); no other point "
      "applies",
      "interacts with customers: Art. 50(1) transparency only"};
  ca->set_reasoning(kReasons[static_cast<int>(s.kind)]);
  if (s.high()) ca->set_art6_basis("6(2)");
  Emit("analyst", c);
  Dataset(s);
  Risk(s);
  Plan(s);
  ImpactAssessment(s, 1, nullptr);
  Release(s);
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

// The risk is treated until its residual level is one the criteria let the
// risk owner accept (rare x minor); the SoA rows of the chosen controls then
// cite the treatment.
void History::Story::Risk(System& s) {
  v1::Event e = Base("RiskAssessed", kProvider, {{"system", s.id}});
  auto* r = e.mutable_risk_assessed();
  static const char* kRisks[] = {"lower limits for applicants over 60",
                                 "more false fraud flags for new customers",
                                 "wrong answers about repayment dates"};
  r->set_description(kRisks[static_cast<int>(s.kind)]);
  r->set_likelihood("likely");
  r->set_severity("major");
  r->set_criteria_event_id(Bytes(risk_criteria_));
  const Hash assessed = Emit("analyst", e);
  v1::Event t = Base("RiskTreated", kProvider, {{"system", s.id}});
  auto* tr = t.mutable_risk_treated();
  tr->set_assessment_event_id(Bytes(assessed));
  tr->set_option(v1::TREATMENT_OPTION_MODIFY);
  static const std::vector<std::string> kControls[] = {
      {"A.6.2.4", "A.7.4", "A.5.4"},
      {"A.6.2.4", "A.6.2.6"},
      {"A.8.2", "A.9.2"}};
  s.controls = kControls[static_cast<int>(s.kind)];
  for (const std::string& c : s.controls) tr->add_controls(c);
  tr->set_residual_likelihood("rare");
  tr->set_residual_severity("minor");
  tr->set_plan("subgroup testing gates each release; quarterly monitoring");
  const Hash treated = Emit("analyst", t);
  Approve("risk-owner", kProvider, treated,
          v1::DECISION_APPROVE_WITH_CONDITIONS,
          "re-assess after two quarterly snapshots");
  for (const std::string& c : s.controls) treatments_[c].push_back(treated);
  SoaRows(s.controls);
  v1::Event p = Base("PrivacyAssessmentRecorded", kProvider, {{"system", s.id}},
                     {"gdpr:art35"});
  auto* pa = p.mutable_privacy_assessment_recorded();
  pa->set_kind("dpia");
  pa->set_processing(absl::StrCat("personal data processed by ", s.name));
  pa->set_legal_basis("GDPR Art. 6(1)(b)");
  pa->set_outcome("acceptable with pseudonymised features");
  Approve("dpo", kProvider, Emit("analyst", p));
}

void History::Story::Release(System& s) {
  const std::pair<std::string, std::string> sys{"system", s.id};
  const bool major = s.releases > 0 && s.releases % 3 == 0;
  const std::string previous = s.version;
  const std::string version =
      absl::StrCat(1 + s.releases / 3, ".", s.releases % 3, ".0");
  ++s.releases;
  Hash test_report{};
  if (s.high()) {  // Annex IV 2(g)
    v1::Event t = Base("TestReport", kProvider, {sys}, {"euaia:annex-iv"});
    auto* tr = t.mutable_test_report();
    tr->set_model_version(version);
    tr->set_report_sha256(Digest(absl::StrCat(s.id, version, " test report")));
    auto* m = tr->add_metrics();
    m->set_name("AUC");
    m->set_value(0.78 + 0.01 * Uniform(5));
    m->set_dataset(absl::StrCat(s.id, "-holdout"));
    m->set_n(20000);
    tr->set_test_dataset(absl::StrCat(s.id, "-holdout"));
    tr->add_signed_by("Lena Hoffmann");
    test_report = Emit(pipeline_, t);
  }
  v1::Event e =
      Base("ModelVersionReleased", kProvider,
           {sys, {"model_version", s.id + "@" + version}}, {"euaia:art11"});
  auto* r = e.mutable_model_version_released();
  r->set_version(version);
  if (version != previous) r->set_previous_version(previous);
  r->set_artifact_sha256(Digest(s.id + version));
  r->set_substantial_modification(major);
  if (major) r->set_modification_rationale("retrained on new data sources");
  if (s.high()) r->set_test_report_event_id(Bytes(test_report));
  const Hash release = Emit(pipeline_, e);
  s.last_release = release;
  // The fourth release of the first system is rejected and never deployed.
  if (s.releases == 4 && &s == &systems_[0]) {
    Approve("cto", kProvider, release, v1::DECISION_REJECT);
    return;
  }
  Approve("cto", kProvider, release);
  s.version = version;
  if (major) ImpactAssessment(s, 2, &release);  // the substantial change
  Deploy(s, release, major);
}

// The deployer puts the release into service; for the high-risk system its
// Art. 27 FRIA comes first (and again after a substantial modification).
void History::Story::Deploy(System& s, const Hash& release, bool major) {
  if (s.high() && (s.fria == Hash{} || major)) Fria(s, release);
  v1::Event d = Base("DeploymentRecorded", kDeployer, {{"system", s.id}});
  auto* dr = d.mutable_deployment_recorded();
  dr->set_version(s.version);
  dr->set_environment("production");
  dr->set_deployer(kDeployer);
  dr->add_jurisdictions(kMemberState);
  dr->set_effective_at_ms(clock_ms_ + kDay);  // go-live after the approval
  Approve("manager", kDeployer, Emit("staff", d));
}

void History::Story::SystemDay(size_t i) {
  System& s = systems_[i];
  const int age = day_ - s.registered_day;
  if (age == 0) Register(s);
  if (!s.active || age <= 0) return;
  if (age % 120 == 0) Release(s);
  if (age % 91 == 30) {
    if (s.classifies()) Fairness(s, age / 91);
    Metrics(s, age / 91);
  }
  if (i + 1 == systems_.size() && systems_.size() >= 3 &&
      day_ == days_ * 85 / 100) {
    v1::Event e = Base("SystemDecommissioned", kProvider, {{"system", s.id}});
    e.mutable_system_decommissioned()->set_reason(
        "withdrawn: customers' questions go to the service desk again");
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
    System& s = systems_[filler_ % systems_.size()];
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

void History::Story::FillOne(System& s) {
  const std::pair<std::string, std::string> sys{"system", s.id};
  switch (filler_ % 3) {
    case 0: {  // the provider's logs of the system (Art. 12, 19)
      v1::Event e =
          Base("LogSegmentAnchored", kProvider, {sys}, {"euaia:art12"});
      auto* l = e.mutable_log_segment_anchored();
      const int64_t start =
          s.segment_end_ms ? s.segment_end_ms : clock_ms_ - kDay;
      l->mutable_period()->set_start_ms(start);
      l->mutable_period()->set_end_ms(clock_ms_);
      s.segment_end_ms = clock_ms_;
      l->set_record_count(100 + Uniform(900));
      l->set_segment_sha256(Digest(absl::StrCat(s.id, filler_)));
      l->set_location(absl::StrCat("s3://aurora-logs/", s.id, "/", filler_));
      l->set_retain_until_ms(clock_ms_ + 3 * 365 * kDay);
      l->set_overrides(Uniform(5));
      l->set_digest_method(v1::SEGMENT_DIGEST_FILE_SHA256);
      l->add_model_versions(s.version);
      l->set_log_owner(kProvider);
      l->set_log_party(v1::PARTY_PROVIDER);
      l->set_schema_sha256(Digest("aurora decision-log schema 1"));
      l->set_cadence_days(30);  // at least monthly
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
