// Pieces of offline verification that need no state: rebuilding a compact range
// from the rightmost leaf's proof, and checking one leaf alone (format,
// canonical event, signature), which the verifier runs on all cores.
#ifndef AILEDGER_LEDGER_AUDIT_LEAF_CHECK_H_
#define AILEDGER_LEDGER_AUDIT_LEAF_CHECK_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ailedger/event.pb.h"
#include "ledger/merkle/compact_range.h"
#include "ledger/tlog/leaf.h"

namespace ailedger {

// The compact range of [0, size) from the hash of leaf size-1 and its inclusion
// proof at size (RFC 9162 §2.1.3): the first ctz(size) hashes are left siblings
// inside the smallest perfect subtree, the rest the larger compact-range nodes,
// smallest first.
absl::StatusOr<CompactRange> RangeFromRightmost(uint64_t size, const Hash& leaf,
                                                const std::vector<Hash>& proof);

// What the parallel pass learns about one leaf.
struct Checked {
  absl::StatusOr<Leaf> leaf = absl::UnknownError("unchecked");
  absl::StatusOr<v1::Event> event = absl::UnknownError("unchecked");
  bool signature_ok = false;
  Hash leaf_hash{};
};

Checked CheckOne(const std::string& origin, const std::string& bytes);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_AUDIT_LEAF_CHECK_H_
