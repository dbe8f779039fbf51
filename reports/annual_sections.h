// The sections of the annual impact report (annual_report.h), each over the
// records concerning the organisation (annual_scope.h), in log order. Every
// row cites its record (records.h Cite); lists are cut to kListed rows, the
// rest counted and said. Internal to reports/.
#ifndef AILEDGER_REPORTS_ANNUAL_SECTIONS_H_
#define AILEDGER_REPORTS_ANNUAL_SECTIONS_H_

#include <vector>

#include "absl/status/statusor.h"
#include "reports/annual_report.h"
#include "reports/annual_scope.h"
#include "reports/art73.h"

namespace ailedger::reports::annual {

// annual_sections.cc: the year against the verified range; the systems and
// their versions; releases, deployments and roll-backs with their approvals;
// the organisation's objectives and their evaluation; the operational records
// counted.
Section Period(const Scope& scope, const VerifyReport& verified,
               uint64_t operational_in_year);
Section Inventory(const Scope& scope);
Section Releases(const Scope& scope);
Section Objectives(const Scope& scope);
// Human oversight, explanations and the system logs: the organisation's
// operational records of the year counted by type and system, the first and
// last of each cited.
Section Operations(const OperationalTally& tally, const AnnualOptions& annual);
uint64_t OperationalInYear(const OperationalTally& tally,
                           const AnnualOptions& annual);

// annual_assessments.cc: impact assessments of the year with the level each
// computes (a Canada AIA from its answers) against the one before it, risk
// classifications, and each substantial modification's reassessment.
Section Assessments(const std::vector<Record>& records, const Scope& scope);

// annual_incidents.cc: the Art. 73 clocks of the incidents reported in the
// year (art73.h), once for the incidents section and the completeness one.
struct Art73Run {
  Art73Options options;
  absl::StatusOr<art73::Result> result;
};
Art73Run RunArt73(const Scope& scope);
Art73Run RunArt73(const Records& records, const AnnualOptions& annual);
// Adds the reference data and parameters the clocks used to `envelope` (may
// be null).
Section Incidents(const Art73Run& run, Envelope* envelope);
// The same over `records` (the clocks of the organisation's incidents).
Section Incidents(const Records& records, const AnnualOptions& annual,
                  Envelope* envelope);
// annual_harms.cc: the year's incidents counted by harm type, severity (the
// latest) and affected stakeholders, with the persons affected.
Section IncidentCategories(const Scope& scope);

// annual_feedback.cc: complaints and feedback about the organisation's
// systems, by category, channel and origin, with the time to a response.
Section Feedback(const Scope& scope);
// annual_audits.cc: audits of the organisation (the programme's planned
// audits and whether held), findings, nonconformities and corrective actions
// with their time to closure.
Section Audits(const Scope& scope);
// The planned audits (AuditProgramme.audits, and v1's free text) of the
// organisation's programmes whose window meets the year, and whether each
// was held: an AuditStarted with its audit id, in its window or not.
struct PlannedAuditState {
  const Record* programme = nullptr;
  std::string audit_id, type, window, held;
  bool not_held = false;  // its window ended by the year's end, no audit
  const Record* started = nullptr;  // its AuditStarted, if held
};
std::vector<PlannedAuditState> PlannedAudits(const Scope& scope);
// annual_partners.cc: partners and their due diligence, agreements and
// whether both parties approved them.
Section Partners(const Scope& scope);
// annual_frameworks.cc: the authors' framework_refs counted by framework,
// and the ISO/IEC 42001 SoA at the year's end through the shipped mapping
// (iso42001_evidence.h), with the EU AI Act and NIST AI RMF through the
// shipped crosswalk; adds both mappings to `envelope`.
Section Frameworks(const std::vector<Record>& records,
                   const VerifyReport& verified, const Scope& scope,
                   Envelope* envelope);
// annual_completeness.cc: the completeness sections: expected records
// missing (with versions named and never released), approvals pending and
// rejected, corrections and retractions, late records; `counts` gets how
// many of each kind.
std::vector<Section> Completeness(const std::vector<Record>& records,
                                  const Scope& scope,
                                  const OperationalTally& tally,
                                  const VerifyReport& verified,
                                  const Art73Run& art73,
                                  nlohmann::json* counts);
// annual_completeness_lists.cc: the sections after the expected records
// missing, each cut to kListed rows and counted in `counts`.
Section PendingAndRejected(const Scope& scope, const VerifyReport& verified,
                           nlohmann::json* counts);
Section Corrections(const Scope& scope, nlohmann::json* counts);
Section LateRecords(const Scope& scope, nlohmann::json* counts);
// annual_appendix.cc: how a reader re-checks the report with `ailedger
// verify` and one cited entry with `ailedger verify-proof`.
Section VerificationAppendix(const Scope& scope, const Envelope& envelope,
                             const VerifyOptions& options);

}  // namespace ailedger::reports::annual

#endif  // AILEDGER_REPORTS_ANNUAL_SECTIONS_H_
