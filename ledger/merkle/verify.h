// Verifying RFC 9162 inclusion and consistency proofs. Free functions,
// thread-safe.
//
// Every failure is INVALID_ARGUMENT (the proof, not the system, is at fault)
// with a message that says what failed; a root mismatch names the expected and
// the computed root in hex.
#ifndef AILEDGER_LEDGER_MERKLE_VERIFY_H_
#define AILEDGER_LEDGER_MERKLE_VERIFY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "ledger/merkle/hash.h"

namespace ailedger {

// Converts raw proof elements to hashes; INVALID_ARGUMENT names the first one
// that is not exactly 32 bytes.
absl::StatusOr<std::vector<Hash>> HashesFromBytes(
    absl::Span<const std::string> elements, absl::string_view what);

// RFC 9162 §2.1.3.2: the root that `proof` yields for `leaf_hash` at `index` in
// a tree of `size` leaves.
absl::StatusOr<Hash> RootFromInclusionProof(uint64_t index, uint64_t size,
                                            const Hash& leaf_hash,
                                            absl::Span<const Hash> proof);

// RFC 9162 §2.1.3.2.
absl::Status VerifyInclusion(uint64_t index, uint64_t size,
                             const Hash& leaf_hash,
                             absl::Span<const Hash> proof, const Hash& root);

// RFC 9162 §2.1.4.2, with 1 <= first <= second (as transparency-dev/merkle: a
// proof from the empty tree is meaningless and refused). When first == second
// the proof must be empty and the roots equal.
absl::Status VerifyConsistency(uint64_t first, uint64_t second,
                               absl::Span<const Hash> proof,
                               const Hash& first_root, const Hash& second_root);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_MERKLE_VERIFY_H_
