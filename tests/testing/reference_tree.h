// A plain recursive RFC 6962 / RFC 9162 §2.1 Merkle tree, written straight from
// the RFC's definitions (MTH, PATH, PROOF/SUBPROOF) and used only to
// cross-check the real code.
#ifndef AILEDGER_TESTS_TESTING_REFERENCE_TREE_H_
#define AILEDGER_TESTS_TESTING_REFERENCE_TREE_H_

#include <cstdint>
#include <vector>

#include "ledger/merkle/hash.h"

namespace ailedger::testing {

// MTH(D[begin:end]) over leaf hashes.
Hash ReferenceRoot(const std::vector<Hash>& leaves, uint64_t begin,
                   uint64_t end);
// PATH(m, D[0:n]).
std::vector<Hash> ReferenceInclusion(const std::vector<Hash>& leaves,
                                     uint64_t m, uint64_t n);
// PROOF(m, D[0:n]).
std::vector<Hash> ReferenceConsistency(const std::vector<Hash>& leaves,
                                       uint64_t m, uint64_t n);
// Leaf hashes of the leaves "leaf-0", "leaf-1", ...
std::vector<Hash> MakeLeafHashes(uint64_t n);

}  // namespace ailedger::testing

#endif  // AILEDGER_TESTS_TESTING_REFERENCE_TREE_H_
