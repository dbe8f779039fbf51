#include "server/log_signer.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace ailedger {
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
