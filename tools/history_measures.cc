// Monitoring in the generated history (EU AI Act Art. 72; ISO/IEC 42001
// A.6.2.6): each system's plan with machine metric ids and thresholds, the
// quarterly measurements that answer it, and the escalation a breach
// triggers.
#include "absl/strings/str_cat.h"
#include "tools/history_story.h"

namespace ailedger::history {
namespace {

constexpr char kFairnessMetric[] = "aif360:disparate_impact";
constexpr char kGroupMetric[] = "ailedger:standardised_mean_difference";
constexpr char kSocietalMetric[] = "ailedger:appeals_upheld_share";
constexpr double kFourFifths = 0.8;

v1::Population Census() {
  v1::Population p;
  p.set_deployer(kDeployer);
  p.set_region(kMemberState);
  p.set_sampling(v1::SAMPLING_CENSUS);
  return p;
}

}  // namespace

void History::Story::Plan(System& s) {
  v1::Event plan =
      Base("MonitoringPlan", kProvider, {{"system", s.id}}, {"euaia:art72"});
  auto* mp = plan.mutable_monitoring_plan();
  mp->set_data_sources("decision logs and 12-month repayment outcomes");
  mp->set_escalation(
      "a threshold breach opens an incident within 2 working days; the risk "
      "owner decides on mitigation");
  if (s.classifies()) {
    auto* m = mp->add_metrics();
    m->set_name("selection-rate ratio by age band, to the reference band");
    m->set_event_type("FairnessSnapshot");
    for (const char* g : {"18-39", "40-59", "60+"}) m->add_groups(g);
    m->set_threshold(kFourFifths);
    m->set_comparison("at least");
    m->set_cadence_days(91);
    m->set_metric_id(kFairnessMetric);
    m->set_method(v1::METRIC_METHOD_BETWEEN_GROUPS);
    m->set_comparator(v1::COMPARATOR_REFERENCE_GROUP);
    m->set_min_cell_count(30);
    m->set_rationale(
        "the four-fifths screen on favourable decisions, against the "
        "largest band; a screening flag, not a finding");
    auto* g = mp->add_metrics();
    g->set_name("standardised mean difference of granted limits by sex");
    g->set_event_type("GroupMetricSnapshot");
    g->set_threshold(0.2);
    g->set_comparison("at most");
    g->set_cadence_days(91);
    g->set_metric_id(kGroupMetric);
    g->set_method(v1::METRIC_METHOD_BETWEEN_GROUPS);
    g->set_comparator(v1::COMPARATOR_REFERENCE_GROUP);
    g->set_min_cell_count(30);
    g->set_rationale("limits are continuous: a small-effect bound on SMD");
  }
  auto* o = mp->add_metrics();
  o->set_name("share of appeals upheld");
  o->set_event_type("SocietalMetricRecorded");
  o->set_cadence_days(91);
  o->set_metric_id(kSocietalMetric);
  o->set_rationale("upheld appeals show decisions that should not stand");
  s.plan = Emit("analyst", plan);
}

void History::Story::Fairness(System& s, int quarter) {
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
  feature->set_reference_group("40-59");
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
  f->set_positive_label("limit granted (predicted to repay within 12 months)");
  f->set_positive_is_favourable(true);
  f->set_method_version("fairness-pipeline 2.0");
  *f->mutable_population() = Census();
  f->set_plan_event_id(Bytes(s.plan));
  f->set_plan_metric_id(kFairnessMetric);
  f->set_membership_source(v1::MEMBERSHIP_SOURCE_SELF_DECLARED);
  f->set_share_unknown(0.01);
  const Hash snapshot = Emit(pipeline_, e);
  if (quarter == 1 && &s == &systems_[0]) {  // one correction
    e.set_supersedes(Bytes(snapshot));
    e.set_supersedes_reason("the first snapshot used last quarter's labels");
    f->set_evaluation_dataset_sha256(Digest(absl::StrCat(s.id, "fixed")));
    Emit(pipeline_, e);
  }
  const double measured =
      (static_cast<double>(bands[2].n * bands[2].rate) / bands[2].n) /
      bands[1].rate;
  Later(1, [this, &s, measured, quarter] { Escalate(s, measured, quarter); });
}

// The plan's escalation: a breach opens an incident (a screening flag, not a
// serious incident) within 2 working days; a persisting breach updates it; the
// first snapshot back above the threshold closes it.
void History::Story::Escalate(System& s, double ratio, int quarter) {
  if (!s.active) return;
  const bool breach = ratio < kFourFifths;
  if (breach && s.fairness_incident.empty()) {
    s.fairness_incident = absl::StrCat("FB-", s.id, "-Q", quarter);
    Report(s, s.fairness_incident, false,
           absl::StrCat("selection-rate ratio of 60+ to 40-59 fell to ",
                        static_cast<int>(ratio * 100), "% (plan: 80%)"));
    return;
  }
  if (s.fairness_incident.empty()) return;
  const Subjects subj = {{"system", s.id}, {"incident", s.fairness_incident}};
  if (breach) {
    v1::Event u = Base("IncidentUpdated", kProvider, subj);
    u.mutable_incident_updated()->set_update(
        absl::StrCat("breach persists in quarter ", quarter,
                     "; retraining with reweighted data"));
    Emit("analyst", u);
    return;
  }
  v1::Event c = Base("IncidentClosed", kProvider, subj);
  c.mutable_incident_closed()->set_resolution(
      "the ratio is back above four fifths after retraining");
  c.mutable_incident_closed()->set_root_cause("under-represented 60+ labels");
  Emit("analyst", c);
  s.fairness_incident.clear();
}

void History::Story::Metrics(const System& s, int quarter) {
  if (s.classifies()) {
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
    m->set_feature("sex");
    m->set_reference_group("male");
    m->set_membership_source(v1::MEMBERSHIP_SOURCE_SELF_DECLARED);
    *m->mutable_population() = Census();
    m->set_plan_event_id(Bytes(s.plan));
    m->set_plan_metric_id(kGroupMetric);
    Emit(pipeline_, g);
  }
  v1::Event e = Base("SocietalMetricRecorded", kDeployer, {{"system", s.id}},
                     {"iso42001:A.5.5"});
  auto* sm = e.mutable_societal_metric();
  sm->set_name("appeals upheld");
  sm->set_unit("% of appeals");
  sm->set_population(absl::StrCat("customers who appealed a decision of ",
                                  s.name, " at ", kDeployer));
  sm->mutable_period()->set_start_ms(clock_ms_ - 91 * kDay);
  sm->mutable_period()->set_end_ms(clock_ms_ - kDay);
  sm->set_value(3.0 + (quarter % 5) * 0.4);
  sm->set_baseline(4.0);
  sm->set_method_version("appeals-v1");
  sm->set_uncertainty(0.5);
  sm->set_uncertainty_kind(v1::UNCERTAINTY_KIND_STANDARD_ERROR);
  sm->set_n(120 + Uniform(80));
  Emit("staff", e);
}

}  // namespace ailedger::history
