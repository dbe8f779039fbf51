// A new event's envelope (proto/ailedger/event.proto, Event): the fields every
// event sets before its body, written once for the CLI's commands, the genesis,
// the benchmarks and the history generator.
#ifndef AILEDGER_LEDGER_GOVERNANCE_ENVELOPE_H_
#define AILEDGER_LEDGER_GOVERNANCE_ENVELOPE_H_

#include <cstdint>

#include "absl/strings/string_view.h"
#include "ailedger/event.pb.h"

namespace ailedger {

// The vocabulary an event is written against (Event.schema_version): 2 since
// the fields and types of vocabulary v2 (docs/VOCABULARY.md). Events of
// schema version 1 and 2 are accepted; the rules in force are the log's
// (roles.h), whatever the event says.
inline constexpr uint32_t kSchemaVersion = 2;

// An event of `type` (an event type's name, event_types.h) at schema version
// kSchemaVersion, by `organisation`, claimed to have occurred at
// `occurred_at_ms` (Unix milliseconds; 0 leaves it unset). The caller sets the
// body, subjects and references.
v1::Event NewEvent(absl::string_view type, absl::string_view organisation,
                   int64_t occurred_at_ms = 0);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_GOVERNANCE_ENVELOPE_H_
