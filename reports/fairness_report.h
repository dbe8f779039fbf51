// The fairness report of a system (issue 13, "Fairness"): every
// FairnessSnapshot about it, recomputed from its raw confusion counts
// (fairness.h): per group n and favourable selection rate with its Wilson
// interval; the impact ratio to the highest-rate group and to the reference
// group with Katz intervals, screened by the four-fifths rule (a screening
// flag, not a finding); Fisher's exact test against the reference, Holm-
// corrected across every group of every snapshot in the report; "insufficient
// data" below the plan's minimum cell count (else 30); the plan's threshold
// where the snapshot names its plan metric. A snapshot that does not say
// whether a positive prediction is favourable gets no rates.
#ifndef AILEDGER_REPORTS_FAIRNESS_REPORT_H_
#define AILEDGER_REPORTS_FAIRNESS_REPORT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "reports/records.h"
#include "reports/report.h"

namespace ailedger::reports {

// NOT_FOUND naming the system when the records hold no snapshot about it.
absl::StatusOr<Report> FairnessReport(const std::vector<Record>& records,
                                      const VerifyReport& verified,
                                      const VerifyOptions& options,
                                      const std::string& system);

}  // namespace ailedger::reports

#endif  // AILEDGER_REPORTS_FAIRNESS_REPORT_H_
