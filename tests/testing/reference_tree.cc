#include "tests/testing/reference_tree.h"

#include <string>

namespace ailedger::testing {
namespace {

uint64_t Split(uint64_t n) {  // largest power of two < n
  uint64_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

std::vector<Hash> Path(const std::vector<Hash>& d, uint64_t m, uint64_t lo,
                       uint64_t hi) {
  if (hi - lo == 1) return {};
  uint64_t k = Split(hi - lo);
  std::vector<Hash> out;
  if (m < k) {
    out = Path(d, m, lo, lo + k);
    out.push_back(ReferenceRoot(d, lo + k, hi));
  } else {
    out = Path(d, m - k, lo + k, hi);
    out.push_back(ReferenceRoot(d, lo, lo + k));
  }
  return out;
}

std::vector<Hash> SubProof(const std::vector<Hash>& d, uint64_t m, uint64_t lo,
                           uint64_t hi, bool b) {
  if (m == hi - lo) {
    if (b) return {};
    return {ReferenceRoot(d, lo, hi)};
  }
  uint64_t k = Split(hi - lo);
  std::vector<Hash> out;
  if (m <= k) {
    out = SubProof(d, m, lo, lo + k, b);
    out.push_back(ReferenceRoot(d, lo + k, hi));
  } else {
    out = SubProof(d, m - k, lo + k, hi, false);
    out.push_back(ReferenceRoot(d, lo, lo + k));
  }
  return out;
}

}  // namespace

Hash ReferenceRoot(const std::vector<Hash>& d, uint64_t begin, uint64_t end) {
  if (end == begin) return EmptyRoot();
  if (end - begin == 1) return d[begin];
  uint64_t k = Split(end - begin);
  return HashChildren(ReferenceRoot(d, begin, begin + k),
                      ReferenceRoot(d, begin + k, end));
}

std::vector<Hash> ReferenceInclusion(const std::vector<Hash>& d, uint64_t m,
                                     uint64_t n) {
  return Path(d, m, 0, n);
}

std::vector<Hash> ReferenceConsistency(const std::vector<Hash>& d, uint64_t m,
                                       uint64_t n) {
  return SubProof(d, m, 0, n, true);
}

std::vector<Hash> MakeLeafHashes(uint64_t n) {
  std::vector<Hash> out;
  for (uint64_t i = 0; i < n; ++i) {
    out.push_back(HashLeaf("leaf-" + std::to_string(i)));
  }
  return out;
}

}  // namespace ailedger::testing
