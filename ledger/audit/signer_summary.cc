#include "ledger/audit/signer_summary.h"

#include "absl/strings/str_cat.h"
#include "ledger/governance/roles.h"

namespace ailedger {
namespace {

bool Matters(v1::Role role) {
  return role == v1::ROLE_ADMIN || role == v1::ROLE_AUDITOR;
}

bool Expected(const SignerSummary& s, const VerifyOptions& o) {
  for (v1::Role role : s.roles) {
    if (!Matters(role)) continue;
    bool ok =
        role == v1::ROLE_ADMIN && o.admin && o.admin->public_key() == s.key;
    for (const auto& [r, k] : o.expected) ok |= r == role && k == s.key;
    if (!ok) return false;
  }
  return true;
}

}  // namespace

absl::Status CheckGrantIsExpected(const VerifyOptions& o, const v1::Event& e) {
  if (e.event_type() != "KeyGranted") return absl::OkStatus();
  for (int r : e.key_granted().roles()) {
    const auto role = static_cast<v1::Role>(r);
    if (!Matters(role)) continue;
    bool named = role == v1::ROLE_ADMIN && o.admin.has_value(), listed = false;
    for (const auto& [er, key] : o.expected) {
      if (er != role) continue;
      named = true;
      listed |= AsBytes(key) == e.key_granted().public_key();
    }
    if (named && !listed) {
      return absl::PermissionDeniedError(
          absl::StrCat("grants the ", RoleName(role),
                       " role to a key not among the reader's expected keys "
                       "for it"));
    }
  }
  return absl::OkStatus();
}

std::vector<SignerSummary> SummariseSigners(
    const Roster& roster, const std::map<PublicKey, uint64_t>& entries,
    const VerifyOptions& o) {
  std::map<PublicKey, uint64_t> all = entries;
  const v1::RosterSnapshot snapshot = roster.ToSnapshot();
  for (const auto& m : snapshot.members()) {
    for (int r : m.grant().roles()) {
      auto key = PublicKeyFromBytes(m.grant().public_key(), "member");
      if (Matters(static_cast<v1::Role>(r)) && key.ok())
        all.try_emplace(*key, 0);
    }
  }
  std::vector<SignerSummary> out;
  for (const auto& [key, count] : all) {
    SignerSummary s;
    s.key = key;
    s.entries = count;
    if (const v1::RosterMember* m = roster.Find(key)) {
      s.name = m->grant().display_name();
      s.organisation = m->grant().organisation();
      for (int r : m->grant().roles())
        s.roles.push_back(static_cast<v1::Role>(r));
    }
    s.unexpected = !Expected(s, o);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace ailedger
