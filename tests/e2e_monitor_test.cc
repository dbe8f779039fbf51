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
  // A round exits with `code` and says `fragment` (on stdout when it passes,
  // on stderr when it fails); whether the exit code was `code`.
  bool ExpectRound(int code, const std::string& fragment) {
    auto r = Monitor();
    EXPECT_EQ(r.exit_code, code) << r.out << r.err;
    const std::string& said = code == 0 ? r.out : r.err;
    EXPECT_NE(said.find(fragment), std::string::npos) << said;
    return r.exit_code == code;
  }
};

TEST_F(MonitorTest, FollowsTheLogAndReportsAFork) {
  AppendEvents(0, 3);
  ASSERT_TRUE(ExpectRound(0, "up to size 5"));
  // An old copy of the store, taken now.
  ASSERT_NO_FATAL_FAILURE(StopAndBackUpStore());
  StartServer();
  AppendEvents(10, 2);
  ASSERT_TRUE(ExpectRound(0, "up to size 7 (+2 entries)"));
  EXPECT_EQ(Monitor().exit_code, 0);  // nothing new
  // The operator restores the old copy, removes the high-water mark and appends
  // other events.
  ASSERT_NO_FATAL_FAILURE(StopAndRestoreBackup());
  StartServer();
  AppendEvents(20, 4);
  ExpectRound(1, "split view or rewrite");
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
