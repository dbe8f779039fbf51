// The canonical-event rule (docs/ARCHITECTURE.md, "The leaf"): event bytes are
// accepted only if they parse as ailedger.v1.Event with no unknown fields and
// no unknown enum values at any depth, and protobuf's deterministic re-encoding
// of the parsed message equals the bytes. Then every reader, in any language,
// decodes the same thing from the signed bytes.
#ifndef AILEDGER_LEDGER_GOVERNANCE_CANONICAL_H_
#define AILEDGER_LEDGER_GOVERNANCE_CANONICAL_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ailedger/event.pb.h"

namespace ailedger {

// INVALID_ARGUMENT naming the offending field when there is one.
absl::StatusOr<v1::Event> ParseCanonicalEvent(absl::string_view bytes);

// Parses any message under the same rule (no unknown fields or enum values,
// deterministic re-encoding equals the bytes). INVALID_ARGUMENT naming `what`.
absl::Status ParseCanonical(absl::string_view bytes,
                            google::protobuf::Message* message,
                            absl::string_view what);

// The deterministic encoding of `event`: what an author signs.
std::string CanonicalEncoding(const google::protobuf::Message& message);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_GOVERNANCE_CANONICAL_H_
