// UTF-8 validation (RFC 3629 §4): no overlong forms, no surrogates, nothing
// above U+10FFFF.
#ifndef AILEDGER_LEDGER_BASE_UTF8_H_
#define AILEDGER_LEDGER_BASE_UTF8_H_

#include "absl/strings/string_view.h"

namespace ailedger {

bool IsValidUtf8(absl::string_view s);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_BASE_UTF8_H_
