// Restatements of the annual report (issue 13, "Restatements"): what has
// changed about last year since last year's annual report was anchored.
//
// Last year's report is the organisation's ReportPublished of kind
// "annual-impact" whose period is the year before; it anchors a tree size S
// and root R (which the sequencer and the verifier check are the log's own).
// This section gives the consistency proof from S to the bundle's checkpoint
// (RFC 9162 §2.1.4), so that a reader holding last year's figures knows this
// year's log extends the one they were computed from, and then every entry at
// or after S that touches last year's period: records of last year recorded
// late, corrections (supersedes) and retractions of last year's records, with
// the change each makes to last year's counts by type.
#ifndef AILEDGER_REPORTS_RESTATEMENTS_H_
#define AILEDGER_REPORTS_RESTATEMENTS_H_

#include <vector>

#include "ledger/audit/bundle_verifier.h"
#include "reports/annual_report.h"
#include "reports/records.h"
#include "reports/report.h"

namespace ailedger::reports {

// The envelope's "previous report" (issue 13, "Envelope"): the newest
// ReportPublished of the report's kind by `organisation` on the log, the root
// it anchored recomputed from the leaves and the consistency proof from it to
// the report's checkpoint (data["previous_report"]); or that there is none.
void AddPreviousReport(const std::vector<Record>& records,
                       const ProofSource& proofs, const VerifyReport& verified,
                       const std::string& organisation, Report* report);

// Adds the section "Restatements of YEAR-1" to `report` and its figures to
// report->data["restatements"].
void AddRestatements(const std::vector<Record>& records,
                     const ProofSource& proofs, const VerifyReport& verified,
                     const AnnualOptions& annual, Report* report);

}  // namespace ailedger::reports

#endif  // AILEDGER_REPORTS_RESTATEMENTS_H_
