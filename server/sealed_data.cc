#include "server/sealed_data.h"

#include "absl/strings/str_cat.h"
#include "ailedger/event.pb.h"
#include "ledger/base/big_endian.h"
#include "ledger/governance/seal.h"
#include "ledger/storage/tree_reader.h"
#include "ledger/tlog/leaf.h"
#include "server/log.h"

namespace ailedger {

absl::Status SealedData::NotErased(const Hash& event_id,
                                   uint32_t attachment) const {
  auto marker = store_->ReadMeta(ErasedKey(event_id, attachment));
  if (!marker.ok()) return marker.status();
  if (!marker->has_value()) return absl::OkStatus();
  const std::string by =
      (*marker)->size() == 8
          ? absl::StrCat("the Erasure at index ", GetBigEndian64(**marker))
          : "an Erasure on the log";
  return absl::FailedPreconditionError(
      absl::StrCat("attachment: erased by ", by,
                   "; its sealed material is never served or stored again"));
}

absl::StatusOr<SealedData::Target> SealedData::Find(const std::string& event_id,
                                                    uint32_t attachment) const {
  if (sealed_ == nullptr) {
    return absl::FailedPreconditionError(
        "this server has no sealed store (--sealed-store)");
  }
  auto id = HashFromBytes(event_id, "event_id");
  if (!id.ok()) return id.status();
  auto index = store_->FindEvent(*id);
  if (!index.ok()) return index.status();
  if (!index->has_value())
    return absl::NotFoundError("event_id: no such event");
  auto state = store_->ReadTreeState();
  if (!state.ok()) return state.status();
  auto leaf_bytes = TreeReader(store_).Leaf(**index, *state);
  if (!leaf_bytes.ok()) return leaf_bytes.status();
  auto leaf = DecodeLeaf(*leaf_bytes);
  v1::Event e;
  if (!leaf.ok() || !e.ParseFromString(leaf->event_bytes)) {
    return absl::DataLossError("the event does not decode");
  }
  if (attachment >= static_cast<uint32_t>(e.sealed_size())) {
    return absl::InvalidArgumentError(
        "attachment: the event has no such sealed attachment");
  }
  auto commitment =
      HashFromBytes(e.sealed(attachment).commitment(), "commitment");
  if (!commitment.ok())
    return absl::DataLossError(commitment.status().message());
  return Target{leaf->signer, *id, *commitment};
}

absl::Status SealedData::Put(const PublicKey& caller,
                             const v1::PutSealedRequest& req) {
  auto t = Find(req.event_id(), req.attachment());
  if (!t.ok()) return t.status();
  if (t->author != caller) {
    return absl::PermissionDeniedError(
        "only the event's author puts its sealed material");
  }
  if (auto s = NotErased(t->event_id, req.attachment()); !s.ok()) return s;
  auto plain = Unseal(req.key(), req.salt(), req.ciphertext(), t->commitment);
  if (!plain.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("ciphertext: does not open to the committed clear text: ",
                     plain.status().message()));
  }
  // Checked again under the attachment's lock, which the Erase after a logged
  // Erasure also takes: the file is written before that erase, or not at all.
  return sealed_->Put(t->event_id, req.attachment(),
                      {req.key(), req.salt(), req.ciphertext()},
                      [&] { return NotErased(t->event_id, req.attachment()); });
}

// Material on disk after its Erasure (a restored backup, or a deletion that
// failed): never served; destroyed now, and the operator told.
void SealedData::DestroyLeftover(const Hash& event_id, uint32_t attachment) {
  absl::Status s = sealed_->Erase(event_id, attachment);
  Log(s.ok() ? LogLevel::kWarning : LogLevel::kError,
      absl::StrCat("sealed material of erased attachment ", ToHex(event_id),
                   ".", attachment,
                   " was on disk: ", s.ok() ? "destroyed" : s.message()),
      {{"event_id", ToHex(event_id)}, {"attachment", attachment}});
}

absl::StatusOr<v1::GetSealedResponse> SealedData::Get(
    const PublicKey& caller, bool privileged, const v1::GetSealedRequest& req) {
  auto t = Find(req.event_id(), req.attachment());
  if (!t.ok()) return t.status();
  if (!privileged && t->author != caller) {
    return absl::PermissionDeniedError(
        "sealed clear text is given only to admins, auditors and the event's "
        "author");
  }
  // The marker is read after the material: an Erasure logged before this
  // answer is sent is honoured, whatever the disk holds.
  auto m = sealed_->Get(t->event_id, req.attachment());
  if (auto erased = NotErased(t->event_id, req.attachment()); !erased.ok()) {
    if (m.ok()) DestroyLeftover(t->event_id, req.attachment());
    return erased;
  }
  if (!m.ok()) return m.status();
  auto plain = Unseal(m->key, m->salt, m->ciphertext, t->commitment);
  if (!plain.ok()) return plain.status();
  v1::GetSealedResponse out;
  out.set_plaintext(*std::move(plain));
  out.set_salt(m->salt);
  return out;
}

absl::StatusOr<int> SealedData::Sweep() {
  if (sealed_ == nullptr) return 0;
  return sealed_->Sweep(
      [this](const Hash& id, uint32_t n) -> absl::StatusOr<bool> {
        auto marker = store_->ReadMeta(ErasedKey(id, n));
        if (!marker.ok()) return marker.status();
        return marker->has_value();
      });
}

}  // namespace ailedger
