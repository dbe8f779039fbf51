// The shipped AIA requirement tables and their evidence mapping, parsed and
// checked against each other (aia_reference.h).
#include "reports/aia_reference.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "ledger/merkle/hash.h"
#include "nlohmann/json.hpp"
#include "reports/aia_embedded.h"

namespace ailedger::reports {
namespace {

using Json = nlohmann::json;

// Field access that never throws: a missing or mistyped field is a status
// naming it.
class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  absl::Status Error(const std::string& path, const char* what) const {
    return absl::InvalidArgumentError(
        absl::StrCat(file_, ": ", path, ": ", what));
  }
  absl::StatusOr<std::string> String(const Json& j, const char* key,
                                     const std::string& path) const {
    auto it = j.is_object() ? j.find(key) : j.end();
    if (!j.is_object() || it == j.end() || !it->is_string())
      return Error(absl::StrCat(path, key), "a string is required");
    return it->get<std::string>();
  }
  absl::StatusOr<const Json*> Array(const Json& j, const char* key,
                                    const std::string& path) const {
    auto it = j.is_object() ? j.find(key) : j.end();
    if (!j.is_object() || it == j.end() || !it->is_array())
      return Error(absl::StrCat(path, key), "an array is required");
    return &*it;
  }
  // Optional fields: the fallback when absent or of another type.
  static int IntOr(const Json& j, const char* key, int fallback) {
    auto it = j.find(key);
    return it != j.end() && it->is_number_integer() ? it->get<int>() : fallback;
  }
  static bool BoolOr(const Json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_boolean() && it->get<bool>();
  }
  static std::string StringOr(const Json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : "";
  }

 private:
  std::string file_;
};

#define AIA_ASSIGN(lhs, expr)                   \
  auto lhs##_or = (expr);                       \
  if (!lhs##_or.ok()) return lhs##_or.status(); \
  auto lhs = *std::move(lhs##_or)

absl::StatusOr<int64_t> DayMs(const Reader& rd, const std::string& day,
                              const std::string& path) {
  absl::Time t;
  std::string err;
  if (!absl::ParseTime("%Y-%m-%d", day, absl::UTCTimeZone(), &t, &err))
    return rd.Error(path, "a date YYYY-MM-DD is required");
  return absl::ToUnixMillis(t);
}

absl::StatusOr<AiaDuty> ParseDuty(const Reader& rd, const Json& j,
                                  const std::string& path) {
  AiaDuty d;
  AIA_ASSIGN(duty, rd.String(j, "duty", path));
  AIA_ASSIGN(evidence, rd.Array(j, "evidence", path));
  d.duty = duty;
  for (const Json& t : *evidence) {
    if (!t.is_string()) return rd.Error(path + "evidence", "event type names");
    d.evidence.push_back(t.get<std::string>());
  }
  d.permission = Reader::BoolOr(j, "permission");
  d.why = Reader::StringOr(j, "why");
  d.note = Reader::StringOr(j, "note");
  d.min_events = Reader::IntOr(j, "min_events", 1);
  d.min_reviewers = Reader::IntOr(j, "min_reviewers", 0);
  d.approval_of = Reader::StringOr(j, "approval_of");
  // Honest by construction: a duty is evidenced by a type, or says why not,
  // or is a permission.
  if (d.evidence.empty() == d.why.empty() && !d.permission)
    return rd.Error(path, "either evidence types or a reason why none");
  return d;
}

// The tool's table: title and the four levels' texts of each requirement.
absl::Status ReadTable(const std::string& file, const std::string& bytes,
                       AiaRequirementSet* set) {
  Reader rd(file);
  Json j = Json::parse(bytes, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return rd.Error("", "not JSON");
  AIA_ASSIGN(source, rd.String(j, "source", ""));
  set->source = source;
  auto req = j.find("requirements");
  if (req == j.end()) return rd.Error("requirements", "missing");
  AIA_ASSIGN(elements, rd.Array(*req, "elements", "requirements."));
  if (elements->size() != set->requirements.size())
    return rd.Error("requirements.elements", "not the mapping's requirements");
  for (size_t i = 0; i < elements->size(); ++i) {
    const std::string path = absl::StrCat("requirements.elements[", i, "].");
    AiaRequirement& r = set->requirements[i];
    AIA_ASSIGN(title, rd.String((*elements)[i], "title", path));
    if (title != r.title)
      return rd.Error(path + "title", "differs from the mapping's");
    AIA_ASSIGN(levels, rd.Array((*elements)[i], "elements", path));
    if (levels->size() != 4) return rd.Error(path + "elements", "4 levels");
    for (size_t l = 0; l < 4; ++l) {
      AIA_ASSIGN(text, rd.String((*levels)[l], "text",
                                 absl::StrCat(path, "elements[", l, "].")));
      r.text[l] = text;
      const bool none = absl::StripAsciiWhitespace(text) == "None";
      if (none != r.duties[l].empty())
        return rd.Error(absl::StrCat(path, "elements[", l, "]"),
                        "the mapping's duties disagree with the text 'None'");
    }
  }
  set->file_sha256 = ToHex(Sha256Of(bytes));
  return absl::OkStatus();
}

absl::StatusOr<AiaRequirementSet> ParseSet(const Reader& rd, const Json& j,
                                           const std::string& path) {
  AiaRequirementSet s;
  AIA_ASSIGN(id, rd.String(j, "id", path));
  AIA_ASSIGN(file, rd.String(j, "file", path));
  AIA_ASSIGN(name, rd.String(j, "name", path));
  AIA_ASSIGN(from, rd.String(j, "in_force_from", path));
  AIA_ASSIGN(from_source, rd.String(j, "in_force_source", path));
  AIA_ASSIGN(from_ms, DayMs(rd, from, path + "in_force_from"));
  s.id = id, s.file = file, s.name = name, s.in_force_from = from;
  s.in_force_source = from_source, s.in_force_from_ms = from_ms;
  AIA_ASSIGN(later, rd.Array(j, "later_amendments", path));
  for (const Json& a : *later) {
    AIA_ASSIGN(day, rd.String(a, "from", path + "later_amendments[]."));
    AIA_ASSIGN(ms, DayMs(rd, day, path + "later_amendments[].from"));
    s.later_amendments.push_back({day, ms, Reader::StringOr(a, "note")});
  }
  AIA_ASSIGN(reqs, rd.Array(j, "requirements", path));
  for (size_t i = 0; i < reqs->size(); ++i) {
    const std::string rp = absl::StrCat(path, "requirements[", i, "].");
    AiaRequirement r;
    AIA_ASSIGN(title, rd.String((*reqs)[i], "title", rp));
    AIA_ASSIGN(levels, rd.Array((*reqs)[i], "levels", rp));
    r.title = title;
    if (levels->size() != 4) return rd.Error(rp + "levels", "4 levels");
    for (size_t l = 0; l < 4; ++l) {
      if (!(*levels)[l].is_array()) return rd.Error(rp + "levels", "arrays");
      for (const Json& d : (*levels)[l]) {
        AIA_ASSIGN(duty,
                   ParseDuty(rd, d, absl::StrCat(rp, "levels[", l, "].")));
        r.duties[l].push_back(std::move(duty));
      }
    }
    s.requirements.push_back(std::move(r));
  }
  return s;
}

}  // namespace

const AiaRequirementSet* AiaReference::Find(absl::string_view id) const {
  for (const AiaRequirementSet& s : sets) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

absl::StatusOr<AiaReference> ParseAiaReference(
    const std::map<std::string, std::string>& files) {
  Reader rd(kAiaMappingFile);
  auto mapping = files.find(kAiaMappingFile);
  if (mapping == files.end()) return rd.Error("", "not shipped");
  Json j = Json::parse(mapping->second, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return rd.Error("", "not JSON");
  AiaReference ref;
  AIA_ASSIGN(name, rd.String(j, "name", ""));
  AIA_ASSIGN(version, rd.String(j, "version", ""));
  ref.mapping_name = name, ref.mapping_version = version;
  ref.mapping_sha256 = ToHex(Sha256Of(mapping->second));
  AIA_ASSIGN(sets, rd.Array(j, "sets", ""));
  for (size_t i = 0; i < sets->size(); ++i) {
    AIA_ASSIGN(set, ParseSet(rd, (*sets)[i], absl::StrCat("sets[", i, "].")));
    if (!ref.sets.empty() &&
        set.in_force_from_ms <= ref.sets.back().in_force_from_ms)
      return rd.Error(absl::StrCat("sets[", i, "].in_force_from"),
                      "sets must be listed oldest first");
    auto table = files.find(set.file);
    if (table == files.end())
      return rd.Error(absl::StrCat("sets[", i, "].file"), "not shipped");
    if (absl::Status s = ReadTable(set.file, table->second, &set); !s.ok())
      return s;
    ref.sets.push_back(std::move(set));
  }
  if (ref.sets.empty()) return rd.Error("sets", "at least one set");
  return ref;
}

absl::StatusOr<const AiaReference*> ShippedAiaReference() {
  static const auto* const shipped = [] {
    std::map<std::string, std::string> files;
    for (const internal::AiaEmbeddedFile& f : internal::AiaReferenceFiles())
      files[f.name] = std::string(f.bytes());
    return new absl::StatusOr<AiaReference>(ParseAiaReference(files));
  }();
  if (!shipped->ok()) return shipped->status();
  return &**shipped;
}

std::string AiaDay(int64_t ms) {
  return absl::FormatTime("%Y-%m-%d", absl::FromUnixMillis(ms),
                          absl::UTCTimeZone());
}

AiaSetChoice ChooseRequirementSet(const AiaReference& ref, int64_t date_ms,
                                  absl::string_view stated) {
  AiaSetChoice c;
  c.stated = std::string(stated);
  c.set = &ref.sets.front();
  for (const AiaRequirementSet& s : ref.sets) {
    if (s.in_force_from_ms <= date_ms) c.set = &s;
  }
  const AiaRequirementSet& s = *c.set;
  c.rule = s.in_force_from_ms <= date_ms
               ? absl::StrCat("by date: ", AiaDay(date_ms), " is on or after ",
                              s.in_force_from, " (", s.in_force_source, ")")
               : absl::StrCat("by date: ", AiaDay(date_ms), " is before ",
                              s.in_force_from,
                              ", when the earliest set shipped took effect; "
                              "that set is used");
  for (const AiaLaterAmendment& a : s.later_amendments) {
    if (a.from_ms <= date_ms) absl::StrAppend(&c.rule, "; ", a.note);
  }
  if (!stated.empty() && stated != s.id) {
    c.differs = true;
    absl::StrAppend(&c.rule, "; the assessment states '", stated, "'",
                    ref.Find(stated) ? "" : ", which is not a set shipped",
                    ": DIFFERS");
  } else {
    absl::StrAppend(&c.rule, stated.empty()
                                 ? "; the assessment states no set"
                                 : "; the assessment states the same set");
  }
  return c;
}

}  // namespace ailedger::reports
