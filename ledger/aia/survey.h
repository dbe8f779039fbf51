// The Government of Canada Algorithmic Impact Assessment (AIA) survey, as
// shipped in data/canada-aia/ (canada-ca/aia-eia-js, MIT), and the checks of
// AIA answers against it.
//
// The survey is a SurveyJS definition: pages hold panels, panels hold
// questions. A question's score kind comes from the suffix of its own name or,
// failing that, of its enclosing panel: "-RS" raw (risk) score, "-MS"
// mitigation score, anything else not scored (store.ts calculateFinalScore;
// /work/shared/docs/DOMAIN.md §1.2). Pages of mitigation questions come in a
// Design and an Implementation fork, switched by the answer to
// projectDetailsPhase (item1 = Design, item2 = Implementation).
//
// The shipped surveys are embedded in the library at build time and parsed
// once, on first use; they are named by the SHA-256 of the file's bytes.
#ifndef AILEDGER_LEDGER_AIA_SURVEY_H_
#define AILEDGER_LEDGER_AIA_SURVEY_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ailedger/event.pb.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "ledger/merkle/hash.h"

namespace ailedger::aia {

// The question that chooses the fork, and its two choices.
inline constexpr absl::string_view kPhaseQuestion = "projectDetailsPhase";
inline constexpr absl::string_view kPhaseDesign = "item1";
inline constexpr absl::string_view kPhaseImplementation = "item2";

struct Choice {
  std::string value;  // "itemK-N" (worth N points), "itemK" (0) or a code
  std::string text_en, text_fr;
  int points;  // N of "itemK-N"; 0 when the value has no numeric suffix
};

// One survey element that takes an answer (html elements and panels do not).
struct Question {
  std::string name,
      type;  // type: radiogroup, dropdown, checkbox, text, comment
  std::string page, panel;  // names of the enclosing page and panel
  char score_kind;          // 'R' (-RS), 'M' (-MS) or 'N' (not scored)
  bool required;            // isRequired
  // 0 both phases, 1 Design only, 2 Implementation only: from a visibleIf on
  // projectDetailsPhase of the element or of an enclosing panel or page.
  int fork;
  std::string title_en, title_fr;
  std::vector<Choice> choices;  // empty for text and comment
  // The element's own SurveyJS visibleIf ("" if none). Only the phase fork is
  // enforced by CheckAnswers; ExampleAnswers honours the rest.
  std::string visible_if;

  bool TakesOneValue() const { return type != "checkbox"; }
  bool FreeText() const { return type == "text" || type == "comment"; }
  const Choice* FindChoice(absl::string_view value) const;
  // The most points one answer can score: the largest choice for radiogroup
  // and dropdown, the sum of all choices for checkbox, 0 for free text.
  int MaxPoints() const;
};

// A parsed survey. Immutable once built.
class Survey {
 public:
  // Parses a survey file (SurveyJS JSON). INVALID_ARGUMENT if it is not JSON
  // of that shape, names a question twice or has no version text.
  static absl::StatusOr<std::unique_ptr<const Survey>> Parse(
      absl::string_view file_bytes);

  // The version the file states in its welcome text ("Algorithmic Impact
  // Assessment v1.0.1" gives "1.0.1").
  const std::string& version() const { return version_; }
  // SHA-256 of the file's bytes.
  const Hash& sha256() const { return sha256_; }
  // nullptr if no element of that name takes an answer.
  const Question* Find(absl::string_view name) const;
  // In survey order.
  const std::vector<Question>& questions() const { return questions_; }
  // Sums of Question::MaxPoints over the -RS and -MS questions (both forks).
  int max_raw() const { return max_raw_; }
  int max_mitigation() const { return max_mitigation_; }

 private:
  Survey() = default;

  std::string version_;
  Hash sha256_{};
  std::vector<Question> questions_;
  absl::flat_hash_map<std::string, size_t> index_;
  int max_raw_ = 0;
  int max_mitigation_ = 0;
};

// The shipped survey whose file's SHA-256 is `sha256` (32 raw bytes); nullptr
// if none.
const Survey* FindSurvey(absl::string_view sha256);
// Every shipped survey, in the order data/canada-aia/ lists them.
std::vector<const Survey*> ShippedSurveys();

// INVALID_ARGUMENT naming `<prefix>[i]` unless every id names an element of
// the survey that takes an answer.
absl::Status CheckQuestionIds(
    const Survey& s, const google::protobuf::RepeatedPtrField<std::string>& ids,
    absl::string_view prefix);

// Checks answers against the survey, refusing (INVALID_ARGUMENT) the first
// defect and naming its field under `prefix` (e.g.
// "impact_assessment_recorded.answers"):
//   <prefix>[i].question_id  no question of that name, or answered twice, or
//                            hidden by the phase fork (a Design-only question
//                            in an Implementation assessment, or vice versa;
//                            no fork is enforced while projectDetailsPhase is
//                            unanswered or invalid);
//   <prefix>[i].values       no value, a value that is not a choice of the
//                            question (or given twice), more than one value
//                            for radiogroup or dropdown, or not exactly one
//                            free value for text or comment.
absl::Status CheckAnswers(
    const Survey& s,
    const google::protobuf::RepeatedPtrField<v1::Answer>& answers,
    absl::string_view prefix);

// Required questions (isRequired, visible in the answered phase) with no
// answer, in survey order.
std::vector<std::string> UnansweredRequired(
    const Survey& s,
    const google::protobuf::RepeatedPtrField<v1::Answer>& answers);

// The phase the answers choose: 1 Design, 2 Implementation, 0 when
// projectDetailsPhase is unanswered or its value is not item1 or item2.
int AnsweredPhase(
    const google::protobuf::RepeatedPtrField<v1::Answer>& answers);

// Whether a question of fork `fork` is shown in phase `phase` (0 = unknown).
inline bool ShownInPhase(int fork, int phase) {
  return fork == 0 || phase == 0 || fork == phase;
}

}  // namespace ailedger::aia

#endif  // AILEDGER_LEDGER_AIA_SURVEY_H_
