// The sections of the annual impact report (annual_report.h), each over the
// organisation's records of the year in log order. Internal to reports/.
#ifndef AILEDGER_REPORTS_ANNUAL_SECTIONS_H_
#define AILEDGER_REPORTS_ANNUAL_SECTIONS_H_

#include <vector>

#include "reports/annual_report.h"

namespace ailedger::reports::annual {

using Records = std::vector<const Record*>;

Section Inventory(const Records& year);
Section Releases(const Records& year);
// The Art. 73 clocks of the incidents reported in the year (art73.h), over
// all the organisation's records; adds the reference data and parameters it
// used to `envelope`.
Section Incidents(const Records& all, const AnnualOptions& annual,
                  Envelope* envelope);
Section Audits(const Records& year);
Section Objectives(const Records& year);
// Human oversight, explanations and the system logs: the organisation's
// operational records of the year counted by type and system, the first and
// last of each cited.
Section Operations(const OperationalTally& tally, const AnnualOptions& annual);
uint64_t OperationalInYear(const OperationalTally& tally,
                           const AnnualOptions& annual);
Section Completeness(const Records& year, const OperationalTally& tally,
                     const VerifyReport& verified, const AnnualOptions& annual);

}  // namespace ailedger::reports::annual

#endif  // AILEDGER_REPORTS_ANNUAL_SECTIONS_H_
