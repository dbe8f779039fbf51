// C2SP tlog-checkpoint v1.0.0: the signed note body that commits a log to a
// tree.
//
//   <origin>\n<decimal size, no leading zeros>\n<base64 root hash>\n
//
// ailedger's checkpoints carry no extension lines, and this parser refuses
// them. The log's key name must equal the origin. Thread-safe free functions.
#ifndef AILEDGER_LEDGER_TLOG_CHECKPOINT_H_
#define AILEDGER_LEDGER_TLOG_CHECKPOINT_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "ledger/merkle/hash.h"
#include "ledger/tlog/note.h"

namespace ailedger {

struct Checkpoint {
  std::string origin;
  uint64_t size = 0;
  Hash root{};

  std::string ToText() const;
  friend bool operator==(const Checkpoint&, const Checkpoint&) = default;
};

// INVALID_ARGUMENT naming the line that is wrong.
absl::StatusOr<Checkpoint> ParseCheckpoint(absl::string_view text);

// Signs a checkpoint with the log key (whose name must equal the origin).
absl::StatusOr<std::string> SignCheckpoint(const Checkpoint& cp,
                                           const SigningKey& log_key);

struct VerifiedCheckpoint {
  Checkpoint checkpoint;
  VerifiedNote note;  // which of the given keys signed or cosigned, and when
};

// Verifies a signed checkpoint: the signature of `log_key` is required and its
// name must be the origin; `cosigners` (type 0x04 keys) are checked when
// present, others are ignored. UNAUTHENTICATED if the log did not sign it;
// INVALID_ARGUMENT if malformed.
absl::StatusOr<VerifiedCheckpoint> OpenCheckpoint(
    absl::string_view note, const VerifierKey& log_key,
    absl::Span<const VerifierKey> cosigners = {});

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_TLOG_CHECKPOINT_H_
