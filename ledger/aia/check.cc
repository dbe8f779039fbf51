// Checks of AIA answers against a shipped survey (issue 12, "Canada AIA";
// review 2026-11 §1.2 and §5.2 item 5).
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "ledger/aia/survey.h"

namespace ailedger::aia {
namespace {

constexpr int kMaxListedChoices = 12;

const char* PhaseName(int phase) {
  return phase == 1 ? "Design" : "Implementation";
}

// "(item1, item2)", cut short for long lists such as the departments.
std::string ChoiceList(const Question& q) {
  std::vector<absl::string_view> values;
  for (const Choice& c : q.choices) {
    if (values.size() == kMaxListedChoices) break;
    values.push_back(c.value);
  }
  std::string more =
      q.choices.size() > values.size()
          ? absl::StrCat(", ... ", q.choices.size() - values.size(), " more")
          : "";
  return absl::StrCat("(", absl::StrJoin(values, ", "), more, ")");
}

absl::Status CheckValues(const Question& q, const v1::Answer& a,
                         absl::string_view field) {
  const int n = a.values_size();
  if (n == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": no value given for ", q.name));
  }
  if (q.FreeText()) {
    if (n != 1) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": ", q.name, " is a ", q.type,
                       " question and takes exactly one text, got ", n));
    }
    return absl::OkStatus();
  }
  if (q.TakesOneValue() && n != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", q.name, " is a ", q.type,
                     " question and takes one value, got ", n));
  }
  absl::flat_hash_set<absl::string_view> seen;
  for (const std::string& v : a.values()) {
    if (q.FindChoice(v) == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": '", v, "' is not a choice of ", q.name, " ",
                       ChoiceList(q)));
    }
    if (!seen.insert(v).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": '", v, "' is given twice for ", q.name));
    }
  }
  return absl::OkStatus();
}

}  // namespace

int AnsweredPhase(
    const google::protobuf::RepeatedPtrField<v1::Answer>& answers) {
  for (const v1::Answer& a : answers) {
    if (a.question_id() != kPhaseQuestion) continue;
    if (a.values_size() != 1) return 0;
    if (a.values(0) == kPhaseDesign) return 1;
    if (a.values(0) == kPhaseImplementation) return 2;
    return 0;
  }
  return 0;
}

absl::Status CheckQuestionIds(
    const Survey& s, const google::protobuf::RepeatedPtrField<std::string>& ids,
    absl::string_view prefix) {
  for (int i = 0; i < ids.size(); ++i) {
    if (s.Find(ids[i]) == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat(prefix, "[", i, "]: '", ids[i],
                       "' is not a question of the AIA survey v", s.version()));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckAnswers(
    const Survey& s,
    const google::protobuf::RepeatedPtrField<v1::Answer>& answers,
    absl::string_view prefix) {
  const int phase = AnsweredPhase(answers);
  absl::flat_hash_map<absl::string_view, int> first;
  for (int i = 0; i < answers.size(); ++i) {
    const v1::Answer& a = answers[i];
    const std::string id_field = absl::StrCat(prefix, "[", i, "].question_id");
    const Question* q = s.Find(a.question_id());
    if (q == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat(id_field, ": '", a.question_id(),
                       "' is not a question of the AIA survey v", s.version()));
    }
    if (auto [it, fresh] = first.emplace(q->name, i); !fresh) {
      return absl::InvalidArgumentError(
          absl::StrCat(id_field, ": ", q->name,
                       " is answered twice (first at [", it->second, "])"));
    }
    if (!ShownInPhase(q->fork, phase)) {
      return absl::InvalidArgumentError(absl::StrCat(
          id_field, ": ", q->name, " belongs to the ", PhaseName(q->fork),
          " phase, but ", kPhaseQuestion, " answers ", PhaseName(phase),
          " (the survey hides it)"));
    }
    if (absl::Status st =
            CheckValues(*q, a, absl::StrCat(prefix, "[", i, "].values"));
        !st.ok()) {
      return st;
    }
  }
  return absl::OkStatus();
}

std::vector<std::string> UnansweredRequired(
    const Survey& s,
    const google::protobuf::RepeatedPtrField<v1::Answer>& answers) {
  absl::flat_hash_set<absl::string_view> answered;
  for (const v1::Answer& a : answers) {
    if (a.values_size() > 0) answered.insert(a.question_id());
  }
  const int phase = AnsweredPhase(answers);
  std::vector<std::string> out;
  for (const Question& q : s.questions()) {
    if (q.required && ShownInPhase(q.fork, phase) &&
        !answered.contains(q.name)) {
      out.push_back(q.name);
    }
  }
  return out;
}

}  // namespace ailedger::aia
