// The verification report (issue 13): what `ailedger verify` established about
// a bundle, as a document a reader can keep: the envelope, the rules each
// entry was judged under, who signed what, the approvals still pending or
// rejected, the records flagged for the reader, every warning, and how to
// check it all again.
#ifndef AILEDGER_REPORTS_VERIFICATION_REPORT_H_
#define AILEDGER_REPORTS_VERIFICATION_REPORT_H_

#include "ledger/audit/bundle_verifier.h"
#include "reports/report.h"

namespace ailedger::reports {

Report VerificationReport(const VerifyReport& r, const VerifyOptions& o);

}  // namespace ailedger::reports

#endif  // AILEDGER_REPORTS_VERIFICATION_REPORT_H_
