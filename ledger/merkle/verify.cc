#include "ledger/merkle/verify.h"

#include "absl/strings/str_cat.h"

namespace ailedger {
namespace {

absl::Status Mismatch(absl::string_view what, const Hash& expected,
                      const Hash& computed) {
  return absl::InvalidArgumentError(
      absl::StrCat(what, ": root mismatch: expected ", ToHex(expected),
                   ", computed ", ToHex(computed)));
}

// Right-shifts fn and sn together until fn's lowest bit is set or fn is 0.
void ShiftToSetBitOrZero(uint64_t& fn, uint64_t& sn) {
  while ((fn & 1) == 0 && fn != 0) {
    fn >>= 1;
    sn >>= 1;
  }
}

}  // namespace

absl::StatusOr<std::vector<Hash>> HashesFromBytes(
    absl::Span<const std::string> elements, absl::string_view what) {
  std::vector<Hash> out;
  out.reserve(elements.size());
  for (size_t i = 0; i < elements.size(); ++i) {
    auto h = HashFromBytes(elements[i], absl::StrCat(what, "[", i, "]"));
    if (!h.ok()) return h.status();
    out.push_back(*h);
  }
  return out;
}

absl::StatusOr<Hash> RootFromInclusionProof(uint64_t index, uint64_t size,
                                            const Hash& leaf_hash,
                                            absl::Span<const Hash> proof) {
  if (index >= size) {
    return absl::InvalidArgumentError(absl::StrCat(
        "inclusion proof: leaf index ", index, " >= tree size ", size));
  }
  uint64_t fn = index, sn = size - 1;
  Hash r = leaf_hash;
  for (const Hash& p : proof) {
    if (sn == 0) {
      return absl::InvalidArgumentError("inclusion proof: too many hashes");
    }
    if ((fn & 1) || fn == sn) {
      r = HashChildren(p, r);
      if ((fn & 1) == 0) ShiftToSetBitOrZero(fn, sn);
    } else {
      r = HashChildren(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) {
    return absl::InvalidArgumentError("inclusion proof: too few hashes");
  }
  return r;
}

absl::Status VerifyInclusion(uint64_t index, uint64_t size,
                             const Hash& leaf_hash,
                             absl::Span<const Hash> proof, const Hash& root) {
  auto computed = RootFromInclusionProof(index, size, leaf_hash, proof);
  if (!computed.ok()) return computed.status();
  if (*computed != root) return Mismatch("inclusion proof", root, *computed);
  return absl::OkStatus();
}

absl::Status VerifyConsistency(uint64_t first, uint64_t second,
                               absl::Span<const Hash> proof,
                               const Hash& first_root,
                               const Hash& second_root) {
  if (first < 1 || first > second) {
    return absl::InvalidArgumentError(absl::StrCat(
        "consistency proof: need 1 <= first <= second, got first=", first,
        " second=", second));
  }
  if (first == second) {
    if (!proof.empty()) {
      return absl::InvalidArgumentError(
          "consistency proof: equal sizes need an empty proof");
    }
    if (first_root != second_root) {
      return Mismatch("consistency proof (equal sizes)", first_root,
                      second_root);
    }
    return absl::OkStatus();
  }
  if (proof.empty()) {
    return absl::InvalidArgumentError("consistency proof: empty proof");
  }
  // Step 2: when first is a power of two, the old root is itself the first
  // node.
  std::vector<Hash> path;
  if ((first & (first - 1)) == 0) path.push_back(first_root);
  path.insert(path.end(), proof.begin(), proof.end());

  uint64_t fn = first - 1, sn = second - 1;
  while (fn & 1) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path[0], sr = path[0];
  for (size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) {
      return absl::InvalidArgumentError("consistency proof: too many hashes");
    }
    if ((fn & 1) || fn == sn) {
      fr = HashChildren(c, fr);
      sr = HashChildren(c, sr);
      if ((fn & 1) == 0) ShiftToSetBitOrZero(fn, sn);
    } else {
      sr = HashChildren(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) {
    return absl::InvalidArgumentError("consistency proof: too few hashes");
  }
  if (fr != first_root)
    return Mismatch("consistency proof (first)", first_root, fr);
  if (sr != second_root) {
    return Mismatch("consistency proof (second)", second_root, sr);
  }
  return absl::OkStatus();
}

}  // namespace ailedger
