// The ROTATION records of a bundle (docs/BUNDLE.md, record 9): for each
// LogKeyRotated the replay met, the proof that the key the reader follows
// handed the log over (ledger/governance/log_key_rotation.h), tied to the
// bundle's tree by a consistency proof from the handover to its checkpoint.
// The replay has checked the event under the roster (an admin signed it, the
// key is new); the record adds the old key's word, without which an operator
// could not lead a reader from the key it pinned to one of its own.
#ifndef AILEDGER_LEDGER_AUDIT_KEY_ROTATION_RECORDS_H_
#define AILEDGER_LEDGER_AUDIT_KEY_ROTATION_RECORDS_H_

#include <string>

#include "absl/status/statusor.h"
#include "ledger/audit/bundle_verifier.h"
#include "ledger/tlog/checkpoint.h"
#include "ledger/tlog/log_key_chain.h"
#include "ledger/tlog/trust.h"

namespace ailedger {

// Checks one record against the rotation the replay met (`replayed`, its
// LogKeyRotated leaf `ref`) under `anchors` (the rotations confirmed before
// it) and the bundle's checkpoint `newest` (its signature is checked apart).
// FAILED_PRECONDITION "index N: key rotation: ..." (verify_failure.h).
absl::Status CheckRotationRecord(const std::string& payload,
                                 const TrustAnchors& anchors,
                                 const LogKeyRotation& replayed,
                                 const RosterRef& ref,
                                 const Checkpoint& newest);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_AUDIT_KEY_ROTATION_RECORDS_H_
