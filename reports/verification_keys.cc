// The verification report's key grants and revocations
// (verification_facts.h): a timeline per key, and for a key revoked as
// compromised (KeyRevoked.compromised_since_ms) the window [compromised
// since, the revocation) and every entry the key signed inside it. The
// window is judged by the log's recording time, never by the occurred time
// the entry claims: whoever held the key chose that one. Those entries still
// verify (the key was on the roster when each was logged); they are the ones a
// reader must doubt.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "ledger/base/base64.h"
#include "ledger/governance/roles.h"
#include "reports/verification_facts.h"

namespace ailedger::reports::verification {
namespace {

int Priority(const KeyFacts& k) {
  if (k.revoked != nullptr && k.compromised_since_ms > 0) return 0;
  return k.revoked != nullptr ? 1 : 2;
}

uint64_t FirstIndex(const KeyFacts& k) {
  return k.granted != nullptr ? k.granted->index : k.revoked->index;
}

// The keys whose grant or revocation is among the records: at most kMaxRows,
// compromised first, then revoked, then the latest granted; in log order.
std::vector<const KeyFacts*> TimelineKeys(const Facts& f, size_t* total) {
  std::vector<const KeyFacts*> keys;
  for (const auto& [bytes, k] : f.keys)
    if (k.granted != nullptr || k.revoked != nullptr) keys.push_back(&k);
  *total = keys.size();
  std::stable_sort(keys.begin(), keys.end(), [](auto* a, auto* b) {
    if (Priority(*a) != Priority(*b)) return Priority(*a) < Priority(*b);
    return FirstIndex(*a) > FirstIndex(*b);
  });
  if (keys.size() > kMaxRows) keys.resize(kMaxRows);
  std::stable_sort(keys.begin(), keys.end(), [](auto* a, auto* b) {
    return FirstIndex(*a) < FirstIndex(*b);
  });
  return keys;
}

std::string Window(const KeyFacts& k) {
  if (k.revoked == nullptr) return "-";
  if (k.compromised_since_ms <= 0) return "not compromised";
  return absl::StrCat("[", Iso(k.compromised_since_ms), ", idx ",
                      k.revoked->index, "): ", k.window_entries,
                      " entries signed inside");
}

std::string RolesAndFunctions(const KeyFacts& k) {
  std::vector<std::string> parts;
  for (v1::Role r : k.roles) parts.emplace_back(RoleName(r));
  for (const std::string& fn : k.functions) parts.push_back("function " + fn);
  if (!k.scope.empty()) parts.push_back("scope " + k.scope);
  return parts.empty() ? "-" : absl::StrJoin(parts, ", ");
}

// What an entry signed inside a window did to others, where it matters.
std::string WhatItDid(const Facts& f, const Record& r) {
  const v1::Event& e = r.event;
  if (e.has_approval()) {
    const Record* t = Named(f, e.approval().approves());
    return t == nullptr ? "approves an entry before the verified range"
                        : absl::StrCat("approves idx ", t->index, " (",
                                       t->event.event_type(), ")");
  }
  if (e.has_key_granted())
    return absl::StrCat("grants a key to ", e.key_granted().display_name(),
                        " (", e.key_granted().organisation(), ")");
  if (!e.supersedes().empty()) {
    const Record* t = Named(f, e.supersedes());
    return t == nullptr ? "corrects an entry before the verified range"
                        : absl::StrCat("corrects idx ", t->index);
  }
  return "";
}

// `listed`: how many of the window's entries the table shows.
nlohmann::json KeyJson(const KeyFacts& k, size_t listed) {
  nlohmann::json shown = nlohmann::json::array();
  for (size_t i = 0; i < listed; ++i) shown.push_back(Cite(*k.window_shown[i]));
  return {{"key", Base64Encode(AsBytes(k.key))},
          {"holder", Who(k)},
          {"roles_and_functions", RolesAndFunctions(k)},
          {"granted", k.granted != nullptr ? Cite(*k.granted) : ""},
          {"revoked", k.revoked != nullptr ? Cite(*k.revoked) : ""},
          {"reason",
           k.revoked != nullptr ? k.revoked->event.key_revoked().reason() : ""},
          {"compromised_since_ms", k.compromised_since_ms},
          {"window_entries", k.window_entries},
          {"window_by_type", k.window_types},
          {"window_listed", std::move(shown)}};
}

}  // namespace

Section KeysSection(const Facts& f, nlohmann::json* data) {
  Section s{"Key grants and revocations", {}, {}};
  size_t total = 0;
  std::vector<const KeyFacts*> keys = TimelineKeys(f, &total);
  uint64_t granted = 0, revoked = 0, compromised = 0;
  for (const auto& [bytes, k] : f.keys) {
    granted += k.granted != nullptr;
    revoked += k.revoked != nullptr;
    compromised += k.revoked != nullptr && k.compromised_since_ms > 0;
  }
  s.paragraphs.push_back(absl::StrCat(
      granted, " keys granted (the genesis admin counted), ", revoked,
      " revoked, ", compromised,
      " of them as compromised. A compromise window runs from the time the "
      "revocation gives to the revocation's index, by the log's recording "
      "time: entries the key signed inside it verify, and are the ones to "
      "doubt."));
  Table timeline{{"holder", "roles and functions", "granted", "revoked",
                  "reason", "compromise window"},
                 {}};
  Table window{{"key holder", "entry signed inside the window", "what it did"},
               {}};
  nlohmann::json listed = nlohmann::json::array();
  for (const KeyFacts* k : keys) {
    timeline.rows.push_back(
        {Who(*k), RolesAndFunctions(*k),
         k->granted != nullptr ? Cite(*k->granted)
                               : "before the verified range",
         k->revoked != nullptr ? Cite(*k->revoked) : "active",
         k->revoked != nullptr ? k->revoked->event.key_revoked().reason() : "",
         Window(*k)});
    size_t shown = 0;
    for (const Record* r : k->window_shown) {
      if (window.rows.size() >= kMaxRows) break;
      window.rows.push_back({Who(*k), Cite(*r), WhatItDid(f, *r)});
      ++shown;
    }
    listed.push_back(KeyJson(*k, shown));
    if (k->window_entries == 0) continue;
    s.paragraphs.push_back(absl::StrCat(
        Who(*k), ": compromised since ", Iso(k->compromised_since_ms),
        ", revoked at idx ", k->revoked->index, "; ", k->window_entries,
        " entries recorded inside the window (", Counts(k->window_types), "), ",
        shown == k->window_entries ? "all" : absl::StrCat("the first ", shown),
        " listed."));
  }
  if (std::string c =
          Cut(total, timeline.rows.size(), "keys granted or revoked",
              "compromised, revoked, then latest granted");
      !c.empty())
    s.paragraphs.push_back(c);
  if (compromised > 0 && window.rows.empty())
    s.paragraphs.push_back(
        "No entry was signed inside a compromise window among the records.");
  s.tables.push_back(std::move(timeline));
  if (!window.rows.empty()) s.tables.push_back(std::move(window));
  (*data)["keys"] = {{"granted", granted},
                     {"revoked", revoked},
                     {"compromised", compromised},
                     {"keys_total", total},
                     {"listed", std::move(listed)}};
  return s;
}

}  // namespace ailedger::reports::verification
