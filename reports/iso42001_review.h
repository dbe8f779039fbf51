// The inputs to an ISO/IEC 42001 management review (9.3.2 (a)-(e), DOMAIN.md
// §2.2 [K]: the harmonized structure's lettering), built from the records of
// a period, for the annual impact report and the evidence pack:
// clang-format off
//   (a) status of actions from previous management reviews: the previous
//       review's outputs, and the corrective actions, planned changes and
//       objectives open at the start or raised in the period, each with its
//       state at the end (verified, completed, evaluated, open, OVERDUE);
//   (b) changes in external and internal issues: the latest ContextRecorded
//       of the period against the one in force at its start, and scope
//       changes;
//   (c) changes in the needs and expectations of interested parties: the
//       same for interested parties, feedback and consultations;
//   (d) AIMS performance, with the trend against the previous period of the
//       same length: nonconformities and corrective actions, monitoring and
//       measurement results (fairness, group and societal metrics,
//       incidents), audit results (findings by class), objectives met;
//   (e) opportunities for improvement: auditors' opportunities and
//       observations, suggestions received, objectives not met, actions not
//       effective.
// clang-format on
// Every row cites its record (reports::Cite); a count cites each record it
// counts. A missing input says so ("no record").
#ifndef AILEDGER_REPORTS_ISO42001_REVIEW_H_
#define AILEDGER_REPORTS_ISO42001_REVIEW_H_

#include <cstdint>
#include <string>
#include <vector>

#include "reports/records.h"
#include "reports/report.h"

namespace ailedger::reports {

struct ManagementReviewOptions {
  std::string organisation;  // whose records (envelope organisation)
  // The period reviewed, [start_ms, end_ms), Unix ms UTC: records that
  // occurred in it are its inputs. Records integrated after end_ms are not
  // counted: the inputs are as known at the end of the period.
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  // Records listed per trend of (d) and period: the newest; the others are
  // counted and said. 0: all.
  size_t max_listed = 100;
};

// One section, "ISO/IEC 42001 management-review inputs (9.3.2 a-e)", with one
// table (input, what, record) in the order (a) to (e). An empty or inverted
// period gives the section with a paragraph saying so.
Section ManagementReviewInputs(const std::vector<Record>& records,
                               const ManagementReviewOptions& options);

}  // namespace ailedger::reports

#endif  // AILEDGER_REPORTS_ISO42001_REVIEW_H_
