// The rules of single event types that the required-field table cannot say
// (ledger/governance/validation.h, layer 4). Internal to validation.cc.
#ifndef AILEDGER_LEDGER_GOVERNANCE_VALIDATION_RULES_H_
#define AILEDGER_LEDGER_GOVERNANCE_VALIDATION_RULES_H_

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "ailedger/event.pb.h"

namespace ailedger::validation {

inline absl::Status Missing(absl::string_view field) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
}

inline absl::Status Bad(absl::string_view field, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", why));
}

// The type's own rules; OK for a type that has none. `version3`: role table
// version 3 is in force (the fairness snapshot's reference group is then per
// feature, validation_v3.h).
absl::Status CheckTypeRules(const v1::Event& e, bool version3);

}  // namespace ailedger::validation

#endif  // AILEDGER_LEDGER_GOVERNANCE_VALIDATION_RULES_H_
