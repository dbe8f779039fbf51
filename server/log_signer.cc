#include "server/log_signer.h"

#include <filesystem>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "ledger/base/base64.h"

namespace ailedger {
namespace {

// KEY.hwm: "<size> <base64 root>\n", the largest tree this key has signed.
absl::StatusOr<LogSigner::Mark> ReadMark(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec) && !ec) return LogSigner::Mark{};
  auto text = ReadSmallFile(path);
  if (!text.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, ": exists but cannot be read"));
  }
  std::vector<std::string> parts =
      absl::StrSplit(absl::StripAsciiWhitespace(*text), ' ');
  LogSigner::Mark m;
  if (parts.empty() || !absl::SimpleAtoi(parts[0], &m.size)) {
    return absl::DataLossError(absl::StrCat(path, ": not a high-water mark"));
  }
  if (parts.size() == 2) {
    auto root = Base64Decode(parts[1], "high-water mark root");
    auto h = root.ok() ? HashFromBytes(*root, "high-water mark root")
                       : root.status();
    if (!h.ok()) return absl::DataLossError(absl::StrCat(path, ": bad root"));
    m.root = *h;
  }
  return m;
}

}  // namespace

LogSigner::LogSigner(SigningKey key, std::string hwm_path, Mark mark)
    : key_(std::move(key)), hwm_path_(std::move(hwm_path)), mark_(mark) {}

absl::StatusOr<std::unique_ptr<LogSigner>> LogSigner::Open(
    const std::string& key_path) {
  // Like ssh, refuses a key the group or others can read; the mode checked is
  // the mode of the file read (no window between check and use).
  auto text = ReadPrivateFile(key_path);
  if (!text.ok()) return text.status();
  auto key = SigningKey::Parse(*text);
  if (!key.ok()) return key.status();
  if (key->verifier().type() != kKeyTypeEd25519) {
    return absl::InvalidArgumentError(
        "log key: must be an Ed25519 (type 0x01) key");
  }
  const std::string hwm_path = key_path + ".hwm";
  auto mark = ReadMark(hwm_path);
  if (!mark.ok()) return mark.status();
  return std::unique_ptr<LogSigner>(
      new LogSigner(*std::move(key), hwm_path, *mark));
}

uint64_t LogSigner::high_water_mark() const {
  std::lock_guard<std::mutex> lock(mu_);
  return mark_.size;
}

std::optional<Hash> LogSigner::high_water_root() const {
  std::lock_guard<std::mutex> lock(mu_);
  return mark_.root;
}

absl::Status LogSigner::Persist(const Mark& m) {
  std::string line = absl::StrCat(m.size);
  if (m.root) absl::StrAppend(&line, " ", Base64Encode(AsBytes(*m.root)));
  auto s = WriteFileDurably(hwm_path_, line + "\n");
  if (s.ok()) mark_ = m;
  return s;
}

absl::StatusOr<std::string> LogSigner::Sign(const Checkpoint& cp) {
  std::lock_guard<std::mutex> lock(mu_);
  if (cp.size < mark_.size) {
    return absl::FailedPreconditionError(absl::StrCat(
        "log key has signed size ", mark_.size, "; refusing to sign size ",
        cp.size, " (signing below the high-water mark would fork the log)"));
  }
  if (cp.size == mark_.size && mark_.root && *mark_.root != cp.root) {
    return absl::FailedPreconditionError(
        absl::StrCat("log key has signed another tree of size ", cp.size,
                     "; refusing to fork the log"));
  }
  return SignCheckpoint(cp, key_);
}

absl::Status LogSigner::Advance(uint64_t size, std::optional<Hash> root) {
  if (follower_ != nullptr) {
    if (auto s = follower_->Advance(size, root); !s.ok()) return s;
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (size < mark_.size || (size == mark_.size && mark_.root))
    return absl::OkStatus();
  return Persist({size, root});
}

}  // namespace ailedger
