// The points of GroupMetricSnapshot (per group mean of the outcome; the
// plan's absolute standardised mean difference to the reference) and of
// SocietalMetricRecorded (its value with the interval its uncertainty gives)
// for metric_series.h.
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "reports/metric_series.h"
#include "reports/plan_metrics.h"

namespace ailedger::reports::series {
namespace {

bool InScope(const Record& r, const std::string& system,
             const SeriesScope& scope) {
  const int64_t t = r.event.occurred_at_ms();
  return About(r, system) && t >= scope.from_ms && t < scope.to_ms;
}

SeriesPoint Base(const Record& r, const v1::Period& window) {
  SeriesPoint p;
  p.record = &r;
  p.at_ms = window.end_ms() > 0 ? window.end_ms() : r.event.occurred_at_ms();
  p.window = Window(window, r.event.occurred_at_ms());
  return p;
}

// Suppressed, insufficient or undefined, in that order; else a value.
bool Withheld(const MetricOptions& o, uint64_t n, uint64_t min_n,
              const std::string& group, SeriesPoint* p) {
  if (o.Suppressed(n)) {
    p->state = PointState::kSuppressed;
    p->text = o.SuppressedText();
  } else if (n < min_n) {
    p->state = PointState::kInsufficientData;
    p->text =
        absl::StrCat("insufficient data (", group.empty() ? "" : group,
                     group.empty() ? "" : ": ", "n ", n, " < ", min_n, ")");
  } else {
    return false;
  }
  return true;
}

struct Moments {
  bool defined = false;
  double mean = 0, variance = 0;  // sample variance, n - 1
};

Moments Of(const v1::GroupStat& g) {
  Moments m;
  if (g.n() < 2) return m;
  const double n = static_cast<double>(g.n());
  m.defined = true;
  m.mean = g.sum() / n;
  m.variance =
      std::max(0.0, (g.sum_of_squares() - g.sum() * g.sum() / n) / (n - 1));
  return m;
}

// Cohen's d with the pooled SD, absolute; undefined when the pooled SD is 0.
Value AbsoluteSmd(const v1::GroupStat& a, const v1::GroupStat& b) {
  const Moments x = Of(a), y = Of(b);
  if (!x.defined || !y.defined) return Value::Undefined();
  const double na = static_cast<double>(a.n()), nb = static_cast<double>(b.n());
  const double pooled = std::sqrt(
      ((na - 1) * x.variance + (nb - 1) * y.variance) / (na + nb - 2));
  if (!(pooled > 0)) return Value::Undefined();
  return Value::Inexact(std::fabs(x.mean - y.mean) / pooled);
}

void GroupSnapshot(const Record& r, const Plans& plans,
                   const std::string& system, const MetricOptions& o,
                   std::vector<Series>* out) {
  const v1::GroupMetricSnapshot& g = r.event.group_metric_snapshot();
  const Record* plan = plans.Plan(g.plan_event_id());
  const v1::PlannedMetric* m =
      plan ? plans.Metric(*plan, g.plan_metric_id()) : nullptr;
  const uint64_t min_n = o.min_n.value_or(
      m && m->has_min_cell_count() ? m->min_cell_count() : kDefaultMinN);
  SeriesPoint base = Base(r, g.window());
  base.segment = {{"model version", g.model_version()},
                  {"membership source", MembershipName(g.membership_source())}};
  const std::string stream = absl::StrCat(
      "deployer ", g.population().deployer(), " · region ",
      g.population().region(),
      g.plan_metric_id().empty() ? "" : " · plan metric ", g.plan_metric_id());
  const double z = TwoSidedZ(o.alpha);
  const v1::GroupStat* ref = nullptr;
  for (const v1::GroupStat& s : g.groups()) {
    if (s.group() == g.reference_group()) ref = &s;
    SeriesPoint p = base;
    if (!Withheld(o, s.n(), min_n, s.group(), &p)) {
      const Moments mo = Of(s);
      p.n = s.n();
      if (!mo.defined) {
        p.state = PointState::kUndefined;
        p.text = "undefined (fewer than 2 observations)";
      } else {
        p.value = Value::Inexact(mo.mean);
        const double half = z * std::sqrt(mo.variance / s.n());
        p.interval = {true, mo.mean - half, mo.mean + half};
        p.text = absl::StrFormat("%.6g", mo.mean);
      }
    }
    SeriesFor(out, {system,
                    "GroupMetricSnapshot",
                    absl::StrCat("mean ", g.outcome()),
                    g.feature(),
                    s.group(),
                    stream,
                    "",
                    {}})
        ->points.push_back(std::move(p));
  }
  if (m == nullptr) return;
  const PlanMetricKind kind = ResolvePlanMetric(*m);
  const std::string metric = absl::StrCat("plan: ", m->metric_id());
  for (const v1::GroupStat& s : g.groups()) {
    if (&s == ref) continue;
    SeriesPoint p = base;
    p.threshold = PlanThreshold(plan, m);
    if (kind.family != PlanMetricKind::kSmd) {
      p.state = PointState::kNotComputed;
      p.text = absl::StrCat("not computed: '", m->metric_id(),
                            "' is not a metric this generator computes from "
                            "group moments; threshold not evaluated");
    } else if (ref == nullptr) {
      p.state = PointState::kUndefined;
      p.text = "undefined: no reference group";
    } else if (!Withheld(o, std::min(s.n(), ref->n()), min_n,
                         s.n() < ref->n() ? s.group() : ref->group(), &p)) {
      p.value = AbsoluteSmd(s, *ref);
      p.state = p.value.defined ? PointState::kValue : PointState::kUndefined;
      p.text = p.value.defined ? absl::StrFormat("%.4f", p.value.value)
                               : "undefined (a pooled SD of 0)";
      p.breach = p.value.defined && p.threshold &&
                 (p.threshold->at_least ? p.value.value < p.threshold->value
                                        : p.value.value > p.threshold->value);
    }
    SeriesFor(out, {system,
                    "GroupMetricSnapshot",
                    absl::StrCat(metric, ", ", kind.Label()),
                    g.feature(),
                    s.group(),
                    stream,
                    "",
                    {}})
        ->points.push_back(std::move(p));
  }
}

void Societal(const Record& r, const Plans& plans, const std::string& system,
              const MetricOptions& o, std::vector<Series>* out) {
  const v1::SocietalMetricRecorded& s = r.event.societal_metric();
  auto [plan, m] =
      plans.ByName(system, "SocietalMetricRecorded", s.name(), r.index);
  SeriesPoint p = Base(r, s.period());
  p.segment = {{"method version",
                s.method_version().empty() ? "unset" : s.method_version()}};
  p.threshold = PlanThreshold(plan, m);
  const uint64_t min_n =
      o.min_n.value_or(m && m->has_min_cell_count() ? m->min_cell_count() : 0);
  if (s.has_n() && Withheld(o, s.n(), min_n, "", &p)) {
    // withheld
  } else if (!s.has_value()) {
    p.state = PointState::kUndefined;
    p.text = "no value recorded";
  } else {
    if (s.has_n()) p.n = s.n();
    p.value = Value::Inexact(s.value());
    p.text = absl::StrFormat("%g", s.value());
    const double u = s.uncertainty();
    if (s.has_uncertainty() &&
        s.uncertainty_kind() == v1::UNCERTAINTY_KIND_CONFIDENCE_HALF_WIDTH) {
      p.interval = {true, s.value() - u, s.value() + u};
      absl::StrAppendFormat(&p.text, " ± %g (%g %% CI, as recorded)", u,
                            100 * s.confidence_level());
    } else if (s.has_uncertainty() &&
               s.uncertainty_kind() == v1::UNCERTAINTY_KIND_STANDARD_ERROR) {
      const double half = TwoSidedZ(o.alpha) * u;
      p.interval = {true, s.value() - half, s.value() + half};
      absl::StrAppendFormat(&p.text, " (SE %g)", u);
    } else if (s.has_uncertainty()) {
      absl::StrAppendFormat(
          &p.text, " (%s %g)",
          s.uncertainty_kind() == v1::UNCERTAINTY_KIND_STANDARD_DEVIATION
              ? "SD"
              : "uncertainty of unstated kind",
          u);
    }
    if (s.has_baseline())
      absl::StrAppendFormat(&p.text, "; baseline %g", s.baseline());
    p.breach =
        p.threshold && (p.threshold->at_least ? s.value() < p.threshold->value
                                              : s.value() > p.threshold->value);
  }
  SeriesFor(out, {system,
                  "SocietalMetricRecorded",
                  s.name(),
                  "",
                  "",
                  s.population(),
                  s.unit(),
                  {}})
      ->points.push_back(std::move(p));
}

}  // namespace

void AddGroupMetrics(const std::vector<Record>& records, const Plans& plans,
                     const RecordStatus& status, const std::string& system,
                     const SeriesScope& scope, const MetricOptions& o,
                     std::vector<Series>* out,
                     std::vector<std::string>* notes) {
  for (const Record& r : records) {
    if (!r.event.has_group_metric_snapshot() || !InScope(r, system, scope))
      continue;
    if (std::string s = status.Of(r); !s.empty()) {
      notes->push_back(absl::StrCat(Cite(r), ": ", s, " (left out)"));
      continue;
    }
    GroupSnapshot(r, plans, system, o, out);
  }
}

void AddSocietal(const std::vector<Record>& records, const Plans& plans,
                 const RecordStatus& status, const std::string& system,
                 const SeriesScope& scope, const MetricOptions& o,
                 std::vector<Series>* out, std::vector<std::string>* notes) {
  for (const Record& r : records) {
    if (!r.event.has_societal_metric() || !InScope(r, system, scope)) continue;
    if (std::string s = status.Of(r); !s.empty()) {
      notes->push_back(absl::StrCat(Cite(r), ": ", s, " (left out)"));
      continue;
    }
    Societal(r, plans, system, o, out);
  }
}

}  // namespace ailedger::reports::series
