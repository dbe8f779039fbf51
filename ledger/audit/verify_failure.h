// How the offline verifier words a failure: "index N: check: detail", tagged
// with the check's name (ledger/rules/engine.h, RuleOf), so the report can say
// which rule or check failed.
#ifndef AILEDGER_LEDGER_AUDIT_VERIFY_FAILURE_H_
#define AILEDGER_LEDGER_AUDIT_VERIFY_FAILURE_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace ailedger {

// FAILED_PRECONDITION "index N: check: detail", the check named once when the
// detail starts with it ("approval: the approver wrote ...").
absl::Status Fail(uint64_t index, absl::string_view check,
                  absl::string_view detail);
// FAILED_PRECONDITION "check: detail", for a failure at no one index.
absl::Status Fail(absl::string_view check, absl::string_view detail);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_AUDIT_VERIFY_FAILURE_H_
