// ExampleAnswers: a complete answer set drawn from a seed, for gen-history
// and the examples/ profiles.
#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "ledger/aia/score.h"
#include "ledger/aia/survey.h"
#include "ledger/aia/visible_if.h"

namespace ailedger::aia {
namespace {

// SplitMix64: small, fast and the same on every platform, so a seed gives
// the same answers everywhere (std:: distributions are not portable).
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  size_t Below(size_t n) { return static_cast<size_t>(Next() % n); }

 private:
  uint64_t state_;
};

std::vector<std::string> Draw(const Question& q, SplitMix64& rng) {
  if (q.FreeText()) return {absl::StrCat("Example answer to ", q.name, ".")};
  if (q.TakesOneValue()) return {q.choices[rng.Below(q.choices.size())].value};
  std::vector<std::string> picked;
  for (const Choice& c : q.choices) {
    if (rng.Next() & 1) picked.push_back(c.value);
  }
  if (picked.empty())
    picked.push_back(q.choices[rng.Below(q.choices.size())].value);
  return picked;
}

}  // namespace

std::vector<v1::Answer> ExampleAnswers(const Survey& s, int phase,
                                       uint64_t seed) {
  if (phase != 2) phase = 1;
  SplitMix64 rng(seed);
  absl::flat_hash_map<std::string, AnswerValue> given;
  auto lookup = [&given](absl::string_view name) -> const AnswerValue* {
    auto it = given.find(name);
    return it == given.end() ? nullptr : &it->second;
  };
  std::vector<v1::Answer> out;
  for (const Question& q : s.questions()) {
    if (!ShownInPhase(q.fork, phase)) continue;
    std::vector<std::string> values;
    if (q.name == kPhaseQuestion) {
      values = {std::string(phase == 1 ? kPhaseDesign : kPhaseImplementation)};
    } else {
      // The questions a condition reads come before it in the survey, so
      // their answers are already drawn. An expression outside the subset
      // is taken as shown: the answer is still valid for CheckAnswers.
      absl::StatusOr<bool> shown = EvaluateVisibleIf(q.visible_if, lookup);
      if (shown.ok() && !*shown) continue;
      values = Draw(q, rng);
    }
    v1::Answer& a = out.emplace_back();
    a.set_question_id(q.name);
    for (const std::string& v : values) a.add_values(v);
    given[q.name] = AnswerValue{std::move(values), q.type == "checkbox"};
  }
  return out;
}

}  // namespace ailedger::aia
