#include "reports/series_sections.h"

#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace ailedger::reports {
namespace {

std::string Ci(const Interval& i) {
  return i.defined ? absl::StrFormat("%.4f–%.4f", i.lower, i.upper) : "";
}

std::string P(const SeriesPoint& p) {
  if (!p.p) return "";
  if (!p.p_adjusted) return absl::StrFormat("%.4g (not corrected)", *p.p);
  return absl::StrFormat("%.4g (corrected %.4g)", *p.p, *p.p_adjusted);
}

std::string ThresholdText(const SeriesPoint& p) {
  if (!p.threshold) return "";
  if (p.threshold->screening) return "0.8 (four-fifths screen)";
  return p.threshold->source;
}

std::string Flag(const SeriesPoint& p) {
  if (!p.threshold) return "";
  if (p.state != PointState::kValue) return "not evaluated";
  if (!p.breach) return "no";
  return p.threshold->screening ? "SCREENING FLAG (not a finding)" : "BREACH";
}

bool IsRate(const Series& s) {
  return s.source == "FairnessSnapshot" &&
         (s.metric == "selection rate" || s.metric == "TPR" ||
          s.metric == "FPR");
}

// The name of one segment's line in a chart of several features, groups and
// populations.
std::string LineName(const Series& s, bool features, bool streams,
                     size_t segment) {
  std::string name = s.group.empty() ? "value" : s.group;
  if (features && !s.feature.empty()) name = s.feature + ": " + name;
  if (streams) absl::StrAppend(&name, " (", s.stream, ")");
  if (segment > 1) absl::StrAppend(&name, " · segment ", segment);
  return name;
}

Chart ChartOf(const std::vector<const Series*>& group) {
  const Series& first = *group.front();
  Chart c;
  c.kind = Chart::Kind::kSeries;
  c.title = absl::StrCat(first.system, ": ", first.metric);
  c.y_label = first.unit.empty()
                  ? first.metric
                  : absl::StrCat(first.metric, " (", first.unit, ")");
  if (IsRate(first)) {
    c.y_min = 0;
    c.y_max = 1;
  }
  std::set<std::string> features, streams;
  for (const Series* s : group) {
    features.insert(s->feature);
    streams.insert(s->stream);
  }
  std::set<std::pair<double, std::string>> thresholds;
  std::set<std::tuple<int64_t, std::string>> breaks;
  bool screening = false;
  for (const Series* s : group) {
    size_t segment = 1;
    ChartSeries line{
        LineName(*s, features.size() > 1, streams.size() > 1, 1), {}, false};
    for (const SeriesPoint& p : s->points) {
      if (!p.break_reason.empty()) {
        if (!line.points.empty()) c.series.push_back(std::move(line));
        line = ChartSeries{
            LineName(*s, features.size() > 1, streams.size() > 1, ++segment),
            {},
            false};
        if (breaks.insert({p.at_ms, p.break_reason}).second) {
          c.breaks.push_back({p.at_ms, p.break_reason, Cite(*p.record)});
        }
      }
      if (p.threshold) {
        screening |= p.threshold->screening;
        const std::string label =
            p.threshold->screening
                ? "four-fifths screen 0.8"
                : absl::StrFormat(
                      "plan: %s %g",
                      p.threshold->at_least ? "at least" : "at most",
                      p.threshold->value);
        if (thresholds.insert({p.threshold->value, label}).second) {
          c.thresholds.push_back({p.threshold->value, label});
        }
      }
      if (p.state != PointState::kValue) continue;
      // The chart marks breaches of a plan threshold; a four-fifths screening
      // flag is not one (the table and the breaches section list it).
      line.points.push_back({p.at_ms, p.value.value,
                             p.breach && !p.threshold->screening,
                             Cite(*p.record)});
    }
    if (!line.points.empty()) c.series.push_back(std::move(line));
  }
  c.caption =
      "One line per group and population, placed at the end of each measured "
      "window. A line is never joined across a series break (the vertical "
      "markers: the model version, decision threshold, method or membership "
      "source changed). Undefined, insufficient-data and suppressed values "
      "are not drawn; the table lists them.";
  if (screening) {
    absl::StrAppend(&c.caption,
                    " A point below the four-fifths line is a screening "
                    "flag, not a finding: it is not marked as a breach here "
                    "and is listed with the breaches below.");
  }
  return c;
}

std::vector<std::string> Row(const Series& s, const SeriesPoint& p,
                             bool first) {
  std::string segment;
  if (!p.break_reason.empty()) {
    segment = absl::StrCat("BREAK: ", p.break_reason);
  } else if (first) {
    segment = p.SegmentText();
  }
  return {s.system, s.metric,         s.feature,
          s.group,  s.stream,         p.window,
          p.text,   Ci(p.interval),   p.n ? absl::StrCat(*p.n) : "",
          P(p),     ThresholdText(p), Flag(p),
          segment,  Cite(*p.record)};
}

}  // namespace

std::vector<Chart> SeriesCharts(const SeriesSet& set) {
  std::vector<Chart> out;
  std::vector<const Series*> group;
  for (const Series& s : set.series) {
    if (!group.empty() && (group.front()->system != s.system ||
                           group.front()->metric != s.metric ||
                           group.front()->source != s.source)) {
      out.push_back(ChartOf(group));
      group.clear();
    }
    group.push_back(&s);
  }
  if (!group.empty()) out.push_back(ChartOf(group));
  return out;
}

std::vector<Section> SeriesSections(const SeriesSet& set,
                                    const MetricOptions& o,
                                    const std::string& title) {
  Section series{title, {}, {}, SeriesCharts(set)};
  series.paragraphs.push_back(
      "Per system, metric and group, one point per current record; each "
      "population (deployer, region, sampling) and plan metric is its own "
      "series, never pooled. A series breaks where the model version, the "
      "decision threshold, the method version or the membership source "
      "changes: values on either side are not compared.");
  for (const auto& [system, n] : set.family) {
    series.paragraphs.push_back(absl::StrCat(
        system, ": ", n, " Fisher exact tests against the reference group, ",
        AdjustMethodName(o.adjust), "-corrected together"));
  }
  if (set.series.empty()) {
    series.paragraphs.push_back(
        "No record: no FairnessSnapshot, GroupMetricSnapshot or "
        "SocietalMetricRecorded in scope.");
  }
  for (const std::string& note : set.notes) series.paragraphs.push_back(note);
  Table points{{"system", "metric", "feature", "group", "population", "window",
                "value", "interval", "n", "Fisher p vs reference", "threshold",
                "breach", "segment", "evidence"},
               {}};
  Table breaches{{"system", "metric", "feature", "group", "population",
                  "window", "value", "threshold", "flag", "evidence"},
                 {}};
  size_t plan_breaches = 0, flags = 0;
  for (const Series& s : set.series) {
    for (size_t i = 0; i < s.points.size(); ++i) {
      const SeriesPoint& p = s.points[i];
      points.rows.push_back(Row(s, p, i == 0));
      if (!p.breach) continue;
      (p.threshold->screening ? flags : plan_breaches)++;
      breaches.rows.push_back(
          {s.system, s.metric, s.feature, s.group, s.stream, p.window, p.text,
           p.threshold->screening ? "0.8: four-fifths screen, 29 CFR "
                                    "1607.4(D)"
                                  : p.threshold->source,
           Flag(p), Cite(*p.record)});
    }
  }
  if (!points.rows.empty()) series.tables.push_back(std::move(points));
  Section flagged{
      absl::StrCat(title, ": breaches and screening flags"),
      {absl::StrCat(plan_breaches, " breach(es) of a plan threshold; ", flags,
                    " four-fifths screening flag(s), which are "
                    "screening flags, not findings.")},
      {},
      {}};
  if (!breaches.rows.empty()) flagged.tables.push_back(std::move(breaches));
  return {std::move(series), std::move(flagged)};
}

nlohmann::json SeriesJson(const SeriesSet& set) {
  nlohmann::json out = nlohmann::json::array();
  for (const Series& s : set.series) {
    nlohmann::json points = nlohmann::json::array();
    for (const SeriesPoint& p : s.points) {
      nlohmann::json j = {{"at_ms", p.at_ms},
                          {"window", p.window},
                          {"text", p.text},
                          {"segment", p.SegmentText()},
                          {"break", p.break_reason},
                          {"breach", p.breach},
                          {"evidence", Cite(*p.record)}};
      if (p.state == PointState::kValue) {
        j["value"] = p.value.value;
        if (p.value.exact) j["exact"] = p.value.ToString();
      }
      if (p.interval.defined)
        j["interval"] = {p.interval.lower, p.interval.upper};
      if (p.n) j["n"] = *p.n;
      if (p.p) j["p"] = *p.p;
      if (p.p_adjusted) j["p_corrected"] = *p.p_adjusted;
      if (p.threshold) {
        j["threshold"] = {
            {"value", p.threshold->value},
            {"comparison", p.threshold->at_least ? "at least" : "at most"},
            {"source", p.threshold->source},
            {"screening", p.threshold->screening}};
      }
      points.push_back(std::move(j));
    }
    out.push_back({{"system", s.system},
                   {"source", s.source},
                   {"metric", s.metric},
                   {"feature", s.feature},
                   {"group", s.group},
                   {"population", s.stream},
                   {"unit", s.unit},
                   {"segments", s.Segments()},
                   {"breaches", s.Breaches()},
                   {"points", std::move(points)}});
  }
  return out;
}

}  // namespace ailedger::reports
