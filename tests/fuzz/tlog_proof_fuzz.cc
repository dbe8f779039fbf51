// Append receipts (C2SP tlog-proof, ledger/tlog/tlog_proof.h): parsed, printed
// and parsed again to the same proof, then verified against the corpus log's
// key and witness (VerifyTlogProof) for the leaf its extra line carries, whose
// event signature is checked as verify-proof does. Input: a receipt.
#include <cstddef>
#include <cstdint>

#include "ledger/governance/event_signature.h"
#include "ledger/merkle/hash.h"
#include "ledger/tlog/leaf.h"
#include "ledger/tlog/tlog_proof.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ailedger;
  using namespace ailedger::fuzz;
  if (size > kMaxInput) return 0;
  const Trust& trust = GetTrust();
  auto proof = ParseTlogProof(AsView(data, size));
  if (!proof.ok()) return 0;
  auto again = ParseTlogProof(FormatTlogProof(*proof));
  Check(again.ok() && again->extra == proof->extra &&
            again->index == proof->index && again->hashes == proof->hashes &&
            again->checkpoint == proof->checkpoint,
        "a receipt printed and parsed again differs");
  const VerifierKey witnesses[] = {trust.witness};
  auto cp =
      VerifyTlogProof(*proof, HashLeaf(proof->extra), trust.log, witnesses);
  if (!cp.ok()) return 0;
  Check(proof->index < cp->checkpoint.size, "a leaf proven beyond the tree");
  auto leaf = DecodeLeaf(proof->extra);
  if (leaf.ok()) {
    (void)VerifyEventSignature(cp->checkpoint.origin, leaf->event_bytes,
                               leaf->signer, AsBytes(leaf->signature));
  }
  return 0;
}
