// The real ailedgerd with its data directory on a real disk that fills up (a
// small tmpfs mounted for the test; root only, skipped saying why elsewhere).
// An append RocksDB cannot make durable is refused with UNAVAILABLE and never
// acknowledged; reads go on; once space is freed appends go on by themselves;
// after a restart every acknowledged entry is there and the log verifies.
#include <sys/mount.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/testing/e2e_fixture.h"

namespace ailedger {
namespace {

namespace fs = std::filesystem;
using testing::E2eTest;

class DiskFullE2eTest : public E2eTest {
 protected:
  void SetUp() override {
    E2eTest::SetUp();
    server_->Stop(SIGTERM);
    // The store moves onto a 32 MiB tmpfs mounted where it was.
    fs::rename(Path("data"), Path("data.orig"));
    fs::create_directories(Path("data"));
    if (mount("tmpfs", Path("data").c_str(), "tmpfs", 0, "size=32m") != 0) {
      GTEST_SKIP() << "mounting a tmpfs needs root (CAP_SYS_ADMIN): "
                   << std::strerror(errno);
    }
    mounted_ = true;
    fs::copy(Path("data.orig"), Path("data"), fs::copy_options::recursive);
    StartServer();
  }
  void TearDown() override {
    if (server_) server_->Stop(SIGTERM);
    if (mounted_) umount2(Path("data").c_str(), MNT_DETACH);
    E2eTest::TearDown();
  }
  void Fill() {
    std::ofstream out(Path("data/filler"), std::ios::binary);
    const std::string block(1 << 16, 'x');
    while (out.write(block.data(), block.size())) {
    }
  }

  bool mounted_ = false;
};

TEST_F(DiskFullE2eTest, AnAppendTheDiskRefusesIsUnavailableAndLogsNothing) {
  ASSERT_NO_FATAL_FAILURE(AppendEvents(0, 5));
  const uint64_t before = Size();
  auto client = Client(nullptr);
  const SigningKey publisher = LoadKey("publisher");
  Fill();
  // The first write to hit the full disk is refused; so is every append
  // while the disk stays full.
  int refused = 0;
  for (int i = 0; i < 30 && refused < 3; ++i) {
    auto r = client->Append(Signed(publisher, "RiskAssessed", "full", i));
    if (r.ok()) continue;  // bytes RocksDB had room for already
    EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable) << r.status();
    EXPECT_NE(r.status().message().find("not acknowledged"), std::string::npos)
        << r.status();
    ++refused;
  }
  ASSERT_EQ(refused, 3) << "the full disk never refused a write"
                        << server_->output();
  const uint64_t during = Size();  // reads go on
  EXPECT_GE(during, before);

  fs::remove(Path("data/filler"));
  absl::StatusOr<v1::Receipt> after = absl::UnknownError("not tried");
  for (int i = 0; i < 50 && !after.ok(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    after = client->Append(Signed(publisher, "RiskAssessed", "freed", i));
  }
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_GE(after->index(), during);

  server_->Stop(SIGTERM);
  StartServer();
  EXPECT_EQ(Size(), after->index() + 1);
  ASSERT_NO_FATAL_FAILURE(ExportBundle("after.bundle"));
  auto v = Cli({"verify", Path("after.bundle"), "--vkey", Vkey("log"),
                "--admin-vkey", Vkey("admin")});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
}

}  // namespace
}  // namespace ailedger
