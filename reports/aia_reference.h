// The Canada AIA requirement sets and what evidences them (issue 13; DOMAIN.md
// §1.4): the tool's "Requirements Specific to Impact Level" tables shipped in
// data/canada-aia/ (pre-2023 and 2023), and this project's versioned mapping
// of each duty of each requirement at each level to the event types of the
// vocabulary whose records evidence it (requirements-evidence-map.json,
// written by hand; README.md says how). Both are embedded at build time and
// named by their SHA-256, which the report puts in its envelope.
#ifndef AILEDGER_REPORTS_AIA_REFERENCE_H_
#define AILEDGER_REPORTS_AIA_REFERENCE_H_

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace ailedger::reports {

inline constexpr char kAiaMappingFile[] = "requirements-evidence-map.json";

// One duty a requirement's text states at a level.
struct AiaDuty {
  std::string duty;
  bool permission = false;            // the text allows it: nothing to evidence
  std::vector<std::string> evidence;  // event types; empty: no record type
  std::string why;                    // why no type evidences it
  std::string note;                   // what the evidence does not show
  int min_events = 1;                 // records needed (2: "recurring")
  int min_reviewers = 0;              // PeerReviewPublished experts needed
  std::string approval_of;            // an Approval counts if it approves this
};

struct AiaRequirement {
  std::string title;                           // as the tool's table names it
  std::array<std::string, 4> text;             // the tool's text, levels I..IV
  std::array<std::vector<AiaDuty>, 4> duties;  // empty: "None" at that level
};

struct AiaLaterAmendment {
  std::string from;  // YYYY-MM-DD
  int64_t from_ms = 0;
  std::string note;
};

struct AiaRequirementSet {
  std::string id;    // "pre-2023", "2023": ImpactAssessmentRecorded's values
  std::string name;  // which Directive text
  std::string file;  // in data/canada-aia/
  std::string file_sha256;    // hex, of the file's bytes
  std::string source;         // the file's own "source"
  std::string in_force_from;  // YYYY-MM-DD
  int64_t in_force_from_ms = 0;
  std::string in_force_source;  // the Directive's clause that dates it
  std::vector<AiaLaterAmendment> later_amendments;
  std::vector<AiaRequirement> requirements;  // in the table's order
};

struct AiaReference {
  std::string mapping_name, mapping_version;
  std::string mapping_sha256;           // hex
  std::vector<AiaRequirementSet> sets;  // oldest first

  const AiaRequirementSet* Find(absl::string_view id) const;
};

// Parses the mapping (`files[kAiaMappingFile]`) and the requirement tables it
// names (`files[name]`) and checks them against each other: the same
// requirements in the same order, four levels each, and no duty exactly where
// the tool's text is "None". INVALID_ARGUMENT naming the file and the field.
absl::StatusOr<AiaReference> ParseAiaReference(
    const std::map<std::string, std::string>& files);

// The shipped reference, parsed once from the embedded files (aia_report_test
// proves it parses).
absl::StatusOr<const AiaReference*> ShippedAiaReference();

// The requirement set in force on an assessment's date, and how it was
// chosen: the newest set in force on `date_ms` (the earliest before any), and
// the set the assessment states beside it.
struct AiaSetChoice {
  const AiaRequirementSet* set = nullptr;
  std::string stated;    // ImpactAssessmentRecorded.requirement_set
  bool differs = false;  // stated, and not the set in force on the date
  std::string rule;      // the rule that decided, in words
};
AiaSetChoice ChooseRequirementSet(const AiaReference& ref, int64_t date_ms,
                                  absl::string_view stated);

// "2023-04-25" of a time in UTC.
std::string AiaDay(int64_t ms);

}  // namespace ailedger::reports

#endif  // AILEDGER_REPORTS_AIA_REFERENCE_H_
