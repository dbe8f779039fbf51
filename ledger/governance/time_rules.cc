#include "ledger/governance/time_rules.h"

#include <limits>

#include "absl/strings/str_cat.h"

namespace ailedger {

absl::Status CheckOccurredAt(const v1::Event& e, int64_t now_ms,
                             int64_t skew_ms) {
  const int64_t limit = now_ms > std::numeric_limits<int64_t>::max() - skew_ms
                            ? std::numeric_limits<int64_t>::max()
                            : now_ms + skew_ms;
  // Before 1970 is no AI system's record (and -2^63 would be anyone's
  // arithmetic trap): refused by the sequencer and the verifier alike.
  if (e.occurred_at_ms() < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("event.occurred_at_ms: ", e.occurred_at_ms(),
                     " is before 1970 (Unix milliseconds; 0 leaves it unset)"));
  }
  if (e.occurred_at_ms() > limit) {
    return absl::InvalidArgumentError(
        absl::StrCat("event.occurred_at_ms: ", e.occurred_at_ms(),
                     " is in the future beyond the skew window"));
  }
  return absl::OkStatus();
}

}  // namespace ailedger
