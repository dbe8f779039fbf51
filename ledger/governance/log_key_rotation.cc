#include "ledger/governance/log_key_rotation.h"

#include "absl/strings/str_cat.h"
#include "ledger/governance/canonical.h"
#include "ledger/governance/envelope.h"
#include "ledger/governance/event_signature.h"
#include "ledger/governance/event_types.h"
#include "ledger/merkle/verify.h"
#include "ledger/tlog/checkpoint.h"
#include "ledger/tlog/contexts.h"
#include "ledger/tlog/leaf.h"
#include "ledger/tlog/note.h"
#include "ledger/tlog/tlog_proof.h"

namespace ailedger {
namespace {

absl::Status Bad(absl::StatusCode code, absl::string_view why) {
  return absl::Status(code, absl::StrCat("key rotation proof: ", why));
}

// The proof's leaf as a LogKeyRotated of `origin` at `index`, with a valid
// author signature and body.
absl::StatusOr<LogKeyRotation> RotationInLeaf(const std::string& bytes,
                                              uint64_t index,
                                              absl::string_view origin) {
  auto leaf = DecodeLeaf(bytes);
  if (!leaf.ok() || leaf->index != index) {
    return Bad(absl::StatusCode::kInvalidArgument,
               "the extra line is not the leaf at the proof's index");
  }
  auto event = ParseCanonicalEvent(leaf->event_bytes);
  if (!event.ok() || event->event_type() != kLogKeyRotated ||
      !event->has_log_key_rotated()) {
    return Bad(absl::StatusCode::kInvalidArgument,
               absl::StrCat("leaf ", index, " is not a LogKeyRotated"));
  }
  if (!VerifyEventSignature(origin, leaf->event_bytes, leaf->signer,
                            AsBytes(leaf->signature))) {
    return Bad(absl::StatusCode::kUnauthenticated,
               absl::StrCat("the LogKeyRotated at index ", index,
                            " is not signed by its author"));
  }
  auto r = RotationOf(origin, index, event->log_key_rotated());
  if (!r.ok()) return Bad(r.status().code(), r.status().message());
  return r;
}

}  // namespace

v1::Event MakeLogKeyRotation(const SigningKey& new_key,
                             const LogKeyRotationParams& p) {
  v1::Event e = NewEvent(kLogKeyRotated, p.organisation, p.occurred_at_ms);
  v1::LogKeyRotated* r = e.mutable_log_key_rotated();
  r->set_new_log_verifier_key(new_key.verifier().ToString());
  r->set_overlap_entries(p.overlap_entries);
  if (p.compromised_since) r->set_compromised_since_size(*p.compromised_since);
  r->set_possession_signature(std::string(AsBytes(new_key.Sign(
      LogKeyPossessionMessage(p.origin, new_key.verifier().public_key())))));
  r->set_reason(p.reason);
  return e;
}

absl::StatusOr<LogKeyRotation> RotationOf(absl::string_view origin,
                                          uint64_t index,
                                          const v1::LogKeyRotated& body) {
  auto key = VerifierKey::Parse(body.new_log_verifier_key());
  if (!key.ok() || key->type() != kKeyTypeEd25519) {
    return absl::InvalidArgumentError(
        "log_key_rotated.new_log_verifier_key: a C2SP verifier key of type "
        "0x01 (Ed25519) expected");
  }
  if (key->name() != origin) {
    return absl::InvalidArgumentError(absl::StrCat(
        "log_key_rotated.new_log_verifier_key: named '", key->name(),
        "', not after this log's origin '", origin, "'"));
  }
  if (body.overlap_entries() == 0 ||
      body.overlap_entries() > kMaxOverlapEntries) {
    return absl::InvalidArgumentError(
        absl::StrCat("log_key_rotated.overlap_entries: 1 to ",
                     kMaxOverlapEntries, " entries"));
  }
  if (body.has_compromised_since_size() &&
      body.compromised_since_size() > index) {
    return absl::InvalidArgumentError(absl::StrCat(
        "log_key_rotated.compromised_since_size: ",
        body.compromised_since_size(), " is beyond the rotation's own index ",
        index, " (a compromise is declared for the past)"));
  }
  if (!Ed25519Verify(key->public_key(),
                     LogKeyPossessionMessage(origin, key->public_key()),
                     body.possession_signature())) {
    return absl::InvalidArgumentError(
        "log_key_rotated.possession_signature: does not verify for the new "
        "log key");
  }
  LogKeyRotation r{index, *std::move(key), body.overlap_entries()};
  if (body.has_compromised_since_size())
    r.compromised_since = body.compromised_since_size();
  return r;
}

absl::StatusOr<ProvenRotation> VerifyRotationProof(
    absl::string_view text, const TrustAnchors& anchors) {
  auto proof = ParseTlogProof(text);
  if (!proof.ok())
    return Bad(absl::StatusCode::kInvalidArgument, proof.status().message());
  if (proof->extra.empty()) {
    return Bad(absl::StatusCode::kInvalidArgument,
               "it carries no leaf (the extra line)");
  }
  // The old key's word: the handover opens under the keys followed so far.
  TrustAnchors any_quorum = anchors;
  any_quorum.witness_policy.quorum = 0;
  auto cp = OpenTrustedCheckpoint(proof->checkpoint, any_quorum);
  if (!cp.ok()) return Bad(cp.status().code(), cp.status().message());
  const Checkpoint& c = cp->checkpoint;
  auto rotation = RotationInLeaf(proof->extra, proof->index, c.origin);
  if (!rotation.ok()) return rotation.status();
  if (!anchors.rotations.empty() &&
      rotation->index <= anchors.rotations.back().index) {
    return Bad(absl::StatusCode::kFailedPrecondition,
               absl::StrCat("the rotation at index ", rotation->index,
                            " is not after the last one followed, at index ",
                            anchors.rotations.back().index));
  }
  // The new key's word: it signed the same handover.
  const VerifierKey& new_key = rotation->new_key;
  if (!OpenCheckpoint(proof->checkpoint, new_key).ok()) {
    return Bad(absl::StatusCode::kUnauthenticated,
               absl::StrCat("the checkpoint of size ", c.size,
                            " is not signed by the new key '",
                            new_key.ToString(), "' too (no handover)"));
  }
  const Hash leaf_hash = HashLeaf(proof->extra);
  if (auto s = VerifyInclusion(proof->index, c.size, leaf_hash, proof->hashes,
                               c.root);
      !s.ok()) {
    return Bad(absl::StatusCode::kInvalidArgument, s.message());
  }
  // The chain must take it (a key the log already left is refused).
  auto chain = ChainOf(anchors);
  if (!chain.ok()) return Bad(chain.status().code(), chain.status().message());
  if (auto s = chain->Rotate(*rotation); !s.ok())
    return Bad(s.code(), s.message());
  return ProvenRotation{*std::move(rotation), leaf_hash, c.size, c.root};
}

absl::StatusOr<TrustAnchors> FollowRotationProofs(
    const std::vector<std::string>& proofs, TrustAnchors anchors) {
  for (const std::string& text : proofs) {
    auto proven = VerifyRotationProof(text, anchors);
    if (proven.ok()) {
      anchors.rotations.push_back(proven->rotation);
      continue;
    }
    // Already followed: the same rotation, proven before.
    auto parsed = ParseTlogProof(text);
    bool known = false;
    for (const LogKeyRotation& r : anchors.rotations) {
      if (!parsed.ok() || r.index != parsed->index) continue;
      auto leaf = DecodeLeaf(parsed->extra);
      auto event = leaf.ok() ? ParseCanonicalEvent(leaf->event_bytes)
                             : absl::StatusOr<v1::Event>(leaf.status());
      known = event.ok() && event->log_key_rotated().new_log_verifier_key() ==
                                r.new_key.ToString();
    }
    if (!known) return proven.status();
  }
  return anchors;
}

}  // namespace ailedger
