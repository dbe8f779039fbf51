#include "ledger/governance/validation_text.h"

#include <cstdint>
#include <set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "ledger/governance/field_values.h"

namespace ailedger {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// The string fields, by name wherever they occur, that identify someone or
// something: names that are compared, indexed, or shown as who did what.
const std::set<absl::string_view>& IdentifierFields() {
  static const auto* names = new std::set<absl::string_view>{
      // The envelope.
      "event_type", "organisation", "kind", "id", "framework_refs",
      "retention_class", "origin", "media_type", "label", "uri",
      // The log and its roster.
      "predecessor_origin", "log_verifier_key", "new_log_verifier_key",
      "admin_name", "admin_organisation", "display_name", "functions",
      "scope_organisation", "scope_system",
      // Parties, people and systems named by the bodies.
      "partner_organisation", "provider", "deployer", "deployers", "owner",
      "holder", "name", "systems", "systems_supplied",
      // Versions, frameworks, controls and codes.
      "version", "model_version", "previous_version", "from_version",
      "to_version", "method_version", "framework", "framework_version",
      "control_id", "question_id", "question_ids", "member_state",
      "art3_49_category", "art6_3_condition", "annex_iii_point"};
  return *names;
}

// The code point at s[i] and its length in bytes; {0xFFFD, 1} for a byte that
// does not start a well-formed sequence (protobuf refuses such strings in
// proto3 fields before this runs).
std::pair<uint32_t, size_t> Decode(absl::string_view s, size_t i) {
  const uint8_t c = s[i];
  if (c < 0x80) return {c, 1};
  const size_t n = (c & 0xE0) == 0xC0   ? 2
                   : (c & 0xF0) == 0xE0 ? 3
                   : (c & 0xF8) == 0xF0 ? 4
                                        : 0;
  if (n == 0 || i + n > s.size()) return {0xFFFD, 1};
  uint32_t cp = c & (0x7F >> n);
  for (size_t k = 1; k < n; ++k) {
    const uint8_t cc = s[i + k];
    if ((cc & 0xC0) != 0x80) return {0xFFFD, 1};
    cp = (cp << 6) | (cc & 0x3F);
  }
  return {cp, n};
}

bool IsC0DelOrC1(uint32_t cp) {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F);
}

// Bidi embeddings, overrides, isolates and marks; line and paragraph
// separators.
bool IsBidiOrSeparator(uint32_t cp) {
  return cp == 0x061C || cp == 0x200E || cp == 0x200F ||
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
         cp == 0x2028 || cp == 0x2029;
}

absl::Status Check(absl::string_view value, absl::string_view field,
                   bool identifier) {
  for (size_t i = 0; i < value.size();) {
    const auto [cp, n] = Decode(value, i);
    const bool layout = cp == '\t' || cp == '\n' || cp == '\r';
    const bool bad = identifier ? IsC0DelOrC1(cp) || IsBidiOrSeparator(cp)
                                : IsC0DelOrC1(cp) && !layout;
    if (bad) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: control character U+%04X at byte %d", field, cp, i));
    }
    i += n;
  }
  return absl::OkStatus();
}

// One value of a field (ForEachFieldValue): a string is checked as an
// identifier or as free text by the field's name; a message, field by field.
absl::Status CheckValue(const Message& m, const FieldDescriptor* f, int i,
                        const std::string& at) {
  if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE)
    return CheckStrings(MessageValue(m, f, i), at);
  if (f->type() != FieldDescriptor::TYPE_STRING) return absl::OkStatus();
  const Reflection* r = m.GetReflection();
  std::string scratch;
  const std::string& v = f->is_repeated()
                             ? r->GetRepeatedStringReference(m, f, i, &scratch)
                             : r->GetStringReference(m, f, &scratch);
  return Check(v, at, IsIdentifierField(f->name()));
}

}  // namespace

bool IsIdentifierField(absl::string_view field_name) {
  return IdentifierFields().count(field_name) > 0;
}

absl::Status CheckIdentifierText(absl::string_view value,
                                 absl::string_view field) {
  return Check(value, field, true);
}

absl::Status CheckFreeText(absl::string_view value, absl::string_view field) {
  return Check(value, field, false);
}

absl::Status CheckStrings(const Message& m, const std::string& prefix) {
  return ForEachFieldValue(m, prefix, CheckValue);
}

}  // namespace ailedger
