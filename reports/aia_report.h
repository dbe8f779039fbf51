// The Canada AIA report of a system (issue 13; DOMAIN.md §1, §10.7): each
// ImpactAssessmentRecorded of framework ca-dadm:aia about it, scored from its
// raw answers against the survey its questionnaire names (ledger/aia), beside
// the level its author claimed, with the tool's section scores; completeness
// (required questions left unanswered: "level provisional"); every answer in
// English and French; the applicability (a voluntary-use banner outside the
// federal government); the requirement set in force on the latest
// assessment's date and, for each duty of each requirement at its computed
// level, the records that evidence it, "not evidenced" or "no record type"
// (aia_evidence.h, through the shipped mapping of aia_reference.h); the level
// over time, table and chart; whether the first assessment came before the
// first deployment and each substantial modification was reassessed before
// its deployment (log order, aia_history.h). Every figure cites its record
// (records.h Cite); the survey, the requirement table and the mapping are
// named by their SHA-256 in the envelope.
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
