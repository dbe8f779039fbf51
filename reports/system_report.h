// The factsheet of one AI system (issue 13: `report system --system ID`, "a
// system's factsheet: lifecycle, versions, assessments, metrics, incidents,
// approvals"). Built from the verified records about the system: its
// registration (identity), its lifecycle events in log order, its model
// versions and releases (versions named but never released on this log
// flagged), its assessments with the level their author claimed, its
// monitoring plan metrics (the latest value of each against the plan's
// threshold: breached or not), its incidents, the approvals of every event
// about it (pending ones from the verification, rejections), the audits and
// findings about it, and what the log does not have for it ("no record" of a
// type the vocabulary has, "no record type" where it has none). Superseded
// and retracted records are shown as such, never silently used. Every row
// cites its record (records.h Cite); report.data carries every figure with
// its record's index.
#ifndef AILEDGER_REPORTS_SYSTEM_REPORT_H_
#define AILEDGER_REPORTS_SYSTEM_REPORT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "reports/records.h"
#include "reports/report.h"

namespace ailedger::reports {

// Kind "system-factsheet". NOT_FOUND naming the system when the records hold
// no SystemRegistered for it.
absl::StatusOr<Report> SystemReport(const std::vector<Record>& records,
                                    const VerifyReport& verified,
                                    const VerifyOptions& options,
                                    const std::string& system);

}  // namespace ailedger::reports

#endif  // AILEDGER_REPORTS_SYSTEM_REPORT_H_
