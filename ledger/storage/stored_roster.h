// The roster as the store keeps it (meta_keys.h, "roster"): the snapshot the
// last commit wrote, so that start-up does not replay the log.
#ifndef AILEDGER_LEDGER_STORAGE_STORED_ROSTER_H_
#define AILEDGER_LEDGER_STORAGE_STORED_ROSTER_H_

#include "absl/status/statusor.h"
#include "ledger/governance/roster.h"
#include "ledger/storage/log_store.h"

namespace ailedger {

// The roster as of `state.size`. DATA_LOSS when the snapshot is missing or
// unreadable, or names a role table version below the genesis's (a version
// is only ever raised, by RulesVersionAdopted).
absl::StatusOr<Roster> LoadRoster(const LogStore& store,
                                  const TreeState& state);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_STORAGE_STORED_ROSTER_H_
