// The annual report's fairness and societal-impact section (issue 13, annual
// impact report: "fairness and societal-impact time series per system and
// group, charted, with thresholds and every breach flagged"): the metric
// time series (metric_series.h) of the organisation's systems over the
// records that occurred in the year, with the same parameters, suppression
// and corrections as the fairness report. Internal to reports/.
#ifndef AILEDGER_REPORTS_ANNUAL_METRICS_H_
#define AILEDGER_REPORTS_ANNUAL_METRICS_H_

#include <vector>

#include "reports/annual_report.h"
#include "reports/records.h"
#include "reports/report.h"

namespace ailedger::reports::annual {

// The sections (series with charts, and breaches and screening flags) of
// the systems named in the organisation's records; adds the metric
// parameters to `envelope` and the series to `data["metric_series"]`.
std::vector<Section> Metrics(const std::vector<Record>& records,
                             const AnnualOptions& annual, Envelope* envelope,
                             nlohmann::json* data);

}  // namespace ailedger::reports::annual

#endif  // AILEDGER_REPORTS_ANNUAL_METRICS_H_
