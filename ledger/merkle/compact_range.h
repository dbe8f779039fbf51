// A compact range [0, size) of an RFC 9162 Merkle tree: the roots of the
// perfect subtrees that the binary expansion of `size` decomposes the tree
// into, largest (leftmost) first. It needs O(log n) memory, appends in
// amortised O(1) hashes, and yields the root at the current size.
//
// Every perfect-subtree node that an append completes (including the leaf
// itself, at level 0) is reported to a visitor, so storage can persist the
// nodes that proofs are later built from. Nodes are immutable once reported: a
// node id is never reported twice.
//
// Modelled on transparency-dev/merkle compact/range.go and CT's
// CompactMerkleTree. Thread-compatible.
#ifndef AILEDGER_LEDGER_MERKLE_COMPACT_RANGE_H_
#define AILEDGER_LEDGER_MERKLE_COMPACT_RANGE_H_

#include <cstdint>
#include <functional>
#include <vector>

#include "absl/status/statusor.h"
#include "ledger/merkle/hash.h"
#include "ledger/merkle/node_id.h"

namespace ailedger {

using NodeVisitor = std::function<void(NodeId, const Hash&)>;

class CompactRange {
 public:
  CompactRange() = default;

  // Restores a range from its size and the hashes that its decomposition names
  // (as returned by hashes()). Fails with INVALID_ARGUMENT if the count does
  // not match the popcount of size.
  static absl::StatusOr<CompactRange> FromHashes(uint64_t size,
                                                 std::vector<Hash> hashes);

  // Appends one leaf hash. `visitor` may be empty.
  void Append(const Hash& leaf_hash, const NodeVisitor& visitor);

  // The RFC 9162 root of [0, size): the empty root when size is 0.
  Hash Root() const;

  uint64_t size() const { return size_; }
  const std::vector<Hash>& hashes() const { return hashes_; }

 private:
  uint64_t size_ = 0;
  // One per set bit of size_, most significant first.
  std::vector<Hash> hashes_;
};

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_MERKLE_COMPACT_RANGE_H_
