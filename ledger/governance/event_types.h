// The event types the code branches on by name. Every type and its required
// role is in roles.cc's table; its fields in validation.cc's; this header
// names only the few that rules treat specially.
#ifndef AILEDGER_LEDGER_GOVERNANCE_EVENT_TYPES_H_
#define AILEDGER_LEDGER_GOVERNANCE_EVENT_TYPES_H_

#include "absl/strings/string_view.h"

namespace ailedger {

// The roster events (ChangesRoster below).
inline constexpr char kGenesis[] = "Genesis";
inline constexpr char kKeyGranted[] = "KeyGranted";
inline constexpr char kKeyRevoked[] = "KeyRevoked";
// Moves the log to a new signing key (log_key_rotation.h).
inline constexpr char kLogKeyRotated[] = "LogKeyRotated";
inline constexpr char kRulesVersionAdopted[] = "RulesVersionAdopted";

// The types with a rule of their own in the engine (ledger/rules/engine.cc).
inline constexpr char kApproval[] = "Approval";
inline constexpr char kErasure[] = "Erasure";

// The roster events: they change who may sign what, or under which rules
// (roster.h). A ranged bundle carries those before its range; the server
// stores the roster anew after a batch with one.
inline bool ChangesRoster(absl::string_view type) {
  return type == kGenesis || type == kKeyGranted || type == kKeyRevoked ||
         type == kLogKeyRotated || type == kRulesVersionAdopted;
}

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_GOVERNANCE_EVENT_TYPES_H_
