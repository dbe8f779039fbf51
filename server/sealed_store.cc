#include "server/sealed_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "ledger/file_util.h"

namespace ailedger {

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

absl::Status SealedStore::Put(const Hash& event_id, uint32_t attachment,
                              const Material& m) {
  if (m.key.size() != 32 || m.salt.size() != 32) {
    return absl::InvalidArgumentError("sealed: key and salt are 32 bytes each");
  }
  return WriteFileDurably(
      PathOf(event_id, attachment),
      absl::StrCat(std::string(1, '\1'), m.key, m.salt, m.ciphertext), 0600);
}

absl::StatusOr<SealedStore::Material> SealedStore::Get(
    const Hash& event_id, uint32_t attachment) const {
  auto bytes = ReadSmallFile(PathOf(event_id, attachment));
  if (!bytes.ok())
    return absl::NotFoundError("sealed: never sealed, or erased");
  if (bytes->size() < 65 || (*bytes)[0] != '\1')
    return absl::DataLossError("sealed: bad file");
  return Material{bytes->substr(1, 32), bytes->substr(33, 32),
                  bytes->substr(65)};
}

absl::Status SealedStore::Erase(const Hash& event_id, uint32_t attachment) {
  const std::string path = PathOf(event_id, attachment);
  int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return absl::OkStatus();  // nothing to erase
  const off_t size = lseek(fd, 0, SEEK_END);
  lseek(fd, 0, SEEK_SET);
  const std::string zeros(size > 0 ? size : 0, '\0');
  bool ok = write(fd, zeros.data(), zeros.size()) ==
            static_cast<ssize_t>(zeros.size());
  ok &= fsync(fd) == 0;
  close(fd);
  ok &= unlink(path.c_str()) == 0;
  int dfd = open(dir_.c_str(), O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {
    fsync(dfd);
    close(dfd);
  }
  return ok ? absl::OkStatus()
            : absl::InternalError(absl::StrCat("sealed: cannot erase ", path));
}

}  // namespace ailedger
