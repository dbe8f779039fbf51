// RFC 6962 hashing and the compact range against the 8-leaf reference tree
// (tests/data/rfc6962-8leaf-tree.json, from transparency-dev/merkle).
#include "ledger/merkle/hash.h"

#include "gtest/gtest.h"
#include "ledger/merkle/compact_range.h"
#include "tests/testing/test_data.h"

namespace ailedger {
namespace {

using testing::HexHash;
using testing::ReadJson;

class RfcTreeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    InitCrypto();
    tree_ = ReadJson("rfc6962-8leaf-tree.json");
  }
  std::string Leaf(int i) {
    return FromHex(tree_["leaf_inputs_hex"][i].get<std::string>()).value();
  }
  nlohmann::json tree_;
};

TEST_F(RfcTreeTest, HasherVectors) {
  const auto& v = tree_["hasher_vectors"];
  EXPECT_EQ(ToHex(EmptyRoot()), v[0]["hex"]);
  EXPECT_EQ(ToHex(HashLeaf("")), v[1]["hex"]);
  EXPECT_EQ(ToHex(HashLeaf("L123456")), v[2]["hex"]);
  // The node vector hashes raw 4-byte children, so it goes through Sha256
  // directly.
  EXPECT_EQ(
      ToHex(Sha256().UpdateByte(1).Update("N123").Update("N456").Finish()),
      v[3]["hex"]);
}

TEST_F(RfcTreeTest, LeafHashes) {
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(ToHex(HashLeaf(Leaf(i))), tree_["leaf_hashes_hex"][i]) << i;
  }
}

TEST_F(RfcTreeTest, CompactRangeRootsAndVisitedNodes) {
  CompactRange range;
  std::map<std::pair<int, uint64_t>, std::string> visited;
  auto visit = [&](NodeId id, const Hash& h) {
    EXPECT_TRUE(
        visited.emplace(std::make_pair(int{id.level}, id.index), ToHex(h))
            .second)
        << "node reported twice";
  };
  EXPECT_EQ(ToHex(range.Root()), tree_["root_by_tree_size_hex"]["0"]);
  for (int i = 0; i < 8; ++i) {
    range.Append(HashLeaf(Leaf(i)), visit);
    EXPECT_EQ(ToHex(range.Root()),
              tree_["root_by_tree_size_hex"][std::to_string(i + 1)])
        << "size " << i + 1;
  }
  // Every perfect node of the 8-leaf tree was reported, with its RFC value.
  const auto& levels = tree_["node_hashes_by_level_hex"];
  size_t expected = 0;
  for (int level = 0; level < 4; ++level) {
    const auto& row = levels["level" + std::to_string(level)];
    for (size_t i = 0; i < row.size(); ++i, ++expected) {
      EXPECT_EQ(visited[std::make_pair(level, uint64_t{i})], row[i])
          << level << "," << i;
    }
  }
  EXPECT_EQ(visited.size(), expected);
}

TEST_F(RfcTreeTest, CompactRangeRestoresFromHashes) {
  CompactRange range;
  for (int i = 0; i < 5; ++i) range.Append(HashLeaf(Leaf(i)), nullptr);
  auto restored = CompactRange::FromHashes(5, range.hashes());
  ASSERT_TRUE(restored.ok());
  for (int i = 5; i < 8; ++i) {
    range.Append(HashLeaf(Leaf(i)), nullptr);
    restored->Append(HashLeaf(Leaf(i)), nullptr);
  }
  EXPECT_EQ(restored->Root(), range.Root());
  EXPECT_EQ(ToHex(restored->Root()), tree_["root_by_tree_size_hex"]["8"]);
  EXPECT_FALSE(CompactRange::FromHashes(6, {Hash{}}).ok());  // 6 needs 2 hashes
}

TEST(HashTest, HashFromBytesNeedsExactly32Bytes) {
  EXPECT_TRUE(HashFromBytes(std::string(32, 'a'), "x").ok());
  EXPECT_EQ(HashFromBytes(std::string(31, 'a'), "root").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(HashFromBytes(std::string(33, 'a'), "root").ok());
  EXPECT_FALSE(HashFromBytes("", "root").ok());
}

}  // namespace
}  // namespace ailedger
