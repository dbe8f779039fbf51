// The file stores beside the log (the sealed store, the witness's state, the
// log key's high-water mark) on a real disk that fills up and is remounted
// read-only: a small tmpfs mounted for the test (root only; skipped, saying
// why, elsewhere). A write the disk refuses is UNAVAILABLE (503 for the
// witness), nothing half-written is visible, nothing is cosigned or marked
// that was not saved, and the same write succeeds once the disk is fixed.
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"
#include "ledger/base/file_util.h"
#include "ledger/tlog/checkpoint.h"
#include "server/log_signer.h"
#include "server/sealed_store.h"
#include "tests/testing/reference_tree.h"
#include "tests/testing/temp_dir.h"
#include "witness/witness.h"

namespace ailedger {
namespace {

namespace fs = std::filesystem;

constexpr char kOrigin[] = "disk.example/log";

// A 512 KiB tmpfs at a fresh path, unmounted at the end.
class DiskFullTest : public testing::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    fs::create_directories(dir_);
    if (mount("tmpfs", dir_.c_str(), "tmpfs", 0, "size=512k,mode=0700") != 0) {
      GTEST_SKIP() << "mounting a tmpfs needs root (CAP_SYS_ADMIN): "
                   << std::strerror(errno);
    }
    mounted_ = true;
  }
  void TearDown() override {
    if (mounted_) umount2(dir_.c_str(), MNT_DETACH);
    TempDirTest::TearDown();
  }
  // Fills the disk: a file that takes every free byte.
  void Fill() {
    std::ofstream out(dir_ + "/filler", std::ios::binary);
    const std::string block(4096, 'x');
    while (out.write(block.data(), block.size())) {
    }
  }
  void Free() { fs::remove(dir_ + "/filler"); }
  void ReadOnly(bool ro) {
    ASSERT_EQ(mount("tmpfs", dir_.c_str(), "tmpfs",
                    MS_REMOUNT | (ro ? MS_RDONLY : 0), "size=512k"),
              0)
        << std::strerror(errno);
  }
  // The names in `sub`, temporaries included.
  std::vector<std::string> Names(const std::string& sub) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir_ + "/" + sub)) {
      out.push_back(e.path().filename().string());
    }
    return out;
  }

  bool mounted_ = false;
};

TEST_F(DiskFullTest, ASealedPutTheDiskRefusesIsUnavailableAndLeavesNothing) {
  auto store = SealedStore::Open(dir_ + "/sealed").value();
  const Hash id = Sha256Of("event");
  SealedStore::Material m{std::string(32, 'k'), std::string(32, 's'),
                          std::string(64 << 10, 'c')};
  auto allowed = [] { return absl::OkStatus(); };
  Fill();
  absl::Status s = store->Put(id, 0, m, allowed);
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable) << s;
  EXPECT_NE(s.message().find("No space left"), std::string::npos) << s;
  EXPECT_TRUE(Names("sealed").empty());  // no temporary left behind
  EXPECT_EQ(store->Get(id, 0).status().code(), absl::StatusCode::kNotFound);
  Free();
  ReadOnly(true);
  s = store->Put(id, 0, m, allowed);
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable) << s;
  EXPECT_NE(s.message().find("Read-only"), std::string::npos) << s;
  ReadOnly(false);
  ASSERT_TRUE(store->Put(id, 0, m, allowed).ok());
  EXPECT_EQ(store->Get(id, 0)->ciphertext, m.ciphertext);
  // Damaged on disk: DATA_LOSS naming the file.
  const std::string file = dir_ + "/sealed/" + Names("sealed")[0];
  ASSERT_TRUE(WriteFileDurably(file, "\x07garbage", 0600).ok());
  auto damaged = store->Get(id, 0);
  EXPECT_EQ(damaged.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(damaged.status().message().find(file), std::string::npos);
}

TEST_F(DiskFullTest, AWitnessThatCannotSaveItsStateCosignsNothing) {
  const SigningKey log = SigningKey::Generate(kOrigin, kKeyTypeEd25519).value();
  auto witness = Witness::Open(SigningKey::FromSeed("w1", kKeyTypeCosignature,
                                                    std::string(32, 'w'))
                                   .value(),
                               {log.verifier()}, dir_ + "/witness",
                               [] { return uint64_t{1700000000}; })
                     .value();
  const std::vector<Hash> leaves = testing::MakeLeafHashes(8);
  auto add = [&](uint64_t old, uint64_t size) {
    AddCheckpointRequest r;
    r.old_size = old;
    if (old > 0 && old < size)
      r.proof = testing::ReferenceConsistency(leaves, old, size);
    r.checkpoint =
        SignCheckpoint({kOrigin, size, testing::ReferenceRoot(leaves, 0, size)},
                       log)
            .value();
    return witness->AddCheckpoint(FormatAddCheckpoint(r));
  };
  ASSERT_EQ(add(0, 3).http_status, 200);
  Fill();
  WitnessAnswer full = add(3, 5);
  EXPECT_EQ(full.http_status, 503) << full.body;
  EXPECT_NE(full.body.find("nothing cosigned"), std::string::npos) << full.body;
  Free();
  ReadOnly(true);
  EXPECT_EQ(add(3, 5).http_status, 503);
  ReadOnly(false);
  // The state still says 3: a request from 5 is told so, one from 3 is
  // cosigned now.
  WitnessAnswer stale = add(5, 8);
  EXPECT_EQ(stale.http_status, 409);
  EXPECT_EQ(stale.body, "3\n");
  EXPECT_EQ(add(3, 5).http_status, 200);
}

TEST_F(DiskFullTest, AHighWaterMarkThatCannotBeSavedStaysWhereItWas) {
  const std::string key_path = dir_ + "/log.key";
  auto key = SigningKey::Generate(kOrigin, kKeyTypeEd25519).value();
  ASSERT_TRUE(WriteFileDurably(key_path, key.ToString(), 0600).ok());
  auto signer = LogSigner::Open(key_path).value();
  ASSERT_TRUE(signer->Advance(4).ok());
  Fill();
  absl::Status s = signer->Advance(9);
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable) << s;
  EXPECT_EQ(signer->high_water_mark(), 4u);
  EXPECT_EQ(LogSigner::Open(key_path).value()->high_water_mark(), 4u);
  Free();
  ASSERT_TRUE(signer->Advance(9).ok());
  EXPECT_EQ(LogSigner::Open(key_path).value()->high_water_mark(), 9u);
}

}  // namespace
}  // namespace ailedger
