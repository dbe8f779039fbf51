// Group-fairness statistics over per-group confusion counts, exactly as
// Fairlearn and AIF360 define them, with the uncertainty a reader needs to
// judge them (/work/shared/docs/DOMAIN.md §7 and §10.5; review 2026-11 §1.5
// and §5.2 item 7). Pure: no storage, no I/O.
//
// Sources of the definitions:
//   fairlearn/fairlearn fairlearn/metrics/_base_metrics.py (selection_rate,
//     true_positive_rate, false_positive_rate, ...), _fairness_metrics.py
//     (demographic_parity_*, equalized_odds_* with agg, equal_opportunity_*),
//     _metric_frame.py MetricFrame.difference / .ratio (methods
//     between_groups and to_overall);
//   Trusted-AI/AIF360 aif360/metrics/classification_metric.py
//     (statistical_parity_difference, disparate_impact,
//     equal_opportunity_difference, average_odds_difference,
//     average_abs_odds_difference; unprivileged minus / over privileged);
//   29 CFR 1607.4(D) for the four-fifths rule (a screening flag, never a
//     finding).
#ifndef AILEDGER_REPORTS_FAIRNESS_H_
#define AILEDGER_REPORTS_FAIRNESS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "ailedger/event.pb.h"
#include "reports/exact.h"
#include "reports/intervals.h"

namespace ailedger::reports {

// Counts of the model's positive label, as recorded (v1::ConfusionCell).
struct ConfusionCounts {
  uint64_t tp = 0;
  uint64_t fp = 0;
  uint64_t tn = 0;
  uint64_t fn = 0;
};

struct GroupCounts {
  std::string group;  // an intersectional cell: values joined " x "
  ConfusionCounts counts;
};

// Whether a positive prediction is the favourable decision for the person.
// There is no default: for a model that predicts default, TP+FP are the
// adverse decisions (review 2026-11 §1.5). With kUnfavourable every metric is
// computed with the favourable outcome as the positive class (AIF360's
// favorable_label, Fairlearn's pos_label), i.e. on the swapped counts
// TP'=TN, FP'=FN, TN'=TP, FN'=FP: selection rate (TN+FN)/n, TPR' = TNR, ...
enum class Positive { kFavourable, kUnfavourable };

struct FairnessOptions {
  // A group with fewer decisions is "insufficient data", and so is every
  // comparison that involves it. Default: 30.
  uint64_t min_n = 30;
  // Normal quantile of the Wilson and Katz intervals. Default: 95 %.
  double z = kZ95;
};

// count/denominator with its Wilson interval. The counts are kept unreduced
// (1370/3400) so that a report can cite them; `value.exact` is reduced.
struct Rate {
  uint64_t count = 0;
  uint64_t denominator = 0;
  Value value;      // undefined when denominator == 0
  Interval wilson;  // undefined when denominator == 0
};

// One group's rates, in the favourable orientation (see Positive).
struct GroupRates {
  std::string group;
  ConfusionCounts counts;  // as recorded, before any orientation swap
  uint64_t n = 0;
  bool insufficient_data = false;  // n < min_n
  Rate selection_rate;             // (TP'+FP')/n
  Rate tpr;                        // TP'/(TP'+FN')
  Rate fpr;                        // FP'/(FP'+TN')
  Rate tnr;                        // TN'/(FP'+TN')
  Rate fnr;                        // FN'/(TP'+FN')
  Rate ppv;                        // TP'/(TP'+FP')
  Rate error_rate;                 // (FP'+FN')/n
};

enum class Method { kBetweenGroups, kToOverall };

// Fairlearn's disparities for one method (unsigned). Undefined when any
// group's rate is undefined, or a ratio's denominator is 0.
struct FairlearnMetrics {
  Value demographic_parity_difference;
  Value demographic_parity_ratio;
  Value equalized_odds_difference;       // agg="worst_case"
  Value equalized_odds_difference_mean;  // agg="mean"
  Value equalized_odds_ratio;            // agg="worst_case"
  Value equalized_odds_ratio_mean;       // agg="mean"
  Value equal_opportunity_difference;
  Value equal_opportunity_ratio;
};

// AIF360's metrics of one unprivileged group against the reference
// (privileged) group, signed.
struct Aif360Metrics {
  std::string unprivileged;
  bool insufficient_data = false;       // either group below min_n
  Value statistical_parity_difference;  // SR_u - SR_p
  Value disparate_impact;               // SR_u / SR_p
  Value equal_opportunity_difference;   // TPR_u - TPR_p
  Value average_odds_difference;        // ((FPR_u-FPR_p) + (TPR_u-TPR_p)) / 2
  Value average_abs_odds_difference;    // (|dFPR| + |dTPR|) / 2
};

// A group's selection rate over a comparator's, screened by the four-fifths
// rule. `screening_flag` is a screening flag, not a finding (DOMAIN §10.5).
struct ImpactRatio {
  std::string group;
  std::string comparator;
  bool insufficient_data = false;  // either group below min_n
  Value ratio;                     // SR_group / SR_comparator
  Interval katz;                   // Katz log interval of the ratio
  bool screening_flag = false;     // ratio < 4/5, compared exactly
  bool interval_straddles_four_fifths = false;  // katz.lower < 0.8 < upper
};

// Fisher's exact test of a group against the reference on a 2x2 table of
// the favourable orientation: for the selection rate (selected, not
// selected) x (group, reference); for TPR (TP', FN') of the actual
// positives; for FPR (FP', TN') of the actual negatives. Unadjusted: the
// caller corrects across groups x metrics x periods (Adjust).
struct FisherTest {
  std::string group;
  bool insufficient_data = false;
  std::optional<double> p;  // nullopt when the table is empty
};

struct FairnessResult {
  std::string feature;
  Positive positive = Positive::kFavourable;
  FairnessOptions options;
  std::vector<GroupRates> groups;  // input order
  GroupRates overall;              // the cells summed (Fairlearn's overall)
  std::string reference_group;     // "" when none was given
  std::string highest_group;       // highest selection rate (first on a tie);
                                   // "" when no group's rate is defined
  FairlearnMetrics between_groups;
  FairlearnMetrics to_overall;
  // Against the reference group: one entry per other group, input order.
  // Empty when there is no reference group.
  std::vector<Aif360Metrics> aif360;
  std::vector<ImpactRatio> vs_reference;
  std::vector<FisherTest> fisher_vs_reference;      // selection rate
  std::vector<FisherTest> fisher_tpr_vs_reference;  // TPR
  std::vector<FisherTest> fisher_fpr_vs_reference;  // FPR
  // Four-fifths against the highest-rate group: one entry per group
  // (the highest itself has ratio 1). Empty when highest_group is "".
  std::vector<ImpactRatio> vs_highest;
};

// The statistics of one feature. `reference_group` is "" or one of the
// groups. InvalidArgument for fewer than two groups, a duplicate or empty
// group name, or an unknown reference group.
absl::StatusOr<FairnessResult> ComputeFairness(
    std::string feature, absl::Span<const GroupCounts> groups,
    const std::string& reference_group, Positive positive,
    const FairnessOptions& options);

// The group key of a cell: its values joined " x " ("female x 60+"), as
// ledger/governance/validation_rules.cc names them.
std::string GroupKey(const v1::ConfusionCell& cell);

// Every feature of a snapshot, in order. The reference group of a feature is
// its own reference_group, else the snapshot's (v1) reference_group when it
// names one of the feature's groups, else none. FailedPrecondition when
// positive_is_favourable is unset (no selection rate until the positive
// label's meaning is known: review 2026-11 §5.2 item 7); InvalidArgument
// naming features[i] for a bad feature.
absl::StatusOr<std::vector<FairnessResult>> ComputeSnapshotFairness(
    const v1::FairnessSnapshot& snapshot, const FairnessOptions& options);

}  // namespace ailedger::reports

#endif  // AILEDGER_REPORTS_FAIRNESS_H_
