// Opening a checkpoint under the reader's trust: the one place where a signed
// checkpoint is checked against the log keys the reader names and the
// reader's own witness policy (the bundle verifier, the tile-directory check,
// `verify-proof` and `monitor` all call it).
//
// A checkpoint is trusted when (C2SP signed-note v1.0.0, tlog-checkpoint
// v1.0.0, tlog-cosignature v1.0.1):
//   - it is a well-formed note and checkpoint, within kMaxNoteSize;
//   - a log key that may sign its size signed it (the reader's keys, followed
//     through the proven rotations: log_key_chain.h), and that key's name is
//     the origin;
//   - no signature by a key the reader named fails to verify;
//   - at least `quorum` of the policy's witnesses cosigned it.
// Signatures by keys the reader did not name are not checked; their names are
// returned so that a caller can warn (a witness missing from the policy).
// Thread-safe free function.
#ifndef AILEDGER_LEDGER_TLOG_TRUST_H_
#define AILEDGER_LEDGER_TLOG_TRUST_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ledger/tlog/checkpoint.h"
#include "ledger/tlog/keys.h"
#include "ledger/tlog/log_key_chain.h"
#include "ledger/tlog/witness_policy.h"

namespace ailedger {

// What the reader trusts a log's checkpoints by.
struct TrustAnchors {
  // The log's Ed25519 (0x01) keys the reader pinned, named after its origin:
  // one, or several (any one of them suffices until a rotation closes it).
  std::vector<VerifierKey> log_keys;
  // The reader's witnesses and how many of them must cosign.
  WitnessPolicy witness_policy;
  // The log's key rotations the reader has proven, in index order, followed
  // from log_keys (log_key_chain.h).
  std::vector<LogKeyRotation> rotations = {};
};

struct TrustedCheckpoint {
  Checkpoint checkpoint;
  // Cosignatures by distinct witnesses of the policy (at least its quorum).
  size_t cosignatures = 0;
  // Names on signature lines by keys the reader did not name, in note order.
  std::vector<std::string> unknown_signers;
  // Each cosignature by a witness of the policy: its name and time (Unix
  // seconds, tlog-cosignature v1): the checkpoint existed no later than that.
  std::vector<std::pair<std::string, uint64_t>> witness_times;
};

// Opens `note` under `anchors`. The most specific code, naming what failed:
//   INVALID_ARGUMENT     no log key given, a log key that is not Ed25519, a
//                        malformed or oversized note or checkpoint, an origin
//                        that is not the signing key's name;
//   UNAUTHENTICATED      no log key signed it, or a signature by a key the
//                        reader named does not verify, or the only log keys
//                        that signed it may not sign its size (a key the log
//                        rotated away from, after its overlap or compromise;
//                        a key before the rotation to it);
//   FAILED_PRECONDITION  fewer cosignatures by the policy's witnesses than its
//                        quorum ("witness quorum: expected N ..., found M").
absl::StatusOr<TrustedCheckpoint> OpenTrustedCheckpoint(
    absl::string_view note, const TrustAnchors& anchors);

// Whether OpenTrustedCheckpoint refused `s` only because the log keys that
// signed the checkpoint may not sign its size (a key after its overlap or
// compromise, or before the rotation to it); the mark survives a caller that
// keeps the status's payloads.
bool IsOutsideKeyWindow(const absl::Status& s);
absl::Status MarkOutsideKeyWindow(absl::Status s);

// The chain of log keys the anchors describe. INVALID_ARGUMENT when a
// rotation does not apply to the pinned keys.
absl::StatusOr<LogKeyChain> ChainOf(const TrustAnchors& anchors);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_TLOG_TRUST_H_
