// ailedger monitor follows the real ailedgerd; shown a forked history (an
// operator restores an old copy, defeats the high-water mark and appends
// something else) it reports the split view with evidence and exits 1.
#include <filesystem>

#include "ledger/base/file_util.h"
#include "tests/testing/e2e_fixture.h"

namespace ailedger {
namespace {

using testing::E2eTest;

class MonitorTest : public E2eTest {
 protected:
  testing::ProcessResult Monitor() {
    return Cli({"monitor", "--once", "--state", Path("monitor"), "--vkey",
                Vkey("log"), "--admin-vkey", Vkey("admin"), "--key",
                Path("admin.key")});
  }
  void Append(int first, int n) {
    auto client = Client(nullptr);
    for (int i = first; i < first + n; ++i) {
      ASSERT_TRUE(
          client->Append(Signed(LoadKey("publisher"), "RiskAssessed", "s", i))
              .ok());
    }
  }
};

TEST_F(MonitorTest, FollowsTheLogAndReportsAFork) {
  Append(0, 3);
  auto first = Monitor();
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  EXPECT_NE(first.out.find("up to size 5"), std::string::npos) << first.out;
  // An old copy of the store, taken now.
  ASSERT_EQ(server_->Stop(SIGTERM), 0);
  std::filesystem::copy(Path("data"), Path("old"),
                        std::filesystem::copy_options::recursive);
  StartServer();
  Append(10, 2);
  auto second = Monitor();
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
  EXPECT_NE(second.out.find("up to size 7 (+2 entries)"), std::string::npos)
      << second.out;
  EXPECT_EQ(Monitor().exit_code, 0);  // nothing new
  // The operator restores the old copy, removes the high-water mark and appends
  // other events.
  ASSERT_EQ(server_->Stop(SIGTERM), 0);
  std::filesystem::remove_all(Path("data"));
  std::filesystem::rename(Path("old"), Path("data"));
  std::filesystem::remove(Path("log.key.hwm"));
  StartServer();
  Append(20, 4);
  auto forked = Monitor();
  EXPECT_EQ(forked.exit_code, 1) << forked.out << forked.err;
  EXPECT_NE(forked.err.find("split view or rewrite"), std::string::npos)
      << forked.err;
  bool evidence = false;
  for (const auto& e : std::filesystem::directory_iterator(Path("monitor"))) {
    if (e.path().filename().string().rfind("evidence-", 0) != 0) continue;
    evidence = std::filesystem::exists(e.path() / "verified.checkpoint") &&
               std::filesystem::exists(e.path() / "served.checkpoint") &&
               std::filesystem::exists(e.path() / "bundle");
  }
  EXPECT_TRUE(evidence);
}

}  // namespace
}  // namespace ailedger
