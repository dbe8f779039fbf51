// The report sections of metric time series (metric_series.h), shared by the
// fairness report and the annual report: one line chart per system x metric
// (a line per group and population, split at every series break, with the
// thresholds, the breach markers and the break markers), the table of every
// point, and every breach and screening flag, each cited with the plan that
// set its threshold. Internal to reports/.
#ifndef AILEDGER_REPORTS_SERIES_SECTIONS_H_
#define AILEDGER_REPORTS_SERIES_SECTIONS_H_

#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "reports/chart.h"
#include "reports/metric_series.h"
#include "reports/report.h"

namespace ailedger::reports {

// One chart per system x metric, in the set's order.
std::vector<Chart> SeriesCharts(const SeriesSet& s);

// "<title>" (charts, the table of points, notes) and "<title>: breaches and
// screening flags".
std::vector<Section> SeriesSections(const SeriesSet& s, const MetricOptions& o,
                                    const std::string& title);

// Every series and point with its inputs, for the JSON form.
nlohmann::json SeriesJson(const SeriesSet& s);

}  // namespace ailedger::reports

#endif  // AILEDGER_REPORTS_SERIES_SECTIONS_H_
