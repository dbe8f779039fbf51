#include "server/sealed_data.h"

#include "absl/strings/str_cat.h"
#include "ailedger/event.pb.h"
#include "ledger/leaf.h"
#include "ledger/seal.h"
#include "ledger/storage/tree_reader.h"

namespace ailedger {

std::string ErasedKey(const Hash& event_id, uint32_t attachment) {
  return absl::StrCat("erased/", ToHex(event_id), ".", attachment);
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
  auto erased = store_->ReadMeta(ErasedKey(t->event_id, req.attachment()));
  if (!erased.ok()) return erased.status();
  if (erased->has_value())
    return absl::FailedPreconditionError("attachment: erased");
  auto plain = Unseal(req.key(), req.salt(), req.ciphertext(), t->commitment);
  if (!plain.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("ciphertext: does not open to the committed clear text: ",
                     plain.status().message()));
  }
  return sealed_->Put(t->event_id, req.attachment(),
                      {req.key(), req.salt(), req.ciphertext()});
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
  auto m = sealed_->Get(t->event_id, req.attachment());
  if (!m.ok()) return m.status();
  auto plain = Unseal(m->key, m->salt, m->ciphertext, t->commitment);
  if (!plain.ok()) return plain.status();
  v1::GetSealedResponse out;
  out.set_plaintext(*std::move(plain));
  out.set_salt(m->salt);
  return out;
}

}  // namespace ailedger
