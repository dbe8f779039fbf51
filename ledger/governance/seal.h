// Sealing personal data (docs/ARCHITECTURE.md, "Personal data: sealed,
// erasable, still verifiable"): XChaCha20-Poly1305 (libsodium AEAD) under a
// fresh key per attachment, and the commitment SHA-256("ailedger/seal/v1" ||
// salt32 || plaintext) that the signed event carries.
#ifndef AILEDGER_LEDGER_GOVERNANCE_SEAL_H_
#define AILEDGER_LEDGER_GOVERNANCE_SEAL_H_

#include <string>

#include "absl/status/statusor.h"
#include "ledger/merkle/hash.h"

namespace ailedger {

struct Sealed {
  std::string key;         // 32 bytes
  std::string salt;        // 32 bytes
  std::string ciphertext;  // 24-byte nonce || AEAD ciphertext with tag
  Hash commitment{};
};

// Encrypts `plaintext` under a new random key and salt.
Sealed Seal(absl::string_view plaintext);
// The same with a given 32-byte salt, so that the commitment is reproducible
// (generated test histories); the key and nonce are still random. Real
// attachments use Seal().
Sealed SealWithSalt(absl::string_view plaintext, absl::string_view salt);

// Decrypts and checks the plaintext against `commitment`. INVALID_ARGUMENT for
// malformed input, DATA_LOSS if decryption or the commitment fails.
absl::StatusOr<std::string> Unseal(absl::string_view key,
                                   absl::string_view salt,
                                   absl::string_view ciphertext,
                                   const Hash& commitment);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_GOVERNANCE_SEAL_H_
