// The part of the SurveyJS expression language the AIA survey's visibleIf
// conditions use, so that ExampleAnswers answers only what a respondent sees.
//
//   expr    := and ("or" and)*
//   and     := term ("and" term)*
//   term    := "(" expr ")" | "{" name "}" op operand
//   op      := "=" | "!=" | "contains" | "notcontains"
//   operand := string | "[" string ("," string)* "]"      (strings '...' or
//   "...")
//
// Semantics (SurveyJS's): "=" compares a single value; "contains" tests
// membership in a checkbox answer and a substring of a single value; an array
// operand must be contained item by item. An unanswered variable equals and
// contains nothing.
#ifndef AILEDGER_LEDGER_AIA_VISIBLE_IF_H_
#define AILEDGER_LEDGER_AIA_VISIBLE_IF_H_

#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace ailedger::aia {

struct AnswerValue {
  std::vector<std::string> items;
  bool is_array;  // a checkbox answer
};

// Returns the answer to the named question, or nullptr if unanswered.
using AnswerLookup =
    absl::FunctionRef<const AnswerValue*(absl::string_view name)>;

// "" is true. INVALID_ARGUMENT for syntax outside the subset above.
absl::StatusOr<bool> EvaluateVisibleIf(absl::string_view expr,
                                       AnswerLookup lookup);

}  // namespace ailedger::aia

#endif  // AILEDGER_LEDGER_AIA_VISIBLE_IF_H_
