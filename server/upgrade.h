// `ailedgerd upgrade --data DIR [--dry-run]`: the only way a store's format
// version (rocksdb_store.h, kStoreFormatVersion) is raised. `serve`, `backup
// --replay` and `check-indexes` refuse an older store with a message naming
// this command.
//
// Each step from an older version is listed in upgrade.cc's table (1 -> 2:
// the query indexes rebuilt in the length-prefixed key layout, as
// index_check.h does). A dry run opens the store, says what each step would
// change and checks the tree, writing nothing. A real run applies the steps,
// then verifies before it records the new version: the indexes agree with
// the leaves, every leaf is at its index and chained to the one before, and
// the root recomputed from all the leaves is the tree state's root and the
// root of the latest stored checkpoint. Interrupted, the store keeps its old
// version and the upgrade can be run again (every step is recomputed from the
// leaves). The server must be stopped; take a backup first.
#ifndef AILEDGER_SERVER_UPGRADE_H_
#define AILEDGER_SERVER_UPGRADE_H_

#include <string>

#include "absl/status/statusor.h"

namespace ailedger {

// What was (or, with dry_run, would be) done, for the operator.
absl::StatusOr<std::string> UpgradeStore(const std::string& data_dir,
                                         bool dry_run);

}  // namespace ailedger

#endif  // AILEDGER_SERVER_UPGRADE_H_
