#include "ledger/examples.h"

#include <string>

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
  f.set_favourable_outcome("approved");
  f.set_reference_group("A");
  f.set_membership_source(v1::MEMBERSHIP_SOURCE_SELF_DECLARED);
  f.set_share_unknown(0.02);
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
  r.set_description(
      "credit limits systematically lower for one protected group");
  return r;
}

void FillExampleBody(v1::Event* e) {
  if (e->body_case() != v1::Event::BODY_NOT_SET) return;
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
    r->add_deployers("Corner Shop Finance");
    r->set_eu_role(v1::EU_ROLE_PROVIDER);
    r->set_risk_class(v1::RISK_CLASS_HIGH);
    r->set_annex_iii_point("5(b)");
    r->add_jurisdictions("EU");
    r->set_owner("Head of Credit Risk");
  }
  if (t == "ModelVersionReleased") {
    auto* r = e->mutable_model_version_released();
    r->set_version("2.4.0");
    r->set_previous_version("2.3.1");
    r->set_artifact_sha256(std::string(32, '\x11'));
    r->set_intended_use(
        "credit limit recommendation, reviewed by an underwriter");
  }
}

}  // namespace ailedger
