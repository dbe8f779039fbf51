// Survey::Parse: a SurveyJS definition (pages > panels > questions) to the
// flat list of questions the checks and the scorer need.
#include <cctype>
#include <memory>
#include <string>
#include <utility>

#include "absl/algorithm/container.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "ledger/aia/survey.h"
#include "ledger/base/crypto_init.h"
#include "ledger/merkle/hash.h"
#include "nlohmann/json.hpp"

namespace ailedger::aia {
namespace {

using Json = nlohmann::json;

// The welcome page's heading carries the version ("... v1.0.1</h2>").
constexpr absl::string_view kVersionMarker = "Algorithmic Impact Assessment v";

// 'R', 'M' or 'N' from a "-RS", "-MS" or "-NS" suffix; 0 for no suffix.
char SuffixKind(absl::string_view name) {
  if (absl::EndsWith(name, "-RS")) return 'R';
  if (absl::EndsWith(name, "-MS")) return 'M';
  if (absl::EndsWith(name, "-NS")) return 'N';
  return 0;
}

// "itemK-N" is worth N; a value without a numeric suffix is worth 0.
int PointsOf(absl::string_view value) {
  size_t dash = value.rfind('-');
  if (dash == absl::string_view::npos) return 0;
  absl::string_view tail = value.substr(dash + 1);
  int n = 0;
  if (tail.empty() || !absl::c_all_of(tail, absl::ascii_isdigit) ||
      !absl::SimpleAtoi(tail, &n)) {
    return 0;
  }
  return n;
}

std::string StringOr(const Json& j, const char* key, std::string fallback) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return fallback;
  return it->get<std::string>();
}

// A localised text: {"default": en, "fr": fr} or a plain string for both.
void Texts(const Json& j, const char* key, const std::string& fallback,
           std::string* en, std::string* fr) {
  *en = *fr = fallback;
  auto it = j.find(key);
  if (it == j.end()) return;
  if (it->is_string()) {
    *en = *fr = it->get<std::string>();
  } else if (it->is_object()) {
    *en = StringOr(*it, "default", fallback);
    *fr = StringOr(*it, "fr", *en);
  }
}

// 1 or 2 when the expression shows the element only in the Design or only
// in the Implementation phase, else 0.
int ForkOf(absl::string_view visible_if) {
  std::string e = absl::StrReplaceAll(visible_if, {{" ", ""}, {"'", "\""}});
  std::string var = absl::StrCat("{", kPhaseQuestion, "}=\"");
  bool design = absl::StrContains(e, absl::StrCat(var, kPhaseDesign, "\""));
  bool impl =
      absl::StrContains(e, absl::StrCat(var, kPhaseImplementation, "\""));
  if (design == impl) return 0;
  return design ? 1 : 2;
}

bool IsQuestionType(absl::string_view t) {
  return t == "radiogroup" || t == "dropdown" || t == "checkbox" ||
         t == "text" || t == "comment";
}

struct Walker {
  std::vector<Question>* out;
  std::string page;

  absl::Status Elements(const Json& elements, const std::string& panel,
                        char panel_kind, int fork) {
    if (!elements.is_array()) {
      return absl::InvalidArgumentError(
          absl::StrCat("survey page ", page, ": elements is not an array"));
    }
    for (const Json& e : elements) {
      if (!e.is_object()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "survey page ", page, ": an element is not an object"));
      }
      if (absl::Status st = Element(e, panel, panel_kind, fork); !st.ok()) {
        return st;
      }
    }
    return absl::OkStatus();
  }

  absl::Status Element(const Json& e, const std::string& panel, char panel_kind,
                       int fork) {
    std::string name = StringOr(e, "name", "");
    std::string type = StringOr(e, "type", "");
    std::string visible_if = StringOr(e, "visibleIf", "");
    if (int f = ForkOf(visible_if); f != 0) fork = f;
    if (type == "panel") {
      char kind = SuffixKind(name);
      return Elements(e.contains("elements") ? e["elements"] : Json::array(),
                      name, kind ? kind : 'N', fork);
    }
    if (type == "html") return absl::OkStatus();  // shows text, takes no answer
    if (!IsQuestionType(type) || name.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "survey page ", page, ": element '", name, "' has type '", type,
          "', which the AIA checks do not support"));
    }
    Question q;
    q.name = name;
    q.type = type;
    q.page = page;
    q.panel = panel;
    char own = SuffixKind(name);
    q.score_kind = own ? own : panel_kind;
    auto req = e.find("isRequired");
    q.required = req != e.end() && req->is_boolean() && req->get<bool>();
    q.fork = fork;
    Texts(e, "title", name, &q.title_en, &q.title_fr);
    q.visible_if = visible_if;
    if (auto ch = e.find("choices"); ch != e.end() && ch->is_array()) {
      for (const Json& c : *ch) {
        Choice choice;
        if (c.is_string()) {
          choice.value = c.get<std::string>();
          choice.text_en = choice.text_fr = choice.value;
        } else if (c.is_object() && c.contains("value") &&
                   c["value"].is_string()) {
          choice.value = c["value"].get<std::string>();
          Texts(c, "text", choice.value, &choice.text_en, &choice.text_fr);
        } else {
          return absl::InvalidArgumentError(absl::StrCat(
              "survey question ", name, ": a choice has no string value"));
        }
        choice.points = PointsOf(choice.value);
        q.choices.push_back(std::move(choice));
      }
    }
    if (!q.FreeText() && q.choices.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "survey question ", name, " (", type, ") has no choices"));
    }
    out->push_back(std::move(q));
    return absl::OkStatus();
  }
};

absl::StatusOr<std::string> VersionOf(absl::string_view bytes) {
  size_t at = bytes.find(kVersionMarker);
  if (at == absl::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "survey: no version text (\"", kVersionMarker, "X.Y.Z\") in the file"));
  }
  absl::string_view rest = bytes.substr(at + kVersionMarker.size());
  size_t n = 0;
  while (n < rest.size() && (absl::ascii_isdigit(rest[n]) || rest[n] == '.')) {
    ++n;
  }
  absl::string_view v = absl::StripSuffix(rest.substr(0, n), ".");
  if (v.empty()) {
    return absl::InvalidArgumentError("survey: version text has no number");
  }
  return std::string(v);
}

}  // namespace

absl::StatusOr<std::unique_ptr<const Survey>> Survey::Parse(
    absl::string_view file_bytes) {
  Json root = Json::parse(file_bytes.begin(), file_bytes.end(), nullptr,
                          /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object() || !root.contains("pages") ||
      !root["pages"].is_array()) {
    return absl::InvalidArgumentError(
        "survey: not a SurveyJS definition (a JSON object with pages[])");
  }
  absl::StatusOr<std::string> version = VersionOf(file_bytes);
  if (!version.ok()) return version.status();

  std::unique_ptr<Survey> s(new Survey());
  s->version_ = *std::move(version);
  InitCrypto();
  s->sha256_ = Sha256Of(file_bytes);
  Walker walker{&s->questions_, ""};
  for (const Json& page : root["pages"]) {
    if (!page.is_object()) {
      return absl::InvalidArgumentError("survey: a page is not an object");
    }
    walker.page = StringOr(page, "name", "");
    int fork = ForkOf(StringOr(page, "visibleIf", ""));
    const Json elements =
        page.contains("elements") ? page["elements"] : Json::array();
    if (absl::Status st = walker.Elements(elements, "", 'N', fork); !st.ok()) {
      return st;
    }
  }
  for (size_t i = 0; i < s->questions_.size(); ++i) {
    const Question& q = s->questions_[i];
    if (!s->index_.emplace(q.name, i).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("survey: question ", q.name, " appears twice"));
    }
    if (q.score_kind == 'R') s->max_raw_ += q.MaxPoints();
    if (q.score_kind == 'M') s->max_mitigation_ += q.MaxPoints();
  }
  return std::unique_ptr<const Survey>(std::move(s));
}

}  // namespace ailedger::aia
