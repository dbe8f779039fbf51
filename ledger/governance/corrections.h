// Corrections and retractions: nothing is edited (docs/FORMATS.md, "Rule
// tables").
//
// clang-format off
//   correction  an event with `supersedes` (the corrected event's id) and a
//               `supersedes_reason`; the same type and the same subjects as the
//               corrected event; from the same organisation, or by an admin; no
//               event is superseded twice. Where the type takes approvals, the
//               correction needs its own.
//   retraction  a Retraction naming the withdrawn event and a reason; from the
//               same organisation, or by an admin; no event is retracted twice.
// clang-format on
//
// Each rule has its own error: INVALID_ARGUMENT for a malformed field,
// FAILED_PRECONDITION for a reference that does not resolve or a rule of state,
// PERMISSION_DENIED for the wrong organisation. The sequencer supplies lookups
// over the store and the batch.
#ifndef AILEDGER_LEDGER_GOVERNANCE_CORRECTIONS_H_
#define AILEDGER_LEDGER_GOVERNANCE_CORRECTIONS_H_

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "ailedger/event.pb.h"
#include "ledger/merkle/hash.h"

namespace ailedger {

struct EventFacts {
  uint64_t index = 0;
  std::string event_type, organisation;
  // Sorted (kind, id).
  std::vector<std::pair<std::string, std::string>> subjects;
};

EventFacts FactsOf(uint64_t index, const v1::Event& e);

struct CorrectionLookups {
  std::function<absl::StatusOr<std::optional<EventFacts>>(const Hash&)> event;
  std::function<absl::StatusOr<bool>(const Hash&)> superseded;
  std::function<absl::StatusOr<bool>(const Hash&)> retracted;
};

// Checks `e` (by a signer who is an admin or not) against the correction and
// retraction rules.
// `signer_organisation` is the organisation the roster gives the signer's key
// (not the event's own claim).
absl::Status CheckCorrections(const v1::Event& e, bool signer_is_admin,
                              const std::string& signer_organisation,
                              const CorrectionLookups& lookups);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_GOVERNANCE_CORRECTIONS_H_
