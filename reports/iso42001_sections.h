// The sections of the ISO/IEC 42001 evidence pack (iso42001_report.h), each
// built from the records as of the pack's date. Internal to reports/.
#ifndef AILEDGER_REPORTS_ISO42001_SECTIONS_H_
#define AILEDGER_REPORTS_ISO42001_SECTIONS_H_

#include <vector>

#include "reports/chart.h"
#include "reports/iso42001_evidence.h"
#include "reports/iso42001_mapping.h"
#include "reports/report.h"

namespace ailedger::reports::iso42001 {

using Assessments = std::vector<ControlAssessment>;

// iso42001_soa.cc: the SoA rows (control, title, implementation status,
// applicability and justification, implemented by, risk treatments, review,
// evidence status, row), the three evidence columns and every record cited,
// the SoA versions and their approval, and the status grid.
Section SoaSection(const Index& index, const Assessments& controls);
// `max_listed`: records listed per control and column (0: all).
Section EvidenceSection(const Assessments& controls, size_t max_listed);
Section VersionsSection(const Index& index);
Chart SoaGrid(const Assessments& controls);

// iso42001_clauses.cc: per item of documented information (clauses 4-10),
// "no record type", "no record" or the records; then each record with its
// version, approval, review date, retention and state.
struct ClauseStatus {
  const ClauseItem* item = nullptr;
  std::vector<const Record*> records;  // current, by the date, log order
};
Section ClauseIndex(const Index& index, const EventMapping& mapping,
                    std::vector<ClauseStatus>* statuses);
Section ClauseRecords(const Index& index,
                      const std::vector<ClauseStatus>& statuses,
                      size_t max_listed);

// iso42001_extracts.cc: A.6.2.8 (log segments against production periods,
// the Art. 19 six-month floor) and A.8.4 (each incident's communications
// against the communication plan).
Section LogExtract(const Index& index);
Section IncidentCommunications(const Index& index);

// iso42001_frameworks.cc: counts by status per framework, and each EU AI
// Act article and NIST AI RMF category derived through the crosswalk.
Section FrameworkSummary(const Assessments& controls,
                         const std::vector<ClauseStatus>& clauses,
                         const Crosswalk& crosswalk);
Section CrosswalkSection(const Assessments& controls,
                         const std::vector<ClauseStatus>& clauses,
                         const Crosswalk& crosswalk);

}  // namespace ailedger::reports::iso42001

#endif  // AILEDGER_REPORTS_ISO42001_SECTIONS_H_
