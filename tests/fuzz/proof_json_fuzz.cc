// The proofs `ailedger prove --json` prints, as verify-proof reads them
// (client/json_input.h ParseProofJson), then verified (ledger/merkle/verify.h)
// against the corpus log's checkpoints at size 10 and at its newest size: the
// sizes, indices and hashes are the input's, however hostile. Input: JSON.
#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>

#include "client/json_input.h"
#include "ledger/merkle/verify.h"
#include "ledger/tlog/leaf.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ailedger;
  using namespace ailedger::fuzz;
  if (size > kMaxInput) return 0;
  const Trust& trust = GetTrust();
  auto proof = ParseProofJson(std::string(AsView(data, size)));
  if (!proof.ok()) return 0;
  if (const auto* p = std::get_if<InclusionProofJson>(&*proof)) {
    const Hash leaf = HashLeaf(p->leaf_data);
    for (const Checkpoint* cp : {&trust.size10, &trust.newest}) {
      auto s = VerifyInclusion(p->log_index, p->tree_size, leaf, p->hashes,
                               cp->root);
      if (s.ok()) {
        Check(p->log_index < p->tree_size, "a leaf proven beyond its tree");
      }
    }
    (void)DecodeLeaf(p->leaf_data);
    return 0;
  }
  const auto& c = std::get<ConsistencyProofJson>(*proof);
  for (const Hash* first : {&trust.size10.root, &trust.newest.root}) {
    auto s = VerifyConsistency(c.first, c.second, c.hashes, *first,
                               trust.newest.root);
    if (s.ok()) Check(c.first <= c.second, "a tree proven to shrink");
  }
  return 0;
}
