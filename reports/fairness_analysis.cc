#include "reports/fairness_analysis.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace ailedger::reports {
namespace {

std::string Id(const Hash& h) { return std::string(AsBytes(h)); }

// Every test of a snapshot in the family order: feature, then selection
// rate, TPR, FPR, then the groups in input order.
template <typename F>
void ForEachTest(SnapshotAnalysis& a, F f) {
  for (size_t i = 0; i < a.features.size(); ++i) {
    for (TestedRate t :
         {TestedRate::kSelectionRate, TestedRate::kTpr, TestedRate::kFpr}) {
      const std::vector<FisherTest>& tests = a.Tests(i, t);
      SnapshotAnalysis::Adjusted& adj = a.adjusted[i];
      std::vector<std::optional<double>>& slots =
          t == TestedRate::kTpr   ? adj.tpr
          : t == TestedRate::kFpr ? adj.fpr
                                  : adj.sr;
      for (size_t g = 0; g < tests.size(); ++g) f(tests[g], &slots[g]);
    }
  }
}

}  // namespace

std::string MetricOptions::SuppressedText() const {
  return absl::StrCat("suppressed (<", SuppressBelow(), ")");
}

absl::Status CheckMetricOptions(const MetricOptions& o) {
  if (!(o.alpha > 0 && o.alpha < 1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("alpha: must be in (0, 1), is ", o.alpha));
  }
  if (o.edition == Edition::kPublic && o.min_cell == 0) {
    return absl::InvalidArgumentError(
        "min_cell: the public edition needs a minimum cell count of at least "
        "1");
  }
  return absl::OkStatus();
}

absl::Status SetMetricOption(const std::string& flag, const std::string& value,
                             MetricOptions* o) {
  auto bad = [&](const std::string& want) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, ": ", want, ", not '", value, "'"));
  };
  if (flag == "alpha") {
    double a = 0;
    if (!absl::SimpleAtod(value, &a) || !(a > 0 && a < 1)) {
      return bad("a number between 0 and 1");
    }
    o->alpha = a;
  } else if (flag == "adjust") {
    if (value != "holm" && value != "bh") return bad("holm or bh");
    o->adjust = value == "holm" ? AdjustMethod::kHolm
                                : AdjustMethod::kBenjaminiHochberg;
  } else if (flag == "edition") {
    if (value != "auditor" && value != "public")
      return bad("auditor or public");
    o->edition = value == "public" ? Edition::kPublic : Edition::kAuditor;
  } else if (flag == "min-n" || flag == "min-cell") {
    uint64_t n = 0;
    if (!absl::SimpleAtoi(value, &n) || (flag == "min-cell" && n == 0)) {
      return bad(flag == "min-n" ? "a count" : "a count of at least 1");
    }
    if (flag == "min-n") {
      o->min_n = n;
    } else {
      o->min_cell = n;
    }
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, ": not a metric option"));
  }
  return absl::OkStatus();
}

std::vector<std::pair<std::string, std::string>> MetricParameters(
    const MetricOptions& o) {
  return {
      {"alpha",
       absl::StrFormat("%g (Wilson and Katz intervals at %g %%; a corrected "
                       "p below alpha is significant)",
                       o.alpha, 100 * (1 - o.alpha))},
      {"multiple-comparison method",
       absl::StrCat(AdjustMethodName(o.adjust),
                    ", across groups x metrics (Fisher's exact test of the "
                    "selection rate, TPR and FPR against the reference) x "
                    "periods, per system")},
      {"minimum n",
       o.min_n ? absl::StrCat(*o.min_n, " (the reader's; overrides plans)")
               : absl::StrCat("the plan metric's min_cell_count where a "
                              "snapshot names one, else ",
                              kDefaultMinN)},
      {"edition", o.edition == Edition::kPublic
                      ? "public (small cells suppressed)"
                      : "auditor (no cell suppressed)"},
      {"minimum cell count",
       absl::StrCat(o.min_cell,
                    o.edition == Edition::kPublic
                        ? ": a group with fewer decisions is suppressed, "
                          "with every figure derivable from it"
                        : " (applies to the public edition only)")},
      {"fairness conventions",
       "favourable decision as the positive class; Fairlearn unsigned "
       "(between_groups and to_overall); AIF360 signed, unprivileged minus "
       "(or over) the reference group; four-fifths against the highest and "
       "the reference group, a screening flag, not a finding"},
  };
}

RecordStatus::RecordStatus(const std::vector<Record>& records) {
  for (const Record& r : records) {
    if (!r.event.supersedes().empty()) {
      status_[r.event.supersedes()] = absl::StrCat(
          "superseded by idx ", r.index, ": ", r.event.supersedes_reason());
    }
    if (r.event.has_retraction()) {
      status_[r.event.retraction().retracts()] = absl::StrCat(
          "retracted by idx ", r.index, ": ", r.event.retraction().reason());
    }
  }
}

std::string RecordStatus::Of(const Record& r) const {
  auto it = status_.find(Id(r.event_id));
  return it == status_.end() ? "" : it->second;
}

Plans::Plans(const std::vector<Record>& records) {
  for (const Record& r : records) {
    if (!r.event.has_monitoring_plan()) continue;
    by_id_[Id(r.event_id)] = &r;
    in_order_.push_back(&r);
  }
}

const Record* Plans::Plan(const std::string& event_id) const {
  auto it = by_id_.find(event_id);
  return it == by_id_.end() ? nullptr : it->second;
}

const v1::PlannedMetric* Plans::Metric(const Record& plan,
                                       const std::string& metric_id) const {
  for (const v1::PlannedMetric& m : plan.event.monitoring_plan().metrics()) {
    if (m.metric_id() == metric_id) return &m;
  }
  return nullptr;
}

std::pair<const Record*, const v1::PlannedMetric*> Plans::ByName(
    const std::string& system, const std::string& event_type,
    const std::string& name, uint64_t index) const {
  for (auto it = in_order_.rbegin(); it != in_order_.rend(); ++it) {
    const Record& p = **it;
    if (p.index > index || !About(p, system)) continue;
    for (const v1::PlannedMetric& m : p.event.monitoring_plan().metrics()) {
      if (m.event_type() == event_type && m.name() == name) return {&p, &m};
    }
  }
  return {nullptr, nullptr};
}

bool About(const Record& r, const std::string& system) {
  for (const auto& s : r.event.subjects()) {
    if (s.kind() == "system" && s.id() == system) return true;
  }
  return false;
}

std::vector<std::string> SystemsOf(const std::vector<Record>& records,
                                   const std::string& organisation) {
  std::set<std::string> out;
  for (const Record& r : records) {
    if (r.event.organisation() != organisation) continue;
    for (const auto& s : r.event.subjects()) {
      if (s.kind() == "system") out.insert(s.id());
    }
  }
  return {out.begin(), out.end()};
}

std::string TestedRateName(TestedRate t) {
  switch (t) {
    case TestedRate::kSelectionRate:
      return "selection rate";
    case TestedRate::kTpr:
      return "TPR";
    case TestedRate::kFpr:
      return "FPR";
  }
  return "";
}

const std::vector<FisherTest>& SnapshotAnalysis::Tests(size_t feature,
                                                       TestedRate t) const {
  const FairnessResult& f = features[feature];
  if (t == TestedRate::kTpr) return f.fisher_tpr_vs_reference;
  if (t == TestedRate::kFpr) return f.fisher_fpr_vs_reference;
  return f.fisher_vs_reference;
}

const std::vector<std::optional<double>>& SnapshotAnalysis::AdjustedP(
    size_t feature, TestedRate t) const {
  const Adjusted& a = adjusted[feature];
  if (t == TestedRate::kTpr) return a.tpr;
  if (t == TestedRate::kFpr) return a.fpr;
  return a.sr;
}

SystemAnalysis AnalyseSystem(const std::vector<Record>& records,
                             const Plans& plans, const RecordStatus& status,
                             const std::string& system, int64_t from_ms,
                             int64_t to_ms, const MetricOptions& o) {
  SystemAnalysis out;
  out.system = system;
  const double z = TwoSidedZ(o.alpha);
  for (const Record& r : records) {
    if (!r.event.has_fairness_snapshot() || !About(r, system)) continue;
    const int64_t t = r.event.occurred_at_ms();
    if (t < from_ms || t >= to_ms) continue;
    if (std::string s = status.Of(r); !s.empty()) {
      out.left_out.push_back(absl::StrCat(Cite(r), ": ", s));
      continue;
    }
    const v1::FairnessSnapshot& f = r.event.fairness_snapshot();
    SnapshotAnalysis a;
    a.record = &r;
    a.plan = plans.Plan(f.plan_event_id());
    if (a.plan) a.metric = plans.Metric(*a.plan, f.plan_metric_id());
    a.min_n = o.min_n.value_or(a.metric && a.metric->has_min_cell_count()
                                   ? a.metric->min_cell_count()
                                   : kDefaultMinN);
    auto results = ComputeSnapshotFairness(f, {.min_n = a.min_n, .z = z});
    if (results.ok()) {
      a.features = *std::move(results);
    } else {
      a.status = results.status();
    }
    for (const FairnessResult& res : a.features) {
      const size_t n = res.fisher_vs_reference.size();
      a.adjusted.push_back({std::vector<std::optional<double>>(n),
                            std::vector<std::optional<double>>(n),
                            std::vector<std::optional<double>>(n)});
    }
    out.snapshots.push_back(std::move(a));
  }
  // One family for the system: every test with data, in a fixed order.
  std::vector<double> ps;
  for (SnapshotAnalysis& a : out.snapshots) {
    ForEachTest(a, [&](const FisherTest& t, std::optional<double>*) {
      if (!t.insufficient_data && t.p) ps.push_back(*t.p);
    });
  }
  const std::vector<double> adjusted = Adjust(ps, o.adjust);
  size_t next = 0;
  for (SnapshotAnalysis& a : out.snapshots) {
    ForEachTest(a, [&](const FisherTest& t, std::optional<double>* slot) {
      if (!t.insufficient_data && t.p) *slot = adjusted[next++];
    });
  }
  out.family = ps.size();
  return out;
}

}  // namespace ailedger::reports
