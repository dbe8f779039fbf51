#include "ledger/merkle/proof.h"

#include <algorithm>
#include <bit>

#include "absl/strings/str_cat.h"

namespace ailedger {
namespace {

// Largest power of two strictly less than n (n >= 2): the split point k of RFC
// 9162 §2.1.1.
uint64_t SplitPoint(uint64_t n) { return std::bit_floor(n - 1); }

struct Range {
  uint64_t begin, end;
};

ProofPlan PlanFromRanges(const std::vector<Range>& ranges) {
  ProofPlan plan;
  for (const Range& r : ranges) AppendRangeElement(r.begin, r.end, &plan);
  return plan;
}

}  // namespace

void AppendRangeElement(uint64_t begin, uint64_t end, ProofPlan* plan) {
  const size_t first = plan->ids.size();
  while (begin < end) {
    // The largest perfect subtree that starts at `begin` and fits before `end`.
    uint8_t level = begin == 0 ? 63 : std::countr_zero(begin);
    while ((uint64_t{1} << level) > end - begin) --level;
    plan->ids.push_back(NodeId{level, begin >> level});
    begin += uint64_t{1} << level;
  }
  plan->elements.emplace_back(first, plan->ids.size());
}

// RFC 9162 §2.1.3.1, PATH(m, D[n]): walk down from the root; at each split the
// sibling subtree of the side holding m is a proof element. Collected
// root-first, returned leaf-first.
absl::StatusOr<ProofPlan> InclusionPlan(uint64_t index, uint64_t size) {
  if (index >= size) {
    return absl::InvalidArgumentError(
        absl::StrCat("leaf index ", index, " is not below tree size ", size));
  }
  std::vector<Range> ranges;
  uint64_t lo = 0, hi = size;
  while (hi - lo > 1) {
    uint64_t k = SplitPoint(hi - lo);
    if (index < lo + k) {
      ranges.push_back({lo + k, hi});
      hi = lo + k;
    } else {
      ranges.push_back({lo, lo + k});
      lo += k;
    }
  }
  std::reverse(ranges.begin(), ranges.end());
  return PlanFromRanges(ranges);
}

// RFC 9162 §2.1.4.1, SUBPROOF(m, D[n], b). The recursion appends its sibling
// after the recursive result, so siblings are collected outside-in and emitted
// inside-out, after the base case's own node (when b is false).
absl::StatusOr<ProofPlan> ConsistencyPlan(uint64_t first, uint64_t second) {
  if (first < 1 || first > second) {
    return absl::InvalidArgumentError(absl::StrCat(
        "consistency proof needs 1 <= first <= second, got first=", first,
        " second=", second));
  }
  std::vector<Range> siblings;
  uint64_t lo = 0, hi = second, m = first;
  // b in the RFC: the subtree is a prefix of the old tree's root.
  bool whole = true;
  while (m != hi - lo) {
    uint64_t k = SplitPoint(hi - lo);
    if (m <= k) {
      siblings.push_back({lo + k, hi});
      hi = lo + k;
    } else {
      siblings.push_back({lo, lo + k});
      lo += k;
      m -= k;
      whole = false;
    }
  }
  std::vector<Range> ranges;
  if (!whole) ranges.push_back({lo, hi});
  ranges.insert(ranges.end(), siblings.rbegin(), siblings.rend());
  return PlanFromRanges(ranges);
}

absl::StatusOr<ProofPlan> RootPlan(uint64_t size) {
  if (size == 0)
    return absl::InvalidArgumentError("the empty tree has no nodes");
  ProofPlan plan;
  AppendRangeElement(0, size, &plan);
  return plan;
}

absl::StatusOr<std::vector<Hash>> Rehash(const ProofPlan& plan,
                                         absl::Span<const Hash> hashes) {
  if (hashes.size() != plan.ids.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "proof plan needs ", plan.ids.size(), " hashes, got ", hashes.size()));
  }
  std::vector<Hash> out;
  out.reserve(plan.elements.size());
  for (auto [first, last] : plan.elements) {
    Hash h = hashes[last - 1];
    for (size_t i = last - 1; i-- > first;) h = HashChildren(hashes[i], h);
    out.push_back(h);
  }
  return out;
}

}  // namespace ailedger
