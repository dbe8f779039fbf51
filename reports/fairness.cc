#include "reports/fairness.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/types/span.h"
#include "ailedger/event.pb.h"
#include "reports/exact.h"
#include "reports/intervals.h"

namespace ailedger::reports {
namespace {

using RateField = Rate GroupRates::*;

// The counts with the favourable outcome as the positive class.
ConfusionCounts Orient(const ConfusionCounts& c, Positive positive) {
  if (positive == Positive::kFavourable) return c;
  return ConfusionCounts{.tp = c.tn, .fp = c.fn, .tn = c.tp, .fn = c.fp};
}

Rate MakeRate(uint64_t count, uint64_t denominator, double z) {
  return Rate{count, denominator, Value::Ratio(count, denominator),
              WilsonInterval(count, denominator, z)};
}

// Fairlearn _base_metrics.py and AIF360 ClassificationMetric's rates, on the
// oriented counts. The caller has checked that the sums do not overflow.
GroupRates MakeGroup(const std::string& name, const ConfusionCounts& recorded,
                     Positive positive, const FairnessOptions& options) {
  const ConfusionCounts c = Orient(recorded, positive);
  const double z = options.z;
  GroupRates g;
  g.group = name;
  g.counts = recorded;
  g.n = c.tp + c.fp + c.tn + c.fn;
  g.insufficient_data = g.n < options.min_n;
  g.selection_rate = MakeRate(c.tp + c.fp, g.n, z);
  g.tpr = MakeRate(c.tp, c.tp + c.fn, z);
  g.fpr = MakeRate(c.fp, c.fp + c.tn, z);
  g.tnr = MakeRate(c.tn, c.fp + c.tn, z);
  g.fnr = MakeRate(c.fn, c.tp + c.fn, z);
  g.ppv = MakeRate(c.tp, c.tp + c.fp, z);
  g.error_rate = MakeRate(c.fp + c.fn, g.n, z);
  return g;
}

bool AddOverflows(uint64_t a, uint64_t b, uint64_t* sum) {
  return __builtin_add_overflow(a, b, sum);
}

bool CountsOverflow(const ConfusionCounts& c) {
  uint64_t s;
  return AddOverflows(c.tp, c.fp, &s) || AddOverflows(s, c.tn, &s) ||
         AddOverflows(s, c.fn, &s);
}

absl::Status CheckGroups(absl::Span<const GroupCounts> groups,
                         const std::string& reference_group,
                         ConfusionCounts* total) {
  if (groups.size() < 2) {
    return absl::InvalidArgumentError(absl::StrCat(
        "groups: a feature needs at least two groups, has ", groups.size()));
  }
  absl::flat_hash_set<std::string> seen;
  for (size_t i = 0; i < groups.size(); ++i) {
    const GroupCounts& g = groups[i];
    if (g.group.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("groups[", i, "].group is empty"));
    }
    if (!seen.insert(g.group).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          "groups[", i, "].group \"", g.group, "\" appears twice"));
    }
    if (CountsOverflow(g.counts) ||
        AddOverflows(total->tp, g.counts.tp, &total->tp) ||
        AddOverflows(total->fp, g.counts.fp, &total->fp) ||
        AddOverflows(total->tn, g.counts.tn, &total->tn) ||
        AddOverflows(total->fn, g.counts.fn, &total->fn) ||
        CountsOverflow(*total)) {
      return absl::InvalidArgumentError(
          absl::StrCat("groups[", i, "]: counts overflow 64 bits"));
    }
  }
  if (!reference_group.empty() && !seen.contains(reference_group)) {
    return absl::InvalidArgumentError(
        absl::StrCat("reference_group \"", reference_group,
                     "\" is none of the feature's groups"));
  }
  return absl::OkStatus();
}

// MetricFrame.difference(method): between_groups max_g - min_g; to_overall
// max_g |m_g - m_overall|. Undefined if any group's value is.
Value Difference(const FairnessResult& r, RateField f, Method method) {
  Value out;
  for (size_t i = 0; i < r.groups.size(); ++i) {
    const Value& m = (r.groups[i].*f).value;
    if (!m.defined) return Value::Undefined();
    if (method == Method::kToOverall) {
      const Value d = Abs(Sub(m, (r.overall.*f).value));
      out = i == 0 ? d : Max(out, d);
    }
  }
  if (method == Method::kToOverall) return out;
  Value lo = (r.groups[0].*f).value, hi = lo;
  for (const GroupRates& g : r.groups) {
    lo = Min(lo, (g.*f).value);
    hi = Max(hi, (g.*f).value);
  }
  return Sub(hi, lo);
}

// MetricFrame.ratio(method): between_groups min_g / max_g; to_overall
// min_g of m_g/m_overall, inverted when above 1 (ratio_sub_one).
// Undefined if any group's value is, or a denominator is 0.
Value Ratio(const FairnessResult& r, RateField f, Method method) {
  for (const GroupRates& g : r.groups) {
    if (!(g.*f).value.defined) return Value::Undefined();
  }
  if (method == Method::kBetweenGroups) {
    Value lo = (r.groups[0].*f).value, hi = lo;
    for (const GroupRates& g : r.groups) {
      lo = Min(lo, (g.*f).value);
      hi = Max(hi, (g.*f).value);
    }
    return Div(lo, hi);
  }
  const Value one = Value::Integer(1);
  Value out;
  for (size_t i = 0; i < r.groups.size(); ++i) {
    Value q = Div((r.groups[i].*f).value, (r.overall.*f).value);
    if (!q.defined) return q;
    if (Compare(q, one) > 0) q = Div(one, q);
    out = i == 0 ? q : Min(out, q);
  }
  return out;
}

// fairlearn/metrics/_fairness_metrics.py: demographic_parity_* on
// selection_rate; equalized_odds_* over true_positive_rate and
// false_positive_rate (agg "worst_case": max of the differences, min of the
// ratios; agg "mean": their means); equal_opportunity_* on
// true_positive_rate.
FairlearnMetrics Fairlearn(const FairnessResult& r, Method method) {
  FairlearnMetrics m;
  m.demographic_parity_difference =
      Difference(r, &GroupRates::selection_rate, method);
  m.demographic_parity_ratio = Ratio(r, &GroupRates::selection_rate, method);
  const Value tpr_diff = Difference(r, &GroupRates::tpr, method);
  const Value fpr_diff = Difference(r, &GroupRates::fpr, method);
  const Value tpr_ratio = Ratio(r, &GroupRates::tpr, method);
  const Value fpr_ratio = Ratio(r, &GroupRates::fpr, method);
  m.equalized_odds_difference = Max(tpr_diff, fpr_diff);
  m.equalized_odds_difference_mean = Mean(tpr_diff, fpr_diff);
  m.equalized_odds_ratio = Min(tpr_ratio, fpr_ratio);
  m.equalized_odds_ratio_mean = Mean(tpr_ratio, fpr_ratio);
  m.equal_opportunity_difference = tpr_diff;
  m.equal_opportunity_ratio = tpr_ratio;
  return m;
}

// aif360/metrics/classification_metric.py, unprivileged u against
// privileged p: statistical_parity_difference, disparate_impact,
// equal_opportunity_difference, average_odds_difference,
// average_abs_odds_difference.
Aif360Metrics Aif360(const GroupRates& u, const GroupRates& p) {
  Aif360Metrics m;
  m.unprivileged = u.group;
  m.insufficient_data = u.insufficient_data || p.insufficient_data;
  const Value d_tpr = Sub(u.tpr.value, p.tpr.value);
  const Value d_fpr = Sub(u.fpr.value, p.fpr.value);
  m.statistical_parity_difference =
      Sub(u.selection_rate.value, p.selection_rate.value);
  m.disparate_impact = Div(u.selection_rate.value, p.selection_rate.value);
  m.equal_opportunity_difference = d_tpr;
  m.average_odds_difference = Mean(d_fpr, d_tpr);
  m.average_abs_odds_difference = Mean(Abs(d_fpr), Abs(d_tpr));
  return m;
}

// The four-fifths screen (29 CFR 1607.4(D)). A group against itself has
// ratio 1 and no interval (the Katz interval assumes two samples).
ImpactRatio Impact(const GroupRates& g, const GroupRates& c, double z) {
  ImpactRatio r;
  r.group = g.group;
  r.comparator = c.group;
  r.insufficient_data = g.insufficient_data || c.insufficient_data;
  r.ratio = Div(g.selection_rate.value, c.selection_rate.value);
  if (g.group != c.group) {
    r.katz = KatzLogInterval(g.selection_rate.count, g.n,
                             c.selection_rate.count, c.n, z);
  }
  r.screening_flag =
      r.ratio.defined && Compare(r.ratio, Value::Ratio(4, 5)) < 0;
  r.interval_straddles_four_fifths =
      r.katz.defined && r.katz.lower < 0.8 && r.katz.upper > 0.8;
  return r;
}

// Fisher's exact test of rate `f` of g against the reference's: the table
// (count, denominator - count) of each. No p when either denominator is 0.
FisherTest Fisher(const GroupRates& g, const GroupRates& ref, RateField f) {
  FisherTest t;
  t.group = g.group;
  t.insufficient_data = g.insufficient_data || ref.insufficient_data;
  const Rate& x = g.*f;
  const Rate& y = ref.*f;
  if (x.denominator == 0 || y.denominator == 0) return t;
  t.p = FisherExactTwoSided(x.count, x.denominator - x.count, y.count,
                            y.denominator - y.count);
  return t;
}

const GroupRates* Highest(const std::vector<GroupRates>& groups) {
  const GroupRates* best = nullptr;
  for (const GroupRates& g : groups) {
    if (!g.selection_rate.value.defined) continue;
    if (best == nullptr ||
        Compare(g.selection_rate.value, best->selection_rate.value) > 0) {
      best = &g;
    }
  }
  return best;
}

}  // namespace

absl::StatusOr<FairnessResult> ComputeFairness(
    std::string feature, absl::Span<const GroupCounts> groups,
    const std::string& reference_group, Positive positive,
    const FairnessOptions& options) {
  ConfusionCounts total;
  if (absl::Status s = CheckGroups(groups, reference_group, &total); !s.ok()) {
    return s;
  }
  FairnessResult r;
  r.feature = std::move(feature);
  r.positive = positive;
  r.options = options;
  r.reference_group = reference_group;
  const GroupRates* ref = nullptr;
  for (const GroupCounts& g : groups) {
    r.groups.push_back(MakeGroup(g.group, g.counts, positive, options));
  }
  r.overall = MakeGroup("overall", total, positive, options);
  r.between_groups = Fairlearn(r, Method::kBetweenGroups);
  r.to_overall = Fairlearn(r, Method::kToOverall);
  for (const GroupRates& g : r.groups) {
    if (g.group == reference_group) ref = &g;
  }
  if (ref != nullptr) {
    for (const GroupRates& g : r.groups) {
      if (&g == ref) continue;
      r.aif360.push_back(Aif360(g, *ref));
      r.vs_reference.push_back(Impact(g, *ref, options.z));
      r.fisher_vs_reference.push_back(
          Fisher(g, *ref, &GroupRates::selection_rate));
      r.fisher_tpr_vs_reference.push_back(Fisher(g, *ref, &GroupRates::tpr));
      r.fisher_fpr_vs_reference.push_back(Fisher(g, *ref, &GroupRates::fpr));
    }
  }
  if (const GroupRates* top = Highest(r.groups); top != nullptr) {
    r.highest_group = top->group;
    for (const GroupRates& g : r.groups) {
      r.vs_highest.push_back(Impact(g, *top, options.z));
    }
  }
  return r;
}

std::string GroupKey(const v1::ConfusionCell& cell) {
  return absl::StrJoin(cell.group(), " x ");
}

absl::StatusOr<std::vector<FairnessResult>> ComputeSnapshotFairness(
    const v1::FairnessSnapshot& snapshot, const FairnessOptions& options) {
  if (!snapshot.has_positive_is_favourable()) {
    return absl::FailedPreconditionError(
        "positive_is_favourable is unset: no selection rate can be computed "
        "until it says whether a positive prediction is the favourable "
        "decision");
  }
  const Positive positive = snapshot.positive_is_favourable()
                                ? Positive::kFavourable
                                : Positive::kUnfavourable;
  std::vector<FairnessResult> out;
  for (int i = 0; i < snapshot.features_size(); ++i) {
    const v1::SensitiveFeature& f = snapshot.features(i);
    std::vector<GroupCounts> groups;
    bool has_snapshot_reference = false;
    for (const v1::ConfusionCell& cell : f.cells()) {
      groups.push_back(
          GroupCounts{GroupKey(cell), ConfusionCounts{.tp = cell.tp(),
                                                      .fp = cell.fp(),
                                                      .tn = cell.tn(),
                                                      .fn = cell.fn()}});
      has_snapshot_reference |=
          groups.back().group == snapshot.reference_group();
    }
    std::string reference = f.reference_group();
    if (reference.empty() && has_snapshot_reference) {
      reference = snapshot.reference_group();
    }
    absl::StatusOr<FairnessResult> r =
        ComputeFairness(f.name(), groups, reference, positive, options);
    if (!r.ok()) {
      return absl::Status(r.status().code(),
                          absl::StrCat("features[", i, "] (\"", f.name(),
                                       "\"): ", r.status().message()));
    }
    out.push_back(*std::move(r));
  }
  return out;
}

}  // namespace ailedger::reports
