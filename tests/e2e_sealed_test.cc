// Sealed personal data through the real server and CLI: encrypted before
// signing, clear text only for admins, auditors and the author, erasure leaves
// the log verifiable and the clear text unrecoverable.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ledger/base/file_util.h"
#include "tests/testing/e2e_fixture.h"

namespace ailedger {
namespace {

using testing::E2eTest;

constexpr char kSecret[] = "Jane Doe <jane.doe@example.com>, +44 20 7946 0000";

bool FileContains(const std::filesystem::path& file,
                  const std::string& needle) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str().find(needle) != std::string::npos;
}

// A file, or every file under a directory.
bool AnyFileContains(const std::string& path, const std::string& needle) {
  if (!std::filesystem::is_directory(path)) return FileContains(path, needle);
  for (const auto& f : std::filesystem::recursive_directory_iterator(path)) {
    if (f.is_regular_file() && FileContains(f.path(), needle)) return true;
  }
  return false;
}

class SealedTest : public E2eTest {
 protected:
};

TEST_F(SealedTest, SealUnsealEraseAndTheLogStillVerifies) {
  server_->Stop(SIGTERM);
  StartServer({"--sealed-store", Path("sealed")});
  Grant("reader", "reader");
  std::string id;
  ASSERT_NO_FATAL_FAILURE(PushSealedFeedback(kSecret, &id));
  // The log holds only the commitment.
  EXPECT_FALSE(AnyFileContains(Path("data"), "jane.doe@example.com"));
  auto by_admin = Cli({"unseal", "--id", id, "--attachment", "0", "--out",
                       Path("a.txt"), "--key", Path("admin.key")});
  ASSERT_EQ(by_admin.exit_code, 0) << by_admin.err;
  EXPECT_EQ(ReadSmallFile(Path("a.txt")).value(), kSecret);
  EXPECT_EQ(Cli({"unseal", "--id", id, "--attachment", "0", "--out",
                 Path("p.txt"), "--key", Path("publisher.key")})
                .exit_code,
            0);  // the author
  auto by_reader = Cli({"unseal", "--id", id, "--attachment", "0", "--out",
                        Path("r.txt"), "--key", Path("reader.key")});
  EXPECT_EQ(by_reader.exit_code, 1);
  EXPECT_NE(by_reader.err.find("only to admins, auditors"), std::string::npos)
      << by_reader.err;

  auto erase = Cli({"erase", "--id", id, "--attachment", "0", "--basis",
                    "GDPR Art. 17(1)(a)", "--key", Path("admin.key")});
  ASSERT_EQ(erase.exit_code, 0) << erase.err;
  auto gone = Cli({"unseal", "--id", id, "--attachment", "0", "--out",
                   Path("g.txt"), "--key", Path("admin.key")});
  EXPECT_EQ(gone.exit_code, 1);
  EXPECT_NE(gone.err.find("erased"), std::string::npos) << gone.err;
  EXPECT_TRUE(std::filesystem::is_empty(Path("sealed")));
  EXPECT_EQ(Cli({"erase", "--id", id, "--attachment", "0", "--basis", "again",
                 "--key", Path("admin.key")})
                .exit_code,
            1);
  // Every leaf, checkpoint and proof still verifies.
  ASSERT_EQ(
      Cli({"export", "--out", Path("b"), "--key", Path("admin.key")}).exit_code,
      0);
  auto v = Cli({"verify", Path("b"), "--vkey", Vkey("log"), "--admin-vkey",
                Vkey("admin")});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_FALSE(AnyFileContains(Path("b"), "jane.doe@example.com"));
}

}  // namespace
}  // namespace ailedger
