#include "server/sealed_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "ledger/base/file_util.h"

namespace ailedger {
namespace {

namespace fs = std::filesystem;

// UNAVAILABLE when the disk refuses a write (full, read-only, failing): the
// material is not stored, and the same put may succeed once it is fixed.
absl::Status Errno(absl::string_view what, const std::string& path) {
  return FileError(absl::StrCat("sealed store: cannot ", what), path, errno);
}

// The path made absolute, symlinks of its existing part resolved, and split
// into its components ("" and "." dropped).
absl::StatusOr<std::vector<std::string>> CanonicalComponents(
    const std::string& flag, const std::string& dir) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::absolute(dir, ec), ec);
  if (ec) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, " ", dir, ": ", ec.message()));
  }
  std::vector<std::string> out;
  for (const fs::path& c : p.lexically_normal()) {
    if (!c.empty() && c != ".") out.push_back(c.string());
  }
  return out;
}

std::string Join(const std::vector<std::string>& components) {
  fs::path p;
  for (const auto& c : components) p /= c;
  return p.string();
}

absl::Status WriteAll(int fd, const char* p, size_t left) {
  while (left > 0) {
    ssize_t n = write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      return FileError("write", "the temporary file", n < 0 ? errno : ENOSPC);
    p += n;
    left -= n;
  }
  return absl::OkStatus();
}

absl::Status SyncDir(const std::string& dir) {
  int dfd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return Errno("open the directory", dir);
  const bool ok = fsync(dfd) == 0;
  close(dfd);
  return ok ? absl::OkStatus() : Errno("sync the directory", dir);
}

// Writes `data` to a new, unique temporary file beside `path` (mode 0600,
// O_EXCL: never an existing file or a symlink), syncs it and renames it over
// `path`; the temporary is removed on failure.
absl::Status WriteUnique(const std::string& dir, const std::string& path,
                         const std::string& data) {
  std::string tmp = path + ".tmp.XXXXXX";
  int fd = mkstemp(tmp.data());
  if (fd < 0) return Errno("create a temporary beside", path);
  absl::Status s = WriteAll(fd, data.data(), data.size());
  if (s.ok() && fsync(fd) != 0) s = Errno("sync", tmp);
  if (close(fd) != 0 && s.ok()) s = Errno("close", tmp);
  if (s.ok() && rename(tmp.c_str(), path.c_str()) != 0)
    s = Errno("rename to", path);
  if (!s.ok()) {
    unlink(tmp.c_str());
    return absl::Status(s.code(), absl::StrCat("sealed store: writing ", path,
                                               ": ", s.message()));
  }
  return SyncDir(dir);
}

// "<64 hex>.<u32>" -> the attachment it names.
bool ParseName(const std::string& name, Hash* id, uint32_t* attachment) {
  const size_t dot = name.find('.');
  if (dot != 64) return false;
  auto bytes = FromHex(name.substr(0, 64));
  if (!bytes.ok()) return false;
  auto h = HashFromBytes(*bytes, "name");
  const std::string digits = name.substr(65);
  if (!h.ok() || digits.empty() ||
      !std::all_of(digits.begin(), digits.end(), absl::ascii_isdigit) ||
      !absl::SimpleAtoi(digits, attachment)) {
    return false;
  }
  *id = *h;
  return true;
}

}  // namespace

absl::Status CheckSealedStoreOutside(const std::string& sealed_dir,
                                     const std::string& data_dir) {
  auto sealed = CanonicalComponents("--sealed-store", sealed_dir);
  if (!sealed.ok()) return sealed.status();
  auto data = CanonicalComponents("--data", data_dir);
  if (!data.ok()) return data.status();
  if (sealed->size() >= data->size() &&
      std::equal(data->begin(), data->end(), sealed->begin())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--sealed-store ", sealed_dir, " (", Join(*sealed),
        ") is inside --data ", data_dir, " (", Join(*data),
        "): it must lie outside, so that sealed material never enters log "
        "backups"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<SealedStore>> SealedStore::Open(
    const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    return absl::InvalidArgumentError(
        absl::StrCat("--sealed-store ", dir, ": ", ec.message()));
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
  return std::unique_ptr<SealedStore>(new SealedStore(dir));
}

std::string SealedStore::PathOf(const Hash& event_id,
                                uint32_t attachment) const {
  return absl::StrCat(dir_, "/", ToHex(event_id), ".", attachment);
}

absl::Mutex& SealedStore::LockOf(const Hash& event_id,
                                 uint32_t attachment) const {
  // Event ids are hashes: their first bytes spread the attachments evenly.
  const size_t k = (static_cast<size_t>(event_id[0]) << 8 | event_id[1]) ^
                   (attachment * 31u);
  return stripes_[k % stripes_.size()];
}

absl::Status SealedStore::Put(const Hash& event_id, uint32_t attachment,
                              const Material& m,
                              const std::function<absl::Status()>& allowed) {
  if (m.key.size() != 32 || m.salt.size() != 32) {
    return absl::InvalidArgumentError("sealed: key and salt are 32 bytes each");
  }
  absl::MutexLock lock(&LockOf(event_id, attachment));
  if (absl::Status s = allowed(); !s.ok()) return s;
  return WriteUnique(
      dir_, PathOf(event_id, attachment),
      absl::StrCat(std::string(1, '\1'), m.key, m.salt, m.ciphertext));
}

absl::StatusOr<SealedStore::Material> SealedStore::Get(
    const Hash& event_id, uint32_t attachment) const {
  const std::string path = PathOf(event_id, attachment);
  std::string bytes;
  {
    absl::MutexLock lock(&LockOf(event_id, attachment));
    int fd = open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) {
      return absl::NotFoundError(
          "attachment: no sealed material was put for it on this server");
    }
    if (fd < 0) return Errno("open", path);
    auto read = ReadFd(fd, path);
    close(fd);
    if (!read.ok()) return read.status();
    bytes = *std::move(read);
  }
  if (bytes.size() < 65 || bytes[0] != '\1')
    return absl::DataLossError(absl::StrCat("sealed store: bad file ", path));
  return Material{bytes.substr(1, 32), bytes.substr(33, 32), bytes.substr(65)};
}

absl::Status SealedStore::Erase(const Hash& event_id, uint32_t attachment) {
  absl::MutexLock lock(&LockOf(event_id, attachment));
  return Destroy(PathOf(event_id, attachment));
}

absl::Status SealedStore::Destroy(const std::string& path) {
  int fd = open(path.c_str(), O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) return absl::OkStatus();  // nothing to erase
  if (fd < 0 && errno == ELOOP) {  // a symlink: remove it, not its target
    if (unlink(path.c_str()) != 0) return Errno("unlink", path);
    return SyncDir(dir_);
  }
  if (fd < 0) return Errno("open for erasure", path);
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return absl::InternalError(
        absl::StrCat("sealed store: cannot erase ", path, ": not a file"));
  }
  const std::string zeros(std::min<off_t>(st.st_size, 65536), '\0');
  absl::Status s;
  for (off_t left = st.st_size; s.ok() && left > 0;) {
    const size_t n = std::min<off_t>(left, zeros.size());
    s = WriteAll(fd, zeros.data(), n);
    left -= n;
  }
  if (!s.ok())
    s = absl::InternalError(absl::StrCat("sealed store: cannot overwrite ",
                                         path, ": ", s.message()));
  if (s.ok() && fsync(fd) != 0) s = Errno("sync", path);
  close(fd);
  if (!s.ok()) return s;
  if (unlink(path.c_str()) != 0) return Errno("unlink", path);
  return SyncDir(dir_);
}

absl::StatusOr<int> SealedStore::Sweep(const ErasedFn& erased) {
  std::error_code ec;
  std::vector<std::string> names;
  for (fs::directory_iterator it(dir_, ec), end; !ec && it != end;
       it.increment(ec)) {
    names.push_back(it->path().filename().string());
  }
  if (ec) {
    return absl::InternalError(
        absl::StrCat("sealed store: cannot list ", dir_, ": ", ec.message()));
  }
  int destroyed = 0;
  absl::Status first;
  for (const std::string& name : names) {
    Hash id;
    uint32_t n;
    absl::Status s;
    if (absl::StrContains(name, ".tmp.")) {
      s = Destroy(absl::StrCat(dir_, "/", name));
    } else if (ParseName(name, &id, &n)) {
      auto e = erased(id, n);
      if (!e.ok() || !*e) {
        first.Update(e.status());
        continue;
      }
      s = Erase(id, n);
    } else {
      continue;  // not ours
    }
    if (s.ok()) ++destroyed;
    first.Update(s);
  }
  if (!first.ok()) return first;
  return destroyed;
}

}  // namespace ailedger
