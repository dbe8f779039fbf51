// The sealed store on its own: a put racing an erase never leaves material
// behind, concurrent puts of one attachment all succeed, an erase that cannot
// destroy the file says so, and the --sealed-store path check compares
// canonical paths component by component (issue 10, flaws 3 and 10).
#include "server/sealed_store.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace ailedger {
namespace {

namespace fs = std::filesystem;

class SealedStoreTest : public testing::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    auto s = SealedStore::Open(dir_ + "/sealed");
    ASSERT_TRUE(s.ok()) << s.status();
    store_ = *std::move(s);
    id_.fill(0xab);
  }
  std::string FileOf(uint32_t n) const {
    return absl::StrCat(dir_, "/sealed/", ToHex(id_), ".", n);
  }
  static SealedStore::Material Material(char fill) {
    return {std::string(32, fill), std::string(32, 's'), "ciphertext"};
  }
  int Temporaries() const {
    int n = 0;
    for (const auto& f : fs::directory_iterator(dir_ + "/sealed"))
      n += f.path().filename().string().find(".tmp.") != std::string::npos;
    return n;
  }

  std::unique_ptr<SealedStore> store_;
  Hash id_;
};

absl::Status Allowed() { return absl::OkStatus(); }

// The sequencer commits the marker, then erases; the put checks the marker
// under the attachment's lock. Whichever runs first, no file remains.
TEST_F(SealedStoreTest, PutRacingAnEraseNeverLeavesMaterialBehind) {
  int put_won = 0;
  for (uint32_t round = 0; round < 300; ++round) {
    std::atomic<bool> marker{false};
    std::atomic<int> ready{0};
    absl::Status put;
    std::thread putter([&] {
      ready++;
      while (ready < 2) {
      }
      put = store_->Put(id_, round, Material('k'), [&]() -> absl::Status {
        if (marker) return absl::FailedPreconditionError("erased");
        return absl::OkStatus();
      });
    });
    ready++;
    while (ready < 2) {
    }
    marker = true;  // the Erasure's batch is committed
    ASSERT_TRUE(store_->Erase(id_, round).ok());
    putter.join();
    put_won += put.ok();
    ASSERT_TRUE(put.ok() || absl::IsFailedPrecondition(put)) << put;
    EXPECT_FALSE(fs::exists(FileOf(round))) << "round " << round;
    EXPECT_TRUE(absl::IsNotFound(store_->Get(id_, round).status()));
  }
  EXPECT_EQ(Temporaries(), 0);
  std::printf("put landed before the erase in %d of 300 rounds\n", put_won);
}

TEST_F(SealedStoreTest, ConcurrentPutsOfOneAttachmentAllSucceed) {
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        absl::Status s = store_->Put(id_, 0, Material('a' + t), Allowed);
        if (!s.ok()) {
          ++failures;
          ADD_FAILURE() << s;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  auto m = store_->Get(id_, 0);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->ciphertext, "ciphertext");
  EXPECT_EQ(Temporaries(), 0);
}

// A directory where the file should be (root ignores permission bits, so
// that is the obstacle a test can rely on).
TEST_F(SealedStoreTest, EraseThatCannotDestroyTheFileIsAnError) {
  fs::create_directories(FileOf(0) + "/x");
  absl::Status s = store_->Erase(id_, 0);
  EXPECT_TRUE(absl::IsInternal(s)) << s;
  EXPECT_NE(s.message().find(FileOf(0)), absl::string_view::npos) << s;
  EXPECT_NE(s.message().find("Is a directory"), absl::string_view::npos) << s;
  EXPECT_TRUE(fs::exists(FileOf(0)));
}

TEST_F(SealedStoreTest, EraseZeroesAndRemovesTheFileAndIsOkWhenNothingIsThere) {
  ASSERT_TRUE(store_->Put(id_, 0, Material('k'), Allowed).ok());
  ASSERT_TRUE(fs::exists(FileOf(0)));
  EXPECT_TRUE(store_->Erase(id_, 0).ok());
  EXPECT_FALSE(fs::exists(FileOf(0)));
  EXPECT_TRUE(store_->Erase(id_, 0).ok());
}

// A symlink in the store is removed, its target never overwritten.
TEST_F(SealedStoreTest, EraseRemovesASymlinkWithoutWritingThroughIt) {
  const std::string target = dir_ + "/elsewhere";
  std::ofstream(target) << "not sealed material";
  fs::create_symlink(target, FileOf(0));
  EXPECT_TRUE(store_->Erase(id_, 0).ok());
  EXPECT_FALSE(fs::is_symlink(FileOf(0)));
  std::ifstream in(target);
  std::string text;
  std::getline(in, text);
  EXPECT_EQ(text, "not sealed material");
}

TEST_F(SealedStoreTest, PutRefusedByItsPreconditionWritesNothing) {
  absl::Status s = store_->Put(id_, 0, Material('k'), [] {
    return absl::FailedPreconditionError("attachment: erased");
  });
  EXPECT_EQ(s, absl::FailedPreconditionError("attachment: erased"));
  EXPECT_TRUE(fs::is_empty(dir_ + "/sealed"));
}

TEST_F(SealedStoreTest, SweepDestroysErasedMaterialAndUnfinishedPuts) {
  ASSERT_TRUE(store_->Put(id_, 0, Material('k'), Allowed).ok());
  ASSERT_TRUE(store_->Put(id_, 1, Material('k'), Allowed).ok());
  std::ofstream(FileOf(2) + ".tmp.Ab12Cd") << "a crashed put";
  std::ofstream(dir_ + "/sealed/README") << "not ours";
  auto swept = store_->Sweep([](const Hash&, uint32_t n) { return n == 1; });
  ASSERT_TRUE(swept.ok()) << swept.status();
  EXPECT_EQ(*swept, 2);
  EXPECT_TRUE(fs::exists(FileOf(0)));
  EXPECT_FALSE(fs::exists(FileOf(1)));
  EXPECT_EQ(Temporaries(), 0);
  EXPECT_TRUE(fs::exists(dir_ + "/sealed/README"));
}

class SealedStorePathTest : public SealedStoreTest {
 protected:
  absl::Status Check(const std::string& sealed, const std::string& data) {
    return CheckSealedStoreOutside(sealed, data);
  }
};

TEST_F(SealedStorePathTest, InsideTheDataDirectoryIsRefusedHoweverSpelled) {
  const std::string data = dir_ + "/data";
  fs::create_directories(data);
  fs::create_directory_symlink(data, dir_ + "/link");
  for (const std::string& inside :
       {data, data + "/", data + "/sealed", data + "/./a/../sealed",
        dir_ + "/x/../data/sealed", dir_ + "/link/sealed", dir_ + "/link"}) {
    absl::Status s = Check(inside, data);
    EXPECT_TRUE(absl::IsInvalidArgument(s)) << inside;
    EXPECT_NE(s.message().find("is inside --data"), absl::string_view::npos)
        << s;
  }
  EXPECT_FALSE(Check(data + "/sealed", dir_ + "/./data/").ok());
  EXPECT_FALSE(Check(data + "/sealed", dir_ + "/link").ok());
}

TEST_F(SealedStorePathTest, BesideTheDataDirectoryIsAccepted) {
  const std::string data = dir_ + "/data";
  fs::create_directories(data);
  EXPECT_TRUE(Check(dir_ + "/data-sealed", data).ok());
  EXPECT_TRUE(Check(dir_ + "/dat", data).ok());
  EXPECT_TRUE(Check(dir_ + "/sealed", data).ok());
}

}  // namespace
}  // namespace ailedger
