// Building RFC 9162 proofs in three steps, with no storage access in the math:
//
// clang-format off
//   1. InclusionPlan / ConsistencyPlan / RootPlan work out which perfect-subtree
//      nodes a proof needs (a ProofPlan);
//   2. the caller fetches plan.ids in one batched read;
//   3. Rehash folds the fetched hashes into the proof (or root).
// clang-format on
//
// A proof element is either one stored perfect node or, on the right edge of a
// tree whose size is not a power of two, an ephemeral node rehashed from a run
// of perfect nodes. Sizes are uint64, indices 0-based, ranges half-open.
// Modelled on transparency-dev/merkle proof/proof.go.
#ifndef AILEDGER_LEDGER_MERKLE_PROOF_H_
#define AILEDGER_LEDGER_MERKLE_PROOF_H_

#include <cstdint>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "ledger/merkle/hash.h"
#include "ledger/merkle/node_id.h"

namespace ailedger {

struct ProofPlan {
  // The perfect nodes to fetch, in the order Rehash expects their hashes.
  std::vector<NodeId> ids;
  // One entry per output hash: the run [first, second) of `ids` whose hashes
  // fold (right to left, RFC 9162 §2.1.1) into that output.
  std::vector<std::pair<size_t, size_t>> elements;
};

// Nodes of the inclusion proof of leaf `index` in the tree of `size` leaves
// (RFC 9162 §2.1.3.1), in proof order (nearest the leaf first).
// INVALID_ARGUMENT unless index < size.
absl::StatusOr<ProofPlan> InclusionPlan(uint64_t index, uint64_t size);

// Nodes of the consistency proof from size `first` to `second` (RFC 9162
// §2.1.4.1). INVALID_ARGUMENT unless 1 <= first <= second.
absl::StatusOr<ProofPlan> ConsistencyPlan(uint64_t first, uint64_t second);

// Nodes whose fold is the root of the tree of `size` leaves (one element). size
// must be > 0.
absl::StatusOr<ProofPlan> RootPlan(uint64_t size);

// Folds fetched hashes (hashes[i] belongs to plan.ids[i]) into one hash per
// element. INVALID_ARGUMENT if the counts differ.
absl::StatusOr<std::vector<Hash>> Rehash(const ProofPlan& plan,
                                         absl::Span<const Hash> hashes);

// Appends the perfect nodes that decompose leaves [begin, end), left to right,
// to `plan` as one element. Exposed for storage, which uses it to read ranges
// of the tree.
void AppendRangeElement(uint64_t begin, uint64_t end, ProofPlan* plan);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_MERKLE_PROOF_H_
