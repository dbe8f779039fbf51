// The one way to append outside the running server (issue 11, "One way to
// append"): `ailedgerd init` writes the genesis with it, and the benchmarks
// grow their fixtures with it. Every event goes through what the server runs
// before it commits (the canonical encoding, the author's signature, the rules
// on the event alone, the duplicate rule, then the rules of state of
// ledger/rules/engine.h over StoreRuleState) and then through the single
// writer, with the index and meta rows the rules produce, in one commit.
//
// The sequencer (server/sequencer.h) runs the same rules on the same state; it
// answers each event of a batch alone, where this is all or nothing. The only
// other caller of LogWriter::Append is a test that forges a log on purpose.
#ifndef AILEDGER_LEDGER_STORAGE_CHECKED_APPEND_H_
#define AILEDGER_LEDGER_STORAGE_CHECKED_APPEND_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "ledger/governance/event_signature.h"
#include "ledger/governance/roster.h"
#include "ledger/storage/log_store.h"
#include "ledger/storage/log_writer.h"

namespace ailedger {

struct CheckedAppend {
  AppendResult result;
  // The roster after the last event.
  Roster roster;
};

// Appends `events` at `now_ms` after the store's last entry, `roster` being
// the roster as of that entry. The first event any rule refuses is returned
// (its status names the rule, engine.h's RuleOf, and the message says which
// event), and nothing is written. `meta_rows` are committed too.
absl::StatusOr<CheckedAppend> AppendThroughRules(
    const LogStore* store, LogWriter* writer, Roster roster,
    absl::Span<const SignedEvent> events, int64_t now_ms,
    std::vector<std::pair<std::string, std::string>> meta_rows = {});

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_STORAGE_CHECKED_APPEND_H_
