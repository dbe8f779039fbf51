#include "reports/fairness_report.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "reports/fairness_tables.h"
#include "reports/metric_series.h"
#include "reports/series_sections.h"

namespace ailedger::reports {
namespace {

bool HasMetricRecord(const std::vector<Record>& records,
                     const std::string& system, int* snapshots) {
  bool any = false;
  for (const Record& r : records) {
    if (!About(r, system)) continue;
    if (r.event.has_fairness_snapshot()) ++*snapshots;
    any |= r.event.has_fairness_snapshot() ||
           r.event.has_group_metric_snapshot() || r.event.has_societal_metric();
  }
  return any;
}

nlohmann::json Rows(const Table& t) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& row : t.rows) out.push_back(row);
  return out;
}

}  // namespace

absl::StatusOr<Report> FairnessReport(const std::vector<Record>& records,
                                      const VerifyReport& verified,
                                      const VerifyOptions& options,
                                      const std::string& system,
                                      const MetricOptions& o) {
  if (absl::Status s = CheckMetricOptions(o); !s.ok()) return s;
  int snapshots = 0;
  if (!HasMetricRecord(records, system, &snapshots)) {
    return absl::NotFoundError(
        absl::StrCat("no FairnessSnapshot, GroupMetricSnapshot or "
                     "SocietalMetricRecorded about system '",
                     system, "' in the verified records"));
  }
  const Plans plans(records);
  const RecordStatus status(records);
  const SystemAnalysis a = AnalyseSystem(
      records, plans, status, system, std::numeric_limits<int64_t>::min(),
      std::numeric_limits<int64_t>::max(), o);
  const SeriesSet set = BuildMetricSeries(records, {.systems = {system}}, o);

  Section groups{
      "Groups, recomputed from the raw counts",
      {"Rates count favourable decisions (the snapshot says whether a "
       "positive prediction is one). A ratio below 0.8 is a screening flag of "
       "the four-fifths rule, not a finding: read it with its interval and "
       "the corrected p. In brackets after each p: the p corrected across "
       "every test of the report."},
      {fairness_tables::Groups(a, o)},
      {}};
  for (const std::string& s : a.left_out) {
    groups.paragraphs.push_back(absl::StrCat(s, " (not analysed)"));
  }
  for (const SnapshotAnalysis& s : a.snapshots) {
    if (!s.status.ok()) {
      groups.paragraphs.push_back(
          absl::StrCat(Cite(*s.record), ": no rates: ", s.status.message()));
    }
  }
  Section disparities{
      "Disparities: Fairlearn and AIF360",
      {"Fairlearn's differences and ratios are unsigned over all groups of a "
       "feature; AIF360's are signed, each group against the reference. "
       "'undefined' is an empty denominator, never 0."},
      {fairness_tables::Disparities(a, o)},
      {}};
  Section measured{"What each snapshot measured, and against which plan",
                   {},
                   {fairness_tables::Snapshots(a)},
                   {}};

  Report out;
  out.kind = "fairness";
  out.title = absl::StrCat("Fairness: ", system);
  out.envelope = EnvelopeOf(verified, options);
  out.envelope.parameters = {{"system", system}};
  for (auto& p : MetricParameters(o)) out.envelope.parameters.push_back(p);
  out.data["snapshots"] = snapshots;
  out.data["rows"] = Rows(groups.tables[0]);
  out.data["disparities"] = Rows(disparities.tables[0]);
  out.data["measured"] = Rows(measured.tables[0]);
  out.data["tests_corrected_together"] = a.family;
  out.data["series"] = SeriesJson(set);
  out.sections = {std::move(measured), std::move(groups),
                  std::move(disparities)};
  for (Section& s : SeriesSections(set, o, "Metric time series")) {
    out.sections.push_back(std::move(s));
  }
  return out;
}

absl::StatusOr<Report> FairnessReport(const std::vector<Record>& records,
                                      const VerifyReport& verified,
                                      const VerifyOptions& options,
                                      const std::string& system) {
  return FairnessReport(records, verified, options, system, MetricOptions());
}

}  // namespace ailedger::reports
