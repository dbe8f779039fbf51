// The points of FairnessSnapshots (metric_series.h): per group selection
// rate, TPR and FPR with Wilson intervals and the corrected Fisher p against
// the reference; the impact ratios to the highest and to the reference group
// with Katz intervals against the four-fifths screening line; and the plan
// metric against the plan's threshold. Small cells are suppressed with every
// figure that involves them (a ratio to a suppressed highest group would
// give its rate away).
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "reports/metric_series.h"
#include "reports/plan_metrics.h"

namespace ailedger::reports::series {
namespace {

std::string Sampling(v1::Sampling s) {
  switch (s) {
    case v1::SAMPLING_CENSUS:
      return "census";
    case v1::SAMPLING_SAMPLE:
      return "sample";
    default:
      return "sampling unspecified";
  }
}

// Whose decisions, and which plan metric: a series never pools across these.
std::string Stream(const v1::Population& p, const std::string& plan_metric) {
  std::string s =
      absl::StrCat("deployer ", p.deployer().empty() ? "unnamed" : p.deployer(),
                   " · region ", p.region().empty() ? "unnamed" : p.region(),
                   " · ", Sampling(p.sampling()));
  if (!plan_metric.empty()) absl::StrAppend(&s, " · plan metric ", plan_metric);
  return s;
}

// What breaks a fairness series.
std::vector<std::pair<std::string, std::string>> Segment(
    const v1::FairnessSnapshot& f) {
  return {
      {"model version", f.model_version()},
      {"decision threshold", f.has_decision_threshold()
                                 ? absl::StrFormat("%g", f.decision_threshold())
                                 : "unset"},
      {"method version",
       f.method_version().empty() ? "unset" : f.method_version()},
      {"membership source", MembershipName(f.membership_source())}};
}

const char* const kFourFifthsSource =
    "four-fifths screen, 29 CFR 1607.4(D): a screening flag, not a finding";

struct Context {
  const SnapshotAnalysis& a;
  const MetricOptions& o;
  const std::string& system;
  SeriesPoint base;  // record, window, segment
  std::string stream;
  std::vector<Series>* out;
};

void Add(const Context& c, const std::string& metric,
         const std::string& feature, const std::string& group,
         SeriesPoint point) {
  Series id{c.system, "FairnessSnapshot", metric, feature,
            group,    c.stream,           "",     {}};
  SeriesFor(c.out, id)->points.push_back(std::move(point));
}

// A point of one group's figure: suppressed, insufficient, undefined, or
// the value.
SeriesPoint Judged(const Context& c, std::vector<const GroupRates*> groups,
                   const Value& v, const Interval& ci, std::string text) {
  SeriesPoint p = c.base;
  for (const GroupRates* g : groups) {
    if (c.o.Suppressed(g->n)) {
      p.state = PointState::kSuppressed;
      p.text = c.o.SuppressedText();
      return p;
    }
  }
  for (const GroupRates* g : groups) {
    if (g->insufficient_data) {
      p.state = PointState::kInsufficientData;
      p.text = absl::StrCat("insufficient data (", g->group, ": n ", g->n,
                            " < ", c.a.min_n, ")");
      return p;
    }
  }
  p.n = groups[0]->n;
  if (!v.defined) {
    p.state = PointState::kUndefined;
    p.text = "undefined (an empty denominator)";
    return p;
  }
  p.value = v;
  p.interval = ci;
  p.text = std::move(text);
  return p;
}

void AddRates(const Context& c, size_t fi, const GroupRates& g) {
  const FairnessResult& f = c.a.features[fi];
  const GroupRates* ref = nullptr;
  for (const GroupRates& x : f.groups) {
    if (x.group == f.reference_group) ref = &x;
  }
  for (TestedRate t :
       {TestedRate::kSelectionRate, TestedRate::kTpr, TestedRate::kFpr}) {
    const Rate& rate = t == TestedRate::kTpr   ? g.tpr
                       : t == TestedRate::kFpr ? g.fpr
                                               : g.selection_rate;
    SeriesPoint p = Judged(c, {&g}, rate.value, rate.wilson,
                           absl::StrFormat("%d/%d = %.4f", rate.count,
                                           rate.denominator, rate.value.value));
    const std::vector<FisherTest>& tests = c.a.Tests(fi, t);
    for (size_t j = 0; j < tests.size(); ++j) {
      if (tests[j].group != g.group || ref == nullptr) continue;
      // A p against a suppressed reference would say something of it.
      if (p.state == PointState::kValue && !c.o.Suppressed(ref->n)) {
        p.p = tests[j].p;
        p.p_adjusted = c.a.AdjustedP(fi, t)[j];
      }
    }
    Add(c, TestedRateName(t), f.feature, g.group, std::move(p));
  }
}

void AddImpact(const Context& c, const FairnessResult& f,
               const std::vector<ImpactRatio>& ratios,
               const std::string& metric) {
  auto find = [&](const std::string& name) -> const GroupRates* {
    for (const GroupRates& g : f.groups) {
      if (g.group == name) return &g;
    }
    return nullptr;
  };
  for (const ImpactRatio& r : ratios) {
    const GroupRates* g = find(r.group);
    const GroupRates* comparator = find(r.comparator);
    SeriesPoint p =
        Judged(c, {g, comparator}, r.ratio, r.katz, Format(r.ratio));
    p.threshold = Threshold{0.8, true, kFourFifthsSource, true};
    p.breach = p.state == PointState::kValue && r.screening_flag;
    Add(c, metric, f.feature, r.group, std::move(p));
  }
}

void AddPlanMetric(const Context& c, size_t fi) {
  const v1::FairnessSnapshot& s = c.a.record->event.fairness_snapshot();
  const v1::PlannedMetric& m = *c.a.metric;
  const PlanMetricKind kind = ResolvePlanMetric(m);
  const std::vector<PlanValue> values = FairnessPlanValues(
      kind, m, s, s.features(static_cast<int>(fi)), c.a.min_n, c.o);
  std::string metric = absl::StrCat("plan: ", m.metric_id());
  if (kind.family != PlanMetricKind::kUnknown && !kind.read_by_name) {
    metric = absl::StrCat("plan: ", kind.Label());
  } else if (kind.family != PlanMetricKind::kUnknown) {
    absl::StrAppend(&metric, ", read by its name as ", kind.Label());
  }
  for (const PlanValue& v : values) {
    SeriesPoint p = c.base;
    p.segment.push_back({"plan metric method", kind.Label()});
    p.state = v.state;
    p.text = v.state == PointState::kValue ? Format(v.value) : v.why;
    if (v.state == PointState::kValue) {
      p.value = v.value;
      p.interval = v.interval;
    }
    p.threshold = PlanThreshold(c.a.plan, &m);
    p.breach = p.state == PointState::kValue && p.threshold &&
               (p.threshold->at_least ? v.value.value < p.threshold->value
                                      : v.value.value > p.threshold->value);
    Add(c, metric, c.a.features[fi].feature, v.group, std::move(p));
  }
}

}  // namespace

void AddFairness(const SystemAnalysis& a, const MetricOptions& o,
                 std::vector<Series>* out, std::vector<std::string>* notes) {
  for (const std::string& s : a.left_out) {
    notes->push_back(absl::StrCat(s, " (left out of the series)"));
  }
  for (const SnapshotAnalysis& s : a.snapshots) {
    const Record& r = *s.record;
    const v1::FairnessSnapshot& f = r.event.fairness_snapshot();
    if (!s.status.ok()) {
      notes->push_back(
          absl::StrCat(Cite(r), ": no rates: ", s.status.message()));
      continue;
    }
    SeriesPoint base;
    base.record = &r;
    base.at_ms = f.decision_window().end_ms() > 0 ? f.decision_window().end_ms()
                                                  : r.event.occurred_at_ms();
    base.window = Window(f.decision_window(), r.event.occurred_at_ms());
    base.segment = Segment(f);
    Context c{s,  o, a.system, base, Stream(f.population(), f.plan_metric_id()),
              out};
    if (!f.plan_metric_id().empty() && s.metric == nullptr) {
      notes->push_back(absl::StrCat(
          Cite(r), ": plan metric '", f.plan_metric_id(),
          "' not found (its MonitoringPlan is not in the records): no "
          "threshold"));
    }
    for (size_t i = 0; i < s.features.size(); ++i) {
      const FairnessResult& res = s.features[i];
      for (const GroupRates& g : res.groups) AddRates(c, i, g);
      AddImpact(c, res, res.vs_highest, "impact ratio to the highest group");
      AddImpact(c, res, res.vs_reference,
                "impact ratio to the reference group");
      if (s.metric != nullptr) AddPlanMetric(c, i);
    }
  }
}

}  // namespace ailedger::reports::series
