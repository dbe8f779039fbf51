// TreeReader: reads that check what they return. Proofs are built from stored
// perfect nodes (node ids first, then one batched read, then rehash:
// ledger/merkle/proof.h) and verified against the tree state's root before they
// are returned; a leaf is returned only if it hashes to a node that its
// inclusion proof ties to that root. Anything that does not match is DATA_LOSS
// naming the index, never served as valid.
//
// For a size below the state's, the root at that size is itself checked by a
// consistency proof to the state's root, in the same batched read. Thread-safe;
// the store must outlive the reader.
#ifndef AILEDGER_LEDGER_STORAGE_TREE_READER_H_
#define AILEDGER_LEDGER_STORAGE_TREE_READER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ledger/merkle/hash.h"
#include "ledger/storage/log_store.h"

namespace ailedger {

class TreeReader {
 public:
  explicit TreeReader(const LogStore* store) : store_(store) {}

  // RFC 9162 inclusion proof of leaf `index` in the tree of `size` leaves,
  // where index < size <= state.size (else INVALID_ARGUMENT / OUT_OF_RANGE).
  absl::StatusOr<std::vector<Hash>> InclusionProof(
      uint64_t index, uint64_t size, const TreeState& state) const;

  // RFC 9162 consistency proof, 1 <= first <= second <= state.size.
  absl::StatusOr<std::vector<Hash>> ConsistencyProof(
      uint64_t first, uint64_t second, const TreeState& state) const;

  // The root at `size` <= state.size, checked against state.root.
  absl::StatusOr<Hash> RootAt(uint64_t size, const TreeState& state) const;

  // The stored leaf at `index` < state.size, checked against state.root.
  absl::StatusOr<std::string> Leaf(uint64_t index,
                                   const TreeState& state) const;

  // The leaf and its inclusion proof at `size`, from one batched node read: the
  // proof is checked as InclusionProof does, and the leaf must hash to the
  // proven leaf hash.
  struct LeafAndProof {
    std::string leaf;
    std::vector<Hash> proof;
  };
  absl::StatusOr<LeafAndProof> LeafWithProof(uint64_t index, uint64_t size,
                                             const TreeState& state) const;

 private:
  const LogStore* const store_;
};

// Checks a tree state against the store in constant time: the compact range
// yields the root, its hashes are the stored nodes, and the last stored leaf
// hashes to last_leaf_hash and carries last_time_ms. DATA_LOSS naming what
// differs.
absl::Status CheckTreeState(const LogStore& store, const TreeState& state);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_STORAGE_TREE_READER_H_
