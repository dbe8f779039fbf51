#include "ledger/base/base64.h"

#include <sodium.h>

#include "absl/strings/str_cat.h"
#include "ledger/base/crypto_init.h"

namespace ailedger {

std::string Base64Encode(absl::string_view bytes) {
  InitCrypto();
  const size_t len =
      sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  std::string out(len, '\0');
  sodium_bin2base64(out.data(), len,
                    reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(len - 1);  // drop the NUL terminator
  return out;
}

absl::StatusOr<std::string> Base64Decode(absl::string_view text,
                                         absl::string_view what) {
  InitCrypto();
  std::string out(text.size() / 4 * 3 + 3, '\0');
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()),
                        out.size(), text.data(), text.size(), nullptr, &len,
                        &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text.data() + text.size()) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": not base64"));
  }
  out.resize(len);
  if (Base64Encode(out) != text) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": not canonical base64"));
  }
  return out;
}

}  // namespace ailedger
