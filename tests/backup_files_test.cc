// A backup's manifest and files (ledger/base/backup_files.h) and the server's
// control socket (server/admin_socket.h), without a server.
#include "ledger/base/backup_files.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>

#include "gtest/gtest.h"
#include "ledger/base/file_util.h"
#include "server/admin_socket.h"
#include "tests/testing/temp_dir.h"

namespace ailedger {
namespace {

namespace fs = std::filesystem;

BackupManifest LogManifest() {
  BackupManifest m;
  m.kind = "log";
  m.origin = "example.org/log";
  m.size = 12;
  m.root = "RNOYrQikLplE+aIWMChFvZMqY6sHHhxU0LSasmLCYDQ=";
  m.format_version = 2;
  m.time_ms = 1764576000000;  // 2025-12-01T08:00:00Z
  m.files = {{"checkpoint.note", std::string(64, 'a')},
             {"store/CURRENT", std::string(64, 'b')}};
  return m;
}

TEST(BackupManifestTest, RoundTripsAndRefusesWhatIsNotOne) {
  const std::string text = EncodeManifest(LogManifest());
  EXPECT_NE(text.find("time 2025-12-01T08:00:00Z\n"), std::string::npos)
      << text;
  auto back = ParseManifest(text);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(EncodeManifest(*back), text);
  EXPECT_EQ(back->time_ms, 1764576000000);
  auto with = [&](const std::string& from, const std::string& to) {
    std::string t = text;
    t.replace(t.find(from), from.size(), to);
    return ParseManifest(t).status();
  };
  EXPECT_EQ(with("store/CURRENT", "../CURRENT").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(with("store/CURRENT", "/etc/passwd").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(with("store/CURRENT", "checkpoint.note").code(),
            absl::StatusCode::kInvalidArgument);  // listed twice
  EXPECT_EQ(with(std::string(64, 'a'), std::string(64, 'A')).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(with("size 12", "size x").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(with("root R", "root !").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(with("ailedger-backup/v1", "ailedger-backup/v2").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(ParseManifest(text.substr(0, text.size() - 1)).ok());
}

// A backup appears only when whole; a file changed or lost after it was made
// is found; a restore copies what the manifest lists and checks it again.
TEST(BackupFilesTest, ABackupIsCheckedFileByFile) {
  const std::string base = testing::FreshTempPath("backup-files");
  fs::create_directories(base);
  const std::string dest = base + "/b";
  auto partial = StartBackupDir(dest);
  ASSERT_TRUE(partial.ok()) << partial.status();
  EXPECT_FALSE(fs::exists(dest));
  EXPECT_EQ(StartBackupDir(dest).status().code(),
            absl::StatusCode::kFailedPrecondition)  // interrupted: say so
      << "a second backup to the same place";
  fs::create_directories(*partial + "/store");
  ASSERT_TRUE(WriteFileDurably(*partial + "/store/a", "alpha").ok());
  ASSERT_TRUE(WriteFileDurably(*partial + "/note", "beta").ok());
  BackupManifest m;
  m.kind = "sealed-store";
  ASSERT_TRUE(FinishBackupDir(*partial, dest, m).ok());
  EXPECT_FALSE(fs::exists(*partial));
  auto read = ReadVerifiedBackup(dest, "sealed-store");
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->files.size(), 2u);
  EXPECT_EQ(read->files[1].first, "store/a");
  EXPECT_EQ(ReadVerifiedBackup(dest, "log").status().code(),
            absl::StatusCode::kInvalidArgument);  // another kind

  auto n = RestoreFiles(dest, *read, "store/", base + "/restored");
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(*n, 1u);
  EXPECT_EQ(ReadSmallFile(base + "/restored/a").value(), "alpha");
  EXPECT_FALSE(RestoreFiles(dest, *read, "store/", base + "/restored").ok())
      << "never onto an existing directory";

  ASSERT_TRUE(WriteFileDurably(dest + "/store/a", "alphA").ok());
  auto changed = ReadVerifiedBackup(dest, "sealed-store");
  EXPECT_EQ(changed.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(changed.status().message().find("store/a"), std::string::npos);
  fs::remove(dest + "/store/a");
  EXPECT_EQ(ReadVerifiedBackup(dest, "sealed-store").status().code(),
            absl::StatusCode::kDataLoss);
  fs::remove_all(base);
}

TEST(AdminSocketTest, AnswersOneLineRequestsAndIsGoneWhenStopped) {
  const std::string dir = testing::FreshTempPath("admin");
  fs::create_directories(dir);
  const std::string path = AdminSocketPath(dir);
  EXPECT_EQ(AdminRequest(path, "checkpoint", "/x", 1000).code(),
            absl::StatusCode::kNotFound);  // no server
  {  // A socket file left by a server that died is replaced.
    const int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::strcpy(a.sun_path, path.c_str());
    ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    close(fd);
  }
  EXPECT_EQ(AdminRequest(path, "checkpoint", "/x", 1000).code(),
            absl::StatusCode::kNotFound);  // stale
  std::string seen;
  auto socket = AdminSocket::Listen(
      path, [&](absl::string_view command, absl::string_view arg) {
        seen = std::string(command) + "|" + std::string(arg);
        if (arg == "/bad") {
          return absl::ResourceExhaustedError("disk\nfull");
        }
        return absl::OkStatus();
      });
  ASSERT_TRUE(socket.ok()) << socket.status();
  EXPECT_EQ(fs::status(path).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_TRUE(AdminRequest(path, "checkpoint", "/a b", 5000).ok());
  EXPECT_EQ(seen, "checkpoint|/a b");
  absl::Status bad = AdminRequest(path, "checkpoint", "/bad", 5000);
  EXPECT_EQ(bad.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(bad.message(), "disk full");
  EXPECT_EQ(AdminRequest(path, "checkpoint", "/a\n/b", 5000).code(),
            absl::StatusCode::kInvalidArgument);
  socket->reset();
  EXPECT_FALSE(fs::exists(path));
  EXPECT_EQ(AdminSocket::Listen(dir + "/" + std::string(120, 'x'), nullptr)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace ailedger
