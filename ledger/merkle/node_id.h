// Addresses of nodes in an RFC 9162 Merkle tree.
//
// A perfect subtree of 2^level leaves starting at leaf index << level is the
// node (level, index). Level 0 nodes are leaf hashes. Only perfect nodes are
// ever stored; the right edge of a tree whose size is not a power of two is
// rehashed from them on demand.
#ifndef AILEDGER_LEDGER_MERKLE_NODE_ID_H_
#define AILEDGER_LEDGER_MERKLE_NODE_ID_H_

#include <compare>
#include <cstdint>

namespace ailedger {

struct NodeId {
  uint8_t level = 0;
  uint64_t index = 0;

  // First leaf covered and number of leaves covered.
  uint64_t begin() const { return index << level; }
  uint64_t width() const { return uint64_t{1} << level; }

  friend auto operator<=>(const NodeId&, const NodeId&) = default;
};

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_MERKLE_NODE_ID_H_
