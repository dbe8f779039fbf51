// The rule on an event's own clock, shared by the server (at append, against
// its clock) and the offline verifier (against the leaf's integration time,
// which is never earlier than the server's clock at append): occurred_at_ms
// may lie at most kMaxClockSkewMs in the future, and never before 1970.
#ifndef AILEDGER_LEDGER_GOVERNANCE_TIME_RULES_H_
#define AILEDGER_LEDGER_GOVERNANCE_TIME_RULES_H_

#include <cstdint>

#include "absl/status/status.h"
#include "ailedger/event.pb.h"

namespace ailedger {

// The server's default skew window (LedgerService::Options::skew_ms): how far
// an author's clock may run ahead of the log's.
inline constexpr int64_t kMaxClockSkewMs = 60'000;

// INVALID_ARGUMENT "event.occurred_at_ms: X is in the future beyond the skew
// window" when e.occurred_at_ms() > now_ms + skew_ms; "... is before 1970"
// when it is negative.
absl::Status CheckOccurredAt(const v1::Event& e, int64_t now_ms,
                             int64_t skew_ms = kMaxClockSkewMs);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_GOVERNANCE_TIME_RULES_H_
