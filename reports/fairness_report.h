// The fairness report of a system (issue 13, "Fairness (exact, and honest
// about uncertainty)"): every current FairnessSnapshot about it, recomputed
// from its raw confusion counts (fairness.h, fairness_analysis.h), any
// number of groups and intersectional cells:
//   - per group n, favourable selection rate, TPR and FPR with Wilson
//     intervals; the impact ratio to the highest-rate and to the reference
//     group with Katz log intervals, screened by the four-fifths rule (a
//     screening flag, not a finding); Fisher's exact test of each rate
//     against the reference, corrected across groups x metrics x periods
//     (Holm or Benjamini-Hochberg, a parameter);
//   - Fairlearn's disparities (between_groups and to_overall) and AIF360's
//     against the reference, each with its convention; "undefined" for an
//     empty denominator, "insufficient data" below the minimum n;
//   - what each snapshot measured (model, threshold, method, population)
//     and the plan metric it answers, with why it was chosen;
//   - the time series of every metric per group with the plan's thresholds,
//     breaches and series breaks, charted (metric_series.h);
//   - in the public edition, small cells suppressed with everything
//     derivable from them.
// Superseded and retracted snapshots are left out, each named. Every
// parameter is in the envelope.
#ifndef AILEDGER_REPORTS_FAIRNESS_REPORT_H_
#define AILEDGER_REPORTS_FAIRNESS_REPORT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "reports/fairness_analysis.h"
#include "reports/records.h"
#include "reports/report.h"

namespace ailedger::reports {

// NOT_FOUND naming the system when the records hold no FairnessSnapshot,
// GroupMetricSnapshot or SocietalMetricRecorded about it; INVALID_ARGUMENT
// naming the option for alpha outside (0, 1) or a public edition with a
// minimum cell count of 0.
absl::StatusOr<Report> FairnessReport(const std::vector<Record>& records,
                                      const VerifyReport& verified,
                                      const VerifyOptions& options,
                                      const std::string& system,
                                      const MetricOptions& metrics);

// With the default MetricOptions (auditor edition, alpha 0.05, Holm).
absl::StatusOr<Report> FairnessReport(const std::vector<Record>& records,
                                      const VerifyReport& verified,
                                      const VerifyOptions& options,
                                      const std::string& system);

}  // namespace ailedger::reports

#endif  // AILEDGER_REPORTS_FAIRNESS_REPORT_H_
