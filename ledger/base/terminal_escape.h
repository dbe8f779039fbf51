// Text from a bundle, a log or a server (display names, organisations, event
// types, error messages) is untrusted: printed raw, an ESC sequence can erase
// or rewrite what a terminal shows (a "FAILED" overwritten by "VERIFIED"), and
// a bidi override can reorder it. Every human-readable output passes such
// strings through EscapeForTerminal.
#ifndef AILEDGER_LEDGER_BASE_TERMINAL_ESCAPE_H_
#define AILEDGER_LEDGER_BASE_TERMINAL_ESCAPE_H_

#include <string>

#include "absl/strings/string_view.h"

namespace ailedger {

// `s` with every code point a terminal could act on written as a JSON-style
// escape "\uXXXX": C0 controls (including ESC, CR, LF and TAB), DEL, C1
// controls (U+0080-U+009F) and the bidi controls (U+061C, U+200E, U+200F,
// U+202A-U+202E, U+2066-U+2069). A byte that is not part of valid UTF-8 is
// written "\xHH" (a terminal may read a lone 0x9B as CSI). Everything else,
// backslashes included, is copied: a JSON document stays a valid JSON document
// with the same strings, and other text stays readable.
std::string EscapeForTerminal(absl::string_view s);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_BASE_TERMINAL_ESCAPE_H_
