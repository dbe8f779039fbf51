// Time series of a system's fairness and societal-impact metrics (issue 13:
// "fairness and societal-impact time series per system and group, charted,
// with thresholds and every breach flagged"; DOMAIN.md §10.5): per system,
// per metric, per group, one point per current record (superseded and
// retracted ones left out, said why), ordered by the end of the measured
// window. Never pooled: each population (deployer, region, sampling) and
// plan metric is its own series. A series breaks (a new segment, never
// joined across) when the model version, the decision threshold, the
// method version, the membership source or the plan metric's method
// changes. Thresholds come from the plan in force (cited); the four-fifths
// line is a screening threshold, its breaches screening flags, not findings.
//
// Sources: FairnessSnapshot (per group selection rate, TPR, FPR, impact
// ratios to the highest and the reference group, and the plan metric),
// GroupMetricSnapshot (per group mean; the plan's standardised mean
// difference), SocietalMetricRecorded (its value with its uncertainty).
#ifndef AILEDGER_REPORTS_METRIC_SERIES_H_
#define AILEDGER_REPORTS_METRIC_SERIES_H_

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "reports/exact.h"
#include "reports/fairness_analysis.h"
#include "reports/intervals.h"
#include "reports/records.h"

namespace ailedger::reports {

enum class PointState {
  kValue,
  kUndefined,         // an empty denominator, or no value recorded
  kInsufficientData,  // a group below the minimum n
  kSuppressed,        // public edition: a cell below the minimum cell count
  kNotComputed,       // a plan metric this generator does not compute
};

struct Threshold {
  double value = 0;
  bool at_least = true;    // "at least": below is a breach; "at most": above
  std::string source;      // the plan metric and its plan's citation
  bool screening = false;  // the four-fifths screen (29 CFR 1607.4(D))
};

struct SeriesPoint {
  const Record* record = nullptr;
  int64_t at_ms = 0;   // the end of the measured window, else occurred_at
  std::string window;  // "2025-01-01 to 2025-03-31"
  // What a break compares, (name, value) in a fixed order.
  std::vector<std::pair<std::string, std::string>> segment;
  std::string break_reason;  // set when the point opens a new segment
  PointState state = PointState::kValue;
  std::string text;  // the value as printed, or why there is none
  Value value;
  Interval interval;
  std::optional<uint64_t> n;
  std::optional<double> p, p_adjusted;  // Fisher against the reference
  std::optional<Threshold> threshold;
  bool breach = false;  // a value on the wrong side of the threshold

  std::string SegmentText() const;
};

struct Series {
  std::string system;
  std::string source;   // the record type
  std::string metric;   // "selection rate", "plan: fairlearn:..."
  std::string feature;  // "" for a societal metric
  std::string group;    // "all groups" for a feature-level metric
  std::string stream;   // population and plan metric: never pooled
  std::string unit;
  std::vector<SeriesPoint> points;

  size_t Breaches() const;
  size_t Segments() const;
};

struct SeriesScope {
  std::vector<std::string> systems;
  // Records that occurred in [from_ms, to_ms).
  int64_t from_ms = std::numeric_limits<int64_t>::min();
  int64_t to_ms = std::numeric_limits<int64_t>::max();
};

struct SeriesSet {
  std::vector<Series> series;            // sorted: system, source, metric, ...
  std::vector<std::string> notes;        // cited: what was left out and why
  std::map<std::string, size_t> family;  // system -> tests corrected
};

SeriesSet BuildMetricSeries(const std::vector<Record>& records,
                            const SeriesScope& scope, const MetricOptions& o);

// Internal to reports/: the points each source adds (metric_series_*.cc).
namespace series {
void AddFairness(const SystemAnalysis& a, const MetricOptions& o,
                 std::vector<Series>* out, std::vector<std::string>* notes);
void AddGroupMetrics(const std::vector<Record>& records, const Plans& plans,
                     const RecordStatus& status, const std::string& system,
                     const SeriesScope& scope, const MetricOptions& o,
                     std::vector<Series>* out, std::vector<std::string>* notes);
void AddSocietal(const std::vector<Record>& records, const Plans& plans,
                 const RecordStatus& status, const std::string& system,
                 const SeriesScope& scope, const MetricOptions& o,
                 std::vector<Series>* out, std::vector<std::string>* notes);
// The point's series (created on first use), by identity.
Series* SeriesFor(std::vector<Series>* out, const Series& identity);
// "0.6000 (3/5)" and the like; "undefined" for an undefined value.
std::string Format(const Value& v);
std::string Window(const v1::Period& p, int64_t occurred_ms);
std::string MembershipName(v1::MembershipSource m);
std::optional<Threshold> PlanThreshold(const Record* plan,
                                       const v1::PlannedMetric* m);
}  // namespace series

}  // namespace ailedger::reports

#endif  // AILEDGER_REPORTS_METRIC_SERIES_H_
