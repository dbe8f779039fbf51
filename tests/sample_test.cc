// Audit samples (ledger/audit/sample.h): reproducible from the checkpoint,
// distinct, in range, and changed by any change of the state they sample.
#include "ledger/audit/sample.h"

#include <set>

#include "gtest/gtest.h"
#include "ledger/merkle/hash.h"

namespace ailedger {
namespace {

Checkpoint At(uint64_t size, const std::string& root_seed) {
  return {"sample.example/log", size, HashLeaf(root_seed)};
}

TEST(SampleTest, ReproducibleDistinctAndInRange) {
  const Checkpoint cp = At(1000, "root");
  const std::vector<uint64_t> a = SampleIndices(cp, 50);
  EXPECT_EQ(a, SampleIndices(cp, 50));
  ASSERT_EQ(a.size(), 50u);
  EXPECT_EQ(std::set<uint64_t>(a.begin(), a.end()).size(), 50u);
  for (uint64_t i : a) EXPECT_LT(i, 1000u);
  // A longer sample starts with the shorter one (draw order).
  const std::vector<uint64_t> b = SampleIndices(cp, 60);
  EXPECT_TRUE(std::equal(a.begin(), a.end(), b.begin()));
}

TEST(SampleTest, AnyChangeOfTheSampledStateChangesTheSample) {
  const std::vector<uint64_t> base = SampleIndices(At(1000, "root"), 20);
  EXPECT_NE(SampleIndices(At(1000, "other root"), 20), base);
  EXPECT_NE(SampleIndices(At(1001, "root"), 20), base);
  Checkpoint other_log = At(1000, "root");
  other_log.origin = "another.example/log";
  EXPECT_NE(SampleIndices(other_log, 20), base);
}

TEST(SampleTest, SmallLogsAndEdges) {
  EXPECT_EQ(SampleIndices(At(3, "r"), 10), (std::vector<uint64_t>{0, 1, 2}));
  EXPECT_TRUE(SampleIndices(At(0, "r"), 10).empty());
  EXPECT_TRUE(SampleIndices(At(10, "r"), 0).empty());
  const std::vector<uint64_t> all = SampleIndices(At(7, "r"), 6);
  EXPECT_EQ(std::set<uint64_t>(all.begin(), all.end()).size(), 6u);
}

// Every index about equally likely: over 200 roots, each of 10 indices is
// drawn first between 5 and 40 times (expected 20; a bias towards low indices
// from a plain modulo of a short draw would show).
TEST(SampleTest, FirstDrawsSpreadOverTheLog) {
  std::vector<int> first(10, 0);
  for (int r = 0; r < 200; ++r)
    ++first[SampleIndices(At(10, std::to_string(r)), 1)[0]];
  for (int count : first) {
    EXPECT_GE(count, 5);
    EXPECT_LE(count, 40);
  }
}

}  // namespace
}  // namespace ailedger
