// The ISO/IEC 42001 evidence pack of an organisation (issue 13; review §5.2
// items 8-9, §5.3 items 11-12; DOMAIN.md §9-10), as of a date:
//   - the Statement of Applicability: always the 38 Annex A rows with their
//     published ids, then the organisation's own "x:" controls, each from its
//     latest ControlStatusUpdated by the date (applicability and
//     justification, implementation status, who implements it and the
//     agreement, the risk treatments that chose it, the review), a row never
//     written "not determined";
//   - each control's evidence in three columns kept apart (the shipped
//     mapping of event types, data/iso42001/event-mapping.json; the author's
//     framework_refs and listed evidence; an auditor's acceptance) and its
//     status: evidenced, stale, declared without evidence, missing, not
//     determined or not applicable (the rules: iso42001_evidence.h), with
//     every evidence record cited, and a status grid chart;
//   - the SoA versions and their approval;
//   - the documented-information index of clauses 4-10 ("no record type"
//     told from "no record") and each record's version, approval, review and
//     retention;
//   - the A.6.2.8 event-log extract and the A.8.4 incident communications;
//   - the management-review inputs (9.3.2 a-e) of the year before the date;
//   - a status summary per framework and the cross-framework mapping
//     (ISO/IEC 42001, EU AI Act, NIST AI RMF; data/iso42001/crosswalk.json).
// Both mappings' versions and SHA-256 are in the envelope's reference data.
// No clock is read: the date is the option's or the newest verified entry's
// integration time.
#ifndef AILEDGER_REPORTS_ISO42001_REPORT_H_
#define AILEDGER_REPORTS_ISO42001_REPORT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "reports/records.h"
#include "reports/report.h"

namespace ailedger::reports {

struct Iso42001Options {
  std::string organisation;  // whose pack: records of that organisation
  // The date the pack is as of, Unix ms (UTC): records integrated after it
  // are not counted (not even a retraction or approval), and evidence
  // freshness and review dates are judged at it. 0: the newest verified
  // entry's integration time.
  int64_t as_of_ms = 0;
  // The review period of a control whose SoA row gives none; 0: the shipped
  // mapping's default (365 days).
  uint32_t default_review_days = 0;
  // Records listed per control and evidence column (mapped, claimed,
  // accepted), per item of documented information and per management-review
  // trend: the newest are kept, the others counted and said. 0: all (on a
  // large log, hundreds of thousands of rows).
  size_t max_listed = 100;
};

// NOT_FOUND when the organisation wrote no record by the date;
// INVALID_ARGUMENT for a negative date; INTERNAL if a shipped mapping does
// not load (a defect of the build).
absl::StatusOr<Report> Iso42001Report(const std::vector<Record>& records,
                                      const VerifyReport& verified,
                                      const VerifyOptions& options,
                                      const Iso42001Options& iso);

// The same with the default options (as of the newest entry).
absl::StatusOr<Report> Iso42001Report(const std::vector<Record>& records,
                                      const VerifyReport& verified,
                                      const VerifyOptions& options,
                                      const std::string& organisation);

}  // namespace ailedger::reports

#endif  // AILEDGER_REPORTS_ISO42001_REPORT_H_
