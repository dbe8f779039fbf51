// The factsheet's metrics (system_sections.h): each measurement about the
// system against the monitoring plan metric it answers (EU AI Act Art.
// 72(3)), the latest current value of each metric with the plan's threshold
// and whether it is breached, the planned metrics never measured and the
// gaps longer than a plan's cadence.
//
// Values: a FairnessSnapshot's plan metric is one of Fairlearn's
// demographic parity, equalized odds or equal opportunity ratio or
// difference (recognised by the metric id's ending), between groups or to
// overall as the plan's method says; the demographic parity ratio to the
// reference group (the plan's comparator) is the lowest AIF360 disparate
// impact. Across features the worst value counts (the lowest ratio, the
// highest difference); a feature with a group below the plan's minimum n is
// "insufficient data". A GroupMetricSnapshot's standardised mean difference
// is the largest |mean - reference mean| / pooled SD (Cohen's d, sample
// variances). A SocietalMetricRecorded's value is its own.
#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "reports/fairness.h"
#include "reports/system_sections.h"

namespace ailedger::reports::factsheet {
namespace {

constexpr int64_t kDayMs = 86'400'000;

struct Planned {
  const Record* plan = nullptr;
  const v1::PlannedMetric* metric = nullptr;
};

struct Figure {
  std::optional<double> value;
  std::string text;         // the value, or why there is none
  bool incomplete = false;  // some feature or group could not be computed
};

Planned PlanMetric(const Context& c, const std::string& plan_id,
                   const std::string& metric_id) {
  auto it = c.by_id.find(plan_id);
  if (it == c.by_id.end() || !it->second->event.has_monitoring_plan())
    return {};
  for (const auto& m : it->second->event.monitoring_plan().metrics()) {
    if (m.metric_id() == metric_id) return {it->second, &m};
  }
  return {};
}

// The plan in force (the last current one before `r`) naming a societal
// metric of this name.
Planned SocietalPlan(const Context& c, const Record& r,
                     const std::string& name) {
  Planned found;
  for (const Record* p : c.about) {
    if (p->index >= r.index) break;
    if (!p->event.has_monitoring_plan() || !IsCurrent(c, *p)) continue;
    found = {};
    for (const auto& m : p->event.monitoring_plan().metrics()) {
      if (m.event_type() == "SocietalMetricRecorded" && m.name() == name)
        found = {p, &m};
    }
  }
  return found;
}

std::string Key(const v1::PlannedMetric& m) {
  return m.metric_id().empty() ? m.name() : m.metric_id();
}

Figure Worst(std::optional<double> worst, bool insufficient, bool undefined) {
  Figure f{worst, "", insufficient || undefined};
  if (!worst) {
    f.text = insufficient ? "insufficient data" : "undefined";
  } else {
    f.text = absl::StrFormat("%.4f", *worst);
    if (insufficient) f.text += " (some features: insufficient data)";
    if (undefined) f.text += " (some features: undefined)";
  }
  return f;
}

Value Select(const FairlearnMetrics& m, const std::string& name) {
  if (name == "demographic_parity_ratio") return m.demographic_parity_ratio;
  if (name == "demographic_parity_difference")
    return m.demographic_parity_difference;
  if (name == "equalized_odds_ratio") return m.equalized_odds_ratio;
  if (name == "equalized_odds_difference") return m.equalized_odds_difference;
  if (name == "equal_opportunity_ratio") return m.equal_opportunity_ratio;
  return m.equal_opportunity_difference;
}

Figure FairnessFigure(const v1::FairnessSnapshot& f,
                      const v1::PlannedMetric* m) {
  FairnessOptions o;
  if (m && m->has_min_cell_count()) o.min_n = m->min_cell_count();
  auto results = ComputeSnapshotFairness(f, o);
  if (!results.ok())
    return {std::nullopt,
            absl::StrCat("not computed: ", results.status().message())};
  const std::string id = m ? m->metric_id() : "demographic_parity_ratio";
  std::string name;
  for (const char* k :
       {"demographic_parity_ratio", "demographic_parity_difference",
        "equalized_odds_ratio", "equalized_odds_difference",
        "equal_opportunity_ratio", "equal_opportunity_difference"}) {
    if (absl::EndsWith(id, k)) name = k;
  }
  if (name.empty())
    return {std::nullopt,
            "not computed: metric " + id + " is not one this report computes"};
  const bool ratio = absl::EndsWith(name, "_ratio");
  const bool to_reference = m &&
                            m->comparator() == v1::COMPARATOR_REFERENCE_GROUP &&
                            name == "demographic_parity_ratio";
  std::optional<double> worst;
  bool insufficient = false, undefined = false;
  for (const FairnessResult& r : *results) {
    bool small = false;
    for (const GroupRates& g : r.groups) small = small || g.insufficient_data;
    if (small) {
      insufficient = true;
      continue;
    }
    Value v;
    if (to_reference) {
      v.defined = !r.vs_reference.empty();
      v.value = 1e300;
      for (const ImpactRatio& i : r.vs_reference) {
        v.defined = v.defined && i.ratio.defined;
        if (i.ratio.defined) v.value = std::min(v.value, i.ratio.value);
      }
    } else {
      v = Select(m && m->method() == v1::METRIC_METHOD_TO_OVERALL
                     ? r.to_overall
                     : r.between_groups,
                 name);
    }
    if (!v.defined) {
      undefined = true;
      continue;
    }
    worst = !worst  ? v.value
            : ratio ? std::min(*worst, v.value)
                    : std::max(*worst, v.value);
  }
  return Worst(worst, insufficient, undefined);
}

Figure GroupFigure(const v1::GroupMetricSnapshot& g,
                   const v1::PlannedMetric* m) {
  if (!m) return {std::nullopt, "not computed: no plan metric names it"};
  if (!absl::EndsWith(m->metric_id(), "standardised_mean_difference") &&
      !absl::EndsWith(m->metric_id(), "standardized_mean_difference"))
    return {std::nullopt, "not computed: metric " + m->metric_id() +
                              " is not one this report computes"};
  const uint64_t min_n = m->has_min_cell_count() ? m->min_cell_count() : 30;
  const v1::GroupStat* ref = nullptr;
  for (const auto& s : g.groups()) {
    if (s.group() == g.reference_group()) ref = &s;
  }
  if (!ref) return {std::nullopt, "undefined: no reference group"};
  const auto ss = [](const v1::GroupStat& s) {
    return s.n() == 0 ? 0.0 : s.sum_of_squares() - s.sum() * s.sum() / s.n();
  };
  std::optional<double> worst;
  bool insufficient = false, undefined = false;
  for (const auto& s : g.groups()) {
    if (&s == ref) continue;
    if (s.n() < min_n || ref->n() < min_n) {
      insufficient = true;
      continue;
    }
    const double df = static_cast<double>(s.n() + ref->n()) - 2;
    const double pooled = df > 0 ? std::sqrt((ss(s) + ss(*ref)) / df) : 0;
    if (!(pooled > 0)) {
      undefined = true;
      continue;
    }
    const double d =
        std::fabs(s.sum() / s.n() - ref->sum() / ref->n()) / pooled;
    worst = worst ? std::max(*worst, d) : d;
  }
  return Worst(worst, insufficient, undefined);
}

std::string Threshold(const v1::PlannedMetric* m) {
  if (!m || !m->has_threshold()) return "none";
  return absl::StrCat(m->comparison(), " ", m->threshold());
}

std::string Breach(const Figure& f, const v1::PlannedMetric* m) {
  if (!m || !m->has_threshold()) return "no threshold";
  if (!f.value) return "undetermined: " + f.text;
  const bool at_least = m->comparison() == "at least";
  if (!at_least && m->comparison() != "at most")
    return "undetermined: comparison '" + m->comparison() + "'";
  if (at_least ? *f.value < m->threshold() : *f.value > m->threshold())
    return "yes";
  return f.incomplete ? "undetermined: " + f.text : "no";
}

struct Measured {
  const Record* record;
  std::string key;
  Planned plan;
  Figure figure;
  std::string breach;
  int64_t at_ms;  // the end of the measured window
};

std::optional<Measured> Measure(const Context& c, const Record& r) {
  const v1::Event& e = r.event;
  Measured x{&r, "", {}, {}, "", e.occurred_at_ms()};
  if (e.has_fairness_snapshot()) {
    const auto& f = e.fairness_snapshot();
    x.plan = PlanMetric(c, f.plan_event_id(), f.plan_metric_id());
    x.key = x.plan.metric ? Key(*x.plan.metric)
                          : "FairnessSnapshot: demographic parity ratio "
                            "(no plan metric)";
    x.figure = FairnessFigure(f, x.plan.metric);
    x.at_ms = f.decision_window().end_ms();
  } else if (e.has_group_metric_snapshot()) {
    const auto& g = e.group_metric_snapshot();
    x.plan = PlanMetric(c, g.plan_event_id(), g.plan_metric_id());
    x.key = x.plan.metric ? Key(*x.plan.metric)
                          : "GroupMetricSnapshot: " + g.outcome();
    x.figure = GroupFigure(g, x.plan.metric);
    x.at_ms = g.window().end_ms();
  } else if (e.has_societal_metric()) {
    const auto& s = e.societal_metric();
    x.plan = SocietalPlan(c, r, s.name());
    x.key = x.plan.metric ? Key(*x.plan.metric)
                          : "SocietalMetricRecorded: " + s.name();
    x.figure = s.has_value()
                   ? Figure{s.value(), absl::StrCat(s.value(), " ", s.unit())}
                   : Figure{std::nullopt, "not stated"};
    x.at_ms = s.period().end_ms();
  } else {
    return std::nullopt;
  }
  if (x.at_ms == 0) x.at_ms = e.occurred_at_ms();
  x.breach = Breach(x.figure, x.plan.metric);
  return x;
}

}  // namespace

void AddMetrics(const Context& c, Report* out, std::vector<Gap>* gaps) {
  std::map<std::string, std::vector<Measured>> by_key;
  for (const Record* r : c.about) {
    if (auto m = Measure(c, *r)) by_key[m->key].push_back(std::move(*m));
  }
  Section s{"Metrics",
            {"Each metric's latest current measurement against the threshold "
             "of the monitoring plan metric it answers; every measurement "
             "below. Superseded and retracted measurements are listed, not "
             "counted as latest."},
            {{{"metric", "records (current / all)", "latest value", "threshold",
               "breach", "evidence"},
              {}},
             {{"metric", "window end", "value", "breach", "status", "evidence"},
              {}}}};
  nlohmann::json& data = out->data["metrics"] = nlohmann::json::array();
  for (const auto& [key, all] : by_key) {
    const Measured* latest = nullptr;
    size_t current = 0;
    Chart chart;
    chart.title = key;
    chart.y_label = key;
    chart.series.push_back({key, {}, false});
    for (const Measured& m : all) {
      const bool cur = IsCurrent(c, *m.record);
      s.tables[1].rows.push_back({key, Day(m.at_ms), m.figure.text, m.breach,
                                  Status(c, *m.record), Cite(*m.record)});
      if (!cur) continue;
      ++current;
      latest = &m;
      if (m.figure.value)
        chart.series[0].points.push_back(
            {m.at_ms, *m.figure.value, m.breach == "yes", Cite(*m.record)});
    }
    nlohmann::json j = {
        {"metric", key}, {"records", all.size()}, {"current", current}};
    if (latest) {
      const v1::PlannedMetric* pm = latest->plan.metric;
      s.tables[0].rows.push_back({key, absl::StrCat(current, " / ", all.size()),
                                  latest->figure.text, Threshold(pm),
                                  latest->breach, Cite(*latest->record)});
      j.update({{"latest_index", latest->record->index},
                {"value", latest->figure.value
                              ? nlohmann::json(*latest->figure.value)
                              : nlohmann::json()},
                {"value_text", latest->figure.text},
                {"breach", latest->breach}});
      if (pm && pm->has_threshold()) {
        j["threshold"] = pm->threshold();
        j["comparison"] = pm->comparison();
        chart.thresholds.push_back({pm->threshold(), Threshold(pm)});
      }
    } else {
      s.tables[0].rows.push_back({key, absl::StrCat("0 / ", all.size()),
                                  "no current record", "", "", ""});
    }
    data.push_back(std::move(j));
    if (!chart.series[0].points.empty()) s.charts.push_back(std::move(chart));
  }
  const Record* snapshot = nullptr;
  for (const Record* r : c.about) {
    if (r->event.has_fairness_snapshot() && IsCurrent(c, *r)) snapshot = r;
  }
  if (snapshot) {
    const auto& f = snapshot->event.fairness_snapshot();
    s.paragraphs.push_back(absl::StrCat(
        "Latest fairness snapshot: model version ", f.model_version(),
        ", decisions ", Day(f.decision_window().start_ms()), " to ",
        Day(f.decision_window().end_ms()), " (", Cite(*snapshot),
        "); `report fairness` gives its groups."));
  }
  // The plan in force: the last current MonitoringPlan about the system.
  const Record* plan = nullptr;
  for (const Record* r : c.about) {
    if (r->event.has_monitoring_plan() && IsCurrent(c, *r)) plan = r;
  }
  if (plan) {
    s.paragraphs.push_back("Monitoring plan in force: " + Cite(*plan) + ".");
    for (const auto& m : plan->event.monitoring_plan().metrics()) {
      auto it = by_key.find(Key(m));
      std::vector<int64_t> times = {plan->event.occurred_at_ms()};
      if (it != by_key.end()) {
        for (const Measured& x : it->second) {
          if (IsCurrent(c, *x.record))
            times.push_back(x.record->event.occurred_at_ms());
        }
      }
      if (times.size() == 1) {
        gaps->push_back({"measurement of " + Key(m),
                         "no record: planned, "
                         "never measured",
                         Cite(*plan)});
        continue;
      }
      if (m.cadence_days() == 0) continue;
      std::sort(times.begin(), times.end());
      times.push_back(std::max(c.as_of_ms, times.back()));
      const int64_t cadence = int64_t{m.cadence_days()} * kDayMs;
      for (size_t i = 1; i < times.size(); ++i) {
        if (times[i] - times[i - 1] > cadence)
          gaps->push_back({"measurement of " + Key(m),
                           absl::StrCat("no record from ", Day(times[i - 1]),
                                        " to ", Day(times[i]), " (cadence ",
                                        m.cadence_days(), " days)"),
                           Cite(*plan)});
      }
    }
  }
  if (by_key.empty()) {
    s.tables.clear();
    s.paragraphs.push_back("No measurement of the system is on this log.");
  }
  out->sections.push_back(std::move(s));
}

}  // namespace ailedger::reports::factsheet
