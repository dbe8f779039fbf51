#include "reports/fairness_report.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "reports/fairness.h"
#include "reports/intervals.h"

namespace ailedger::reports {
namespace {

using Plans = std::map<std::string, const v1::MonitoringPlan*>;

std::string Num(const Value& v) {
  return v.defined ? absl::StrFormat("%.4f", v.value) : "undefined";
}

std::string Ci(const Interval& i) {
  return i.defined ? absl::StrFormat(" (%.3f–%.3f)", i.lower, i.upper) : "";
}

std::string RatioText(const ImpactRatio* r) {
  if (r == nullptr) return "";
  if (r->insufficient_data) return "insufficient data";
  return absl::StrCat(
      Num(r->ratio), Ci(r->katz), r->screening_flag ? " screening flag" : "",
      r->interval_straddles_four_fifths ? " (CI straddles 0.8)" : "");
}

const ImpactRatio* Find(const std::vector<ImpactRatio>& v,
                        const std::string& group) {
  for (const ImpactRatio& r : v) {
    if (r.group == group) return &r;
  }
  return nullptr;
}

// The plan metric a snapshot answers, if its plan is in the records.
const v1::PlannedMetric* PlanMetric(const v1::FairnessSnapshot& f,
                                    const Plans& plans) {
  auto it = plans.find(f.plan_event_id());
  if (it == plans.end()) return nullptr;
  for (const auto& m : it->second->metrics()) {
    if (m.metric_id() == f.plan_metric_id()) return &m;
  }
  return nullptr;
}

struct Row {
  std::vector<std::string> cells;
  std::optional<double> p;  // Fisher against the reference, unadjusted
};

void AddRows(const Record& r, const FairnessResult& f, std::vector<Row>* rows) {
  for (const GroupRates& g : f.groups) {
    const FisherTest* fisher = nullptr;
    for (const FisherTest& t : f.fisher_vs_reference) {
      if (t.group == g.group) fisher = &t;
    }
    rows->push_back(
        {{Cite(r), f.feature, g.group,
          absl::StrCat(g.selection_rate.denominator),
          absl::StrCat(
              g.selection_rate.count, "/", g.selection_rate.denominator, " = ",
              Num(g.selection_rate.value), Ci(g.selection_rate.wilson)),
          RatioText(Find(f.vs_highest, g.group)),
          g.group == f.reference_group
              ? "reference"
              : RatioText(Find(f.vs_reference, g.group))},
         fisher && !fisher->insufficient_data ? fisher->p : std::nullopt});
  }
}

Plans PlansIn(const std::vector<Record>& records) {
  Plans plans;
  for (const Record& r : records) {
    if (r.event.has_monitoring_plan())
      plans[std::string(AsBytes(r.event_id))] = &r.event.monitoring_plan();
  }
  return plans;
}

bool About(const Record& r, const std::string& system) {
  for (const auto& s : r.event.subjects()) {
    if (s.kind() == "system" && s.id() == system) return true;
  }
  return false;
}

}  // namespace

absl::StatusOr<Report> FairnessReport(const std::vector<Record>& records,
                                      const VerifyReport& verified,
                                      const VerifyOptions& options,
                                      const std::string& system) {
  const Plans plans = PlansIn(records);
  std::vector<Row> rows;
  std::vector<std::string> notes;
  int snapshots = 0;
  for (const Record& r : records) {
    if (!r.event.has_fairness_snapshot() || !About(r, system)) continue;
    ++snapshots;
    const v1::FairnessSnapshot& f = r.event.fairness_snapshot();
    FairnessOptions o;
    const v1::PlannedMetric* m = PlanMetric(f, plans);
    if (m && m->has_min_cell_count()) o.min_n = m->min_cell_count();
    if (m && m->has_threshold()) {
      notes.push_back(absl::StrCat(Cite(r), ": plan metric ", m->metric_id(),
                                   ", threshold ", m->threshold(), " (",
                                   m->comparison(), "); ", m->rationale()));
    }
    auto results = ComputeSnapshotFairness(f, o);
    if (!results.ok()) {
      notes.push_back(
          absl::StrCat(Cite(r), ": no rates: ", results.status().message()));
      continue;
    }
    for (const FairnessResult& res : *results) AddRows(r, res, &rows);
  }
  if (snapshots == 0) {
    return absl::NotFoundError(
        absl::StrCat("no FairnessSnapshot about system '", system,
                     "' in the verified records"));
  }
  std::vector<double> ps;
  for (const Row& row : rows) {
    if (row.p) ps.push_back(*row.p);
  }
  const std::vector<double> holm = HolmAdjust(ps);
  Table t{{"evidence", "feature", "group", "n",
           "favourable selection rate (Wilson 95 %)",
           "ratio to highest (Katz 95 %)", "ratio to reference (Katz 95 %)",
           "Fisher p vs reference (Holm)"},
          {}};
  size_t next = 0;
  for (Row& row : rows) {
    row.cells.push_back(
        row.p ? absl::StrFormat("%.4g (%.4g)", *row.p, holm[next++]) : "");
    t.rows.push_back(std::move(row.cells));
  }
  Report out;
  out.kind = "fairness";
  out.title = absl::StrCat("Fairness: ", system);
  out.envelope = EnvelopeOf(verified, options);
  out.envelope.parameters = {
      {"system", system},
      {"confidence", "95 % (Wilson, Katz log)"},
      {"multiple comparisons", "Holm, across the report"},
      {"minimum n", "the plan metric's, else 30"}};
  Section s{"Groups, recomputed from the raw counts",
            {"A ratio below 0.8 is a screening flag of the four-fifths rule, "
             "not a finding; read it with its interval and the corrected p."},
            {std::move(t)}};
  s.paragraphs.insert(s.paragraphs.end(), notes.begin(), notes.end());
  out.sections = {std::move(s)};
  out.data["snapshots"] = snapshots;
  out.data["rows"] = nlohmann::json::array();
  for (const auto& row : out.sections[0].tables[0].rows)
    out.data["rows"].push_back(row);
  return out;
}

}  // namespace ailedger::reports
