#include "ledger/tlog/keys.h"

#include <sodium.h>

#include <cstring>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "ledger/base/base64.h"
#include "ledger/base/file_util.h"
#include "ledger/base/utf8.h"
#include "ledger/merkle/hash.h"

namespace ailedger {
namespace {

constexpr absl::string_view kPrivatePrefix = "PRIVATE+KEY+";

bool IsSupportedType(uint8_t type) {
  return type == kKeyTypeEd25519 || type == kKeyTypeCosignature;
}

std::string Hex8(uint32_t id) {
  const char b[4] = {static_cast<char>(id >> 24), static_cast<char>(id >> 16),
                     static_cast<char>(id >> 8), static_cast<char>(id)};
  return ToHex(absl::string_view(b, 4));
}

// Splits "name+hex8+base64(type||32 bytes)", as the base64 part may itself hold
// '+'.
struct KeyParts {
  std::string name;
  std::string hex8;
  uint8_t type;
  std::string key32;
};

absl::StatusOr<KeyParts> SplitKey(absl::string_view text) {
  std::vector<absl::string_view> parts =
      absl::StrSplit(text, absl::MaxSplits('+', 2));
  if (parts.size() != 3) {
    return absl::InvalidArgumentError("key: expected name+keyid+key");
  }
  if (!IsValidKeyName(parts[0])) {
    return absl::InvalidArgumentError("key: invalid key name");
  }
  auto id = FromHex(parts[1]);
  if (parts[1].size() != 8 || !id.ok() || ToHex(*id) != parts[1]) {
    return absl::InvalidArgumentError(
        "key: key id must be 8 lowercase hex digits");
  }
  auto raw = Base64Decode(parts[2], "key");
  if (!raw.ok()) return raw.status();
  if (raw->size() != 33 || !IsSupportedType((*raw)[0])) {
    return absl::InvalidArgumentError(
        "key: expected a type byte (0x01 or 0x04) and 32 key bytes");
  }
  return KeyParts{std::string(parts[0]), std::string(parts[1]),
                  static_cast<uint8_t>((*raw)[0]), raw->substr(1)};
}

}  // namespace

bool IsValidKeyName(absl::string_view name) {
  if (name.empty() || name.size() > kMaxKeyNameSize || !IsValidUtf8(name)) {
    return false;
  }
  for (unsigned char c : name) {
    if (c <= 0x20 || c == '+' || c == 0x7F) return false;
  }
  // Multi-byte Unicode spaces are refused too.
  for (absl::string_view sp :
       {"\xC2\x85", "\xC2\xA0", "\xE2\x80\x80", "\xE2\x80\x81", "\xE2\x80\x82",
        "\xE2\x80\x83", "\xE2\x80\x84", "\xE2\x80\x85", "\xE2\x80\x86",
        "\xE2\x80\x87", "\xE2\x80\x88", "\xE2\x80\x89", "\xE2\x80\x8A",
        "\xE2\x80\xA8", "\xE2\x80\xA9", "\xE2\x80\xAF", "\xE2\x81\x9F",
        "\xE3\x80\x80", "\xE1\x9A\x80"}) {
    if (name.find(sp) != absl::string_view::npos) return false;
  }
  return true;
}

uint32_t ComputeKeyId(absl::string_view name, uint8_t type,
                      const PublicKey& key) {
  Hash h = Sha256()
               .Update(name)
               .UpdateByte('\n')
               .UpdateByte(type)
               .Update(AsBytes(key))
               .Finish();
  return (uint32_t{h[0]} << 24) | (uint32_t{h[1]} << 16) |
         (uint32_t{h[2]} << 8) | h[3];
}

absl::StatusOr<PublicKey> PublicKeyFromBytes(absl::string_view bytes,
                                             absl::string_view what) {
  if (bytes.size() != 32) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, ": an Ed25519 public key is 32 bytes, got ", bytes.size()));
  }
  PublicKey k;
  std::memcpy(k.data(), bytes.data(), 32);
  return k;
}

bool Ed25519Verify(const PublicKey& key, absl::string_view message,
                   absl::string_view signature) {
  InitCrypto();
  if (signature.size() != crypto_sign_BYTES) return false;
  return crypto_sign_verify_detached(
             reinterpret_cast<const unsigned char*>(signature.data()),
             reinterpret_cast<const unsigned char*>(message.data()),
             message.size(), key.data()) == 0;
}

absl::StatusOr<VerifierKey> VerifierKey::Create(absl::string_view name,
                                                uint8_t type,
                                                const PublicKey& key) {
  if (!IsValidKeyName(name)) {
    return absl::InvalidArgumentError(
        absl::StrCat("key name '", name, "' is empty or has a space or '+'"));
  }
  if (!IsSupportedType(type)) {
    return absl::InvalidArgumentError("key: unsupported signature type");
  }
  VerifierKey v;
  v.name_ = std::string(name);
  v.type_ = type;
  v.key_ = key;
  v.key_id_ = ComputeKeyId(name, type, key);
  return v;
}

absl::StatusOr<VerifierKey> VerifierKey::Parse(absl::string_view text) {
  auto parts = SplitKey(text);
  if (!parts.ok()) return parts.status();
  auto key = PublicKeyFromBytes(parts->key32, "verifier key");
  if (!key.ok()) return key.status();
  auto v = Create(parts->name, parts->type, *key);
  if (!v.ok()) return v.status();
  if (Hex8(v->key_id()) != parts->hex8) {
    return absl::InvalidArgumentError(
        "verifier key: key id does not match the name and public key");
  }
  return v;
}

std::string VerifierKey::ToString() const {
  std::string raw(1, static_cast<char>(type_));
  absl::StrAppend(&raw, AsBytes(key_));
  return absl::StrCat(name_, "+", Hex8(key_id_), "+", Base64Encode(raw));
}

absl::StatusOr<SigningKey> SigningKey::FromSeed(absl::string_view name,
                                                uint8_t type,
                                                absl::string_view seed32) {
  InitCrypto();
  if (seed32.size() != crypto_sign_SEEDBYTES) {
    return absl::InvalidArgumentError("signing key: seed must be 32 bytes");
  }
  SigningKey k;
  PublicKey pk;
  crypto_sign_seed_keypair(
      pk.data(), k.secret_.data(),
      reinterpret_cast<const unsigned char*>(seed32.data()));
  auto v = VerifierKey::Create(name, type, pk);
  if (!v.ok()) return v.status();
  k.verifier_ = *std::move(v);
  return k;
}

absl::StatusOr<SigningKey> SigningKey::Generate(absl::string_view name,
                                                uint8_t type) {
  InitCrypto();
  std::string seed(crypto_sign_SEEDBYTES, '\0');
  randombytes_buf(seed.data(), seed.size());
  auto k = FromSeed(name, type, seed);
  sodium_memzero(seed.data(), seed.size());
  return k;
}

absl::StatusOr<SigningKey> SigningKey::Parse(absl::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  if (text.substr(0, kPrivatePrefix.size()) != kPrivatePrefix) {
    return absl::InvalidArgumentError(
        "signing key: missing PRIVATE+KEY+ prefix");
  }
  auto parts = SplitKey(text.substr(kPrivatePrefix.size()));
  if (!parts.ok()) return parts.status();
  auto k = FromSeed(parts->name, parts->type, parts->key32);
  sodium_memzero(parts->key32.data(), parts->key32.size());
  if (!k.ok()) return k.status();
  if (Hex8(k->verifier().key_id()) != parts->hex8) {
    return absl::InvalidArgumentError("signing key: key id does not match");
  }
  return k;
}

SigningKey::SigningKey(SigningKey&& o) noexcept
    : verifier_(std::move(o.verifier_)), secret_(o.secret_) {
  sodium_memzero(o.secret_.data(), o.secret_.size());
}

SigningKey& SigningKey::operator=(SigningKey&& o) noexcept {
  verifier_ = std::move(o.verifier_);
  secret_ = o.secret_;
  sodium_memzero(o.secret_.data(), o.secret_.size());
  return *this;
}

SigningKey::~SigningKey() { sodium_memzero(secret_.data(), secret_.size()); }

Signature SigningKey::Sign(absl::string_view message) const {
  Signature sig;
  crypto_sign_detached(sig.data(), nullptr,
                       reinterpret_cast<const unsigned char*>(message.data()),
                       message.size(), secret_.data());
  return sig;
}

std::string SigningKey::ToString() const {
  std::string raw(1, static_cast<char>(verifier_.type()));
  raw.append(reinterpret_cast<const char*>(secret_.data()), 32);
  std::string out =
      absl::StrCat(kPrivatePrefix, verifier_.name(), "+",
                   Hex8(verifier_.key_id()), "+", Base64Encode(raw));
  sodium_memzero(raw.data(), raw.size());
  return out;
}

absl::StatusOr<SigningKey> LoadSigningKey(const std::string& path) {
  auto text = ReadPrivateFile(path);
  if (!text.ok()) return text.status();
  auto key = SigningKey::Parse(*text);
  sodium_memzero(text->data(), text->size());
  return key;
}

}  // namespace ailedger
