// Survey lookups and the registry of shipped surveys.
#include "ledger/aia/survey.h"

#include <algorithm>
#include <memory>
#include <vector>

#include "absl/strings/string_view.h"
#include "ledger/aia/embedded.h"
#include "ledger/merkle/hash.h"

namespace ailedger::aia {

const Choice* Question::FindChoice(absl::string_view value) const {
  for (const Choice& c : choices) {
    if (c.value == value) return &c;
  }
  return nullptr;
}

int Question::MaxPoints() const {
  int best = 0, sum = 0;
  for (const Choice& c : choices) {
    best = std::max(best, c.points);
    sum += c.points;
  }
  if (FreeText()) return 0;
  return type == "checkbox" ? sum : best;
}

const Question* Survey::Find(absl::string_view name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &questions_[it->second];
}

namespace {

// Parsed once, on first use, and kept for the life of the process. A file
// that fails to parse is left out (aia_survey_test proves each one parses).
const std::vector<std::unique_ptr<const Survey>>& Shipped() {
  static const auto* const shipped = [] {
    auto* v = new std::vector<std::unique_ptr<const Survey>>();
    for (const internal::EmbeddedFile& f : internal::EmbeddedSurveyFiles()) {
      auto s = Survey::Parse(f.bytes());
      if (s.ok()) v->push_back(*std::move(s));
    }
    return v;
  }();
  return *shipped;
}

}  // namespace

const Survey* FindSurvey(absl::string_view sha256) {
  for (const auto& s : Shipped()) {
    if (AsBytes(s->sha256()) == sha256) return s.get();
  }
  return nullptr;
}

std::vector<const Survey*> ShippedSurveys() {
  std::vector<const Survey*> out;
  for (const auto& s : Shipped()) out.push_back(s.get());
  return out;
}

}  // namespace ailedger::aia
