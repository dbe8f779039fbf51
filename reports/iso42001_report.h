// The ISO/IEC 42001 evidence pack of an organisation (issue 13; review §5.2
// item 8): the Statement of Applicability as always 38 Annex A rows plus its
// own "x:" controls, each from its latest ControlStatusUpdated (status,
// applicability and justification, who implements it, the agreement that
// allocates a supplier control, the risk treatments that chose it, the
// evidence it cites, the review due and whether it is stale as of the
// report's date), a row never written shown "not determined"; the SoA
// versions defined as sets and who approved them; and, per clause 4-10, the
// records that document it. The report's date is the newest verified entry's
// integration time (no clock is read). Evidence listed is the author's own
// claim (self-attested) unless an auditor's finding confirms it.
#ifndef AILEDGER_REPORTS_ISO42001_REPORT_H_
#define AILEDGER_REPORTS_ISO42001_REPORT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "reports/records.h"
#include "reports/report.h"

namespace ailedger::reports {

// `organisation`: whose SoA (records with that envelope organisation).
// NOT_FOUND when it wrote no record.
absl::StatusOr<Report> Iso42001Report(const std::vector<Record>& records,
                                      const VerifyReport& verified,
                                      const VerifyOptions& options,
                                      const std::string& organisation);

}  // namespace ailedger::reports

#endif  // AILEDGER_REPORTS_ISO42001_REPORT_H_
