#include "server/sealed_backup.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "ledger/base/backup_files.h"
#include "ledger/base/clock.h"
#include "ledger/base/file_util.h"

namespace ailedger {
namespace {

namespace fs = std::filesystem;

// "<64 hex>.<attachment>", as SealedStore::PathOf names material.
bool IsMaterialName(const std::string& name) {
  if (name.size() < 66 || name[64] != '.') return false;
  for (size_t i = 0; i < 64; ++i) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(name[i]))) {
      return false;
    }
  }
  uint32_t n;
  return absl::SimpleAtoi(name.substr(65), &n) &&
         absl::StrCat(n) == name.substr(65);
}

// The copy holds a whole file: version byte 1 (an erasure zeroes it).
absl::StatusOr<bool> WholeMaterial(const std::string& path) {
  auto bytes = ReadSmallFile(path, 1 << 30);
  if (!bytes.ok()) return bytes.status();
  return !bytes->empty() && (*bytes)[0] == '\1' && bytes->size() >= 65;
}

}  // namespace

absl::StatusOr<size_t> BackUpSealedStore(const std::string& sealed_dir,
                                         const std::string& dest) {
  std::error_code ec;
  if (!fs::is_directory(sealed_dir, ec)) {
    return absl::NotFoundError(
        absl::StrCat("--sealed-store ", sealed_dir, ": not a directory"));
  }
  auto partial = StartBackupDir(dest);
  if (!partial.ok()) return partial.status();
  const std::string out = absl::StrCat(*partial, "/", kSealedBackupDir);
  if (mkdir(out.c_str(), 0700) != 0) {
    return FileError("backup: cannot make", out, errno);
  }
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(sealed_dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (IsMaterialName(name) && entry.is_regular_file(ec)) {
      names.push_back(name);
    }
  }
  if (ec) {
    return absl::InternalError(
        absl::StrCat("backup: cannot list ", sealed_dir, ": ", ec.message()));
  }
  size_t copied = 0;
  for (const std::string& name : names) {
    const std::string from = absl::StrCat(sealed_dir, "/", name);
    const std::string to = absl::StrCat(out, "/", name);
    absl::Status s = CopyFileDurably(from, to);
    if (absl::IsNotFound(s) || (!s.ok() && !fs::exists(from, ec))) {
      unlink(to.c_str());  // erased while listed
      continue;
    }
    if (!s.ok()) return s;
    auto whole = WholeMaterial(to);
    if (!whole.ok()) return whole.status();
    if (!*whole) {  // erased while read
      unlink(to.c_str());
      continue;
    }
    ++copied;
  }
  BackupManifest m;
  m.kind = "sealed-store";
  m.time_ms = NowMs();
  if (auto s = FinishBackupDir(*partial, dest, m); !s.ok()) return s;
  return copied;
}

absl::StatusOr<size_t> RestoreSealedStore(const std::string& from,
                                          const std::string& sealed_dir) {
  auto m = ReadVerifiedBackup(from, "sealed-store");
  if (!m.ok()) return m.status();
  auto n =
      RestoreFiles(from, *m, absl::StrCat(kSealedBackupDir, "/"), sealed_dir);
  if (!n.ok()) return n.status();
  std::error_code ec;
  fs::permissions(sealed_dir, fs::perms::owner_all, ec);
  return n;
}

}  // namespace ailedger
