// The Tessera 15-entry tlog-tiles log (tests/data/tessera-testdata-log/): every
// checkpoint verifies under its published verifier key, and every root is
// recomputed from the entry bundles and matches both the level-0 hash tiles and
// the checkpoint.
#include "gtest/gtest.h"
#include "ledger/base/big_endian.h"
#include "ledger/merkle/compact_range.h"
#include "ledger/tlog/checkpoint.h"
#include "tests/testing/test_data.h"

namespace ailedger {
namespace {

constexpr char kVkey[] =
    "example.com/log/"
    "testdata+33d7b496+AeHTu4Q3hEIMHNqc6fASMsq3rKNx280NI+oO5xCFkkSx";

// Splits a tlog-tiles entry bundle: big-endian uint16 length, then the entry.
std::vector<std::string> SplitBundle(const std::string& bundle) {
  std::vector<std::string> entries;
  size_t at = 0;
  while (at + 2 <= bundle.size()) {
    size_t len = GetBigEndian16(absl::string_view(bundle).substr(at));
    EXPECT_LE(at + 2 + len, bundle.size());
    entries.push_back(bundle.substr(at + 2, len));
    at += 2 + len;
  }
  EXPECT_EQ(at, bundle.size()) << "trailing bytes in bundle";
  return entries;
}

TEST(TesseraLogTest, EveryCheckpointVerifiesAndEveryRootRecomputes) {
  InitCrypto();
  VerifierKey key = VerifierKey::Parse(kVkey).value();
  const char* words[] = {"one",    "two",   "three",    "four",    "five",
                         "six",    "seven", "eit",      "nain",    "ten",
                         "ileven", "twelf", "threeten", "fourten", "fivten"};
  for (int n = 0; n <= 15; ++n) {
    SCOPED_TRACE(n);
    auto cp = OpenCheckpoint(
        testing::ReadDataFile("tessera-testdata-log/checkpoint." +
                              std::to_string(n)),
        key);
    ASSERT_TRUE(cp.ok()) << cp.status();
    EXPECT_EQ(cp->checkpoint.size, static_cast<uint64_t>(n));
    CompactRange range;
    if (n > 0) {
      const std::string dir = "tessera-testdata-log/tile/";
      auto entries = SplitBundle(
          testing::ReadDataFile(dir + "entries/000.p/" + std::to_string(n)));
      ASSERT_EQ(entries.size(), static_cast<size_t>(n));
      std::string tile =
          testing::ReadDataFile(dir + "0/000.p/" + std::to_string(n));
      ASSERT_EQ(tile.size(), 32u * n);
      for (int i = 0; i < n; ++i) {
        EXPECT_EQ(entries[i], words[i]);
        Hash h = HashLeaf(entries[i]);
        EXPECT_EQ(AsBytes(h), absl::string_view(tile).substr(32 * i, 32));
        range.Append(h, nullptr);
      }
    }
    EXPECT_EQ(range.Root(), cp->checkpoint.root);
  }
  EXPECT_EQ(testing::ReadDataFile("tessera-testdata-log/checkpoint"),
            testing::ReadDataFile("tessera-testdata-log/checkpoint.15"));
}

TEST(TesseraLogTest, AlteredCheckpointIsRejected) {
  InitCrypto();
  VerifierKey key = VerifierKey::Parse(kVkey).value();
  std::string note =
      testing::ReadDataFile("tessera-testdata-log/checkpoint.15");
  note.replace(note.find("\n15\n"), 4, "\n16\n");
  EXPECT_EQ(OpenCheckpoint(note, key).status().code(),
            absl::StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace ailedger
