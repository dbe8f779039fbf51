#include "reports/verification_facts.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "ledger/base/base64.h"
#include "ledger/governance/roles.h"

namespace ailedger::reports::verification {
namespace {

std::string IdBytes(const Hash& h) { return std::string(AsBytes(h)); }

PublicKey KeyFrom(const std::string& bytes) {
  PublicKey k{};
  if (bytes.size() == k.size())
    std::copy(bytes.begin(), bytes.end(), k.begin());
  return k;
}

// The role table version in force at `index` (VerifyReport::rule_versions).
uint32_t VersionAt(const VerifyReport& v, uint64_t index) {
  uint32_t version = kRoleTableVersion;
  for (const auto& [from, ver] : v.rule_versions) {
    if (from > index) break;
    version = ver;
  }
  return version;
}

KeyFacts& KeyEntry(Facts* f, const std::string& bytes) {
  KeyFacts& k = f->keys[bytes];
  k.key = KeyFrom(bytes);
  return k;
}

void NoteGrant(const Record& r, Facts* f) {
  const v1::Event& e = r.event;
  if (e.has_genesis()) {
    KeyFacts& k = KeyEntry(f, e.genesis().admin_public_key());
    k.name = e.genesis().admin_name();
    k.organisation = e.genesis().admin_organisation();
    k.roles = {v1::ROLE_ADMIN};
    k.granted = &r;
  } else if (e.has_key_granted()) {
    const v1::KeyGranted& g = e.key_granted();
    KeyFacts& k = KeyEntry(f, g.public_key());
    k.name = g.display_name();
    k.organisation = g.organisation();
    k.kind = g.kind();
    k.roles.clear();
    for (int role : g.roles()) k.roles.push_back(static_cast<v1::Role>(role));
    k.functions.assign(g.functions().begin(), g.functions().end());
    k.scope = !g.scope_system().empty() ? "system " + g.scope_system()
              : !g.scope_organisation().empty()
                  ? "organisation " + g.scope_organisation()
                  : "";
    k.granted = &r;
  } else if (e.has_key_revoked()) {
    KeyFacts& k = KeyEntry(f, e.key_revoked().public_key());
    k.revoked = &r;
    k.compromised_since_ms = e.key_revoked().compromised_since_ms();
  }
}

// Pass 1: keys, counts, the lists, and the ids later entries name.
void FirstPass(const std::vector<Record>& records, const VerifyReport& v,
               Facts* f, std::set<std::string>* wanted) {
  for (const Record& r : records) {
    const v1::Event& e = r.event;
    NoteGrant(r, f);
    KeyFacts& signer = KeyEntry(f, KeyBytes(r.signer));
    ++signer.entries;
    ++signer.types[e.event_type()];
    auto role = RequiredRole(e.event_type(), VersionAt(v, r.index));
    ++f->entries_by_role[role.ok() ? std::string(RoleName(*role)) : "unknown"];
    if (!e.supersedes().empty()) {
      f->corrections.push_back(&r);
      wanted->insert(e.supersedes());
    }
    if (e.has_retraction()) {
      f->retractions.push_back(&r);
      wanted->insert(e.retraction().retracts());
    }
    if (e.has_erasure()) {
      f->erasures.push_back(&r);
      wanted->insert(e.erasure().event_id());
    }
    if (e.has_approval()) {
      f->approvals.push_back(&r);
      wanted->insert(e.approval().approves());
    }
    const int64_t lag =
        static_cast<int64_t>(r.integrated_time_ms) - e.occurred_at_ms();
    if (lag > kLateAfterMs) f->late.push_back({lag, &r});
  }
}

// Pass 2: the named entries, and what each compromised key signed inside
// its window (known only once its revocation was read).
void SecondPass(const std::vector<Record>& records,
                const std::set<std::string>& wanted, Facts* f) {
  std::map<std::string, KeyFacts*> compromised;
  for (auto& [bytes, k] : f->keys)
    if (k.revoked != nullptr && k.compromised_since_ms > 0)
      compromised[bytes] = &k;
  for (const Record& r : records) {
    if (std::string id = IdBytes(r.event_id); wanted.contains(id))
      f->named[id] = &r;
    auto it = compromised.find(KeyBytes(r.signer));
    if (it == compromised.end()) continue;
    KeyFacts& k = *it->second;
    if (r.index >= k.revoked->index ||
        static_cast<int64_t>(r.integrated_time_ms) < k.compromised_since_ms)
      continue;
    ++k.window_entries;
    ++k.window_types[r.event.event_type()];
    if (k.window_shown.size() < kMaxRows) k.window_shown.push_back(&r);
  }
}

}  // namespace

Facts Gather(const std::vector<Record>& records, const VerifyReport& v) {
  Facts f;
  // The verifier's roster summary first: a ranged bundle's records need not
  // hold the grants of the keys that signed them.
  for (const SignerSummary& s : v.signers) {
    KeyFacts& k = KeyEntry(&f, KeyBytes(s.key));
    k.name = s.name;
    k.organisation = s.organisation;
    k.roles = s.roles;
    k.unexpected = s.unexpected;
  }
  std::set<std::string> wanted;
  FirstPass(records, v, &f, &wanted);
  SecondPass(records, wanted, &f);
  f.records = records.size();
  if (!records.empty()) {
    f.first = &records.front();
    f.last = &records.back();
  }
  return f;
}

std::string KeyBytes(const PublicKey& k) {
  return std::string(reinterpret_cast<const char*>(k.data()), k.size());
}

std::string Day(int64_t ms) {
  return absl::FormatTime("%Y-%m-%d", absl::FromUnixMillis(ms),
                          absl::UTCTimeZone());
}

std::string Iso(int64_t ms) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromUnixMillis(ms),
                          absl::UTCTimeZone());
}

std::string KindName(v1::KeyKind k) {
  switch (k) {
    case v1::KEY_KIND_PERSON:
      return "person";
    case v1::KEY_KIND_SERVICE_ACCOUNT:
      return "service account";
    default:
      return "kind not stated";
  }
}

std::string Who(const KeyFacts& k) {
  if (k.name.empty() && k.organisation.empty())
    return absl::StrCat("key ", Base64Encode(AsBytes(k.key)).substr(0, 12),
                        "... (not on the roster the records show)");
  return absl::StrCat(k.name, " (", k.organisation, ", ", KindName(k.kind),
                      ")");
}

const KeyFacts* KeyOf(const Facts& f, const std::string& key_bytes) {
  auto it = f.keys.find(key_bytes);
  return it == f.keys.end() ? nullptr : &it->second;
}

const KeyFacts* KeyOf(const Facts& f, const PublicKey& key) {
  return KeyOf(f, KeyBytes(key));
}

const Record* Named(const Facts& f, const std::string& id) {
  auto it = f.named.find(id);
  return it == f.named.end() ? nullptr : it->second;
}

const Record* AtIndex(const std::vector<Record>& records, uint64_t index) {
  auto it =
      std::lower_bound(records.begin(), records.end(), index,
                       [](const Record& r, uint64_t i) { return r.index < i; });
  return it != records.end() && it->index == index ? &*it : nullptr;
}

std::string Cut(size_t total, size_t shown, const std::string& what,
                const std::string& which) {
  if (total <= shown) return "";
  return absl::StrCat(total, " ", what, " in all: the ", shown, " ", which,
                      " are listed, the other ", total - shown,
                      " counted here only.");
}

std::string Counts(const std::map<std::string, uint64_t>& counts) {
  std::vector<std::string> parts;
  for (const auto& [name, n] : counts)
    parts.push_back(absl::StrCat(name, " ", n));
  return parts.empty() ? "none" : absl::StrJoin(parts, ", ");
}

}  // namespace ailedger::reports::verification
