#include "ledger/audit/verify_failure.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "ledger/rules/engine.h"

namespace ailedger {

absl::Status Fail(uint64_t index, absl::string_view check,
                  absl::string_view detail) {
  if (absl::StartsWith(detail, check)) {
    return WithRule(absl::FailedPreconditionError(
                        absl::StrCat("index ", index, ": ", detail)),
                    check);
  }
  return WithRule(absl::FailedPreconditionError(
                      absl::StrCat("index ", index, ": ", check, ": ", detail)),
                  check);
}
absl::Status Fail(absl::string_view check, absl::string_view detail) {
  return WithRule(
      absl::FailedPreconditionError(absl::StrCat(check, ": ", detail)), check);
}

}  // namespace ailedger
