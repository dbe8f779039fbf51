#include "reports/annual_metrics.h"

#include <vector>

#include "reports/fairness_analysis.h"
#include "reports/metric_series.h"
#include "reports/series_sections.h"

namespace ailedger::reports::annual {

std::vector<Section> Metrics(const std::vector<Record>& records,
                             const AnnualOptions& a, Envelope* envelope,
                             nlohmann::json* data) {
  for (auto& p : MetricParameters(a.metrics)) {
    envelope->parameters.push_back(p);
  }
  SeriesScope scope;
  scope.systems = SystemsOf(records, a.organisation);
  scope.from_ms = a.start_ms();
  scope.to_ms = a.end_ms();
  const SeriesSet set = BuildMetricSeries(records, scope, a.metrics);
  (*data)["metric_series"] = SeriesJson(set);
  return SeriesSections(set, a.metrics, "Fairness and societal-impact metrics");
}

}  // namespace ailedger::reports::annual
