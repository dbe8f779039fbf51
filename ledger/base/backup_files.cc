#include "ledger/base/backup_files.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "ledger/base/base64.h"
#include "ledger/base/file_util.h"

namespace ailedger {
namespace {

namespace fs = std::filesystem;

constexpr char kMagic[] = "ailedger-backup/v1";
constexpr char kTimeFormat[] = "%Y-%m-%dT%H:%M:%SZ";

std::string Hex(const unsigned char* bytes, size_t n) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kDigits[bytes[i] >> 4]);
    out.push_back(kDigits[bytes[i] & 15]);
  }
  return out;
}

bool IsHexSha256(absl::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string FormatUtc(int64_t ms) {
  const time_t t = static_cast<time_t>(ms / 1000);
  struct tm tm;
  char buf[32];
  if (gmtime_r(&t, &tm) == nullptr ||
      strftime(buf, sizeof buf, kTimeFormat, &tm) == 0) {
    return "1970-01-01T00:00:00Z";
  }
  return buf;
}

bool ParseUtc(absl::string_view text, int64_t* ms) {
  struct tm tm = {};
  const std::string s(text);
  const char* end = strptime(s.c_str(), kTimeFormat, &tm);
  if (end == nullptr || *end != '\0') return false;
  *ms = static_cast<int64_t>(timegm(&tm)) * 1000;
  return true;
}

absl::Status Errno(absl::string_view what, const std::string& path,
                   bool reading = false) {
  return FileError(absl::StrCat("backup: cannot ", what), path, errno, reading);
}

absl::Status Bad(size_t line, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("manifest line ", line, ": ", why));
}

bool SafeRelativePath(absl::string_view p) {
  if (p.empty() || p[0] == '/' || absl::StrContains(p, '\n')) return false;
  for (absl::string_view part : absl::StrSplit(p, '/')) {
    if (part.empty() || part == "." || part == "..") return false;
  }
  return true;
}

// Reads `fd` to its end, hashing it, and writes what it read to `out` (if
// not -1).
absl::StatusOr<std::string> HashAndCopy(int fd, const std::string& path,
                                        int out, const std::string& out_path) {
  crypto_hash_sha256_state sha;
  crypto_hash_sha256_init(&sha);
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Errno("read", path, /*reading=*/true);
    if (n == 0) break;
    crypto_hash_sha256_update(&sha, reinterpret_cast<unsigned char*>(buf),
                              static_cast<unsigned long long>(n));
    for (ssize_t done = 0; out >= 0 && done < n;) {
      const ssize_t w = write(out, buf + done, static_cast<size_t>(n - done));
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) return Errno("write", out_path);
      done += w;
    }
  }
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&sha, digest);
  return Hex(digest, sizeof digest);
}

}  // namespace

std::string EncodeManifest(const BackupManifest& m) {
  std::string out = absl::StrCat(kMagic, "\nkind ", m.kind, "\n");
  if (m.kind == "log") {
    absl::StrAppend(&out, "origin ", m.origin, "\nsize ", m.size, "\nroot ",
                    m.root, "\nformat-version ", m.format_version, "\n");
  }
  absl::StrAppend(&out, "time ", FormatUtc(m.time_ms), "\n");
  for (const auto& [path, hash] : m.files) {
    absl::StrAppend(&out, "file ", hash, " ", path, "\n");
  }
  return out;
}

absl::StatusOr<BackupManifest> ParseManifest(absl::string_view text) {
  if (!absl::ConsumeSuffix(&text, "\n")) return Bad(0, "no final line break");
  std::vector<absl::string_view> lines = absl::StrSplit(text, '\n');
  if (lines[0] != kMagic) return Bad(1, "not an ailedger backup manifest");
  BackupManifest m;
  std::set<std::string> paths;
  bool has_time = false;
  for (size_t i = 1; i < lines.size(); ++i) {
    const size_t space = lines[i].find(' ');
    if (space == absl::string_view::npos) return Bad(i + 1, "no value");
    const absl::string_view key = lines[i].substr(0, space);
    const absl::string_view value = lines[i].substr(space + 1);
    const bool log = m.kind == "log";
    if (i == 1) {
      if (key != "kind") return Bad(i + 1, "expected kind");
      m.kind = std::string(value);
    } else if (log && key == "origin" && i == 2) {
      m.origin = std::string(value);
    } else if (log && key == "size" && i == 3) {
      if (!absl::SimpleAtoi(value, &m.size)) return Bad(i + 1, "bad size");
    } else if (log && key == "root" && i == 4) {
      auto bytes = Base64Decode(value, "root");
      if (!bytes.ok() || bytes->size() != 32) return Bad(i + 1, "bad root");
      m.root = std::string(value);
    } else if (log && key == "format-version" && i == 5) {
      if (!absl::SimpleAtoi(value, &m.format_version)) {
        return Bad(i + 1, "bad format version");
      }
    } else if (key == "time" && i == (log ? 6u : 2u)) {
      if (!ParseUtc(value, &m.time_ms)) return Bad(i + 1, "bad time");
      has_time = true;
    } else if (key == "file" && has_time) {
      const size_t sp = value.find(' ');
      if (sp != 64) return Bad(i + 1, "expected SHA256HEX PATH");
      const std::string path(value.substr(65));
      if (!IsHexSha256(value.substr(0, 64))) return Bad(i + 1, "bad SHA-256");
      if (!SafeRelativePath(path) || !paths.insert(path).second ||
          path == kBackupManifestName) {
        return Bad(i + 1, absl::StrCat("bad or repeated path '", path, "'"));
      }
      m.files.emplace_back(path, std::string(value.substr(0, 64)));
    } else {
      return Bad(i + 1, absl::StrCat("unexpected '", key, "'"));
    }
  }
  if (!has_time) return Bad(lines.size(), "incomplete");
  std::sort(m.files.begin(), m.files.end());
  return m;
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> HashFiles(
    const std::string& dir,
    const std::function<bool(const std::string&)>& skip) {
  std::vector<std::pair<std::string, std::string>> out;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    const fs::file_status st = it->symlink_status(ec);
    if (ec) break;
    if (fs::is_directory(st)) continue;
    const std::string rel = fs::relative(it->path(), dir, ec).string();
    if (ec) break;
    if (skip && skip(rel)) continue;
    if (!fs::is_regular_file(st)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "backup: ", it->path().string(), " is not a regular file"));
    }
    const int fd = open(it->path().c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return Errno("open", it->path().string(), true);
    auto h = HashAndCopy(fd, it->path().string(), -1, "");
    close(fd);
    if (!h.ok()) return h.status();
    out.emplace_back(rel, *h);
  }
  if (ec) {
    return absl::InternalError(
        absl::StrCat("backup: cannot list ", dir, ": ", ec.message()));
  }
  std::sort(out.begin(), out.end());
  return out;
}

absl::Status CopyFileDurably(const std::string& from, const std::string& to,
                             const std::string& expect) {
  const int in = open(from.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (in < 0) return Errno("open", from, true);
  const int out = open(
      to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (out < 0) {
    absl::Status s = Errno("create", to);
    close(in);
    return s;
  }
  auto h = HashAndCopy(in, from, out, to);
  absl::Status s = h.status();
  if (s.ok() && fsync(out) != 0) s = Errno("fsync", to);
  close(in);
  if (close(out) != 0 && s.ok()) s = Errno("close", to);
  if (s.ok() && !expect.empty() && *h != expect) {
    s = absl::DataLossError(absl::StrCat(
        "backup: ", from, " does not have the SHA-256 its manifest names"));
  }
  return s;
}

absl::Status SyncDirectory(const std::string& dir) {
  const int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Errno("open", dir);
  const bool ok = fsync(fd) == 0;
  close(fd);
  return ok ? absl::OkStatus() : Errno("fsync", dir);
}

absl::StatusOr<BackupManifest> ReadVerifiedBackup(const std::string& dir,
                                                  const std::string& kind) {
  const std::string path = absl::StrCat(dir, "/", kBackupManifestName);
  auto text = ReadSmallFile(path);
  if (!text.ok()) {
    return absl::NotFoundError(
        absl::StrCat(dir, " is not a backup: ", text.status().message()));
  }
  auto m = ParseManifest(*text);
  if (!m.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", m.status().message()));
  }
  if (m->kind != kind) {
    return absl::InvalidArgumentError(
        absl::StrCat(dir, " is a backup of a ", m->kind, ", not of a ", kind));
  }
  auto found = HashFiles(
      dir, [](const std::string& rel) { return rel == kBackupManifestName; });
  if (!found.ok()) return found.status();
  for (const auto& [rel, hash] : m->files) {
    auto it = std::lower_bound(found->begin(), found->end(),
                               std::make_pair(rel, std::string()));
    if (it == found->end() || it->first != rel) {
      return absl::DataLossError(
          absl::StrCat("backup ", dir, ": ", rel, " is missing"));
    }
    if (it->second != hash) {
      return absl::DataLossError(absl::StrCat(
          "backup ", dir, ": ", rel,
          " does not have the SHA-256 the manifest names (altered or "
          "damaged)"));
    }
  }
  return m;
}

absl::StatusOr<std::string> StartBackupDir(const std::string& dest) {
  std::error_code ec;
  const std::string partial = dest + kBackupPartialSuffix;
  if (fs::exists(fs::symlink_status(dest, ec))) {
    return absl::FailedPreconditionError(
        absl::StrCat(dest, " exists: a backup goes to a new directory"));
  }
  if (fs::exists(fs::symlink_status(partial, ec))) {
    return absl::FailedPreconditionError(absl::StrCat(
        partial, " exists: an earlier backup was interrupted; remove it"));
  }
  if (mkdir(partial.c_str(), 0700) != 0) return Errno("make", partial);
  return partial;
}

absl::Status FinishBackupDir(const std::string& partial,
                             const std::string& dest, BackupManifest m) {
  auto files = HashFiles(partial);
  if (!files.ok()) return files.status();
  m.files = *std::move(files);
  if (auto s = WriteFileDurably(absl::StrCat(partial, "/", kBackupManifestName),
                                EncodeManifest(m), 0600, IfExists::kRefuse);
      !s.ok())
    return s;
  for (const auto& [rel, hash] : m.files) {
    const std::string parent =
        fs::path(absl::StrCat(partial, "/", rel)).parent_path().string();
    if (auto s = SyncDirectory(parent); !s.ok()) return s;
  }
  if (rename(partial.c_str(), dest.c_str()) != 0) {
    return Errno("rename to " + dest, partial);
  }
  const std::string parent = fs::absolute(dest).parent_path().string();
  return SyncDirectory(parent);
}

absl::StatusOr<size_t> RestoreFiles(const std::string& backup,
                                    const BackupManifest& manifest,
                                    const std::string& prefix,
                                    const std::string& to) {
  std::error_code ec;
  if (!fs::create_directory(to, ec) || ec) {
    return absl::FailedPreconditionError(
        absl::StrCat("restore: cannot make ", to,
                     ec ? absl::StrCat(": ", ec.message()) : ": it exists"));
  }
  std::set<std::string> dirs = {to};
  size_t n = 0;
  for (const auto& [rel, hash] : manifest.files) {
    if (!absl::StartsWith(rel, prefix)) continue;
    const fs::path target = fs::path(to) / rel.substr(prefix.size());
    fs::create_directories(target.parent_path(), ec);
    if (ec) {
      return absl::InternalError(absl::StrCat("restore: cannot make ",
                                              target.parent_path().string(),
                                              ": ", ec.message()));
    }
    dirs.insert(target.parent_path().string());
    if (auto s = CopyFileDurably(absl::StrCat(backup, "/", rel),
                                 target.string(), hash);
        !s.ok())
      return s;
    ++n;
  }
  for (const std::string& d : dirs) {
    if (auto s = SyncDirectory(d); !s.ok()) return s;
  }
  return n;
}

}  // namespace ailedger
