#include "reports/metric_series.h"

#include <algorithm>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"

namespace ailedger::reports {
namespace {

std::string Day(int64_t ms) {
  return absl::FormatTime("%Y-%m-%d", absl::FromUnixMillis(ms),
                          absl::UTCTimeZone());
}

auto Identity(const Series& s) {
  return std::tie(s.system, s.source, s.metric, s.feature, s.group, s.stream,
                  s.unit);
}

// Each point whose segment differs from the one before it opens a new
// segment; the reason names what changed.
void MarkBreaks(Series* s) {
  for (size_t i = 1; i < s->points.size(); ++i) {
    const auto& before = s->points[i - 1].segment;
    const auto& now = s->points[i].segment;
    std::vector<std::string> changes;
    for (size_t k = 0; k < now.size(); ++k) {
      const std::string was = k < before.size() ? before[k].second : "unset";
      if (was != now[k].second) {
        changes.push_back(
            absl::StrCat(now[k].first, " ", was, " → ", now[k].second));
      }
    }
    s->points[i].break_reason = absl::StrJoin(changes, "; ");
  }
}

// The reading order of a system's metrics: the plan's (with thresholds)
// first, then the selection rate and its four-fifths ratios, TPR, FPR, the
// rest by name.
int Rank(const Series& s) {
  if (absl::StartsWith(s.metric, "plan: ")) return 0;
  static constexpr const char* kOrder[] = {
      "selection rate", "impact ratio to the highest group",
      "impact ratio to the reference group", "TPR", "FPR"};
  for (int i = 0; i < 5; ++i) {
    if (s.metric == kOrder[i]) return i + 1;
  }
  return 6;
}

}  // namespace

std::string SeriesPoint::SegmentText() const {
  std::vector<std::string> parts;
  for (const auto& [name, value] : segment)
    parts.push_back(absl::StrCat(name, " ", value));
  return absl::StrJoin(parts, " · ");
}

size_t Series::Breaches() const {
  return std::count_if(points.begin(), points.end(),
                       [](const SeriesPoint& p) { return p.breach; });
}

size_t Series::Segments() const {
  if (points.empty()) return 0;
  return 1 + std::count_if(
                 points.begin(), points.end(),
                 [](const SeriesPoint& p) { return !p.break_reason.empty(); });
}

namespace series {

Series* SeriesFor(std::vector<Series>* out, const Series& identity) {
  for (auto it = out->rbegin(); it != out->rend(); ++it) {
    if (Identity(*it) == Identity(identity)) return &*it;
  }
  out->push_back(identity);
  return &out->back();
}

std::string Format(const Value& v) {
  if (!v.defined) return "undefined";
  if (v.exact && v.exact->den != 1) {
    return absl::StrFormat("%.4f (%s)", v.value, v.ToString());
  }
  return absl::StrFormat("%.4f", v.value);
}

std::string Window(const v1::Period& p, int64_t occurred_ms) {
  if (p.end_ms() <= 0) return absl::StrCat("occurred ", Day(occurred_ms));
  return absl::StrCat("[", Day(p.start_ms()), ", ", Day(p.end_ms()), ")");
}

std::string MembershipName(v1::MembershipSource m) {
  switch (m) {
    case v1::MEMBERSHIP_SOURCE_SELF_DECLARED:
      return "self-declared";
    case v1::MEMBERSHIP_SOURCE_INFERRED:
      return "inferred";
    case v1::MEMBERSHIP_SOURCE_PROXY:
      return "proxy";
    default:
      return "unspecified";
  }
}

std::optional<Threshold> PlanThreshold(const Record* plan,
                                       const v1::PlannedMetric* m) {
  if (plan == nullptr || m == nullptr || !m->has_threshold()) {
    return std::nullopt;
  }
  if (m->comparison() != "at least" && m->comparison() != "at most") {
    return std::nullopt;
  }
  Threshold t;
  t.value = m->threshold();
  t.at_least = m->comparison() == "at least";
  t.source =
      absl::StrFormat("plan metric %s: %s %g (%s)",
                      m->metric_id().empty() ? m->name() : m->metric_id(),
                      m->comparison(), m->threshold(), Cite(*plan));
  return t;
}

}  // namespace series

SeriesSet BuildMetricSeries(const std::vector<Record>& records,
                            const SeriesScope& scope, const MetricOptions& o) {
  const Plans plans(records);
  const RecordStatus status(records);
  SeriesSet out;
  for (const std::string& system : scope.systems) {
    const SystemAnalysis a = AnalyseSystem(records, plans, status, system,
                                           scope.from_ms, scope.to_ms, o);
    out.family[system] = a.family;
    series::AddFairness(a, o, &out.series, &out.notes);
    series::AddGroupMetrics(records, plans, status, system, scope, o,
                            &out.series, &out.notes);
    series::AddSocietal(records, plans, status, system, scope, o, &out.series,
                        &out.notes);
  }
  // Series in a fixed order; groups keep the order of their first record.
  std::stable_sort(
      out.series.begin(), out.series.end(),
      [](const Series& x, const Series& y) {
        const int rx = Rank(x), ry = Rank(y);
        return std::tie(x.system, x.source, rx, x.metric, x.feature, x.stream) <
               std::tie(y.system, y.source, ry, y.metric, y.feature, y.stream);
      });
  for (Series& s : out.series) {
    std::stable_sort(s.points.begin(), s.points.end(),
                     [](const SeriesPoint& x, const SeriesPoint& y) {
                       return std::tie(x.at_ms, x.record->index) <
                              std::tie(y.at_ms, y.record->index);
                     });
    MarkBreaks(&s);
  }
  return out;
}

}  // namespace ailedger::reports
