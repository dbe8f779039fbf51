#include "ledger/merkle/hash.h"

// SHA-256 is OpenSSL's libcrypto (FIPS 180-4): it uses the CPU's SHA
// extensions where there are some (x86 SHA-NI, ARMv8 SHA2), about five times
// libsodium's portable code for a 65-byte node (tools/bench_core:
// BM_NodeHash, BM_LeafHash).
// SHA256_Init/Update/Final are deprecated in OpenSSL 3 in favour of EVP, which
// costs a context and a provider look-up per hash; so does the one-shot
// SHA256(), three times slower than these for a node.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>
#include <sodium.h>

#include <cstring>

#include "absl/strings/str_cat.h"

namespace ailedger {

static_assert(sizeof(SHA256_CTX) <= 208);  // Sha256::state_
static_assert(alignof(SHA256_CTX) <= 64);

namespace {
SHA256_CTX* State(unsigned char* raw) {
  return reinterpret_cast<SHA256_CTX*>(raw);
}
}  // namespace

Sha256::Sha256() { SHA256_Init(State(state_)); }

Sha256& Sha256::Update(absl::string_view bytes) {
  SHA256_Update(State(state_), bytes.data(), bytes.size());
  return *this;
}

Sha256& Sha256::Update(const Hash& h) {
  SHA256_Update(State(state_), h.data(), h.size());
  return *this;
}

Sha256& Sha256::UpdateByte(uint8_t b) {
  SHA256_Update(State(state_), &b, 1);
  return *this;
}

Hash Sha256::Finish() {
  Hash out;
  SHA256_Final(out.data(), State(state_));
  return out;
}

Hash Sha256Of(absl::string_view bytes) {
  return Sha256().Update(bytes).Finish();
}

Hash HashLeaf(absl::string_view leaf) {
  return Sha256().UpdateByte(0x00).Update(leaf).Finish();
}

Hash HashChildren(const Hash& left, const Hash& right) {
  unsigned char buf[1 + 2 * kHashSize];
  buf[0] = 0x01;
  std::memcpy(buf + 1, left.data(), kHashSize);
  std::memcpy(buf + 1 + kHashSize, right.data(), kHashSize);
  return Sha256()
      .Update(
          absl::string_view(reinterpret_cast<const char*>(buf), sizeof(buf)))
      .Finish();
}

const Hash& EmptyRoot() {
  static const Hash kEmpty = Sha256Of("");
  return kEmpty;
}

absl::string_view AsBytes(const Hash& h) {
  return {reinterpret_cast<const char*>(h.data()), h.size()};
}

std::string ToHex(absl::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

absl::StatusOr<Hash> HashFromBytes(absl::string_view bytes,
                                   absl::string_view what) {
  if (bytes.size() != kHashSize) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, ": a hash must be exactly 32 bytes, got ", bytes.size()));
  }
  Hash h;
  std::memcpy(h.data(), bytes.data(), kHashSize);
  return h;
}

absl::StatusOr<std::string> FromHex(absl::string_view hex) {
  std::string out(hex.size() / 2, '\0');
  size_t len = 0;
  if (hex.size() % 2 != 0 ||
      sodium_hex2bin(reinterpret_cast<unsigned char*>(out.data()), out.size(),
                     hex.data(), hex.size(), nullptr, &len, nullptr) != 0 ||
      len != out.size()) {
    return absl::InvalidArgumentError("not a hex string");
  }
  return out;
}

}  // namespace ailedger
