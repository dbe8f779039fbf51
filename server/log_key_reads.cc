#include "server/log_key_reads.h"

#include "absl/strings/str_cat.h"
#include "ailedger/event.pb.h"
#include "ledger/base/big_endian.h"
#include "ledger/storage/meta_keys.h"
#include "ledger/storage/tree_reader.h"
#include "ledger/tlog/tlog_proof.h"

namespace ailedger {
namespace {

absl::StatusOr<std::string> RotationProof(const LogStore& store,
                                          const TreeState& state,
                                          uint64_t index) {
  auto row = store.ReadMeta(LogKeyRotationKey(index));
  if (!row.ok()) return row.status();
  if (!row->has_value() || (*row)->size() != 8) {
    return absl::DataLossError(absl::StrCat(
        "store: no handover size for the LogKeyRotated at index ", index));
  }
  const uint64_t size = GetBigEndian64(**row);
  auto proven = TreeReader(&store).LeafWithProof(index, size, state);
  if (!proven.ok()) return proven.status();
  auto note = store.ReadCheckpoint(size);
  if (!note.ok()) return note.status();
  return FormatTlogProof({proven->leaf, index, proven->proof, *note});
}

}  // namespace

absl::StatusOr<LogKeysNow> ReadLogKeys(const LogStore& store) {
  auto bytes = store.ReadMeta(kRosterMetaKey);
  if (!bytes.ok()) return bytes.status();
  v1::RosterSnapshot roster;
  if (!bytes->has_value() || !roster.ParseFromString(**bytes)) {
    return absl::DataLossError("store: roster snapshot missing or unreadable");
  }
  LogKeysNow out;
  out.current_key = roster.genesis_log_key();
  if (roster.log_key_rotations().empty()) return out;
  auto state = store.ReadTreeState();
  if (!state.ok()) return state.status();
  for (const v1::LogKeyRotationAt& at : roster.log_key_rotations()) {
    out.current_key = at.rotated().new_log_verifier_key();
    auto proof = RotationProof(store, *state, at.index());
    if (!proof.ok()) return proof.status();
    out.rotation_proofs.push_back(*std::move(proof));
  }
  return out;
}

}  // namespace ailedger
