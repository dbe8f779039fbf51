// The verification report's signers by role and segregation-of-duties facts
// (verification_facts.h). Facts only: what the rules already refuse (an
// approval by its author's key or by a service account, docs/ROLES.md) is
// counted to show it did not happen, never judged again.
#include <algorithm>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "ledger/base/base64.h"
#include "ledger/governance/roles.h"
#include "reports/verification_facts.h"

namespace ailedger::reports::verification {
namespace {

constexpr size_t kTypesShown = 8;

std::vector<std::string> RoleNames(const std::vector<v1::Role>& roles) {
  std::vector<std::string> out;
  for (v1::Role r : roles) out.emplace_back(RoleName(r));
  return out;
}

std::string Joined(const std::vector<std::string>& v) {
  return v.empty() ? "-" : absl::StrJoin(v, ", ");
}

// The types a key signed, most first, up to kTypesShown; the rest counted.
std::string TypesSigned(const KeyFacts& k) {
  std::vector<std::pair<uint64_t, std::string>> by_count;
  for (const auto& [type, n] : k.types) by_count.push_back({n, type});
  std::stable_sort(
      by_count.begin(), by_count.end(),
      [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::string> parts;
  uint64_t rest = 0;
  for (size_t i = 0; i < by_count.size(); ++i) {
    if (i < kTypesShown)
      parts.push_back(absl::StrCat(by_count[i].second, " ", by_count[i].first));
    else
      rest += by_count[i].first;
  }
  if (by_count.size() > kTypesShown)
    parts.push_back(absl::StrCat("and ", by_count.size() - kTypesShown,
                                 " more types (", rest, " entries)"));
  return parts.empty() ? "none" : absl::StrJoin(parts, ", ");
}

// Role order (admin first), then organisation and name.
std::tuple<int, const std::string&, const std::string&> Order(
    const KeyFacts& k) {
  return {k.roles.empty() ? 99 : static_cast<int>(k.roles.front()),
          k.organisation, k.name};
}

// The keys shown: at most kMaxRows, those that signed the most, then in role
// order, organisation, name.
std::vector<const KeyFacts*> KeysShown(const Facts& f) {
  std::vector<const KeyFacts*> keys;
  for (const auto& [bytes, k] : f.keys) keys.push_back(&k);
  std::stable_sort(keys.begin(), keys.end(),
                   [](auto* a, auto* b) { return a->entries > b->entries; });
  if (keys.size() > kMaxRows) keys.resize(kMaxRows);
  std::stable_sort(keys.begin(), keys.end(),
                   [](auto* a, auto* b) { return Order(*a) < Order(*b); });
  return keys;
}

Table RoleSummary(const Facts& f) {
  Table t{{"role", "keys holding it", "persons", "service accounts",
           "entries of its event types"},
          {}};
  for (v1::Role role : {v1::ROLE_ADMIN, v1::ROLE_PUBLISHER, v1::ROLE_AUDITOR,
                        v1::ROLE_READER}) {
    uint64_t keys = 0, persons = 0, services = 0;
    for (const auto& [bytes, k] : f.keys) {
      if (std::find(k.roles.begin(), k.roles.end(), role) == k.roles.end())
        continue;
      ++keys;
      persons += k.kind == v1::KEY_KIND_PERSON;
      services += k.kind == v1::KEY_KIND_SERVICE_ACCOUNT;
    }
    const std::string name(RoleName(role));
    auto n = f.entries_by_role.find(name);
    t.rows.push_back(
        {name, absl::StrCat(keys), absl::StrCat(persons),
         absl::StrCat(services),
         absl::StrCat(n == f.entries_by_role.end() ? 0 : n->second)});
  }
  return t;
}

}  // namespace

Section SignersSection(const VerifyReport& v, const Facts& f,
                       nlohmann::json* data) {
  Section s{"Signers by role", {}, {RoleSummary(f)}};
  s.paragraphs.push_back(
      absl::StrCat(f.records,
                   " records read, by the role their event type requires at "
                   "their index: ",
                   Counts(f.entries_by_role), "."));
  if (v.verified && f.records != v.to - v.from) {
    s.paragraphs.push_back(absl::StrCat(
        "The records given hold ", f.records, " of the ", v.to - v.from,
        " verified entries: the counts here are of those records only."));
  }
  Table keys{{"key", "holder", "roles", "functions", "scope", "granted",
              "entries", "event types signed", "note"},
             {}};
  nlohmann::json listed = nlohmann::json::array();
  for (const KeyFacts* k : KeysShown(f)) {
    const std::string granted =
        k->granted != nullptr ? Cite(*k->granted) : "before the verified range";
    keys.rows.push_back(
        {Base64Encode(AsBytes(k->key)), Who(*k), Joined(RoleNames(k->roles)),
         Joined(k->functions), k->scope.empty() ? "-" : k->scope, granted,
         absl::StrCat(k->entries), TypesSigned(*k),
         k->unexpected ? "holds admin or auditor, not named by the reader"
                       : ""});
    listed.push_back({{"key", Base64Encode(AsBytes(k->key))},
                      {"name", k->name},
                      {"organisation", k->organisation},
                      {"kind", KindName(k->kind)},
                      {"roles", RoleNames(k->roles)},
                      {"functions", k->functions},
                      {"scope", k->scope},
                      {"granted", granted},
                      {"entries", k->entries},
                      {"types", k->types},
                      {"unexpected", k->unexpected}});
  }
  if (std::string cut = Cut(f.keys.size(), keys.rows.size(), "keys",
                            "that signed the most entries");
      !cut.empty())
    s.paragraphs.push_back(cut);
  s.tables.push_back(std::move(keys));
  (*data)["signers"] = {{"records", f.records},
                        {"entries_by_role", f.entries_by_role},
                        {"keys_total", f.keys.size()},
                        {"keys", std::move(listed)}};
  return s;
}

// Segregation of duties: verification_segregation.cc.

}  // namespace ailedger::reports::verification
