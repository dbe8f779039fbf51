// DuplicateEvents: the same event id at two indices is found, in memory and
// across runs spilled to disk, and reported at the smallest later index.
#include "ledger/governance/duplicate_events.h"

#include <random>

#include "gtest/gtest.h"
#include "ledger/merkle/hash.h"

namespace ailedger {
namespace {

Hash IdOf(uint64_t n) { return Sha256Of(std::to_string(n)); }

TEST(DuplicateEventsTest, DistinctIdsPass) {
  DuplicateEvents d(1 << 20);
  for (uint64_t i = 0; i < 5000; ++i) ASSERT_TRUE(d.Add(IdOf(i), i).ok());
  EXPECT_TRUE(d.Finish().ok());
  EXPECT_EQ(d.runs(), 0u);  // within the budget: nothing on disk
}

TEST(DuplicateEventsTest, ADuplicateInMemoryIsReportedWithBothIndices) {
  DuplicateEvents d(1 << 20);
  for (uint64_t i = 0; i < 100; ++i)
    ASSERT_TRUE(d.Add(IdOf(i == 70 ? 12 : i), i).ok());
  auto s = d.Finish();
  EXPECT_TRUE(absl::IsFailedPrecondition(s)) << s;
  EXPECT_EQ(s.message(), "index 70: duplicate of the event at index 12");
}

// The smallest budget holds 1024 ids: 10,000 ids spill nine runs, and
// duplicates in different runs, and several of them, are still found; the one
// reported is the first in index order.
TEST(DuplicateEventsTest, DuplicatesAcrossSpilledRunsAreFound) {
  DuplicateEvents d(0);
  std::vector<uint64_t> ids(10000);
  for (uint64_t i = 0; i < ids.size(); ++i) ids[i] = i;
  ids[9000] = 5;     // across runs
  ids[6000] = 4000;  // the first duplicate in index order
  ids[9999] = 4000;  // a third copy
  for (uint64_t i = 0; i < ids.size(); ++i)
    ASSERT_TRUE(d.Add(IdOf(ids[i]), i).ok());
  auto s = d.Finish();
  EXPECT_GE(d.runs(), 9u);
  EXPECT_EQ(s.message(), "index 6000: duplicate of the event at index 4000");
}

TEST(DuplicateEventsTest, SpilledDistinctIdsPass) {
  DuplicateEvents d(0);
  std::mt19937_64 rng(7);
  for (uint64_t i = 0; i < 20000; ++i) {
    Hash h;
    for (auto& b : h) b = static_cast<uint8_t>(rng());
    ASSERT_TRUE(d.Add(h, i).ok());
  }
  EXPECT_TRUE(d.Finish().ok());
  EXPECT_GE(d.runs(), 19u);
}

}  // namespace
}  // namespace ailedger
