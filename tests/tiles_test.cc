// C2SP tlog-tiles: paths, the streaming tile builder, and tree-only
// verification of the Tessera sample log (tests/data/tessera-testdata-log/),
// intact and tampered.
#include "ledger/tlog/tiles.h"

#include <filesystem>
#include <map>

#include "gtest/gtest.h"
#include "ledger/base/file_util.h"
#include "tests/testing/reference_tree.h"
#include "tests/testing/temp_dir.h"
#include "tests/testing/test_data.h"

namespace ailedger {
namespace {

constexpr char kTesseraVkey[] =
    "example.com/log/"
    "testdata+33d7b496+AeHTu4Q3hEIMHNqc6fASMsq3rKNx280NI+oO5xCFkkSx";

TEST(TilesTest, Paths) {
  EXPECT_EQ(TilePath(0, 1234067, 256), "tile/0/x001/x234/067");
  EXPECT_EQ(TilePath(1, 0, 3), "tile/1/000.p/3");
  EXPECT_EQ(TilePath(-1, 5, 256), "tile/entries/005");
  EXPECT_EQ(TilePath(-1, 0, 15), "tile/entries/000.p/15");
}

TEST(TilesTest, BuilderEmitsFullAndPartialTilesAndTheRoot) {
  InitCrypto();
  std::map<std::string, std::string> files;
  TileBuilder b([&](const std::string& p, const std::string& bytes) {
    files[p] = bytes;
    return absl::OkStatus();
  });
  std::vector<Hash> hashes;
  for (int i = 0; i < 600; ++i) {
    std::string e = "entry-" + std::to_string(i);
    ASSERT_TRUE(b.Add(e).ok());
    hashes.push_back(HashLeaf(e));
  }
  ASSERT_TRUE(b.Finish().ok());
  EXPECT_EQ(b.Root(), testing::ReferenceRoot(hashes, 0, 600));
  for (const char* p :
       {"tile/0/000", "tile/0/001", "tile/0/002.p/88", "tile/1/000.p/2",
        "tile/entries/000", "tile/entries/001", "tile/entries/002.p/88"}) {
    EXPECT_TRUE(files.count(p)) << p;
  }
  EXPECT_EQ(files.size(), 7u);
  // A level-1 hash is the root of its 256-leaf subtree.
  EXPECT_EQ(files["tile/1/000.p/2"].substr(32, 32),
            std::string(AsBytes(testing::ReferenceRoot(hashes, 256, 512))));
  EXPECT_EQ(SplitEntryBundle(files["tile/entries/002.p/88"])->size(), 88u);
}

// Consistency proofs read from the hash tiles equal the reference tree's,
// across tile boundaries and levels (a rotation's handover in a tile
// directory: record 9 of BUNDLE.md).
class TileProofTest : public testing::TempDirTest {};

TEST_F(TileProofTest, ConsistencyProofsFromTilesMatchTheReference) {
  InitCrypto();
  constexpr uint64_t kSize = 70000;  // level-2 tiles too (65536 leaves)
  TileBuilder b([&](const std::string& p, const std::string& bytes) {
    std::filesystem::create_directories(
        std::filesystem::path(dir_ + "/" + p).parent_path());
    return WriteFileDurably(dir_ + "/" + p, bytes);
  });
  std::vector<Hash> hashes;
  for (uint64_t i = 0; i < kSize; ++i) {
    std::string e = "entry-" + std::to_string(i);
    ASSERT_TRUE(b.Add(e).ok());
    hashes.push_back(HashLeaf(e));
  }
  ASSERT_TRUE(b.Finish().ok());
  for (auto [first, second] :
       std::vector<std::pair<uint64_t, uint64_t>>{{1, kSize},
                                                  {7, 300},
                                                  {256, 257},
                                                  {300, kSize},
                                                  {65536, kSize},
                                                  {65537, 69999},
                                                  {12345, 12345},
                                                  {kSize, kSize}}) {
    auto proof = TileConsistencyProof(dir_, kSize, first, second);
    ASSERT_TRUE(proof.ok()) << first << " " << second << proof.status();
    EXPECT_EQ(*proof, testing::ReferenceConsistency(hashes, first, second))
        << first << " to " << second;
  }
  EXPECT_FALSE(TileConsistencyProof(dir_, kSize, 0, 5).ok());
  EXPECT_FALSE(TileConsistencyProof(dir_, kSize, 5, kSize + 1).ok());
  std::filesystem::remove(dir_ + "/tile/0/000");
  EXPECT_TRUE(absl::IsFailedPrecondition(
      TileConsistencyProof(dir_, kSize, 3, 300).status()));
}

class TesseraTilesTest : public testing::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    std::filesystem::copy(testing::DataPath("tessera-testdata-log"), dir_,
                          std::filesystem::copy_options::recursive);
  }
  absl::StatusOr<TreeOnlyReport> Verify() {
    return VerifyTreeOnly(dir_, {VerifierKey::Parse(kTesseraVkey).value()}, {});
  }
  void Flip(const std::string& file, size_t at) {
    std::string bytes = ReadSmallFile(dir_ + "/" + file).value();
    bytes[at] ^= 1;
    ASSERT_TRUE(WriteFileDurably(dir_ + "/" + file, bytes).ok());
  }
};

TEST_F(TesseraTilesTest, TheSampleLogPassesTreeOnly) {
  auto r = Verify();
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->checkpoint.size, 15u);
}

TEST_F(TesseraTilesTest, AFlippedHashTileFails) {
  Flip("tile/0/000.p/15", 40);
  auto r = Verify();
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("tile/0/000.p/15: differs"),
            absl::string_view::npos);
}

TEST_F(TesseraTilesTest, AFlippedEntryFails) {
  Flip("tile/entries/000.p/15", 3);
  EXPECT_FALSE(Verify().ok());
}

TEST_F(TesseraTilesTest, AnUnsignedOrForeignCheckpointFails) {
  auto other =
      SigningKey::Generate("example.com/log/testdata", kKeyTypeEd25519).value();
  EXPECT_FALSE(VerifyTreeOnly(dir_, {other.verifier()}, {}).ok());
  Flip("checkpoint", 30);
  EXPECT_FALSE(Verify().ok());
}

}  // namespace
}  // namespace ailedger
