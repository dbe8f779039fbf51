// Ed25519 keys in the C2SP signed-note v1.0.0 encodings.
//
// clang-format off
//   key ID        = SHA-256(name || 0x0A || type || pubkey)[:4]   (signed-note, "Signatures")
//   verifier key  = name "+" hex8(key ID) "+" base64(type || pubkey)
//   signing key   = "PRIVATE+KEY+" name "+" hex8(key ID) "+" base64(type || seed)
// clang-format on
//
// Types: 0x01 Ed25519 note signatures (log keys, roster keys); 0x04 timestamped
// Ed25519 cosignatures (C2SP tlog-cosignature v1.0.1, witnesses). A key is its
// 32-byte public key: the 4-byte key ID is only a hint for finding it.
// Immutable after construction; thread-safe.
#ifndef AILEDGER_LEDGER_TLOG_KEYS_H_
#define AILEDGER_LEDGER_TLOG_KEYS_H_

#include <array>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ledger/merkle/hash.h"

namespace ailedger {

inline constexpr uint8_t kKeyTypeEd25519 = 0x01;
inline constexpr uint8_t kKeyTypeCosignature = 0x04;
inline constexpr size_t kMaxKeyNameSize = 256;

// The same type as Hash, so AsBytes (hash.h) views either.
using PublicKey = std::array<uint8_t, 32>;
using Signature = std::array<uint8_t, 64>;

inline absl::string_view AsBytes(const Signature& sig) {
  return {reinterpret_cast<const char*>(sig.data()), sig.size()};
}

// Non-empty, at most kMaxKeyNameSize bytes, valid UTF-8, no spaces, no '+', no
// control chars.
bool IsValidKeyName(absl::string_view name);
uint32_t ComputeKeyId(absl::string_view name, uint8_t type,
                      const PublicKey& key);
absl::StatusOr<PublicKey> PublicKeyFromBytes(absl::string_view bytes,
                                             absl::string_view what);

// Raw Ed25519 (RFC 8032) verification over exact bytes.
bool Ed25519Verify(const PublicKey& key, absl::string_view message,
                   absl::string_view signature);

class VerifierKey {
 public:
  // INVALID_ARGUMENT on a malformed string, an unsupported type or a key ID
  // that does not match the name and key.
  static absl::StatusOr<VerifierKey> Parse(absl::string_view text);
  static absl::StatusOr<VerifierKey> Create(absl::string_view name,
                                            uint8_t type, const PublicKey& key);

  const std::string& name() const { return name_; }
  uint8_t type() const { return type_; }
  const PublicKey& public_key() const { return key_; }
  uint32_t key_id() const { return key_id_; }
  std::string ToString() const;

 private:
  std::string name_;
  uint8_t type_ = 0;
  PublicKey key_{};
  uint32_t key_id_ = 0;
};

// Holds a private key; the seed is wiped on destruction. Move-only.
class SigningKey {
 public:
  static absl::StatusOr<SigningKey> Generate(absl::string_view name,
                                             uint8_t type);
  static absl::StatusOr<SigningKey> FromSeed(absl::string_view name,
                                             uint8_t type,
                                             absl::string_view seed32);
  static absl::StatusOr<SigningKey> Parse(absl::string_view text);

  SigningKey(SigningKey&&) noexcept;
  SigningKey& operator=(SigningKey&&) noexcept;
  SigningKey(const SigningKey&) = delete;
  SigningKey& operator=(const SigningKey&) = delete;
  ~SigningKey();

  // Raw Ed25519 signature of exactly `message`.
  Signature Sign(absl::string_view message) const;
  const VerifierKey& verifier() const { return verifier_; }
  std::string ToString() const;  // the PRIVATE+KEY+... form; handle with care

 private:
  SigningKey() = default;
  VerifierKey verifier_;
  std::array<uint8_t, 64> secret_{};  // libsodium's seed || public key
};

// Reads and parses a private key file. FAILED_PRECONDITION when the group or
// others may read it ("KEY: permissions 0644 are too open; chmod 600 KEY"),
// as ssh refuses such a key: a key others can read cannot be trusted to sign
// for one holder only.
absl::StatusOr<SigningKey> LoadSigningKey(const std::string& path);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_TLOG_KEYS_H_
