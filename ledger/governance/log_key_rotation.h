// LogKeyRotated events, and the rotation proofs that let a reader follow them
// from the log key it pinned (docs/ARCHITECTURE.md, "Log key rotation").
//
// A rotation proof is the C2SP tlog-proof of a LogKeyRotated leaf (the leaf's
// bytes in its extra line) in the first checkpoint after it, which the log
// signs with its old and its new key: the handover. It is the receipt the
// server answers the LogKeyRotated's append with, and what GetLogInfo serves,
// export writes into a bundle (record 9), export-tiles beside the tiles, and
// the witness submitter posts to a witness that does not know the new key.
//
// A reader holding only the old key checks it like this: the checkpoint opens
// under the keys it follows so far (the old key's signature; no witness quorum,
// since the handover is rarely cosigned: the checkpoints the reader trusts
// afterwards must meet its quorum), the new key's signature on it verifies,
// the leaf is included at its index, the event is a LogKeyRotated of this
// origin with a valid author signature and body (RotationOf). The old key
// thereby vouches that the log holds the rotation. What it cannot check
// without the roster is that an admin signed it: the bundle verifier and
// `monitor`, which replay the roster, do.
#ifndef AILEDGER_LEDGER_GOVERNANCE_LOG_KEY_ROTATION_H_
#define AILEDGER_LEDGER_GOVERNANCE_LOG_KEY_ROTATION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ailedger/event.pb.h"
#include "ledger/merkle/hash.h"
#include "ledger/tlog/keys.h"
#include "ledger/tlog/log_key_chain.h"
#include "ledger/tlog/trust.h"

namespace ailedger {

struct LogKeyRotationParams {
  std::string origin;        // the log
  std::string organisation;  // the admin's, the event's organisation
  uint64_t overlap_entries = 0;
  std::optional<uint64_t> compromised_since;  // a tree size
  std::string reason;
  int64_t occurred_at_ms = 0;  // 0: unset
};

// The LogKeyRotated moving the log to `new_key`, with the possession signature
// made by `new_key`; an admin's key signs the event.
v1::Event MakeLogKeyRotation(const SigningKey& new_key,
                             const LogKeyRotationParams& p);

// The body's own checks, for the log `origin` and the event's `index`: the
// new key is a C2SP verifier key of type 0x01 named `origin`, the overlap is
// 1 to kMaxOverlapEntries entries, compromised_since_size is at most `index`,
// and the possession signature verifies for the new key. INVALID_ARGUMENT
// naming the field. The rotation it states.
absl::StatusOr<LogKeyRotation> RotationOf(absl::string_view origin,
                                          uint64_t index,
                                          const v1::LogKeyRotated& body);

struct ProvenRotation {
  LogKeyRotation rotation;
  Hash leaf_hash{};
  uint64_t handover_size = 0;  // the size of the proof's checkpoint
  Hash handover_root{};
};

// Checks a rotation proof under `anchors` (the rotations proven so far; the
// proof's must come after them) as above. INVALID_ARGUMENT for a malformed
// proof or event, UNAUTHENTICATED for a signature that fails or is missing,
// FAILED_PRECONDITION for a rotation that does not follow the chain; each
// message starts "key rotation proof: ".
absl::StatusOr<ProvenRotation> VerifyRotationProof(absl::string_view proof,
                                                   const TrustAnchors& anchors);

// Follows `proofs`, in order, from `anchors`: each is checked under the
// rotations before it and then added. A proof of a rotation `anchors`
// already holds (the same index and key) is skipped. The anchors followed.
absl::StatusOr<TrustAnchors> FollowRotationProofs(
    const std::vector<std::string>& proofs, TrustAnchors anchors);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_GOVERNANCE_LOG_KEY_ROTATION_H_
