#include "server/log_signer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace ailedger {
namespace {

absl::Status Errno(absl::string_view what, const std::string& path) {
  return absl::InternalError(
      absl::StrCat(what, " ", path, ": ", std::strerror(errno)));
}

}  // namespace

absl::StatusOr<std::string> ReadSmallFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

absl::Status WriteFileDurably(const std::string& path, absl::string_view data,
                              int mode) {
  const std::string tmp = path + ".tmp";
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return Errno("create", tmp);
  const char* p = data.data();
  size_t left = data.size();
  while (left > 0) {
    ssize_t n = write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      close(fd);
      return Errno("write", tmp);
    }
    p += n;
    left -= n;
  }
  if (fsync(fd) != 0 || close(fd) != 0) return Errno("fsync", tmp);
  if (rename(tmp.c_str(), path.c_str()) != 0) return Errno("rename", path);
  std::string dir = std::filesystem::path(path).parent_path().string();
  int dfd = open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {
    fsync(dfd);
    close(dfd);
  }
  return absl::OkStatus();
}

LogSigner::LogSigner(SigningKey key, std::string hwm_path, uint64_t hwm)
    : key_(std::move(key)), hwm_path_(std::move(hwm_path)), hwm_(hwm) {}

absl::StatusOr<std::unique_ptr<LogSigner>> LogSigner::Open(
    const std::string& key_path) {
  auto text = ReadSmallFile(key_path);
  if (!text.ok()) return text.status();
  auto key = SigningKey::Parse(*text);
  if (!key.ok()) return key.status();
  if (key->verifier().type() != kKeyTypeEd25519) {
    return absl::InvalidArgumentError(
        "log key: must be an Ed25519 (type 0x01) key");
  }
  const std::string hwm_path = key_path + ".hwm";
  uint64_t hwm = 0;
  auto mark = ReadSmallFile(hwm_path);
  if (mark.ok() && !absl::SimpleAtoi(absl::StripAsciiWhitespace(*mark), &hwm)) {
    return absl::DataLossError(absl::StrCat(hwm_path, ": not a decimal size"));
  }
  return std::unique_ptr<LogSigner>(
      new LogSigner(*std::move(key), hwm_path, hwm));
}

absl::StatusOr<std::string> LogSigner::Sign(const Checkpoint& cp) const {
  if (cp.size < hwm_.load()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "log key has signed size ", hwm_.load(), "; refusing to sign size ",
        cp.size, " (signing below the high-water mark would fork the log)"));
  }
  return SignCheckpoint(cp, key_);
}

absl::Status LogSigner::Advance(uint64_t size) {
  if (size <= hwm_.load()) return absl::OkStatus();
  auto s = WriteFileDurably(hwm_path_, absl::StrCat(size, "\n"));
  if (s.ok()) hwm_.store(size);
  return s;
}

}  // namespace ailedger
