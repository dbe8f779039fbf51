// What a system's records evidence of the Canada AIA requirements at a level
// (issue 13: "for each the events that evidence it, 'not evidenced', or 'no
// record type'"), through the shipped mapping (aia_reference.h). A record
// concerns the system when it names the system as a subject; when it is tied
// to one of the system's records (a GBA Plus or publication of its
// assessment, a peer review of its assessment or registration, an approval
// of its deployment); or, marked "organisation-wide", when it names no system
// and is the assessing organisation's own (training, notices). Retracted and
// superseded records do not count.
#ifndef AILEDGER_REPORTS_AIA_EVIDENCE_H_
#define AILEDGER_REPORTS_AIA_EVIDENCE_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "nlohmann/json.hpp"
#include "reports/aia_reference.h"
#include "reports/records.h"
#include "reports/report.h"

namespace ailedger::reports {

// The statuses of a duty.
inline constexpr char kAiaEvidenced[] = "evidenced";
inline constexpr char kAiaNotEvidenced[] = "not evidenced";
inline constexpr char kAiaNoRecordType[] = "no record type";
inline constexpr char kAiaNotRequired[] = "not required at this level";
inline constexpr char kAiaPermitted[] = "permitted: nothing to evidence";

// The message name of the event's body ("NoticePublished"); "" if none.
std::string AiaBodyType(const v1::Event& e);

// Whether the event names `system` as a "system" subject.
bool AiaAbout(const v1::Event& e, absl::string_view system);

class AiaEvidenceIndex {
 public:
  AiaEvidenceIndex(const std::vector<Record>& records, std::string system,
                   std::string organisation);

  // The current records of `type` that concern the system, in log order; for
  // an Approval, those approving (with or without conditions) a record of
  // type `approval_of`.
  std::vector<const Record*> Of(const std::string& type,
                                const std::string& approval_of) const;
  bool OrganisationWide(const Record& r) const;
  // The record of the system an Approval approves (nullptr if it approves
  // something else).
  const Record* Approved(const Record& approval) const;
  size_t not_current() const { return not_current_; }

 private:
  std::string system_, organisation_;
  std::map<std::string, const Record*> by_id_;
  std::map<std::string, std::vector<const Record*>> by_type_;
  std::set<uint64_t> organisation_wide_;
  size_t not_current_ = 0;
};

struct AiaDutyResult {
  const AiaRequirement* requirement = nullptr;
  const AiaDuty* duty = nullptr;  // nullptr: "None" at this level
  std::string status;
  std::vector<const Record*> evidence;  // log order
  std::string detail;                   // e.g. "1 expert of the 2 required"
};

// One result per duty of each requirement at `level` (1..4), in the table's
// order; a requirement that is "None" at the level gives one result with no
// duty.
std::vector<AiaDutyResult> EvaluateAiaRequirements(
    const AiaEvidenceIndex& index, const AiaRequirementSet& set, int level);

// The section listing them, and their JSON (every evidence index).
Section AiaRequirementsSection(const AiaEvidenceIndex& index,
                               const AiaRequirementSet& set, int level,
                               const std::string& set_rule,
                               const std::vector<AiaDutyResult>& results);
nlohmann::json AiaRequirementsJson(const std::vector<AiaDutyResult>& results);

}  // namespace ailedger::reports

#endif  // AILEDGER_REPORTS_AIA_EVIDENCE_H_
