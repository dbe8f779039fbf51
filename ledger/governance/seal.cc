#include "ledger/governance/seal.h"

#include <sodium.h>

#include "ledger/tlog/contexts.h"

namespace ailedger {
namespace {
constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kKey = crypto_aead_xchacha20poly1305_ietf_KEYBYTES;
constexpr size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;

std::string Random(size_t n) {
  std::string out(n, '\0');
  randombytes_buf(out.data(), n);
  return out;
}

const unsigned char* U(absl::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
}  // namespace

Sealed Seal(absl::string_view plaintext) {
  InitCrypto();
  return SealWithSalt(plaintext, Random(kSealSaltSize));
}

Sealed SealWithSalt(absl::string_view plaintext, absl::string_view salt) {
  InitCrypto();
  Sealed s{Random(kKey), std::string(salt), "", {}};
  s.commitment = *SealCommitment(s.salt, plaintext);
  const std::string nonce = Random(kNonce);
  s.ciphertext.resize(kNonce + plaintext.size() + kTag);
  std::copy(nonce.begin(), nonce.end(), s.ciphertext.begin());
  unsigned long long len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      reinterpret_cast<unsigned char*>(s.ciphertext.data()) + kNonce, &len,
      U(plaintext), plaintext.size(), s.commitment.data(), s.commitment.size(),
      nullptr, U(nonce), U(s.key));
  s.ciphertext.resize(kNonce + len);
  return s;
}

absl::StatusOr<std::string> Unseal(absl::string_view key,
                                   absl::string_view salt,
                                   absl::string_view ciphertext,
                                   const Hash& commitment) {
  InitCrypto();
  if (key.size() != kKey || salt.size() != kSealSaltSize ||
      ciphertext.size() < kNonce + kTag) {
    return absl::InvalidArgumentError(
        "sealed: key, salt or ciphertext has the wrong size");
  }
  std::string plain(ciphertext.size() - kNonce - kTag, '\0');
  unsigned long long len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plain.data()), &len, nullptr,
          U(ciphertext) + kNonce, ciphertext.size() - kNonce, commitment.data(),
          commitment.size(), U(ciphertext), U(key)) != 0) {
    return absl::DataLossError(
        "sealed: the ciphertext does not decrypt under this key");
  }
  plain.resize(len);
  if (*SealCommitment(salt, plain) != commitment) {
    return absl::DataLossError(
        "sealed: the clear text does not match the commitment");
  }
  return plain;
}

}  // namespace ailedger
