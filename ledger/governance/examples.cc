#include "ledger/governance/examples.h"

#include <string>

#include "absl/strings/match.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "ledger/governance/validation.h"

namespace ailedger {

v1::FairnessSnapshot ExampleFairnessSnapshot() {
  v1::FairnessSnapshot f;
  f.set_model_version("credit-scoring 2.4.0");
  f.set_evaluation_dataset_sha256(std::string(32, '\x5a'));
  f.set_decision_threshold(0.5);
  f.mutable_label_window()->set_start_ms(1693526400000);  // 2023-09-01
  f.mutable_label_window()->set_end_ms(1701388800000);    // 2023-12-01
  f.mutable_decision_window()->set_start_ms(1693526400000);
  f.mutable_decision_window()->set_end_ms(1701388800000);
  v1::SensitiveFeature* feature = f.add_features();
  feature->set_name("group");
  struct Row {
    const char* group;
    uint64_t tp, fp, tn, fn;
  };
  for (const Row& r : {Row{"A", 40, 10, 40, 10}, Row{"B", 21, 9, 51, 19}}) {
    v1::ConfusionCell* c = feature->add_cells();
    c->add_group(r.group);
    c->set_tp(r.tp);
    c->set_fp(r.fp);
    c->set_tn(r.tn);
    c->set_fn(r.fn);
  }
  feature->set_reference_group("A");
  f.set_favourable_outcome("approved");
  f.set_membership_source(v1::MEMBERSHIP_SOURCE_SELF_DECLARED);
  f.set_share_unknown(0.02);
  // Vocabulary v2: what a positive prediction is, and whose decisions.
  f.set_positive_label("credit granted at the requested limit");
  f.set_positive_is_favourable(true);
  f.set_method_version("fairness-pipeline 1.0");
  f.mutable_population()->set_deployer("Demo Provider Ltd");
  f.mutable_population()->set_region("DE");
  f.mutable_population()->set_sampling(v1::SAMPLING_CENSUS);
  return f;
}

v1::IncidentReported ExampleIncidentReported(int64_t aware_at_ms) {
  v1::IncidentReported r;
  r.add_harm_types("economic");
  r.add_harm_types("human or fundamental rights");
  r.set_severity(v1::SEVERITY_SERIOUS);
  r.add_affected_stakeholders("consumers");
  r.set_art3_49_category("c");
  r.set_aware_at_ms(aware_at_ms);
  r.set_deciding_party(v1::PARTY_PROVIDER);
  r.add_member_states("DE");
  r.set_description(
      "credit limits systematically lower for one protected group");
  return r;
}

namespace {

// Hand-made bodies for types whose rules a placeholder would break.
bool HandExample(v1::Event* e) {
  const std::string& t = e->event_type();
  if (t == "FairnessSnapshot")
    *e->mutable_fairness_snapshot() = ExampleFairnessSnapshot();
  if (t == "IncidentReported") {
    *e->mutable_incident_reported() = ExampleIncidentReported(
        e->occurred_at_ms() > 0 ? e->occurred_at_ms() : 1700000000000);
  }
  if (t == "SystemRegistered") {
    auto* r = e->mutable_system_registered();
    r->set_intended_purpose("consumer credit limit decisions");
    r->set_provider("Demo Provider Ltd");
    r->set_name("Credit limit recommender");
    r->set_eu_role(v1::EU_ROLE_PROVIDER);
    r->set_risk_class(v1::RISK_CLASS_HIGH);
    r->set_annex_iii_point("5(b)");
    r->add_jurisdictions("EU");
    r->set_owner("Head of Credit Risk");
  }
  if (t == "ModelVersionReleased") {
    auto* r = e->mutable_model_version_released();
    r->set_version("2.4.0");
    r->set_artifact_sha256(std::string(32, '\x11'));
    r->set_intended_use(
        "credit limit recommendation, reviewed by an underwriter");
  }
  if (t == "RegulatorNotificationSent") {
    auto* n = e->mutable_regulator_notification();
    n->set_authority("Bundesnetzagentur");
    n->set_member_state("DE");
    n->set_kind(v1::NOTIFICATION_KIND_INITIAL);
    n->set_sent_at_ms(1700100000000);
    n->set_regime(v1::REGIME_EU_AI_ACT_ART73);
    n->set_incident_event_id(std::string(32, '\x22'));
    n->set_content_sha256(std::string(32, '\x33'));
  }
  if (t == "RiskCriteriaDefined") {
    auto* c = e->mutable_risk_criteria_defined();
    c->set_version("2024-1");
    for (const char* l : {"rare", "possible", "likely"})
      c->add_likelihood_scale(l);
    for (const char* l : {"minor", "major", "severe"}) c->add_severity_scale(l);
    c->set_acceptance("accept only rare x minor without treatment");
  }
  if (t == "RiskAssessed") {
    auto* r = e->mutable_risk_assessed();
    r->set_description("lower credit limits for applicants over 60");
    r->add_sources("ML-specific: training data drawn from one region");
    r->set_likelihood("possible");
    r->set_severity("major");
  }
  if (t == "PrivacyAssessmentRecorded") {
    auto* p = e->mutable_privacy_assessment_recorded();
    p->set_kind("dpia");
    p->set_processing("credit scoring of loan applicants");
    p->set_legal_basis("GDPR Art. 6(1)(b)");
    p->set_outcome("residual risk acceptable with the listed measures");
  }
  if (t == "HumanOverrideLogged") {
    auto* o = e->mutable_human_override_logged();
    o->set_model_version("2.4.0");
    o->set_original_outcome("declined");
    o->set_final_outcome("approved");
    o->set_reason("income evidence the model did not see");
  }
  if (t == "ExplanationMethodRecorded") {
    auto* m = e->mutable_explanation_method_recorded();
    m->set_method("SHAP");
    m->set_scope("local");
    m->set_model_version("2.4.0");
    m->set_fidelity_check("deletion curve against the model");
    m->set_fidelity(0.92);
    m->set_stability_check("rank correlation over 20 resamples");
    m->set_stability(0.88);
  }
  if (t == "DueDiligenceRecorded") {
    auto* d = e->mutable_due_diligence_recorded();
    d->set_kind(v1::DUE_DILIGENCE_KIND_ANSWERS);
    d->set_ethical_principles("published AI principles, board-approved");
    d->set_bias_prevention("quarterly subgroup evaluation");
    d->set_privacy_and_security("ISO/IEC 27001 certified; DPIA per release");
    d->set_transparency("model cards and change notices to customers");
    d->set_complaints_process("complaints desk, answered within 10 days");
  }
  if (t == "ContextRecorded") {
    auto* c = e->mutable_context_recorded();
    c->add_external_issues("EU AI Act obligations for credit scoring");
    auto* p = c->add_interested_parties();
    p->set_name("loan applicants");
    p->set_needs("fair and explained decisions");
  }
  if (t == "GroupMetricSnapshot") {
    auto* g = e->mutable_group_metric_snapshot();
    g->set_outcome("credit limit granted, EUR");
    g->mutable_window()->set_start_ms(1693526400000);
    g->mutable_window()->set_end_ms(1701388800000);
    g->set_feature("sex");
    for (const char* name : {"female", "male"}) {
      auto* s = g->add_groups();
      s->set_group(name);
      s->set_n(2);
      s->set_sum(9000);
      s->set_sum_of_squares(41000000);
    }
    g->set_reference_group("male");
    g->mutable_population()->set_sampling(v1::SAMPLING_CENSUS);
  }
  if (t == "OrganisationProfile") {
    auto* o = e->mutable_organisation_profile();
    o->set_legal_name("Demo Provider Ltd");
    o->set_time_zone("Europe/Berlin");
    o->set_country("DE");
    o->set_fiscal_year_start_month(1);
  }
  if (t == "ConformityDeclared") {
    auto* c = e->mutable_conformity_declared();
    c->set_procedure("annex-vi");
    c->set_declaration_sha256(std::string(32, '\x44'));
  }
  if (t == "EuDatabaseRegistered") {
    auto* r = e->mutable_eu_database_registered();
    r->set_article("49(1)");
    r->set_registration_id("EU-AI-000123");
    r->set_registered_at_ms(1700000000000);
  }
  if (t == "DocumentRetention") {
    auto* r = e->mutable_document_retention();
    r->set_document_sha256(std::string(32, '\x55'));
    r->set_action(v1::RETENTION_ACTION_RETAIN);
    r->set_retain_until_ms(2015000000000);  // ten years on (Art. 18)
  }
  if (t == "IncidentCommunicated") {
    auto* c = e->mutable_incident_communicated();
    c->set_incident_event_id(std::string(32, '\x22'));
    c->set_audience(v1::AUDIENCE_AFFECTED_PERSONS);
    c->set_channel("letter");
    c->set_sent_at_ms(1700200000000);
    c->set_content_sha256(std::string(32, '\x66'));
    c->set_recipient_count(14);
  }
  if (t == "ControlStatusUpdated") {
    auto* c = e->mutable_control_status_updated();
    c->set_control_id("A.6.2.8");
    c->set_applicable(true);
    c->set_justification("the system's decisions must be reconstructable");
    c->set_status(v1::CONTROL_STATUS_IMPLEMENTED);
    c->set_implemented_by("platform team");
  }
  return e->body_case() != v1::Event::BODY_NOT_SET;
}

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// Sets the last field of a required path to a placeholder that its type
// accepts.
void SetPlaceholder(Message* m, const FieldDescriptor* f) {
  const auto* r = m->GetReflection();
  if (f->message_type() == v1::Period::descriptor()) {
    auto* p = static_cast<v1::Period*>(
        f->is_repeated() ? r->AddMessage(m, f) : r->MutableMessage(m, f));
    p->set_start_ms(1700000000000);
    p->set_end_ms(1700000000000 + 86400000);
    return;
  }
  const bool digest = f->type() == FieldDescriptor::TYPE_BYTES;
  const std::string text =
      digest ? std::string(32, '\x22') : "example " + f->name();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_MESSAGE:
      if (f->is_repeated())
        r->AddMessage(m, f);
      else
        r->MutableMessage(m, f);
      break;
    case FieldDescriptor::CPPTYPE_STRING:
      if (f->is_repeated())
        r->AddString(m, f, text);
      else
        r->SetString(m, f, text);
      break;
    case FieldDescriptor::CPPTYPE_ENUM:
      r->SetEnumValue(m, f, 1);
      break;
    case FieldDescriptor::CPPTYPE_INT64:  // times: a day after the period
      r->SetInt64(m, f, 1700000000000 + 2 * 86400000);
      break;
    case FieldDescriptor::CPPTYPE_UINT64:
      r->SetUInt64(m, f, 1);
      break;
    case FieldDescriptor::CPPTYPE_UINT32:
      r->SetUInt32(m, f, 1);
      break;
    case FieldDescriptor::CPPTYPE_BOOL:  // a required bool has presence
      r->SetBool(m, f, true);
      break;
    case FieldDescriptor::CPPTYPE_DOUBLE:
      r->SetDouble(m, f, 0.5);
      break;
    default:
      break;
  }
}

// Fills `path` ("a", "a.b", "a[].b") in `m`, creating one element for "[]".
void Fill(Message* m, absl::string_view path) {
  const size_t dot = path.find('.');
  std::string head(path.substr(0, dot));
  const bool each = absl::EndsWith(head, "[]");
  if (each) head.resize(head.size() - 2);
  const FieldDescriptor* f = m->GetDescriptor()->FindFieldByName(head);
  if (f == nullptr) return;
  const auto* r = m->GetReflection();
  if (dot == absl::string_view::npos) {
    const bool given = f->is_repeated()    ? r->FieldSize(*m, f) > 0
                       : f->has_presence() ? r->HasField(*m, f)
                                           : false;
    if (!given) SetPlaceholder(m, f);
    return;
  }
  Message* sub = nullptr;
  if (!each) {
    sub = r->MutableMessage(m, f);
  } else {
    sub = r->FieldSize(*m, f) ? r->MutableRepeatedMessage(m, f, 0)
                              : r->AddMessage(m, f);
  }
  Fill(sub, path.substr(dot + 1));
}

}  // namespace

void FillExampleBody(v1::Event* e) {
  if (e->body_case() != v1::Event::BODY_NOT_SET || HandExample(e)) return;
  const std::string body = BodyFieldOf(e->event_type());
  if (body.empty()) return;
  const FieldDescriptor* f = v1::Event::descriptor()->FindFieldByName(body);
  Message* m = e->GetReflection()->MutableMessage(e, f);
  for (const std::string& path : RequiredFields(e->event_type())) Fill(m, path);
  for (const std::string& path : RequiredFieldsV3(e->event_type()))
    Fill(m, path);
  if (e->has_monitoring_plan()) {  // a metric id "namespace:name"
    for (auto& metric : *e->mutable_monitoring_plan()->mutable_metrics())
      metric.set_metric_id("example:metric");
  }
  if (e->has_report_published())
    e->mutable_report_published()->set_kind("annual-impact");
  if (e->has_audit_finding())
    e->mutable_audit_finding()->set_reference("iso42001:9.2");
}

}  // namespace ailedger
