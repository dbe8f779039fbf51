#include "ledger/merkle/compact_range.h"

#include <bit>
#include <utility>

#include "absl/strings/str_cat.h"

namespace ailedger {

absl::StatusOr<CompactRange> CompactRange::FromHashes(
    uint64_t size, std::vector<Hash> hashes) {
  if (hashes.size() != static_cast<size_t>(std::popcount(size))) {
    return absl::InvalidArgumentError(
        absl::StrCat("compact range of size ", size, " needs ",
                     std::popcount(size), " hashes, got ", hashes.size()));
  }
  CompactRange r;
  r.size_ = size;
  r.hashes_ = std::move(hashes);
  return r;
}

void CompactRange::Append(const Hash& leaf_hash, const NodeVisitor& visitor) {
  if (visitor) visitor(NodeId{0, size_}, leaf_hash);
  Hash carry = leaf_hash;
  // Each trailing one bit of size_ is a perfect subtree that the new leaf
  // completes a sibling for: merge them, bottom-up, like a binary increment.
  uint64_t index = size_;
  uint8_t level = 0;
  while (index & 1) {
    carry = HashChildren(hashes_.back(), carry);
    hashes_.pop_back();
    index >>= 1;
    ++level;
    if (visitor) visitor(NodeId{level, index}, carry);
  }
  hashes_.push_back(carry);
  ++size_;
}

Hash CompactRange::Root() const {
  if (hashes_.empty()) return EmptyRoot();
  // RFC 9162 §2.1.1: MTH(D[n]) = HASH(0x01 || MTH(D[0:k]) || MTH(D[k:n])), so
  // the right edge folds from the smallest subtree leftwards.
  Hash root = hashes_.back();
  for (size_t i = hashes_.size() - 1; i-- > 0;) {
    root = HashChildren(hashes_[i], root);
  }
  return root;
}

}  // namespace ailedger
