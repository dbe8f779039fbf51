// The stratum packing of tree nodes in RocksDbStore (ledger/storage/strata.h).
#include "ledger/storage/strata.h"

#include <set>

#include "gtest/gtest.h"

namespace ailedger {
namespace {

std::string Key(int group, uint64_t index) {
  std::string k(1, static_cast<char>(group));
  PutBigEndian64(index, &k);
  return k;
}

TEST(StrataTest, KnownAddresses) {
  struct Case {
    NodeId id;
    int group;
    uint64_t stratum;
    size_t slot;
  } cases[] = {
      {{0, 0}, 0, 0, 0},    {{0, 255}, 0, 0, 255}, {{0, 256}, 0, 1, 0},
      {{1, 0}, 0, 0, 256},  {{1, 129}, 0, 1, 257}, {{7, 1}, 0, 0, 509},
      {{7, 2}, 0, 1, 508},  {{8, 0}, 1, 0, 0},     {{8, 300}, 1, 1, 44},
      {{23, 5}, 2, 2, 509},
  };
  for (const Case& c : cases) {
    StratumAddress a = LocateNode(c.id);
    EXPECT_EQ(a.key, Key(c.group, c.stratum))
        << int{c.id.level} << "," << c.id.index;
    EXPECT_EQ(a.slot, c.slot) << int{c.id.level} << "," << c.id.index;
  }
}

TEST(StrataTest, EveryNodeOfAStratumHasItsOwnSlot) {
  std::set<size_t> slots;
  for (uint8_t level = 0; level < 8; ++level) {
    for (uint64_t i = 0; i < (uint64_t{256} >> level); ++i) {
      StratumAddress a = LocateNode({level, i});
      EXPECT_EQ(a.key, Key(0, 0));
      EXPECT_LT(a.slot, kStratumSlots);
      EXPECT_TRUE(slots.insert(a.slot).second);
    }
  }
  EXPECT_EQ(slots.size(), kStratumSlots);
}

}  // namespace
}  // namespace ailedger
