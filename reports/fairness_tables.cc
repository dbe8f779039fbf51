#include "reports/fairness_tables.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "reports/metric_series.h"

namespace ailedger::reports::fairness_tables {
namespace {

std::string Num(const Value& v) {
  return v.defined ? absl::StrFormat("%.4f", v.value) : "undefined";
}

std::string Ci(const Interval& i) {
  return i.defined ? absl::StrFormat(" (%.3f–%.3f)", i.lower, i.upper) : "";
}

const GroupRates* Find(const FairnessResult& f, const std::string& group) {
  for (const GroupRates& g : f.groups) {
    if (g.group == group) return &g;
  }
  return nullptr;
}

const ImpactRatio* Find(const std::vector<ImpactRatio>& v,
                        const std::string& group) {
  for (const ImpactRatio& r : v) {
    if (r.group == group) return &r;
  }
  return nullptr;
}

bool AnySuppressed(const FairnessResult& f, const MetricOptions& o) {
  for (const GroupRates& g : f.groups) {
    if (o.Suppressed(g.n)) return true;
  }
  return false;
}

const GroupRates* AnyInsufficient(const FairnessResult& f) {
  for (const GroupRates& g : f.groups) {
    if (g.insufficient_data) return &g;
  }
  return nullptr;
}

std::string Insufficient(const GroupRates& g, uint64_t min_n) {
  return absl::StrCat("insufficient data (", g.group, ": n ", g.n, " < ", min_n,
                      ")");
}

std::string RateText(const Rate& r) {
  if (!r.value.defined) return "undefined (an empty denominator)";
  return absl::StrCat(r.count, "/", r.denominator, " = ", Num(r.value),
                      Ci(r.wilson));
}

std::string RatioText(const ImpactRatio* r, const MetricOptions& o,
                      const FairnessResult& f) {
  if (r == nullptr) return "";
  const GroupRates* comparator = Find(f, r->comparator);
  if (comparator && o.Suppressed(comparator->n)) return o.SuppressedText();
  if (r->insufficient_data) return "insufficient data";
  return absl::StrCat(
      Num(r->ratio), Ci(r->katz),
      r->screening_flag ? " screening flag (four-fifths), not a finding" : "",
      r->interval_straddles_four_fifths ? " (CI straddles 0.8)" : "");
}

std::string FisherText(const SnapshotAnalysis& a, size_t fi, TestedRate t,
                       const std::string& group, const MetricOptions& o) {
  const FairnessResult& f = a.features[fi];
  const GroupRates* ref = Find(f, f.reference_group);
  if (ref == nullptr || group == f.reference_group) return "";
  if (o.Suppressed(ref->n)) return o.SuppressedText();
  const std::vector<FisherTest>& tests = a.Tests(fi, t);
  for (size_t j = 0; j < tests.size(); ++j) {
    if (tests[j].group != group) continue;
    if (tests[j].insufficient_data) return "insufficient data";
    const std::optional<double> adj = a.AdjustedP(fi, t)[j];
    if (!tests[j].p || !adj) return "undefined (an empty denominator)";
    return absl::StrFormat("%.4g (%.4g)%s", *tests[j].p, *adj,
                           *adj < o.alpha ? " significant" : "");
  }
  return "";
}

std::vector<std::string> GroupRow(const SnapshotAnalysis& a, size_t fi,
                                  const GroupRates& g, const MetricOptions& o) {
  const FairnessResult& f = a.features[fi];
  std::vector<std::string> row = {Cite(*a.record), f.feature, g.group};
  if (o.Suppressed(g.n)) {
    row.resize(12, o.SuppressedText());
    return row;
  }
  row.push_back(absl::StrCat(g.n));
  auto rate = [&](const Rate& r) {
    return g.insufficient_data ? Insufficient(g, a.min_n) : RateText(r);
  };
  row.push_back(rate(g.selection_rate));
  row.push_back(RatioText(Find(f.vs_highest, g.group), o, f));
  row.push_back(g.group == f.reference_group
                    ? "reference"
                    : RatioText(Find(f.vs_reference, g.group), o, f));
  row.push_back(FisherText(a, fi, TestedRate::kSelectionRate, g.group, o));
  row.push_back(rate(g.tpr));
  row.push_back(rate(g.fpr));
  row.push_back(FisherText(a, fi, TestedRate::kTpr, g.group, o));
  row.push_back(FisherText(a, fi, TestedRate::kFpr, g.group, o));
  return row;
}

// A disparity of the whole feature: suppressed when any cell is, else
// insufficient when any group is, else its exact value.
std::string FeatureValue(const FairnessResult& f, const Value& v,
                         uint64_t min_n, const MetricOptions& o) {
  if (AnySuppressed(f, o)) return o.SuppressedText();
  if (const GroupRates* g = AnyInsufficient(f)) return Insufficient(*g, min_n);
  return series::Format(v);
}

void FairlearnRows(const std::string& cite, const FairnessResult& f,
                   uint64_t min_n, const MetricOptions& o, Table* t) {
  for (Method m : {Method::kBetweenGroups, Method::kToOverall}) {
    const FairlearnMetrics& x =
        m == Method::kToOverall ? f.to_overall : f.between_groups;
    const std::string convention =
        m == Method::kToOverall
            ? "Fairlearn to_overall, unsigned (max |m_g - m_overall|; min "
              "of m_g/m_overall and its inverse)"
            : "Fairlearn between_groups, unsigned (max - min; min / max)";
    const std::pair<const char*, const Value*> rows[] = {
        {"demographic_parity_difference", &x.demographic_parity_difference},
        {"demographic_parity_ratio", &x.demographic_parity_ratio},
        {"equalized_odds_difference (worst_case)",
         &x.equalized_odds_difference},
        {"equalized_odds_difference (mean)", &x.equalized_odds_difference_mean},
        {"equalized_odds_ratio (worst_case)", &x.equalized_odds_ratio},
        {"equalized_odds_ratio (mean)", &x.equalized_odds_ratio_mean},
        {"equal_opportunity_difference", &x.equal_opportunity_difference},
        {"equal_opportunity_ratio", &x.equal_opportunity_ratio}};
    for (const auto& [name, v] : rows) {
      t->rows.push_back({cite, f.feature, absl::StrCat("fairlearn:", name),
                         convention, FeatureValue(f, *v, min_n, o)});
    }
  }
}

void Aif360Rows(const std::string& cite, const FairnessResult& f,
                const MetricOptions& o, Table* t) {
  const GroupRates* ref = Find(f, f.reference_group);
  for (const Aif360Metrics& m : f.aif360) {
    const GroupRates* u = Find(f, m.unprivileged);
    const std::string convention = absl::StrCat(
        "AIF360, signed: ", m.unprivileged, " (unprivileged) against ",
        f.reference_group, " (reference, privileged)");
    const std::pair<const char*, const Value*> rows[] = {
        {"statistical_parity_difference", &m.statistical_parity_difference},
        {"disparate_impact", &m.disparate_impact},
        {"equal_opportunity_difference", &m.equal_opportunity_difference},
        {"average_odds_difference", &m.average_odds_difference},
        {"average_abs_odds_difference", &m.average_abs_odds_difference}};
    for (const auto& [name, v] : rows) {
      std::string value = series::Format(*v);
      if (o.Suppressed(u->n) || (ref && o.Suppressed(ref->n))) {
        value = o.SuppressedText();
      } else if (m.insufficient_data) {
        value = "insufficient data";
      }
      t->rows.push_back(
          {cite, f.feature, absl::StrCat("aif360:", name), convention, value});
    }
  }
}

std::string Population(const v1::Population& p) {
  std::string s = absl::StrCat(
      "deployer ", p.deployer().empty() ? "unnamed" : p.deployer(), ", region ",
      p.region().empty() ? "unnamed" : p.region(), ", ",
      p.sampling() == v1::SAMPLING_CENSUS   ? "census"
      : p.sampling() == v1::SAMPLING_SAMPLE ? "sample"
                                            : "sampling unspecified");
  if (!p.sampling_method().empty())
    absl::StrAppend(&s, ": ", p.sampling_method());
  if (p.has_size()) absl::StrAppend(&s, " (of ", p.size(), " decisions)");
  return s;
}

std::string PlanText(const SnapshotAnalysis& a) {
  const v1::FairnessSnapshot& f = a.record->event.fairness_snapshot();
  if (f.plan_metric_id().empty()) return "none named";
  if (a.metric == nullptr) {
    return absl::StrCat(f.plan_metric_id(),
                        ": its MonitoringPlan is not in the records");
  }
  const v1::PlannedMetric& m = *a.metric;
  return absl::StrCat(
      m.metric_id(), " (", m.name(), "); threshold ",
      m.has_threshold()
          ? absl::StrFormat("%s %g", m.comparison(), m.threshold())
          : "none",
      "; why: ", m.rationale().empty() ? "not stated" : m.rationale(), "; ",
      Cite(*a.plan));
}

}  // namespace

Table Groups(const SystemAnalysis& a, const MetricOptions& o) {
  const std::string method = AdjustMethodName(o.adjust);
  Table t{{"evidence", "feature", "group", "n",
           absl::StrFormat("favourable selection rate (Wilson %g %%)",
                           100 * (1 - o.alpha)),
           "ratio to highest (Katz)", "ratio to reference (Katz)",
           absl::StrCat("Fisher p vs reference (", method, ")"), "TPR (Wilson)",
           "FPR (Wilson)", absl::StrCat("Fisher p of TPR (", method, ")"),
           absl::StrCat("Fisher p of FPR (", method, ")")},
          {}};
  for (const SnapshotAnalysis& s : a.snapshots) {
    for (size_t i = 0; i < s.features.size(); ++i) {
      for (const GroupRates& g : s.features[i].groups) {
        t.rows.push_back(GroupRow(s, i, g, o));
      }
    }
  }
  return t;
}

Table Disparities(const SystemAnalysis& a, const MetricOptions& o) {
  Table t{{"evidence", "feature", "metric", "convention", "value (exact)"}, {}};
  for (const SnapshotAnalysis& s : a.snapshots) {
    const std::string cite = Cite(*s.record);
    for (const FairnessResult& f : s.features) {
      const bool hidden = AnySuppressed(f, o);
      for (const auto& [name, rate] :
           {std::pair{"selection rate", &f.overall.selection_rate},
            std::pair{"TPR", &f.overall.tpr},
            std::pair{"FPR", &f.overall.fpr}}) {
        t.rows.push_back({cite, f.feature, absl::StrCat("overall ", name),
                          "all cells summed (Fairlearn's overall)",
                          hidden ? o.SuppressedText() : RateText(*rate)});
      }
      FairlearnRows(cite, f, s.min_n, o, &t);
      Aif360Rows(cite, f, o, &t);
    }
  }
  return t;
}

Table Snapshots(const SystemAnalysis& a) {
  Table t{{"evidence", "model version", "decision threshold", "method version",
           "population", "membership source", "positive label",
           "plan metric and why", "minimum n"},
          {}};
  for (const SnapshotAnalysis& s : a.snapshots) {
    const v1::FairnessSnapshot& f = s.record->event.fairness_snapshot();
    t.rows.push_back(
        {Cite(*s.record), f.model_version(),
         f.has_decision_threshold()
             ? absl::StrFormat("%g", f.decision_threshold())
             : "unset",
         f.method_version().empty() ? "unset" : f.method_version(),
         Population(f.population()),
         series::MembershipName(f.membership_source()),
         absl::StrCat(
             f.positive_label().empty() ? "not stated" : f.positive_label(),
             "; a positive prediction is the favourable decision: ",
             !f.has_positive_is_favourable() ? "unset (no rates)"
             : f.positive_is_favourable()    ? "yes"
                                             : "no (counts swapped)"),
         PlanText(s), absl::StrCat(s.min_n)});
  }
  return t;
}

}  // namespace ailedger::reports::fairness_tables
