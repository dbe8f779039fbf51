// Proof plans, rehashing and verification: the RFC 6962 8-leaf tree's reference
// proofs, and a randomized cross-check against the recursive reference tree for
// every size 0..2000.
#include "ledger/merkle/proof.h"

#include <random>

#include "gtest/gtest.h"
#include "ledger/merkle/compact_range.h"
#include "ledger/merkle/verify.h"
#include "tests/testing/reference_tree.h"
#include "tests/testing/test_data.h"

namespace ailedger {
namespace {

using testing::HexHash;
using testing::MakeLeafHashes;
using testing::ReferenceConsistency;
using testing::ReferenceInclusion;
using testing::ReferenceRoot;

// All perfect nodes of a tree, as storage would hold them.
std::map<NodeId, Hash> PerfectNodes(const std::vector<Hash>& leaves) {
  std::map<NodeId, Hash> nodes;
  CompactRange range;
  for (const Hash& h : leaves) {
    range.Append(h, [&](NodeId id, const Hash& x) { nodes[id] = x; });
  }
  return nodes;
}

std::vector<Hash> Build(const ProofPlan& plan,
                        const std::map<NodeId, Hash>& nodes) {
  std::vector<Hash> fetched;
  for (NodeId id : plan.ids) fetched.push_back(nodes.at(id));
  return Rehash(plan, fetched).value();
}

TEST(ProofTest, RfcTreeReferenceProofs) {
  InitCrypto();
  auto tree = testing::ReadJson("rfc6962-8leaf-tree.json");
  std::vector<Hash> leaves;
  for (const auto& h : tree["leaf_hashes_hex"]) leaves.push_back(HexHash(h));
  auto nodes = PerfectNodes(leaves);
  auto root = [&](uint64_t size) {
    return HexHash(tree["root_by_tree_size_hex"][std::to_string(size)]);
  };
  for (const auto& p : tree["inclusion_proofs"]) {
    uint64_t index = p["leaf_index"], size = p["tree_size"];
    std::vector<Hash> want;
    for (const auto& h : p["proof"]) want.push_back(HexHash(h));
    EXPECT_EQ(Build(InclusionPlan(index, size).value(), nodes), want);
    EXPECT_TRUE(
        VerifyInclusion(index, size, leaves[index], want, root(size)).ok());
  }
  for (const auto& p : tree["consistency_proofs"]) {
    uint64_t a = p["size1"], b = p["size2"];
    std::vector<Hash> want;
    for (const auto& h : p["proof"]) want.push_back(HexHash(h));
    EXPECT_EQ(Build(ConsistencyPlan(a, b).value(), nodes), want);
    EXPECT_TRUE(VerifyConsistency(a, b, want, root(a), root(b)).ok());
  }
}

TEST(ProofTest, PlansRejectBadSizes) {
  EXPECT_EQ(InclusionPlan(5, 5).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(InclusionPlan(0, 0).ok());
  EXPECT_FALSE(ConsistencyPlan(0, 4).ok());
  EXPECT_FALSE(ConsistencyPlan(5, 4).ok());
  EXPECT_TRUE(ConsistencyPlan(4, 4).ok());
  EXPECT_TRUE(ConsistencyPlan(4, 4)->ids.empty());
  EXPECT_FALSE(RootPlan(0).ok());
  EXPECT_FALSE(Rehash(RootPlan(3).value(), {}).ok());
}

TEST(ProofTest, MismatchNamesExpectedAndComputedRoots) {
  InitCrypto();
  auto leaves = MakeLeafHashes(5);
  Hash wrong = HashLeaf("not the root");
  auto s =
      VerifyInclusion(1, 5, leaves[1], ReferenceInclusion(leaves, 1, 5), wrong);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find(ToHex(wrong)), absl::string_view::npos);
  EXPECT_NE(s.message().find(ToHex(ReferenceRoot(leaves, 0, 5))),
            absl::string_view::npos);
}

TEST(ProofTest, EqualSizesNeedEmptyProofAndEqualRoots) {
  InitCrypto();
  auto leaves = MakeLeafHashes(3);
  Hash r = ReferenceRoot(leaves, 0, 3);
  EXPECT_TRUE(VerifyConsistency(3, 3, {}, r, r).ok());
  EXPECT_FALSE(VerifyConsistency(3, 3, {r}, r, r).ok());
  EXPECT_FALSE(VerifyConsistency(3, 3, {}, r, leaves[0]).ok());
}

// For every size 0..2000: the compact range root, and for sampled indices every
// proof, equal the reference; each proof verifies and a proof with one flipped
// bit does not.
TEST(ProofTest, RandomizedCrossCheckAgainstReference) {
  InitCrypto();
  constexpr uint64_t kMax = 2000;
  auto leaves = MakeLeafHashes(kMax);
  auto nodes = PerfectNodes(leaves);
  std::mt19937_64 rng(6962);
  CompactRange range;
  std::vector<Hash> roots{EmptyRoot()};
  for (uint64_t n = 1; n <= kMax; ++n) {
    range.Append(leaves[n - 1], nullptr);
    roots.push_back(range.Root());
    ASSERT_EQ(roots[n], ReferenceRoot(leaves, 0, n)) << "size " << n;
    ASSERT_EQ(Build(RootPlan(n).value(), nodes)[0], roots[n]) << n;
  }
  for (uint64_t n = 1; n <= kMax; ++n) {
    for (int trial = 0; trial < 3; ++trial) {
      uint64_t i = rng() % n, m = 1 + rng() % n;
      auto incl = Build(InclusionPlan(i, n).value(), nodes);
      ASSERT_EQ(incl, ReferenceInclusion(leaves, i, n)) << i << "/" << n;
      ASSERT_TRUE(VerifyInclusion(i, n, leaves[i], incl, roots[n]).ok());
      auto cons = Build(ConsistencyPlan(m, n).value(), nodes);
      ASSERT_EQ(cons, ReferenceConsistency(leaves, m, n)) << m << "->" << n;
      ASSERT_TRUE(VerifyConsistency(m, n, cons, roots[m], roots[n]).ok());
      if (!incl.empty()) {
        incl[rng() % incl.size()][rng() % 32] ^= 1;
        ASSERT_FALSE(VerifyInclusion(i, n, leaves[i], incl, roots[n]).ok());
      }
      if (!cons.empty()) {
        cons[rng() % cons.size()][rng() % 32] ^= 0x80;
        ASSERT_FALSE(VerifyConsistency(m, n, cons, roots[m], roots[n]).ok());
      }
    }
  }
}

}  // namespace
}  // namespace ailedger
