// C2SP tlog-proof (as of C2SP commit 5ba5ee83): an offline-verifiable proof
// that an entry is in a log, used as ailedger's append receipt.
//
//   c2sp.org/tlog-proof@v1
//   extra <base64>          optional; ailedger puts the leaf bytes here
//   index <decimal>
//   <base64 hash>           zero or more, RFC 9162 inclusion proof order
//   <empty line>
//   <signed checkpoint, verbatim>
#ifndef AILEDGER_LEDGER_TLOG_TLOG_PROOF_H_
#define AILEDGER_LEDGER_TLOG_TLOG_PROOF_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "ledger/merkle/hash.h"
#include "ledger/tlog/checkpoint.h"

namespace ailedger {

struct TlogProof {
  std::string extra;  // raw bytes ("" when absent)
  uint64_t index = 0;
  std::vector<Hash> hashes;
  std::string checkpoint;  // the signed note
};

std::string FormatTlogProof(const TlogProof& proof);
// INVALID_ARGUMENT naming the line that is wrong.
absl::StatusOr<TlogProof> ParseTlogProof(absl::string_view text);

// Splits a file of tlog-proofs written one after another (a log's key
// rotation proofs, log_key_rotation.h) into each proof's text. A proof ends
// after its checkpoint's signature lines ("— " ...); the next begins with
// the c2sp.org/tlog-proof@v1 line. INVALID_ARGUMENT naming the proof that
// is cut short.
absl::StatusOr<std::vector<std::string>> SplitTlogProofs(
    absl::string_view text);

// Verifies the checkpoint (log key, and the given cosigners when present) and
// that `leaf_hash` is included at proof.index. Returns the verified checkpoint.
absl::StatusOr<VerifiedCheckpoint> VerifyTlogProof(
    const TlogProof& proof, const Hash& leaf_hash, const VerifierKey& log_key,
    absl::Span<const VerifierKey> cosigners = {});

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_TLOG_TLOG_PROOF_H_
