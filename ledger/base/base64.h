// Standard base64 (RFC 4648 §4, padded), decoded strictly: the only accepted
// encoding of a byte string is the one Base64Encode produces (no whitespace,
// correct padding, zero pad bits), so no two texts decode to the same bytes.
#ifndef AILEDGER_LEDGER_BASE_BASE64_H_
#define AILEDGER_LEDGER_BASE_BASE64_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace ailedger {

std::string Base64Encode(absl::string_view bytes);

// INVALID_ARGUMENT naming `what` on any non-canonical input.
absl::StatusOr<std::string> Base64Decode(absl::string_view text,
                                         absl::string_view what);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_BASE_BASE64_H_
