// The Canada AIA of a system over time (issue 13: "Show the level across
// assessments over time, that the assessment came before the first
// deployment (log order) and was redone after each substantial
// modification"). Order is the log's, never the authors' clocks (DOMAIN.md
// §10.3); dates shown are the assessments' own (occurred_at).
#ifndef AILEDGER_REPORTS_AIA_HISTORY_H_
#define AILEDGER_REPORTS_AIA_HISTORY_H_

#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "reports/aia_reference.h"
#include "reports/records.h"
#include "reports/report.h"

namespace ailedger::reports {

// One assessment of the system, scored from its answers.
struct AiaAssessmentPoint {
  const Record* record = nullptr;
  int level = 0;          // computed, 1..4
  int claimed_level = 0;  // the author's claim; 0 when not stated
  AiaSetChoice set;       // the requirement set in force on its date
};

// A table of every assessment in log order (date, computed and claimed
// level, requirement set stated and by date) and a step chart of the level.
// `modifications` marks the substantial modifications on the chart.
struct AiaModification;
Section AiaLevelOverTime(const std::vector<AiaAssessmentPoint>& points,
                         const std::vector<AiaModification>& modifications);
nlohmann::json AiaLevelOverTimeJson(
    const std::vector<AiaAssessmentPoint>& points);

// A substantial modification of the system (ModelVersionReleased with
// substantial_modification set; EU AI Act Art. 3(23), the DADM's "update it
// when functionality or scope changes") and what followed it in log order.
struct AiaModification {
  const Record* release = nullptr;
  const Record* assessment = nullptr;  // the first AIA after it, if any
  const Record* deployment = nullptr;  // the first deployment of its version
                                       // after it, if any
  bool rejected = false;  // an Approval rejected it and it was not deployed
  bool flagged = false;   // not reassessed, or only after the deployment
  std::string finding;
};

// In log order. `assessments` are the system's AIA records in log order. A
// release an Approval rejected, and never deployed, is listed and not
// flagged.
std::vector<AiaModification> AiaModifications(
    const std::vector<Record>& records, const std::string& system,
    const std::vector<const Record*>& assessments);

// The order section: the first assessment against the first deployment, and
// each substantial modification's reassessment.
Section AiaOrderSection(const std::vector<const Record*>& assessments,
                        const Record* first_deployment,
                        const std::vector<AiaModification>& modifications);
nlohmann::json AiaModificationsJson(
    const std::vector<AiaModification>& modifications);

}  // namespace ailedger::reports

#endif  // AILEDGER_REPORTS_AIA_HISTORY_H_
