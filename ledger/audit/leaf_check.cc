#include "ledger/audit/leaf_check.h"

#include <bit>

#include "ledger/governance/canonical.h"
#include "ledger/governance/event_signature.h"

namespace ailedger {

absl::StatusOr<CompactRange> RangeFromRightmost(
    uint64_t size, const Hash& leaf, const std::vector<Hash>& proof) {
  const size_t k = std::countr_zero(size);
  if (proof.size() != k + std::popcount(size) - 1) {
    return absl::InvalidArgumentError(
        "prefix proof has the wrong number of hashes");
  }
  Hash acc = leaf;
  for (size_t i = 0; i < k; ++i) acc = HashChildren(proof[i], acc);
  std::vector<Hash> nodes(proof.rbegin(), proof.rend() - k);
  nodes.push_back(acc);
  return CompactRange::FromHashes(size, std::move(nodes));
}

Checked CheckOne(const std::string& origin, const std::string& bytes) {
  Checked c;
  c.leaf_hash = HashLeaf(bytes);
  c.leaf = DecodeLeaf(bytes);
  if (!c.leaf.ok()) return c;
  c.event = ParseCanonicalEvent(c.leaf->event_bytes);
  c.signature_ok = VerifyEventSignature(
      origin, c.leaf->event_bytes, c.leaf->signer, AsBytes(c.leaf->signature));
  return c;
}

}  // namespace ailedger
