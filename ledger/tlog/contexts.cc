#include "ledger/tlog/contexts.h"

#include "absl/strings/str_cat.h"

namespace ailedger {

std::string EventSigningMessage(absl::string_view origin,
                                absl::string_view event_bytes) {
  return absl::StrCat("ailedger/event/v1\n", origin, "\n", event_bytes);
}

absl::StatusOr<std::string> CallSigningMessage(absl::string_view origin,
                                               absl::string_view method,
                                               int64_t time_ms,
                                               absl::string_view nonce) {
  if (nonce.size() != kCallNonceSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("call context: nonce must be ", kCallNonceSize, " bytes"));
  }
  if (method.find('\n') != absl::string_view::npos) {
    return absl::InvalidArgumentError("call context: method has a newline");
  }
  return absl::StrCat("ailedger/call/v1\n", origin, "\n", method, "\n", time_ms,
                      "\n", nonce);
}

std::string KeyPossessionMessage(absl::string_view origin,
                                 const PublicKey& granted) {
  return absl::StrCat("ailedger/key-possession/v1\n", origin, "\n",
                      AsBytes(granted));
}

std::string LogKeyPossessionMessage(absl::string_view origin,
                                    const PublicKey& new_log_key) {
  return absl::StrCat("ailedger/log-key-possession/v1\n", origin, "\n",
                      AsBytes(new_log_key));
}

Hash EventId(absl::string_view origin, absl::string_view event_bytes) {
  return Sha256()
      .Update("ailedger/event-id/v1\n")
      .Update(origin)
      .UpdateByte('\n')
      .Update(event_bytes)
      .Finish();
}

absl::StatusOr<Hash> SealCommitment(absl::string_view salt,
                                    absl::string_view plaintext) {
  if (salt.size() != kSealSaltSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("seal: salt must be ", kSealSaltSize, " bytes"));
  }
  return Sha256()
      .Update("ailedger/seal/v1")
      .Update(salt)
      .Update(plaintext)
      .Finish();
}

}  // namespace ailedger
