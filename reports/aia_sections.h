// The Canada AIA score per section, as the Government of Canada's tool shows
// it beside the final score (canada-ca/aia-eia-js src/store.ts
// calculateSectionScore @ b900dc7; DOMAIN.md §1.2 step 7): for a section, the
// scored questions whose name contains the section's name, their number, the
// points of their answers and the most they could score.
#ifndef AILEDGER_REPORTS_AIA_SECTIONS_H_
#define AILEDGER_REPORTS_AIA_SECTIONS_H_

#include <string>
#include <vector>

#include "ailedger/event.pb.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "ledger/aia/survey.h"

namespace ailedger::reports {

struct AiaSectionScore {
  std::string section;  // the survey page's name, e.g. "riskProfile"
  char kind;            // 'R' raw impact, 'M' mitigation
  int questions;        // scored questions of the section (both forks)
  int score;            // points of the answers that count
  int max;              // the most the questions can score
};

// One row per survey page holding scored questions, in survey order. The
// tool's calculateSectionScore over the scored questions (radiogroup,
// dropdown and checkbox of kind -RS or -MS) whose name contains the page's
// name; an answer counts as in aia::ComputeScore (the first answer to a
// question, not hidden by the phase fork, points of its choices), so the raw
// sections sum to Score::raw_impact and their maxima to Survey::max_raw().
std::vector<AiaSectionScore> AiaSectionScores(
    const aia::Survey& s,
    const google::protobuf::RepeatedPtrField<v1::Answer>& answers);

}  // namespace ailedger::reports

#endif  // AILEDGER_REPORTS_AIA_SECTIONS_H_
