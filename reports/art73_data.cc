#include "reports/art73_data.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "ledger/merkle/hash.h"
#include "nlohmann/json.hpp"

namespace ailedger::reports::art73 {
namespace {

using nlohmann::json;

std::string Text(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

json Parse(absl::string_view text) {
  return json::parse(text.begin(), text.end(), nullptr,
                     /*allow_exceptions=*/false);
}

absl::Status Bad(const std::string& file, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(file, what));
}

absl::StatusOr<RegimeTable> ParseRegime(absl::string_view text,
                                        const std::string& file) {
  const json j = Parse(text);
  if (!j.is_object()) return Bad(file, ": not a JSON object");
  RegimeTable t;
  t.file = file;
  t.name = Text(j, "name");
  t.version = Text(j, "version");
  t.status = Text(j, "status");
  t.legacy = Text(j, "legacy");
  if (t.version.empty()) return Bad(file, ".version: required");
  if (const std::string d = Text(j, "legacy_before"); !d.empty()) {
    absl::CivilDay day;
    if (!absl::ParseCivilTime(d, &day))
      return Bad(file, ".legacy_before: not a date");
    t.legacy_before = day;
  }
  const json rules = j.value("rules", json());
  if (!rules.is_array()) return Bad(file, ".rules: a list is required");
  for (size_t n = 0; n < rules.size(); ++n) {
    const std::string where = absl::StrCat(".rules[", n, "]");
    if (!rules[n].is_object()) return Bad(file, where + ": not an object");
    RegimeRule r{Text(rules[n], "id"), Text(rules[n], "systems"),
                 Text(rules[n], "source"), std::nullopt};
    if (r.id.empty()) return Bad(file, where + ".id: required");
    const json from = rules[n].value("applies_from", json());
    if (from.is_string()) {
      absl::CivilDay d;
      if (!absl::ParseCivilTime(from.get<std::string>(), &d))
        return Bad(file, where + ".applies_from: not a date");
      r.applies_from = d;
    } else if (!from.is_null()) {
      return Bad(file, where + ".applies_from: a date or null");
    }
    t.rules.push_back(std::move(r));
  }
  for (const json& p : j.value("pending", json::array())) {
    if (!p.is_object()) continue;
    absl::StrAppend(&t.pending, t.pending.empty() ? "" : "; ", Text(p, "what"),
                    ": Annex III from ", Text(p, "annex-iii"),
                    ", Annex I from ", Text(p, "annex-i"), " (",
                    Text(p, "state"), ")");
  }
  return t;
}

absl::StatusOr<LegalTimeTable> ParseLegalTime(absl::string_view text,
                                              const std::string& file) {
  const json j = Parse(text);
  if (!j.is_object()) return Bad(file, ": not a JSON object");
  LegalTimeTable t;
  t.file = file;
  t.name = Text(j, "name");
  t.version = Text(j, "version");
  t.summer_time = Text(j, "summer_time");
  t.scope = Text(j, "scope");
  const json states = j.value("member_states", json());
  if (t.version.empty() || !states.is_object())
    return Bad(file, ": version and member_states are required");
  for (const auto& [code, s] : states.items()) {
    if (!s.is_object() ||
        !s.value("standard_offset_minutes", json()).is_number_integer() ||
        !s.value("summer_time", json()).is_boolean())
      return Bad(file, absl::StrCat(".member_states.", code, ": malformed"));
    t.states[code] =
        LegalTime{Text(s, "zone"), s["standard_offset_minutes"].get<int>(),
                  s["summer_time"].get<bool>()};
  }
  return t;
}

}  // namespace

const RegimeRule* RegimeTable::Find(absl::string_view id) const {
  for (const RegimeRule& r : rules) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

absl::StatusOr<ReferenceData> ParseReferenceData(
    absl::Span<const internal::EmbeddedFile> files) {
  InitCrypto();  // Sha256Of
  ReferenceData out;
  bool regime = false, legal_time = false;
  for (const internal::EmbeddedFile& f : files) {
    const std::string name = f.name;
    const std::string sha = ToHex(Sha256Of(f.bytes()));
    if (name == "art73-regime.json") {
      auto t = ParseRegime(f.bytes(), name);
      if (!t.ok()) return t.status();
      out.regime = *std::move(t);
      out.regime.sha256 = sha;
      regime = true;
    } else if (name == "legal-time.json") {
      auto t = ParseLegalTime(f.bytes(), name);
      if (!t.ok()) return t.status();
      out.legal_time = *std::move(t);
      out.legal_time.sha256 = sha;
      legal_time = true;
    } else if (absl::StartsWith(name, "holidays/")) {
      auto c = ParseHolidayCalendar(f.bytes(), name);
      if (!c.ok()) return c.status();
      c->sha256 = sha;
      if (name != absl::StrCat("holidays/", c->member_state, ".json"))
        return Bad(name, ".member_state: differs from the file name");
      out.calendars[c->member_state] = *std::move(c);
    }
  }
  if (!regime || !legal_time) {
    return absl::InvalidArgumentError(
        "art73-regime.json and legal-time.json are required");
  }
  return out;
}

const absl::StatusOr<ReferenceData>& Shipped() {
  static const auto* data = new absl::StatusOr<ReferenceData>(
      ParseReferenceData(internal::EmbeddedFiles()));
  return *data;
}

}  // namespace ailedger::reports::art73
