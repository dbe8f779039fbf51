#include "ledger/storage/stored_roster.h"

#include "absl/strings/str_cat.h"
#include "ledger/storage/meta_keys.h"
#include "ledger/tlog/leaf.h"

namespace ailedger {
namespace {

// The genesis at index 0.
absl::StatusOr<v1::Genesis> StoredGenesis(const LogStore& store) {
  auto bytes = store.ReadLeaf(0);
  if (!bytes.ok()) return bytes.status();
  auto leaf = DecodeLeaf(*bytes);
  v1::Event genesis;
  if (!leaf.ok() || !genesis.ParseFromString(leaf->event_bytes) ||
      !genesis.has_genesis()) {
    return absl::DataLossError("store: leaf 0 is not a readable genesis");
  }
  return genesis.genesis();
}

}  // namespace

absl::StatusOr<Roster> LoadRoster(const LogStore& store,
                                  const TreeState& state) {
  auto bytes = store.ReadMeta(kRosterMetaKey);
  if (!bytes.ok()) return bytes.status();
  v1::RosterSnapshot snapshot;
  if (!bytes->has_value() || !snapshot.ParseFromString(**bytes)) {
    return absl::DataLossError("store: roster snapshot missing or unreadable");
  }
  auto genesis = StoredGenesis(store);
  if (!genesis.ok()) return genesis.status();
  auto version = genesis->role_table_version();
  // A snapshot saved before it carried the chain of log keys: none was
  // rotated then, the genesis names the one key.
  if (snapshot.genesis_log_key().empty())
    snapshot.set_genesis_log_key(genesis->log_verifier_key());
  // A snapshot saved before it carried the version has none: the genesis says.
  if (snapshot.role_table_version() == 0) {
    snapshot.set_role_table_version(version);
  } else if (snapshot.role_table_version() < version) {
    return absl::DataLossError(absl::StrCat(
        "store: the roster snapshot names role table version ",
        snapshot.role_table_version(), " but the genesis names ", version));
  }
  auto roster = Roster::FromSnapshot(snapshot);
  if (!roster.ok()) return roster.status();
  roster->AdvanceTo(state.size);
  return roster;
}

}  // namespace ailedger
