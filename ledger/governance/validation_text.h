// Control characters in an event's strings (validation.h, layer 0), checked
// before anything else, at append and again by the offline verifier.
//
// An identifier (an organisation, a subject's kind or id, a display name, an
// origin, a function, a version, a framework reference, ...: IsIdentifierField)
// holds no control character at all: no C0 (U+0000-U+001F, tab and newline
// included), no DEL, no C1 (U+0080-U+009F), no bidi control (U+061C, U+200E,
// U+200F, U+202A-U+202E, U+2066-U+2069) and no line or paragraph separator
// (U+2028, U+2029). A NUL in a subject id once let one organisation's index
// rows sort inside another's range and cut its queries short; escape
// sequences and bidi overrides make one name print as another on an auditor's
// terminal. Every other string (free text: a description, a statement, a
// signed note) may hold tab, newline and carriage return, and nothing else of
// C0, DEL or C1.
//
// Each failure is INVALID_ARGUMENT naming the field's path, the code point and
// its byte offset, e.g. "subjects[0].id: control character U+0000 at byte 14".
#ifndef AILEDGER_LEDGER_GOVERNANCE_VALIDATION_TEXT_H_
#define AILEDGER_LEDGER_GOVERNANCE_VALIDATION_TEXT_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace ailedger {

// Whether a string field of this name holds an identifier.
bool IsIdentifierField(absl::string_view field_name);

// `value` as the identifier at `field`.
absl::Status CheckIdentifierText(absl::string_view value,
                                 absl::string_view field);
// `value` as free text at `field`.
absl::Status CheckFreeText(absl::string_view value, absl::string_view field);

// Every string field of `m`, at any depth, under `prefix` ("" for the event).
absl::Status CheckStrings(const google::protobuf::Message& m,
                          const std::string& prefix);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_GOVERNANCE_VALIDATION_TEXT_H_
