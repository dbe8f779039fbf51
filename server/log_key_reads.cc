#include "server/log_key_reads.h"

#include "absl/strings/str_cat.h"
#include "ailedger/event.pb.h"
#include "ledger/base/big_endian.h"
#include "ledger/storage/meta_keys.h"
#include "ledger/storage/tree_reader.h"
#include "ledger/tlog/leaf.h"
#include "ledger/tlog/tlog_proof.h"

namespace ailedger {
namespace {

// The rotation proof of the LogKeyRotated at `index`, whose handover is the
// checkpoint of `size`; its new key in *key.
absl::StatusOr<std::string> RotationProof(const LogStore& store,
                                          const TreeState& state,
                                          uint64_t index, uint64_t size,
                                          std::string* key) {
  auto proven = TreeReader(&store).LeafWithProof(index, size, state);
  if (!proven.ok()) return proven.status();
  auto leaf = DecodeLeaf(proven->leaf);
  v1::Event event;
  if (!leaf.ok() || !event.ParseFromString(leaf->event_bytes) ||
      !event.has_log_key_rotated()) {
    return absl::DataLossError(absl::StrCat(
        "store: leaf ", index, " is not the LogKeyRotated its row names"));
  }
  *key = event.log_key_rotated().new_log_verifier_key();
  auto note = store.ReadCheckpoint(size);
  if (!note.ok()) return note.status();
  return FormatTlogProof({proven->leaf, index, proven->proof, *note});
}

}  // namespace

absl::StatusOr<LogKeysNow> ReadLogKeys(const LogStore& store) {
  // One row per rotation (meta_keys.h): a log that never rotated costs a
  // seek.
  auto rows =
      store.ScanMeta(kLogKeyRotationPrefix,
                     absl::StrCat(kLogKeyRotationPrefix, "\xff"), 1 << 16);
  if (!rows.ok()) return rows.status();
  LogKeysNow out;
  if (rows->empty()) return out;
  auto state = store.ReadTreeState();
  if (!state.ok()) return state.status();
  const size_t prefix = std::string(kLogKeyRotationPrefix).size();
  for (const auto& [key, value] : *rows) {
    if (key.size() != prefix + 8 || value.size() != 8) {
      return absl::DataLossError(
          absl::StrCat("store: a malformed ", kLogKeyRotationPrefix, " row"));
    }
    auto proof = RotationProof(
        store, *state, GetBigEndian64(absl::string_view(key).substr(prefix)),
        GetBigEndian64(value), &out.current_key);
    if (!proof.ok()) return proof.status();
    out.rotation_proofs.push_back(*std::move(proof));
  }
  return out;
}

}  // namespace ailedger
