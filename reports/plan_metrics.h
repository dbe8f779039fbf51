// What a MonitoringPlan's metric means, so that a report can compute it from
// the raw counts and hold it against the plan's threshold (EU AI Act Art.
// 72(3); review 2026-11 §1.5 "which metric, which convention and why").
//
// A metric id "fairlearn:NAME" or "aif360:NAME" names the library's metric
// (DOMAIN.md §7). Another namespace whose name ends with one of those names
// ("aurora:holdout_demographic_parity_ratio") is read as that metric, and
// the report says it read it so by its name; a name ending in
// "standardised_mean_difference" is the absolute standardised mean difference
// of a GroupMetricSnapshot (Cohen's d with the pooled SD, to the reference
// group). Any other id is not computed and its threshold not evaluated,
// which the report says.
#ifndef AILEDGER_REPORTS_PLAN_METRICS_H_
#define AILEDGER_REPORTS_PLAN_METRICS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "ailedger/event.pb.h"
#include "reports/exact.h"
#include "reports/fairness.h"
#include "reports/fairness_analysis.h"
#include "reports/intervals.h"
#include "reports/metric_series.h"

namespace ailedger::reports {

struct PlanMetricKind {
  enum Family { kUnknown, kFairlearn, kAif360, kSmd };
  Family family = kUnknown;
  std::string name;  // the library's name: "demographic_parity_ratio"
  Method method = Method::kBetweenGroups;  // Fairlearn only
  bool read_by_name = false;  // the id's namespace is not the library's

  // "fairlearn:demographic_parity_ratio (between_groups)", "aif360:
  // disparate_impact (signed, to the reference)", ...
  std::string Label() const;
  bool PerGroup() const { return family == kAif360 || family == kSmd; }
};

PlanMetricKind ResolvePlanMetric(const v1::PlannedMetric& m);

// One value of a plan metric: the feature's (group "all groups") or one
// group's against the reference.
struct PlanValue {
  std::string group;
  PointState state = PointState::kValue;
  std::string why;  // for a state other than kValue
  Value value;
  Interval interval;
};

// The plan metric over one feature of a snapshot, on the plan's groups (all
// the feature's when the plan lists none). Empty when the feature has none
// of the plan's groups.
std::vector<PlanValue> FairnessPlanValues(const PlanMetricKind& kind,
                                          const v1::PlannedMetric& metric,
                                          const v1::FairnessSnapshot& snapshot,
                                          const v1::SensitiveFeature& feature,
                                          uint64_t min_n,
                                          const MetricOptions& o);

}  // namespace ailedger::reports

#endif  // AILEDGER_REPORTS_PLAN_METRICS_H_
