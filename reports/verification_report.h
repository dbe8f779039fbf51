// The verification report (issue 13): what `ailedger verify` established about
// a bundle, as a document a reader can keep: the envelope, the rules each
// entry was judged under, who signed what, the approvals still pending or
// rejected, the records flagged for the reader, every warning, and how to
// check it all again.
//
// From the records of a bundle that verified it also says, each row citing
// its entry (Cite, "idx N · ..."): the range, checkpoint and witnesses; the
// signers by role with their entry counts and the event types each signed;
// segregation-of-duties facts (approvals within and across organisations, by
// service accounts, by the author's key or another key of the author's
// person; holders of several keys, functions or roles); every key's grant
// and revocation, and for a key revoked as compromised the window [compromised
// since, revocation) with every entry it signed inside; supersession chains
// and retractions with their reasons; entries recorded more than 7 days after
// they occurred (the 50 latest listed, all counted by type and backfill
// reason); approvals pending and rejected; erased attachments. No list shows
// more than 100 rows: the rest are counted and said, so that a 1M-entry log
// gives a report a person can read. The JSON form carries the same figures in
// `data` (signers, segregation, keys, corrections, late, approvals,
// erasures, range).
#ifndef AILEDGER_REPORTS_VERIFICATION_REPORT_H_
#define AILEDGER_REPORTS_VERIFICATION_REPORT_H_

#include <vector>

#include "ledger/audit/bundle_verifier.h"
#include "reports/records.h"
#include "reports/report.h"

namespace ailedger::reports {

// From the verifier's report alone (a bundle that failed: no record is read).
Report VerificationReport(const VerifyReport& r, const VerifyOptions& o);

// From the verifier's report and the bundle's records (ReadRecords without a
// tally, so that every entry is counted), for a bundle that verified.
Report VerificationReport(const VerifyReport& r, const VerifyOptions& o,
                          const std::vector<Record>& records);

}  // namespace ailedger::reports

#endif  // AILEDGER_REPORTS_VERIFICATION_REPORT_H_
