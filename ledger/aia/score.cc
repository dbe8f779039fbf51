// ComputeScore: calculateFinalScore of canada-ca/aia-eia-js src/store.ts.
#include "ledger/aia/score.h"

#include <cmath>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"

namespace ailedger::aia {
namespace {

int PointsOf(const Question& q, const v1::Answer& a) {
  if (q.FreeText()) return 0;
  int points = 0;
  for (const std::string& v : a.values()) {
    if (const Choice* c = q.FindChoice(v)) points += c->points;
    if (q.TakesOneValue()) break;  // radiogroup and dropdown hold one value
  }
  return points;
}

int LevelOf(int current, int max_raw) {
  if (max_raw <= 0) return 1;
  const double p = static_cast<double>(current) / max_raw;
  if (p <= 0.25) return 1;
  if (p <= 0.50) return 2;
  if (p <= 0.75) return 3;
  return 4;
}

}  // namespace

Score ComputeScore(
    const Survey& s,
    const google::protobuf::RepeatedPtrField<v1::Answer>& answers) {
  Score score{};
  score.max_raw = s.max_raw();
  score.max_mitigation = s.max_mitigation();
  const int phase = AnsweredPhase(answers);
  absl::flat_hash_set<absl::string_view> counted;
  for (const v1::Answer& a : answers) {
    const Question* q = s.Find(a.question_id());
    if (q == nullptr || !ShownInPhase(q->fork, phase)) continue;
    if (!counted.insert(q->name).second) continue;
    if (q->score_kind == 'R') score.raw_impact += PointsOf(*q, a);
    if (q->score_kind == 'M') score.mitigation += PointsOf(*q, a);
  }
  // Only one fork is answered, so the tool halves the maximum mitigation.
  score.mitigation_applied =
      score.mitigation >= 0.8 * (static_cast<double>(score.max_mitigation) / 2);
  score.current_score =
      score.mitigation_applied
          ? static_cast<int>(std::floor(0.85 * score.raw_impact + 0.5))
          : score.raw_impact;
  score.level = LevelOf(score.current_score, score.max_raw);
  return score;
}

}  // namespace ailedger::aia
