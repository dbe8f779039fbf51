// The Canada AIA report of a system (issue 13; DOMAIN.md §1.2): each
// ImpactAssessmentRecorded of framework ca-dadm:aia about it, scored from its
// raw answers against the survey its questionnaire names (ledger/aia), beside
// the level its author claimed; completeness (required questions left
// unanswered: "level provisional"); every answer in English and French; the
// applicability (a voluntary-use banner outside the federal government); and
// whether the assessment came before the system's first deployment (log
// order). Every assessment is cited (records.h Cite).
#ifndef AILEDGER_REPORTS_AIA_REPORT_H_
#define AILEDGER_REPORTS_AIA_REPORT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "reports/records.h"
#include "reports/report.h"

namespace ailedger::reports {

// NOT_FOUND naming the system when the records hold no such assessment.
absl::StatusOr<Report> AiaReport(const std::vector<Record>& records,
                                 const VerifyReport& verified,
                                 const VerifyOptions& options,
                                 const std::string& system);

}  // namespace ailedger::reports

#endif  // AILEDGER_REPORTS_AIA_REPORT_H_
