// The annual impact report of an organisation (issue 13; DOMAIN.md §9): for
// the records that occurred in the year, the inventory of its systems, the
// releases and deployments, the impact assessments, the fairness screens,
// the incidents with their EU AI Act Art. 73 deadlines met or missed, the
// audits and corrective actions, the objectives evaluated, and a completeness
// section (pending and rejected approvals, corrections and retractions with
// their reasons, records recorded late, backfills with their reasons). Every
// row cites its entry. The year is a UTC year; the Art. 73 deadlines are
// counted per Regulation 1182/71 in each Member State's legal time with its
// shipped public holidays (art73.h; the envelope names the data and says
// where no calendar applied).
#ifndef AILEDGER_REPORTS_ANNUAL_REPORT_H_
#define AILEDGER_REPORTS_ANNUAL_REPORT_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "reports/fairness_analysis.h"
#include "reports/records.h"
#include "reports/report.h"

namespace ailedger::reports {

struct AnnualOptions {
  std::string organisation;
  int year = 0;
  // A record integrated later than this after it occurred is "late".
  int64_t late_after_ms = 7 * 86'400'000LL;
  // The fairness and societal-impact section's parameters (edition, minimum
  // cell count, alpha, multiple-comparison method, minimum n).
  MetricOptions metrics;
  // The operational records (records.h IsOperational), when ReadRecords
  // counted them instead of returning them; null when `records` holds them.
  const OperationalTally* operational = nullptr;
  // The Art. 73 clocks' day boundaries and "immediately" policy (art73.h).
  bool utc_day_boundaries = false;
  std::optional<int64_t> immediately_policy_ms;
  // Another party's log, verified (the CLI's --other-bundle and
  // --other-vkey): the external references naming it are checked against it
  // (contradictions.h). Null: each is listed "not checked".
  const std::vector<Record>* other_log = nullptr;
  std::string other_origin;

  // The year's bounds, UTC, Unix milliseconds: [start, end).
  int64_t start_ms() const;
  int64_t end_ms() const;
};

// NOT_FOUND when the organisation has no record in the year.
absl::StatusOr<Report> AnnualReport(const std::vector<Record>& records,
                                    const VerifyReport& verified,
                                    const VerifyOptions& options,
                                    const AnnualOptions& annual);

}  // namespace ailedger::reports

#endif  // AILEDGER_REPORTS_ANNUAL_REPORT_H_
