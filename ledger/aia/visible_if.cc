// A recursive-descent evaluator for the visibleIf subset in visible_if.h.
#include "ledger/aia/visible_if.h"

#include <string>
#include <vector>

#include "absl/algorithm/container.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace ailedger::aia {
namespace {

class Parser {
 public:
  Parser(absl::string_view text, AnswerLookup lookup)
      : text_(text), rest_(text), lookup_(lookup) {}

  absl::StatusOr<bool> All() {
    absl::StatusOr<bool> v = Or();
    if (!v.ok()) return v;
    Skip();
    if (!rest_.empty()) return Error("unexpected text");
    return v;
  }

 private:
  absl::Status Error(absl::string_view what) const {
    return absl::InvalidArgumentError(
        absl::StrCat("visibleIf \"", text_, "\": ", what, " at offset ",
                     text_.size() - rest_.size()));
  }

  void Skip() { rest_ = absl::StripLeadingAsciiWhitespace(rest_); }

  // Consumes `word` (a keyword ends at a non-letter).
  bool Word(absl::string_view word) {
    Skip();
    if (!absl::StartsWithIgnoreCase(rest_, word)) return false;
    if (rest_.size() > word.size() && absl::ascii_isalpha(word.back()) &&
        absl::ascii_isalpha(rest_[word.size()])) {
      return false;
    }
    rest_.remove_prefix(word.size());
    return true;
  }

  absl::StatusOr<bool> Or() {
    absl::StatusOr<bool> v = And();
    while (v.ok() && Word("or")) {
      absl::StatusOr<bool> rhs = And();
      if (!rhs.ok()) return rhs;
      v = *v || *rhs;
    }
    return v;
  }

  absl::StatusOr<bool> And() {
    absl::StatusOr<bool> v = Term();
    while (v.ok() && Word("and")) {
      absl::StatusOr<bool> rhs = Term();
      if (!rhs.ok()) return rhs;
      v = *v && *rhs;
    }
    return v;
  }

  absl::StatusOr<bool> Term() {
    if (Word("(")) {
      absl::StatusOr<bool> v = Or();
      if (v.ok() && !Word(")")) return Error("expected ')'");
      return v;
    }
    if (!Word("{")) return Error("expected '{' or '('");
    size_t close = rest_.find('}');
    if (close == absl::string_view::npos) return Error("expected '}'");
    absl::string_view name = rest_.substr(0, close);
    rest_.remove_prefix(close + 1);
    // "notcontains" before "contains", "!=" before "=".
    bool negate = false, contains = false;
    if (Word("notcontains")) {
      negate = contains = true;
    } else if (Word("contains")) {
      contains = true;
    } else if (Word("!=")) {
      negate = true;
    } else if (!Word("=")) {
      return Error("expected an operator");
    }
    absl::StatusOr<std::vector<std::string>> operand = Operand();
    if (!operand.ok()) return operand.status();
    const AnswerValue* value = lookup_(name);
    bool holds =
        value != nullptr && !operand->empty() &&
        absl::c_all_of(*operand, [&](const std::string& want) {
          return contains ? Contains(*value, want) : Equals(*value, want);
        });
    return negate ? !holds : holds;
  }

  static bool Equals(const AnswerValue& v, absl::string_view want) {
    return !v.is_array && v.items.size() == 1 && v.items[0] == want;
  }

  static bool Contains(const AnswerValue& v, absl::string_view want) {
    if (v.is_array) return absl::c_linear_search(v.items, want);
    return v.items.size() == 1 && absl::StrContains(v.items[0], want);
  }

  absl::StatusOr<std::vector<std::string>> Operand() {
    std::vector<std::string> out;
    if (!Word("[")) {
      absl::StatusOr<std::string> s = String();
      if (!s.ok()) return s.status();
      out.push_back(*std::move(s));
      return out;
    }
    do {
      absl::StatusOr<std::string> s = String();
      if (!s.ok()) return s.status();
      out.push_back(*std::move(s));
    } while (Word(","));
    if (!Word("]")) return Error("expected ']'");
    return out;
  }

  absl::StatusOr<std::string> String() {
    Skip();
    if (rest_.empty() || (rest_[0] != '"' && rest_[0] != '\'')) {
      return Error("expected a quoted string");
    }
    char quote = rest_[0];
    size_t close = rest_.find(quote, 1);
    if (close == absl::string_view::npos) return Error("unterminated string");
    std::string s(rest_.substr(1, close - 1));
    rest_.remove_prefix(close + 1);
    return s;
  }

  absl::string_view text_;
  absl::string_view rest_;
  AnswerLookup lookup_;
};

}  // namespace

absl::StatusOr<bool> EvaluateVisibleIf(absl::string_view expr,
                                       AnswerLookup lookup) {
  if (absl::StripAsciiWhitespace(expr).empty()) return true;
  return Parser(expr, lookup).All();
}

}  // namespace ailedger::aia
