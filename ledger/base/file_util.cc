#include "ledger/base/file_util.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "ledger/base/crypto_init.h"

namespace ailedger {

absl::Status FileError(absl::string_view what, const std::string& path, int err,
                       bool reading) {
  std::string msg = absl::StrCat(what, " ", path, ": ", std::strerror(err));
  if (err == EIO && reading) return absl::DataLossError(msg);
  if (err == ENOSPC || err == EDQUOT || err == EROFS || err == EIO) {
    return absl::UnavailableError(msg);
  }
  return absl::InternalError(msg);
}

namespace {

absl::Status Errno(absl::string_view what, const std::string& path) {
  return FileError(what, path, errno);
}

absl::Status WriteAll(int fd, absl::string_view data, const std::string& path) {
  const char* p = data.data();
  size_t left = data.size();
  while (left > 0) {
    ssize_t n = write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Errno("write", path);
    p += n;
    left -= n;
  }
  return absl::OkStatus();
}

// Creates "PATH.tmp.<16 random hex digits>". O_EXCL makes open fail on
// anything already there (a symbolic link included), so the name is ours.
absl::StatusOr<int> CreateTemp(const std::string& path, int mode,
                               std::string* tmp) {
  InitCrypto();
  for (int attempt = 0; attempt < 8; ++attempt) {
    uint8_t r[8];
    randombytes_buf(r, sizeof r);
    *tmp = absl::StrCat(path, ".tmp.",
                        absl::BytesToHexString(absl::string_view(
                            reinterpret_cast<const char*>(r), sizeof r)));
    int fd = open(tmp->c_str(),
                  O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd >= 0) return fd;
    if (errno != EEXIST) return Errno("create", *tmp);
  }
  return absl::InternalError(absl::StrCat("create ", path, ".tmp.*: taken"));
}

// Moves the finished temporary file to `path`. link(2) never replaces and
// never follows a link at `path`; rename(2) replaces the name itself.
absl::Status Install(const std::string& tmp, const std::string& path,
                     IfExists if_exists) {
  if (if_exists == IfExists::kReplace) {
    if (rename(tmp.c_str(), path.c_str()) == 0) return absl::OkStatus();
    absl::Status s = Errno("rename", path);
    unlink(tmp.c_str());
    return s;
  }
  const int rc = link(tmp.c_str(), path.c_str());
  const int err = errno;
  unlink(tmp.c_str());
  if (rc == 0) return absl::OkStatus();
  if (err == EEXIST)
    return absl::AlreadyExistsError(absl::StrCat(path, ": already exists"));
  errno = err;
  return Errno("link", path);
}

}  // namespace

absl::StatusOr<std::string> ReadBounded(std::istream& in,
                                        const std::string& name,
                                        size_t max_bytes) {
  std::string out;
  char buf[64 * 1024];
  while (in) {
    in.read(buf, sizeof(buf));
    out.append(buf, static_cast<size_t>(in.gcount()));
    if (out.size() > max_bytes) {
      return absl::OutOfRangeError(
          absl::StrCat(name, ": larger than ", max_bytes, " bytes"));
    }
  }
  if (in.bad()) return absl::DataLossError(absl::StrCat(name, ": read error"));
  return out;
}

absl::StatusOr<std::string> ReadSmallFile(const std::string& path,
                                          size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  return ReadBounded(in, path, max_bytes);
}

absl::StatusOr<std::string> ReadPrivateFile(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  struct stat st;
  if (fstat(fd, &st) != 0) {
    absl::Status s = Errno("stat", path);
    close(fd);
    return s;
  }
  // The mode of the file opened, not of the name, so the check and the read
  // see the same file.
  if (!S_ISREG(st.st_mode)) {
    close(fd);
    return absl::FailedPreconditionError(
        absl::StrCat(path, ": not a regular file"));
  }
  if ((st.st_mode & 077) != 0) {
    close(fd);
    return absl::FailedPreconditionError(
        absl::StrFormat("%s: permissions %04o are too open; chmod 600 %s", path,
                        st.st_mode & 07777, path));
  }
  auto out = ReadFd(fd, path);
  close(fd);
  return out;
}

absl::StatusOr<std::string> ReadFd(int fd, const std::string& path,
                                   size_t max_bytes) {
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return FileError("read", path, errno, /*reading=*/true);
    if (n == 0) return out;
    out.append(buf, static_cast<size_t>(n));
    if (out.size() > max_bytes) {
      return absl::OutOfRangeError(
          absl::StrCat(path, ": larger than ", max_bytes, " bytes"));
    }
  }
}

absl::Status WriteFileDurably(const std::string& path, absl::string_view data,
                              int mode, IfExists if_exists) {
  std::string tmp;
  auto fd = CreateTemp(path, mode, &tmp);
  if (!fd.ok()) return fd.status();
  absl::Status s = WriteAll(*fd, data, tmp);
  if (s.ok() && fsync(*fd) != 0) s = Errno("fsync", tmp);
  if (close(*fd) != 0 && s.ok()) s = Errno("close", tmp);
  if (!s.ok()) {
    unlink(tmp.c_str());
    return s;
  }
  if (s = Install(tmp, path, if_exists); !s.ok()) return s;
  std::string dir = std::filesystem::path(path).parent_path().string();
  int dfd = open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {
    fsync(dfd);
    close(dfd);
  }
  return absl::OkStatus();
}

}  // namespace ailedger
