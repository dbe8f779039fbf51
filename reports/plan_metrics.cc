#include "reports/plan_metrics.h"

#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace ailedger::reports {
namespace {

// clang-format off
constexpr const char* kFairlearn[] = {
    "demographic_parity_difference", "demographic_parity_ratio",
    "equalized_odds_difference",     "equalized_odds_ratio",
    "equal_opportunity_difference",  "equal_opportunity_ratio"};
// AIF360's names that Fairlearn does not share (equal_opportunity_difference
// is read as Fairlearn's, unsigned, unless the namespace is aif360).
constexpr const char* kAif360[] = {
    "statistical_parity_difference", "disparate_impact",
    "equal_opportunity_difference",  "average_odds_difference",
    "average_abs_odds_difference"};
// clang-format on

bool Names(const std::string& name, const std::string& known) {
  return name == known || absl::EndsWith(name, "_" + known);
}

Value FairlearnValue(const FairlearnMetrics& m, const std::string& name) {
  if (name == "demographic_parity_difference")
    return m.demographic_parity_difference;
  if (name == "demographic_parity_ratio") return m.demographic_parity_ratio;
  if (name == "equalized_odds_difference") return m.equalized_odds_difference;
  if (name == "equalized_odds_ratio") return m.equalized_odds_ratio;
  if (name == "equal_opportunity_difference")
    return m.equal_opportunity_difference;
  return m.equal_opportunity_ratio;
}

Value Aif360Value(const Aif360Metrics& m, const std::string& name) {
  if (name == "statistical_parity_difference")
    return m.statistical_parity_difference;
  if (name == "disparate_impact") return m.disparate_impact;
  if (name == "equal_opportunity_difference")
    return m.equal_opportunity_difference;
  if (name == "average_odds_difference") return m.average_odds_difference;
  return m.average_abs_odds_difference;
}

const GroupRates* GroupOf(const FairnessResult& r, const std::string& g) {
  for (const GroupRates& x : r.groups) {
    if (x.group == g) return &x;
  }
  return nullptr;
}

// The state of a value over `groups`: suppressed before insufficient data
// before undefined (a suppressed cell's n is itself not printed).
PlanValue Judge(const std::string& label,
                const std::vector<const GroupRates*>& groups, Value v,
                uint64_t min_n, const MetricOptions& o) {
  PlanValue out{label, PointState::kValue, "", v, {}};
  for (const GroupRates* g : groups) {
    if (o.Suppressed(g->n)) {
      out.state = PointState::kSuppressed;
      out.why = o.SuppressedText();
      return out;
    }
  }
  for (const GroupRates* g : groups) {
    if (g->n < min_n) {
      out.state = PointState::kInsufficientData;
      out.why = absl::StrCat("insufficient data (", g->group, ": n ", g->n,
                             " < ", min_n, ")");
      return out;
    }
  }
  if (!v.defined) {
    out.state = PointState::kUndefined;
    out.why = "undefined (an empty denominator)";
  }
  return out;
}

}  // namespace

std::string PlanMetricKind::Label() const {
  switch (family) {
    case kFairlearn:
      return absl::StrCat(
          "fairlearn:", name, " (",
          method == Method::kToOverall ? "to_overall" : "between_groups",
          ", unsigned)");
    case kAif360:
      return absl::StrCat("aif360:", name, " (signed, to the reference)");
    case kSmd:
      return "absolute standardised mean difference (Cohen's d, pooled SD, "
             "to the reference)";
    case kUnknown:
      break;
  }
  return "not computed";
}

PlanMetricKind ResolvePlanMetric(const v1::PlannedMetric& m) {
  PlanMetricKind k;
  const std::string& id = m.metric_id();
  const size_t colon = id.find(':');
  const std::string ns = colon == std::string::npos ? "" : id.substr(0, colon);
  const std::string name =
      colon == std::string::npos ? id : id.substr(colon + 1);
  k.method = m.method() == v1::METRIC_METHOD_TO_OVERALL
                 ? Method::kToOverall
                 : Method::kBetweenGroups;
  for (const char* known : kAif360) {
    if (ns == "aif360"
            ? name == known
            : Names(name, known) &&
                  std::string(known) != "equal_opportunity_difference") {
      k.family = PlanMetricKind::kAif360;
      k.name = known;
      k.read_by_name = ns != "aif360";
      return k;
    }
  }
  for (const char* known : kFairlearn) {
    if (ns == "fairlearn" ? name == known : Names(name, known)) {
      k.family = PlanMetricKind::kFairlearn;
      k.name = known;
      k.read_by_name = ns != "fairlearn";
      return k;
    }
  }
  if (Names(name, "standardised_mean_difference") ||
      Names(name, "standardized_mean_difference")) {
    k.family = PlanMetricKind::kSmd;
    k.name = "standardised_mean_difference";
    k.read_by_name = true;
  }
  return k;
}

std::vector<PlanValue> FairnessPlanValues(const PlanMetricKind& kind,
                                          const v1::PlannedMetric& metric,
                                          const v1::FairnessSnapshot& snapshot,
                                          const v1::SensitiveFeature& feature,
                                          uint64_t min_n,
                                          const MetricOptions& o) {
  const std::set<std::string> wanted(metric.groups().begin(),
                                     metric.groups().end());
  std::vector<GroupCounts> cells;
  for (const v1::ConfusionCell& c : feature.cells()) {
    const std::string key = GroupKey(c);
    if (!wanted.empty() && !wanted.contains(key)) continue;
    cells.push_back({key, {c.tp(), c.fp(), c.tn(), c.fn()}});
  }
  if (cells.empty()) return {};
  const std::string all = "all groups";
  if (kind.family == PlanMetricKind::kUnknown ||
      kind.family == PlanMetricKind::kSmd) {
    return {{all,
             PointState::kNotComputed,
             absl::StrCat("not computed: '", metric.metric_id(),
                          "' is not a metric this generator computes from "
                          "confusion counts; threshold not evaluated"),
             {},
             {}}};
  }
  if (cells.size() < wanted.size()) {
    std::vector<std::string> absent;
    for (const std::string& w : wanted) {
      bool found = false;
      for (const GroupCounts& c : cells) found |= c.group == w;
      if (!found) absent.push_back(w);
    }
    return {{all,
             PointState::kUndefined,
             absl::StrCat("undefined: the plan's group(s) ",
                          absl::StrJoin(absent, ", "), " not in the snapshot"),
             {},
             {}}};
  }
  std::string reference = feature.reference_group();
  if (reference.empty()) reference = snapshot.reference_group();
  bool has_reference = false;
  for (const GroupCounts& c : cells) has_reference |= c.group == reference;
  if (!has_reference) reference.clear();
  const Positive positive = snapshot.positive_is_favourable()
                                ? Positive::kFavourable
                                : Positive::kUnfavourable;
  auto r = ComputeFairness(feature.name(), cells, reference, positive,
                           {.min_n = min_n, .z = TwoSidedZ(o.alpha)});
  if (!r.ok()) {
    return {{all,
             PointState::kUndefined,
             absl::StrCat("undefined: ", r.status().message()),
             {},
             {}}};
  }
  std::vector<const GroupRates*> everyone;
  for (const GroupRates& g : r->groups) everyone.push_back(&g);
  if (kind.family == PlanMetricKind::kFairlearn) {
    const FairlearnMetrics& m =
        kind.method == Method::kToOverall ? r->to_overall : r->between_groups;
    return {Judge(all, everyone, FairlearnValue(m, kind.name), min_n, o)};
  }
  if (reference.empty()) {
    return {{all,
             PointState::kUndefined,
             "undefined: the feature names no reference group",
             {},
             {}}};
  }
  const GroupRates* ref = GroupOf(*r, reference);
  std::vector<PlanValue> out;
  for (size_t i = 0; i < r->aif360.size(); ++i) {
    const Aif360Metrics& m = r->aif360[i];
    PlanValue v = Judge(m.unprivileged, {GroupOf(*r, m.unprivileged), ref},
                        Aif360Value(m, kind.name), min_n, o);
    if (kind.name == "disparate_impact") v.interval = r->vs_reference[i].katz;
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace ailedger::reports
