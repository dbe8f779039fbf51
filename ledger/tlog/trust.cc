#include "ledger/tlog/trust.h"

#include <algorithm>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "ledger/tlog/note.h"

namespace ailedger {
namespace {

constexpr char kOutsideKeyWindow[] = "type.ailedger.dev/outside-key-window";

bool SameKey(const VerifierKey& a, const VerifierKey& b) {
  return a.type() == b.type() && a.public_key() == b.public_key() &&
         a.name() == b.name();
}

bool IsAmong(const VerifierKey& key, const std::vector<VerifierKey>& keys) {
  for (const VerifierKey& k : keys) {
    if (SameKey(key, k)) return true;
  }
  return false;
}

absl::Status CheckLogKeys(const std::vector<VerifierKey>& log_keys) {
  if (log_keys.empty()) {
    return absl::InvalidArgumentError(
        "checkpoint: no log key to check it against");
  }
  for (const VerifierKey& k : log_keys) {
    if (k.type() != kKeyTypeEd25519) {
      return absl::InvalidArgumentError(absl::StrCat(
          "checkpoint: log key '", k.name(), "' is not an Ed25519 (0x01) key"));
    }
  }
  return absl::OkStatus();
}

// Whether a signature line claims to be by one of the log keys (name and key
// ID): without one, "no log key signed it" says more than "no known key".
absl::Status CheckClaimsALogKey(absl::string_view note,
                                const std::vector<VerifierKey>& log_keys) {
  auto parsed = ParseNote(note);
  if (!parsed.ok()) return parsed.status();
  for (const NoteSignature& sig : parsed->signatures) {
    for (const VerifierKey& k : log_keys) {
      if (k.name() == sig.name && k.key_id() == sig.key_id)
        return absl::OkStatus();
    }
  }
  return absl::UnauthenticatedError(
      "checkpoint: not signed by any of the reader's log keys");
}

}  // namespace

bool IsOutsideKeyWindow(const absl::Status& s) {
  return s.GetPayload(kOutsideKeyWindow).has_value();
}

absl::Status MarkOutsideKeyWindow(absl::Status s) {
  if (!s.ok()) s.SetPayload(kOutsideKeyWindow, absl::Cord("1"));
  return s;
}

absl::StatusOr<LogKeyChain> ChainOf(const TrustAnchors& anchors) {
  LogKeyChain chain(anchors.log_keys);
  for (const LogKeyRotation& r : anchors.rotations) {
    if (auto s = chain.Rotate(r); !s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("checkpoint: ", s.message()));
    }
  }
  return chain;
}

absl::StatusOr<TrustedCheckpoint> OpenTrustedCheckpoint(
    absl::string_view note, const TrustAnchors& anchors) {
  const WitnessPolicy& policy = anchors.witness_policy;
  if (auto s = CheckLogKeys(anchors.log_keys); !s.ok()) return s;
  auto chain = ChainOf(anchors);
  if (!chain.ok()) return chain.status();
  const std::vector<VerifierKey> log_keys = chain->keys();
  if (auto s = CheckClaimsALogKey(note, log_keys); !s.ok()) return s;
  std::vector<VerifierKey> keys = log_keys;
  keys.insert(keys.end(), policy.witnesses.begin(), policy.witnesses.end());
  // Fails on a bad signature by any key named, as Go's note.Open does.
  auto opened = OpenNote(note, keys);
  if (!opened.ok()) return opened.status();
  std::vector<VerifierKey> signers;  // the log keys that signed
  TrustedCheckpoint out;
  for (const VerifiedSignature& v : opened->verified) {
    if (IsAmong(v.key, log_keys)) signers.push_back(v.key);
    if (!IsAmong(v.key, policy.witnesses)) continue;
    ++out.cosignatures;
    out.witness_times.emplace_back(v.key.name(), v.timestamp.value_or(0));
  }
  if (signers.empty()) {
    return absl::UnauthenticatedError(
        "checkpoint: not signed by any of the reader's log keys");
  }
  auto cp = ParseCheckpoint(opened->text);
  if (!cp.ok()) return cp.status();
  // A signature by a key outside its window counts for nothing: after the
  // overlap (or a compromise) the old key alone proves nothing.
  std::vector<std::string> valid;  // names of the log keys that may sign it
  for (const VerifierKey& k : signers) {
    if (chain->MaySign(k, cp->size)) valid.push_back(k.name());
  }
  if (valid.empty()) {
    return MarkOutsideKeyWindow(absl::UnauthenticatedError(
        absl::StrCat("checkpoint: size ", cp->size,
                     " is signed only by log keys that may not sign it: ",
                     chain->WhyNot(signers.front(), cp->size))));
  }
  if (std::find(valid.begin(), valid.end(), cp->origin) == valid.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("checkpoint: origin '", cp->origin,
                     "' is not the name of the log key that signed it ('",
                     valid.front(), "')"));
  }
  if (out.cosignatures < policy.quorum) {
    return absl::FailedPreconditionError(absl::StrCat(
        "witness quorum: expected ", policy.quorum,
        " cosignatures by the reader's witnesses, found ", out.cosignatures));
  }
  out.checkpoint = *std::move(cp);
  for (const NoteSignature& u : opened->unknown)
    out.unknown_signers.push_back(u.name);
  return out;
}

}  // namespace ailedger
