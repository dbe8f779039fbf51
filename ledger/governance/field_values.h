// The walk over an event's set fields that the whole-event checks share: the
// well-formedness of digests, numbers and periods (validation.cc) and the
// control characters in strings (validation_text.cc). Each check sees one value
// at a time with its path, e.g. "fairness_snapshot.features[0].cells[1].tp",
// which is what its error message names.
#ifndef AILEDGER_LEDGER_GOVERNANCE_FIELD_VALUES_H_
#define AILEDGER_LEDGER_GOVERNANCE_FIELD_VALUES_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "google/protobuf/message.h"

namespace ailedger {

// A check of the value `i` of field `f` of `m` (0 for a field that is not
// repeated), found at `path`.
using FieldValueCheck =
    std::function<absl::Status(const google::protobuf::Message& m,
                               const google::protobuf::FieldDescriptor* f,
                               int i, const std::string& path)>;

// Runs `check` on every value of every set field of `m` (not below: a check
// that wants a sub-message's fields walks it again), in field-number order;
// the path is "prefix.field" ("field" when `prefix` is empty), with "[i]"
// after a repeated field's name. Returns the first error.
absl::Status ForEachFieldValue(const google::protobuf::Message& m,
                               const std::string& prefix,
                               const FieldValueCheck& check);

// The sub-message that is value `i` of the message field `f` of `m`.
const google::protobuf::Message& MessageValue(
    const google::protobuf::Message& m,
    const google::protobuf::FieldDescriptor* f, int i);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_GOVERNANCE_FIELD_VALUES_H_
