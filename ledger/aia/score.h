// The Canada AIA score, exactly as canada-ca/aia-eia-js computes it
// (src/store.ts calculateFinalScore @ b900dc7; /work/shared/docs/DOMAIN.md
// §1.2), and complete example answer sets for generators and examples.
#ifndef AILEDGER_LEDGER_AIA_SCORE_H_
#define AILEDGER_LEDGER_AIA_SCORE_H_

#include <cstdint>
#include <vector>

#include "ailedger/event.pb.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "ledger/aia/survey.h"

namespace ailedger::aia {

struct Score {
  int raw_impact;           // sum of the points of the answered -RS questions
  int mitigation;           // sum of the points of the answered -MS questions
  int current_score;        // raw_impact, less 15 % when mitigation_applied
  int level;                // impact level 1..4 (I..IV)
  bool mitigation_applied;  // mitigation >= 0.8 * max_mitigation / 2
  int max_raw;              // Survey::max_raw()
  int max_mitigation;  // Survey::max_mitigation(), both forks (the rule halves
                       // it)
};

// Scores the answers:
//   - a question counts by its score kind ('R' raw, 'M' mitigation);
//   - a choice "itemK-N" scores N (0 without a number); a checkbox scores the
//     sum of its selected choices; free text and unknown values score 0;
//   - only the first answer to a question counts, and an answer to a question
//     the phase fork hides does not count (SurveyJS clears hidden values);
//     with projectDetailsPhase unanswered, every answer counts;
//   - mitigation applies when mitigation >= 0.8 * (max_mitigation / 2); then
//     current = Math.round(0.85 * raw) = floor(0.85 * raw + 0.5);
//   - with p = current / max_raw: p <= .25 level I, <= .50 II, <= .75 III,
//     else IV.
// The arithmetic is in doubles, as the tool's JavaScript does it.
Score ComputeScore(
    const Survey& s,
    const google::protobuf::RepeatedPtrField<v1::Answer>& answers);

// A complete, valid answer set for phase 1 (Design) or 2 (Implementation):
// projectDetailsPhase answered with that phase, and every question shown in
// it (its fork, and its visibleIf given the answers before it) answered with
// choices drawn deterministically from `seed`; text and comment questions get
// a short placeholder. CheckAnswers accepts it and UnansweredRequired is
// empty. A phase other than 1 or 2 is taken as 1.
std::vector<v1::Answer> ExampleAnswers(const Survey& s, int phase,
                                       uint64_t seed);

}  // namespace ailedger::aia

#endif  // AILEDGER_LEDGER_AIA_SCORE_H_
