#include "reports/iso42001_mapping.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "ledger/governance/frameworks.h"
#include "ledger/governance/iso42001.h"
#include "ledger/merkle/hash.h"
#include "nlohmann/json.hpp"

namespace ailedger::reports::iso42001 {
namespace {

// Keys keep the file's order (the crosswalk's articles print in it).
using Json = nlohmann::ordered_json;

constexpr char kEventMappingFile[] = "event-mapping.json";
constexpr char kCrosswalkFile[] = "crosswalk.json";

// clang-format off
// The qualifiers a rule may carry, and the one type each applies to
// (data/iso42001/README.md, "when").
constexpr std::pair<absl::string_view, absl::string_view> kWhens[] = {
    {"revision",          "PolicyPublished"},
    {"origin-internal",   "StakeholderFeedbackReceived"},
    {"origin-external",   "StakeholderFeedbackReceived"},
    {"individual-impact", "ImpactAssessmentRecorded"},
    {"societal-impact",   "ImpactAssessmentRecorded"},
    {"partner-supplier",  "PartnerRegistered"},
    {"partner-customer",  "PartnerRegistered"},
};
// clang-format on

class Reader {
 public:
  explicit Reader(absl::string_view file) : file_(file) {}

  absl::Status Bad(const std::string& path, absl::string_view what) const {
    return absl::InvalidArgumentError(
        absl::StrCat(file_, ": ", path, ": ", what));
  }

  // The string at `key` of `obj`; `optional` gives "" when absent.
  absl::StatusOr<std::string> Str(const Json& obj, const char* key,
                                  const std::string& path,
                                  bool optional = false) const {
    auto it = obj.find(key);
    if (it == obj.end() && optional) return std::string();
    if (it == obj.end() || !it->is_string())
      return Bad(absl::StrCat(path, ".", key), "a string is required");
    return it->get<std::string>();
  }

  absl::StatusOr<const Json*> Array(const Json& obj, const char* key,
                                    const std::string& path) const {
    auto it = obj.find(key);
    if (it == obj.end() || !it->is_array())
      return Bad(absl::StrCat(path, ".", key), "an array is required");
    return &*it;
  }

  absl::StatusOr<std::vector<std::string>> Strings(
      const Json& obj, const char* key, const std::string& path) const {
    auto a = Array(obj, key, path);
    if (!a.ok()) return a.status();
    std::vector<std::string> out;
    for (size_t i = 0; i < (*a)->size(); ++i) {
      const Json& v = (**a)[i];
      if (!v.is_string())
        return Bad(absl::StrCat(path, ".", key, "[", i, "]"),
                   "a string is required");
      out.push_back(v.get<std::string>());
    }
    return out;
  }

  absl::StatusOr<Json> Parse(absl::string_view text) const {
    Json j = Json::parse(text.begin(), text.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object())
      return Bad("$", "not a JSON object");
    return j;
  }

 private:
  std::string file_;
};

const std::set<std::string>& EventTypes() {
  static const auto* types = [] {
    auto* s = new std::set<std::string>();
    const auto* body = v1::Event::descriptor()->FindOneofByName("body");
    for (int i = 0; i < body->field_count(); ++i)
      s->insert(std::string(body->field(i)->message_type()->name()));
    return s;
  }();
  return *types;
}

bool IsClause(absl::string_view id) {
  return !id.empty() && id[0] != 'A' &&
         CheckFrameworkRef(absl::StrCat("iso42001:", id), true).ok();
}

absl::StatusOr<std::vector<EvidenceRule>> Rules(const Reader& in,
                                                const Json& control,
                                                const std::string& path) {
  auto list = in.Array(control, "evidence", path);
  if (!list.ok()) return list.status();
  std::vector<EvidenceRule> out;
  for (size_t i = 0; i < (*list)->size(); ++i) {
    const std::string at = absl::StrCat(path, ".evidence[", i, "]");
    const Json& r = (**list)[i];
    if (!r.is_object()) return in.Bad(at, "an object is required");
    EvidenceRule rule;
    auto type = in.Str(r, "type", at);
    auto when = in.Str(r, "when", at, true);
    if (!type.ok()) return type.status();
    if (!when.ok()) return when.status();
    if (EventTypes().count(*type) == 0)
      return in.Bad(at + ".type", "'" + *type + "' is not an event type");
    bool known = when->empty();
    for (const auto& [name, on] : kWhens) {
      if (name == *when && on != *type)
        return in.Bad(at + ".when", absl::StrCat("'", *when, "' applies to ",
                                                 on, ", not ", *type));
      known |= name == *when;
    }
    if (!known)
      return in.Bad(at + ".when", "unknown qualifier '" + *when + "'");
    out.push_back({*std::move(type), *std::move(when)});
  }
  return out;
}

absl::StatusOr<std::vector<ControlMapping>> Controls(const Reader& in,
                                                     const Json& doc) {
  auto list = in.Array(doc, "controls", "$");
  if (!list.ok()) return list.status();
  const auto annex = AnnexAControls();
  if ((*list)->size() != annex.size())
    return in.Bad("$.controls", absl::StrCat("the ", annex.size(),
                                             " Annex A controls are required"));
  std::vector<ControlMapping> out;
  for (size_t i = 0; i < annex.size(); ++i) {
    const std::string at = absl::StrCat("$.controls[", i, "]");
    const Json& c = (**list)[i];
    if (!c.is_object()) return in.Bad(at, "an object is required");
    ControlMapping m;
    auto id = in.Str(c, "control", at);
    if (!id.ok()) return id.status();
    if (*id != annex[i].id)
      return in.Bad(at + ".control", absl::StrCat("'", *id, "' where ",
                                                  annex[i].id, " belongs"));
    auto rules = Rules(in, c, at);
    auto gap = in.Str(c, "gap", at, true);
    if (!rules.ok()) return rules.status();
    if (!gap.ok()) return gap.status();
    out.push_back({*std::move(id), *std::move(rules), *std::move(gap)});
  }
  return out;
}

absl::StatusOr<std::vector<ClauseItem>> Clauses(const Reader& in,
                                                const Json& doc) {
  auto list = in.Array(doc, "clauses", "$");
  if (!list.ok()) return list.status();
  std::vector<ClauseItem> out;
  for (size_t i = 0; i < (*list)->size(); ++i) {
    const std::string at = absl::StrCat("$.clauses[", i, "]");
    const Json& c = (**list)[i];
    if (!c.is_object()) return in.Bad(at, "an object is required");
    ClauseItem item;
    auto clause = in.Str(c, "clause", at);
    auto what = in.Str(c, "item", at);
    auto types = in.Strings(c, "types", at);
    auto gap = in.Str(c, "gap", at, true);
    for (const absl::Status& s :
         {clause.status(), what.status(), types.status(), gap.status()}) {
      if (!s.ok()) return s;
    }
    if (!IsClause(*clause))
      return in.Bad(at + ".clause", "'" + *clause +
                                        "' is not a clause of ISO/IEC "
                                        "42001:2023 (4.1 to 10.2)");
    for (const std::string& t : *types) {
      if (EventTypes().count(t) == 0)
        return in.Bad(at + ".types", "'" + t + "' is not an event type");
    }
    out.push_back({*std::move(clause), *std::move(what), *std::move(types),
                   *std::move(gap)});
  }
  return out;
}

// The (id, title) pairs of the object at `key`.
absl::StatusOr<std::vector<std::pair<std::string, std::string>>> Titles(
    const Reader& in, const Json& doc, const char* key) {
  auto it = doc.find(key);
  if (it == doc.end() || !it->is_object())
    return in.Bad(absl::StrCat("$.", key), "an object is required");
  std::vector<std::pair<std::string, std::string>> out;
  for (auto e = it->begin(); e != it->end(); ++e) {
    if (!e.value().is_string())
      return in.Bad(absl::StrCat("$.", key, ".", e.key()),
                    "a title is required");
    out.emplace_back(e.key(), e.value().get<std::string>());
  }
  return out;
}

absl::Status CheckIds(
    const Reader& in, const std::string& path,
    const std::vector<std::string>& ids,
    const std::vector<std::pair<std::string, std::string>>& declared) {
  for (const std::string& id : ids) {
    bool found = false;
    for (const auto& [d, title] : declared) found |= d == id;
    if (!found) return in.Bad(path, "'" + id + "' is not declared in the file");
  }
  return absl::OkStatus();
}

}  // namespace

const ControlMapping* EventMapping::Control(absl::string_view id) const {
  for (const ControlMapping& c : controls) {
    if (c.control == id) return &c;
  }
  return nullptr;
}

absl::StatusOr<EventMapping> ParseEventMapping(absl::string_view json,
                                               absl::string_view file) {
  const Reader in(file);
  auto doc = in.Parse(json);
  if (!doc.ok()) return doc.status();
  EventMapping m;
  m.file = std::string(file);
  m.sha256_hex = ToHex(Sha256Of(json));
  auto version = in.Str(*doc, "version", "$");
  if (!version.ok()) return version.status();
  m.version = *std::move(version);
  auto days = doc->find("default_review_days");
  if (days == doc->end() || !days->is_number_unsigned() ||
      days->get<uint64_t>() == 0 || days->get<uint64_t>() > 3660)
    return in.Bad("$.default_review_days", "1 to 3660 days are required");
  m.default_review_days = days->get<uint32_t>();
  auto controls = Controls(in, *doc);
  if (!controls.ok()) return controls.status();
  m.controls = *std::move(controls);
  auto clauses = Clauses(in, *doc);
  if (!clauses.ok()) return clauses.status();
  m.clauses = *std::move(clauses);
  return m;
}

absl::StatusOr<Crosswalk> ParseCrosswalk(absl::string_view json,
                                         absl::string_view file) {
  const Reader in(file);
  auto doc = in.Parse(json);
  if (!doc.ok()) return doc.status();
  Crosswalk c;
  c.file = std::string(file);
  c.sha256_hex = ToHex(Sha256Of(json));
  auto version = in.Str(*doc, "version", "$");
  auto euaia = Titles(in, *doc, "euaia");
  auto nist = Titles(in, *doc, "nist");
  auto links = in.Array(*doc, "links", "$");
  for (const absl::Status& s :
       {version.status(), euaia.status(), nist.status(), links.status()}) {
    if (!s.ok()) return s;
  }
  c.version = *std::move(version);
  c.euaia = *std::move(euaia);
  c.nist = *std::move(nist);
  for (const auto& [id, title] : c.nist) {
    if (!CheckFrameworkRef("nist:" + id).ok())
      return in.Bad("$.nist." + id, "not a NIST AI RMF 1.0 category");
  }
  for (size_t i = 0; i < (*links)->size(); ++i) {
    const std::string at = absl::StrCat("$.links[", i, "]");
    const Json& l = (**links)[i];
    if (!l.is_object()) return in.Bad(at, "an object is required");
    CrosswalkLink link;
    auto topic = in.Str(l, "topic", at);
    auto iso = in.Strings(l, "iso42001", at);
    auto eu = in.Strings(l, "euaia", at);
    auto ni = in.Strings(l, "nist", at);
    for (const absl::Status& s :
         {topic.status(), iso.status(), eu.status(), ni.status()}) {
      if (!s.ok()) return s;
    }
    for (const std::string& id : *iso) {
      if (!IsAnnexAControl(id) && !IsClause(id))
        return in.Bad(
            at + ".iso42001",
            "'" + id + "' is neither an Annex A control nor a clause");
    }
    if (auto s = CheckIds(in, at + ".euaia", *eu, c.euaia); !s.ok()) return s;
    if (auto s = CheckIds(in, at + ".nist", *ni, c.nist); !s.ok()) return s;
    c.links.push_back(
        {*std::move(topic), *std::move(iso), *std::move(eu), *std::move(ni)});
  }
  return c;
}

namespace {

template <typename T>
absl::StatusOr<const T*> Shipped(
    const char* name,
    absl::StatusOr<T> (*parse)(absl::string_view, absl::string_view)) {
  for (const ShippedFile& f : ShippedFiles()) {
    if (absl::string_view(f.name) != name) continue;
    auto parsed = parse(f.bytes(), absl::StrCat("data/iso42001/", name));
    if (!parsed.ok()) return absl::InternalError(parsed.status().message());
    return new T(*std::move(parsed));
  }
  return absl::InternalError(
      absl::StrCat("data/iso42001/", name, " is not embedded in this build"));
}

}  // namespace

absl::StatusOr<const EventMapping*> ShippedEventMapping() {
  static const auto* m = new absl::StatusOr<const EventMapping*>(
      Shipped<EventMapping>(kEventMappingFile, ParseEventMapping));
  return *m;
}

absl::StatusOr<const Crosswalk*> ShippedCrosswalk() {
  static const auto* c = new absl::StatusOr<const Crosswalk*>(
      Shipped<Crosswalk>(kCrosswalkFile, ParseCrosswalk));
  return *c;
}

bool MeetsWhen(const EvidenceRule& rule, const v1::Event& e,
               const std::vector<std::string>& earlier_titles) {
  const absl::string_view w = rule.when;
  if (w.empty()) return true;
  if (w == "revision") {
    for (const std::string& t : earlier_titles) {
      if (t == e.policy_published().title()) return true;
    }
    return false;
  }
  if (w == "origin-internal" || w == "origin-external") {
    return e.stakeholder_feedback_received().origin() ==
           (w == "origin-internal" ? v1::FEEDBACK_ORIGIN_INTERNAL
                                   : v1::FEEDBACK_ORIGIN_EXTERNAL);
  }
  if (w == "individual-impact" || w == "societal-impact") {
    for (const v1::Impact& i : e.impact_assessment_recorded().impacts()) {
      if (i.societal() == (w == "societal-impact")) return true;
    }
    return false;
  }
  const std::string& role = e.partner_registered().role();
  if (w == "partner-customer") return role == "customer";
  return w == "partner-supplier" && (role == "provider" || role == "supplier");
}

}  // namespace ailedger::reports::iso42001
