#include "ledger/merkle/hash.h"

#include <sodium.h>

#include <cstring>
#include <mutex>

#include "absl/strings/str_cat.h"

namespace ailedger {

static_assert(sizeof(crypto_hash_sha256_state) <= 208);

namespace {
crypto_hash_sha256_state* State(unsigned char* raw) {
  return reinterpret_cast<crypto_hash_sha256_state*>(raw);
}
}  // namespace

Sha256::Sha256() { crypto_hash_sha256_init(State(state_)); }

Sha256& Sha256::Update(absl::string_view bytes) {
  crypto_hash_sha256_update(
      State(state_), reinterpret_cast<const unsigned char*>(bytes.data()),
      bytes.size());
  return *this;
}

Sha256& Sha256::Update(const Hash& h) {
  crypto_hash_sha256_update(State(state_), h.data(), h.size());
  return *this;
}

Sha256& Sha256::UpdateByte(uint8_t b) {
  crypto_hash_sha256_update(State(state_), &b, 1);
  return *this;
}

Hash Sha256::Finish() {
  Hash out;
  crypto_hash_sha256_final(State(state_), out.data());
  return out;
}

Hash Sha256Of(absl::string_view bytes) {
  Hash out;
  crypto_hash_sha256(out.data(),
                     reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size());
  return out;
}

Hash HashLeaf(absl::string_view leaf) {
  return Sha256().UpdateByte(0x00).Update(leaf).Finish();
}

Hash HashChildren(const Hash& left, const Hash& right) {
  unsigned char buf[1 + 2 * kHashSize];
  buf[0] = 0x01;
  std::memcpy(buf + 1, left.data(), kHashSize);
  std::memcpy(buf + 1 + kHashSize, right.data(), kHashSize);
  Hash out;
  crypto_hash_sha256(out.data(), buf, sizeof(buf));
  return out;
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
