// The checks an append passes before it is queued, cheapest first: sizes, the
// canonical encoding, the envelope's basic fields, then the author's signature
// (the costly one). Each failure is INVALID_ARGUMENT or UNAUTHENTICATED with a
// message naming the field.
#ifndef AILEDGER_SERVER_APPEND_CHECKS_H_
#define AILEDGER_SERVER_APPEND_CHECKS_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "server/sequencer.h"

namespace ailedger {

struct AppendInput {
  const std::string& event;
  const std::string& signer;
  const std::string& signature;
};

// Size checks alone: run before any rate limit bookkeeping or signature work.
absl::Status CheckAppendSizes(const AppendInput& in);

// Everything before the queue. `now_ms` and `skew_ms` bound occurred_at_ms from
// the future. `log_version`: the role table version of the log
// (Sequencer::role_table_version(); 0 for the genesis of a new log), which
// decides the rules ValidateFields applies.
absl::StatusOr<PendingAppend> CheckAppend(absl::string_view origin,
                                          const AppendInput& in, int64_t now_ms,
                                          int64_t skew_ms,
                                          uint32_t log_version);

}  // namespace ailedger

#endif  // AILEDGER_SERVER_APPEND_CHECKS_H_
