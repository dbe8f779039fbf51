#include "reports/aia_sections.h"

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"

namespace ailedger::reports {
namespace {

// store.ts hasScore: a choice question of kind -RS or -MS.
bool Scored(const aia::Question& q) {
  return !q.FreeText() && (q.score_kind == 'R' || q.score_kind == 'M');
}

int PointsOf(const aia::Question& q, const v1::Answer& a) {
  int points = 0;
  for (const std::string& v : a.values()) {
    if (const aia::Choice* c = q.FindChoice(v)) points += c->points;
    if (q.TakesOneValue()) break;  // radiogroup and dropdown hold one value
  }
  return points;
}

}  // namespace

std::vector<AiaSectionScore> AiaSectionScores(
    const aia::Survey& s,
    const google::protobuf::RepeatedPtrField<v1::Answer>& answers) {
  // The points each question's answer scores (survey.data[name]).
  const int phase = aia::AnsweredPhase(answers);
  absl::flat_hash_map<std::string, int> points;
  for (const v1::Answer& a : answers) {
    const aia::Question* q = s.Find(a.question_id());
    if (q == nullptr || !Scored(*q) || !aia::ShownInPhase(q->fork, phase))
      continue;
    points.try_emplace(q->name, PointsOf(*q, a));  // the first answer counts
  }
  std::vector<AiaSectionScore> out;
  for (const aia::Question& page_q : s.questions()) {
    if (!Scored(page_q)) continue;
    if (!out.empty() && out.back().section == page_q.page) continue;
    AiaSectionScore row{page_q.page, page_q.score_kind, 0, 0, 0};
    for (const aia::Question& q : s.questions()) {
      if (!Scored(q) || !absl::StrContains(q.name, row.section)) continue;
      ++row.questions;
      row.max += q.MaxPoints();
      auto it = points.find(q.name);
      if (it != points.end()) row.score += it->second;
    }
    out.push_back(row);
  }
  return out;
}

}  // namespace ailedger::reports
