// Older cosigned checkpoints in a bundle (docs/BUNDLE.md, record 8): the
// witnessed time of old entries. A log keeps every checkpoint its witnesses
// cosigned (ledger/storage/meta_keys.h, "cosigned/<size>"), and an export
// carries those above its `from`, each with a consistency proof to the
// bundle's checkpoint. An entry at index i was then recorded no later than
// the cosignature time of the first such checkpoint whose size is above i,
// per that witness: independent of the operator's clock.
#ifndef AILEDGER_LEDGER_AUDIT_WITNESSED_CHECKPOINTS_H_
#define AILEDGER_LEDGER_AUDIT_WITNESSED_CHECKPOINTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "ledger/tlog/checkpoint.h"
#include "ledger/tlog/trust.h"

namespace ailedger {

// A checkpoint of the log and the times its cosigners (witnesses the reader
// named) attest it existed by.
struct WitnessedCheckpoint {
  uint64_t size = 0;
  // (witness name, Unix seconds), as tlog-cosignature v1 signs them.
  std::vector<std::pair<std::string, uint64_t>> times;
};

// One COSIGNED record: a checkpoint of `newest`'s origin signed by one of the
// reader's log keys, the cosignatures of the reader's witnesses verified (no
// quorum: witnesses change over the years; a bad signature by a named one
// fails), a size above `after` and at most the newest's, and the payload's
// consistency proof to `newest`. FAILED_PRECONDITION "cosigned checkpoint:
// ..." otherwise, marked IsOutsideKeyWindow (trust.h) when only its log
// key's window refused it (an old key's checkpoint after a compromise).
absl::StatusOr<WitnessedCheckpoint> CheckCosignedRecord(
    const std::string& payload, const TrustAnchors& anchors,
    const Checkpoint& newest, uint64_t after);

// The first of `witnessed` (ascending sizes) that holds entry `index`, if any.
const WitnessedCheckpoint* WitnessedHolding(
    const std::vector<WitnessedCheckpoint>& witnessed, uint64_t index);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_AUDIT_WITNESSED_CHECKPOINTS_H_
