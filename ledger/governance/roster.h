// The roster: which keys may sign which events at which index
// (docs/ARCHITECTURE.md, "Identity, roles and the roster"). The roster for
// index i is the result of entries [0, i); Apply moves it past one entry. The
// sequencer and the offline verifier run the same code.
//
// clang-format off
//   index 0   Genesis, signed by the admin key it names, for this origin
//   grants    KeyGranted by an admin, with the granted key's possession signature
//   revokes   KeyRevoked by an admin; the last active admin cannot be revoked
//   others    the signer is active, holds RequiredRole(event_type), is within its
//             scope and, but for the admin's events, names its own roster
//             organisation as the event's organisation (NamesSignersOrganisation;
//             where role table version 2 or later is in force)
//   adoption  RulesVersionAdopted by an admin raises the version in force
//   log key   LogKeyRotated by an admin, for this origin, to a key that never
//             signed for this log, with its possession signature
//             (log_key_rotation.h)
// clang-format on
//
// The roster carries the role table version in force at its index (roles.h):
// the genesis names it and a RulesVersionAdopted raises it from the next index
// on. It is the one place the sequencer and the offline verifier ask which
// version's rules of state apply to an entry.
//
// The roster also keeps the chain of log keys (ledger/tlog/log_key_chain.h):
// the genesis's log key, then each LogKeyRotated. The server signs by it; a
// reader follows its own chain from the key it pinned.
//
// Thread-compatible.
#ifndef AILEDGER_LEDGER_GOVERNANCE_ROSTER_H_
#define AILEDGER_LEDGER_GOVERNANCE_ROSTER_H_

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "ailedger/event.pb.h"
#include "ledger/tlog/keys.h"
#include "ledger/tlog/log_key_chain.h"

namespace ailedger {

class Roster {
 public:
  explicit Roster(std::string origin) : origin_(std::move(origin)) {}

  // Restores a roster saved with ToSnapshot. INVALID_ARGUMENT on a malformed
  // snapshot.
  static absl::StatusOr<Roster> FromSnapshot(
      const v1::RosterSnapshot& snapshot);
  v1::RosterSnapshot ToSnapshot() const;

  // Checks that `signer` may write `event` at next_index() without changing
  // anything: UNAUTHENTICATED for an unknown or revoked key, PERMISSION_DENIED
  // for a missing role or an event outside the key's scope, INVALID_ARGUMENT /
  // FAILED_PRECONDITION for a roster event that cannot apply (each message
  // names the field or rule).
  absl::Status Check(const PublicKey& signer, const v1::Event& event) const;

  // Check, then apply the event as entry next_index() and advance.
  absl::Status Apply(const PublicKey& signer, const v1::Event& event);

  // The active member holding `key`, or nullptr.
  const v1::RosterMember* FindActive(const PublicKey& key) const;
  // Any member that ever held `key` (active or revoked), or nullptr.
  const v1::RosterMember* Find(const PublicKey& key) const;
  bool HasRole(const PublicKey& key, v1::Role role) const;

  uint64_t next_index() const { return next_index_; }
  // After restoring a snapshot saved at an earlier index: later entries changed
  // no keys.
  void AdvanceTo(uint64_t index) { next_index_ = std::max(next_index_, index); }
  const std::string& origin() const { return origin_; }
  size_t active_admins() const;
  // Whether any key, active or revoked, was granted to `organisation`.
  bool HasOrganisation(const std::string& organisation) const;

  // The role table version the log's genesis names; 0 before the genesis.
  uint32_t role_table_version() const { return role_table_version_; }

  // The log's keys: the genesis's, then each rotation's (empty before the
  // genesis, or when the genesis names no readable key).
  const LogKeyChain& log_keys() const { return log_keys_; }

 private:
  absl::Status CheckGenesis(const PublicKey& signer, const v1::Event& e) const;
  static absl::Status CheckPredecessor(const v1::Genesis& g);
  absl::Status CheckGrant(const v1::KeyGranted& grant) const;
  absl::Status CheckRevoke(const v1::KeyRevoked& revoke) const;
  absl::Status CheckAdoption(const v1::Event& e) const;
  absl::Status CheckLogKeyRotation(const v1::Event& e) const;
  void ApplyLogKeyRotation(const v1::LogKeyRotated& body);
  absl::Status CheckScope(const v1::RosterMember& m, const v1::Event& e) const;

  std::string origin_;
  uint64_t next_index_ = 0;
  uint32_t role_table_version_ = 0;
  std::map<PublicKey, v1::RosterMember> members_;
  std::string genesis_log_key_;
  std::vector<v1::LogKeyRotationAt> rotations_;
  LogKeyChain log_keys_;
};

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_GOVERNANCE_ROSTER_H_
