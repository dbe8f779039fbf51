// SHA-256 and the RFC 6962 / RFC 9162 §2.1.1 Merkle tree hashes.
//
//   leaf hash  = SHA-256(0x00 || leaf)
//   node hash  = SHA-256(0x01 || left || right)
//   empty root = SHA-256("")
//
// SHA-256 comes from OpenSSL's libcrypto (the CPU's SHA extensions where it
// has them). All functions are thread-safe; call InitCrypto() once before any
// of them (it is idempotent and cheap to call again).
#ifndef AILEDGER_LEDGER_MERKLE_HASH_H_
#define AILEDGER_LEDGER_MERKLE_HASH_H_

#include <array>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ledger/base/crypto_init.h"

namespace ailedger {

inline constexpr size_t kHashSize = 32;
using Hash = std::array<uint8_t, kHashSize>;

// An incremental SHA-256. Thread-compatible.
class Sha256 {
 public:
  Sha256();
  Sha256& Update(absl::string_view bytes);
  Sha256& Update(const Hash& h);
  Sha256& UpdateByte(uint8_t b);
  Hash Finish();

 private:
  alignas(64) unsigned char state_[208];  // >= sizeof(SHA256_CTX)
};

Hash Sha256Of(absl::string_view bytes);

// RFC 9162 §2.1.1.
Hash HashLeaf(absl::string_view leaf);
Hash HashChildren(const Hash& left, const Hash& right);
const Hash& EmptyRoot();

// Views and conversions.
absl::string_view AsBytes(const Hash& h);
std::string ToHex(absl::string_view bytes);
inline std::string ToHex(const Hash& h) { return ToHex(AsBytes(h)); }
// Fails with INVALID_ARGUMENT naming `what` unless `bytes` is exactly 32 bytes.
absl::StatusOr<Hash> HashFromBytes(absl::string_view bytes,
                                   absl::string_view what);
absl::StatusOr<std::string> FromHex(absl::string_view hex);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_MERKLE_HASH_H_
