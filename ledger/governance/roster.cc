#include "ledger/governance/roster.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "ledger/governance/event_types.h"
#include "ledger/governance/log_key_rotation.h"
#include "ledger/governance/roles.h"
#include "ledger/tlog/checkpoint.h"
#include "ledger/tlog/contexts.h"
#include "ledger/tlog/leaf.h"

namespace ailedger {
namespace {

PublicKey KeyOf(const std::string& bytes) {
  PublicKey k{};
  std::copy_n(bytes.begin(), std::min<size_t>(bytes.size(), 32), k.begin());
  return k;
}

bool HasRoleIn(const v1::RosterMember& m, v1::Role role) {
  const auto& roles = m.grant().roles();
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

// The chain from the genesis's key; an unreadable key starts it empty (such a
// log has no checkpoint any reader could open).
LogKeyChain ChainFrom(const std::string& genesis_log_key) {
  auto key = VerifierKey::Parse(genesis_log_key);
  return key.ok() ? LogKeyChain({*key}) : LogKeyChain();
}

}  // namespace

absl::StatusOr<Roster> Roster::FromSnapshot(const v1::RosterSnapshot& s) {
  Roster r(s.origin());
  r.next_index_ = s.next_index();
  r.role_table_version_ = s.role_table_version();
  r.genesis_log_key_ = s.genesis_log_key();
  r.log_keys_ = ChainFrom(r.genesis_log_key_);
  for (const v1::LogKeyRotationAt& at : s.log_key_rotations()) {
    auto rotation = RotationOf(r.origin_, at.index(), at.rotated());
    if (!rotation.ok()) return rotation.status();
    if (auto applied = r.log_keys_.Rotate(*rotation); !applied.ok())
      return applied;
    r.rotations_.push_back(at);
  }
  for (const auto& m : s.members()) {
    auto key = PublicKeyFromBytes(m.grant().public_key(), "roster member");
    if (!key.ok()) return key.status();
    r.members_[*key] = m;
  }
  return r;
}

v1::RosterSnapshot Roster::ToSnapshot() const {
  v1::RosterSnapshot s;
  s.set_next_index(next_index_);
  s.set_origin(origin_);
  s.set_role_table_version(role_table_version_);
  for (const auto& [key, m] : members_) *s.add_members() = m;
  s.set_genesis_log_key(genesis_log_key_);
  for (const auto& at : rotations_) *s.add_log_key_rotations() = at;
  return s;
}

const v1::RosterMember* Roster::Find(const PublicKey& key) const {
  auto it = members_.find(key);
  return it == members_.end() ? nullptr : &it->second;
}

const v1::RosterMember* Roster::FindActive(const PublicKey& key) const {
  const v1::RosterMember* m = Find(key);
  return m && m->revoked_at() == 0 ? m : nullptr;
}

bool Roster::HasRole(const PublicKey& key, v1::Role role) const {
  const v1::RosterMember* m = FindActive(key);
  return m && HasRoleIn(*m, role);
}

size_t Roster::active_admins() const {
  return std::count_if(members_.begin(), members_.end(), [](const auto& kv) {
    return kv.second.revoked_at() == 0 && HasRoleIn(kv.second, v1::ROLE_ADMIN);
  });
}

bool Roster::HasOrganisation(const std::string& organisation) const {
  return std::any_of(members_.begin(), members_.end(), [&](const auto& kv) {
    return kv.second.grant().organisation() == organisation;
  });
}

absl::Status Roster::CheckGenesis(const PublicKey& signer,
                                  const v1::Event& e) const {
  if (next_index_ != 0) {
    return absl::FailedPreconditionError(
        "Genesis: only entry 0 can be genesis");
  }
  if (e.event_type() != "Genesis" || !e.has_genesis()) {
    return absl::InvalidArgumentError(
        "event_type: entry 0 must be a Genesis event with its body");
  }
  const v1::Genesis& g = e.genesis();
  if (g.origin() != origin_) {
    return absl::InvalidArgumentError(
        absl::StrCat("genesis.origin: '", g.origin(),
                     "' is not this log's origin '", origin_, "'"));
  }
  if (g.admin_public_key().size() != 32 ||
      KeyOf(g.admin_public_key()) != signer) {
    return absl::InvalidArgumentError(
        "genesis.admin_public_key: genesis must be signed by the admin it "
        "names");
  }
  if (g.leaf_version() != kLeafVersion ||
      !IsKnownRoleTableVersion(g.role_table_version())) {
    return absl::InvalidArgumentError(
        "genesis.leaf_version/role_table_version: unsupported version");
  }
  return CheckPredecessor(g);
}

// A successor log (server/restore.h) names its predecessor: another origin
// and a checkpoint of it. Only the form is checked here; the predecessor's
// key is not the successor's to know (restore checks the signature).
absl::Status Roster::CheckPredecessor(const v1::Genesis& g) {
  if (g.predecessor_origin().empty() && g.predecessor_checkpoint().empty()) {
    return absl::OkStatus();
  }
  if (g.predecessor_origin() == g.origin()) {
    return absl::InvalidArgumentError(
        "genesis.predecessor_origin: a successor log needs an origin of its "
        "own");
  }
  auto note = ParseNote(g.predecessor_checkpoint());
  auto cp = note.ok() ? ParseCheckpoint(note->text)
                      : absl::StatusOr<Checkpoint>(note.status());
  if (!cp.ok() || note->signatures.empty() ||
      cp->origin != g.predecessor_origin()) {
    return absl::InvalidArgumentError(
        "genesis.predecessor_checkpoint: must be a signed checkpoint of "
        "predecessor_origin");
  }
  return absl::OkStatus();
}

absl::Status Roster::CheckGrant(const v1::KeyGranted& g) const {
  auto key = PublicKeyFromBytes(g.public_key(), "key_granted.public_key");
  if (!key.ok()) return key.status();
  if (Find(*key) != nullptr) {
    return absl::FailedPreconditionError(
        "key_granted.public_key: this key is or was already on the roster");
  }
  if (g.roles().empty()) {
    return absl::InvalidArgumentError("key_granted.roles: at least one role");
  }
  if (g.kind() == v1::KEY_KIND_UNSPECIFIED) {
    return absl::InvalidArgumentError(
        "key_granted.kind: person or service account");
  }
  if (g.display_name().empty() || g.organisation().empty()) {
    return absl::InvalidArgumentError(
        "key_granted.display_name/organisation: required");
  }
  if (!Ed25519Verify(*key, KeyPossessionMessage(origin_, *key),
                     g.possession_signature())) {
    return absl::InvalidArgumentError(
        "key_granted.possession_signature: does not verify for the granted "
        "key");
  }
  return absl::OkStatus();
}

absl::Status Roster::CheckRevoke(const v1::KeyRevoked& r) const {
  auto key = PublicKeyFromBytes(r.public_key(), "key_revoked.public_key");
  if (!key.ok()) return key.status();
  const v1::RosterMember* m = FindActive(*key);
  if (m == nullptr) {
    return absl::FailedPreconditionError(
        "key_revoked.public_key: not an active key on the roster");
  }
  if (HasRoleIn(*m, v1::ROLE_ADMIN) && active_admins() == 1) {
    return absl::FailedPreconditionError(
        "key_revoked.public_key: the last admin cannot be revoked");
  }
  return absl::OkStatus();
}

absl::Status Roster::CheckScope(const v1::RosterMember& m,
                                const v1::Event& e) const {
  const v1::KeyGranted& g = m.grant();
  if (!g.scope_organisation().empty() &&
      e.organisation() != g.scope_organisation()) {
    return absl::PermissionDeniedError(absl::StrCat(
        "organisation: key is scoped to '", g.scope_organisation(), "'"));
  }
  // Scoped or not, a key writes in its own organisation's name only (roles.h),
  // in logs of role table version 2 or later.
  if (AppliesVersion2Rules(role_table_version_) &&
      NamesSignersOrganisation(e.event_type()) &&
      e.organisation() != g.organisation()) {
    return absl::PermissionDeniedError(absl::StrCat(
        "organisation: '", e.organisation(),
        "' is not the signer's organisation '", g.organisation(), "'"));
  }
  if (g.scope_system().empty()) return absl::OkStatus();
  bool names_system = false;
  for (const auto& s : e.subjects()) {
    if (s.kind() != "system") continue;
    if (s.id() != g.scope_system()) {
      return absl::PermissionDeniedError(absl::StrCat(
          "subjects: key is scoped to system '", g.scope_system(), "'"));
    }
    names_system = true;
  }
  if (!names_system) {
    return absl::PermissionDeniedError(
        absl::StrCat("subjects: key is scoped to system '", g.scope_system(),
                     "' and the event names none"));
  }
  return absl::OkStatus();
}

namespace {

// The oneof body, when set, must be the body of the event's own type: its
// message is named like the type.
absl::Status CheckBodyMatchesType(const v1::Event& e) {
  if (e.body_case() == v1::Event::BODY_NOT_SET) return absl::OkStatus();
  const auto* field = v1::Event::descriptor()->FindFieldByNumber(e.body_case());
  const std::string& type = field->message_type()->name();
  if (e.event_type() == type) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "event_type: a ", e.event_type(), " cannot carry the body of a ", type));
}

}  // namespace

absl::Status Roster::Check(const PublicKey& signer, const v1::Event& e) const {
  if (auto s = CheckBodyMatchesType(e); !s.ok()) return s;
  if (e.event_type() == "Genesis" || next_index_ == 0) {
    return CheckGenesis(signer, e);
  }
  auto role = RequiredRole(e.event_type(), role_table_version_);
  if (!role.ok()) return role.status();
  const v1::RosterMember* m = FindActive(signer);
  if (m == nullptr) {
    return absl::UnauthenticatedError(Find(signer)
                                          ? "signer: key has been revoked"
                                          : "signer: key is not on the roster");
  }
  if (!HasRoleIn(*m, *role)) {
    return absl::PermissionDeniedError(absl::StrCat(
        "signer: ", e.event_type(), " needs the ", RoleName(*role), " role"));
  }
  if (auto s = CheckScope(*m, e); !s.ok()) return s;
  if (e.event_type() == "Approval" &&
      m->grant().kind() == v1::KEY_KIND_SERVICE_ACCOUNT) {
    return absl::PermissionDeniedError(
        "signer: service accounts never approve (segregation of duties)");
  }
  if (e.event_type() == "KeyGranted") {
    if (!e.has_key_granted())
      return absl::InvalidArgumentError("key_granted: body is missing");
    return CheckGrant(e.key_granted());
  }
  if (e.event_type() == "KeyRevoked") {
    if (!e.has_key_revoked())
      return absl::InvalidArgumentError("key_revoked: body is missing");
    return CheckRevoke(e.key_revoked());
  }
  if (e.event_type() == kRulesVersionAdopted) return CheckAdoption(e);
  if (e.event_type() == kLogKeyRotated) return CheckLogKeyRotation(e);
  return absl::OkStatus();
}

// For this origin, with its possession signature (RotationOf), to a key that
// never signed for this log: a log never goes back to a key it left, so a
// checkpoint by an old key is never again a current one.
absl::Status Roster::CheckLogKeyRotation(const v1::Event& e) const {
  if (!e.has_log_key_rotated())
    return absl::InvalidArgumentError("log_key_rotated: body is missing");
  auto rotation = RotationOf(origin_, next_index_, e.log_key_rotated());
  if (!rotation.ok()) return rotation.status();
  if (log_keys_.FindPublicKey(rotation->new_key.public_key()) != nullptr) {
    return absl::FailedPreconditionError(
        "log_key_rotated.new_log_verifier_key: this key is or was already a "
        "key of this log");
  }
  LogKeyChain next = log_keys_;
  return next.Rotate(*rotation);
}

void Roster::ApplyLogKeyRotation(const v1::LogKeyRotated& body) {
  auto rotation = RotationOf(origin_, next_index_, body);
  if (!rotation.ok() || !log_keys_.Rotate(*rotation).ok()) return;  // checked
  v1::LogKeyRotationAt at;
  at.set_index(next_index_);
  *at.mutable_rotated() = body;
  rotations_.push_back(std::move(at));
}

// A later version the software knows: rules are only ever tightened, and an
// entry is always judged by the version in force at its index.
absl::Status Roster::CheckAdoption(const v1::Event& e) const {
  const uint32_t v = e.rules_version_adopted().role_table_version();
  if (!IsKnownRoleTableVersion(v)) {
    return absl::InvalidArgumentError(
        absl::StrCat("rules_version_adopted.role_table_version: ", v,
                     " is not a version this software knows (at most ",
                     kRoleTableVersion, ")"));
  }
  if (v <= role_table_version_) {
    return absl::FailedPreconditionError(absl::StrCat(
        "rules_version_adopted.role_table_version: ", v,
        " is not above the version in force, ", role_table_version_));
  }
  return absl::OkStatus();
}

absl::Status Roster::Apply(const PublicKey& signer, const v1::Event& e) {
  if (auto s = Check(signer, e); !s.ok()) return s;
  if (e.event_type() == "Genesis") {
    role_table_version_ = e.genesis().role_table_version();
    v1::RosterMember admin;
    auto* g = admin.mutable_grant();
    g->set_public_key(e.genesis().admin_public_key());
    g->set_display_name(e.genesis().admin_name());
    g->set_organisation(e.genesis().admin_organisation().empty()
                            ? e.organisation()
                            : e.genesis().admin_organisation());
    g->set_kind(v1::KEY_KIND_PERSON);
    g->add_roles(v1::ROLE_ADMIN);
    members_[signer] = admin;
    genesis_log_key_ = e.genesis().log_verifier_key();
    log_keys_ = ChainFrom(genesis_log_key_);
  } else if (e.event_type() == "KeyGranted") {
    v1::RosterMember m;
    *m.mutable_grant() = e.key_granted();
    m.set_granted_at(next_index_);
    members_[KeyOf(e.key_granted().public_key())] = m;
  } else if (e.event_type() == "KeyRevoked") {
    v1::RosterMember& m = members_[KeyOf(e.key_revoked().public_key())];
    m.set_revoked_at(next_index_);
    m.set_compromised_since_ms(e.key_revoked().compromised_since_ms());
  } else if (e.event_type() == kRulesVersionAdopted) {
    role_table_version_ = e.rules_version_adopted().role_table_version();
  } else if (e.event_type() == kLogKeyRotated) {
    ApplyLogKeyRotation(e.log_key_rotated());
  }
  ++next_index_;
  return absl::OkStatus();
}

}  // namespace ailedger
