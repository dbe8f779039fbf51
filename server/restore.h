// `ailedgerd restore`: puts a backup (server/backup.h) back as a log's store,
// or a sealed store's backup back as a sealed store (sealed_backup.h).
//
// A log's copy is checked first: every file against the manifest's SHA-256,
// the store's tree state against its nodes, its latest checkpoint under the
// log key. Then it is compared with the key's high-water mark (KEY.hwm,
// log_signer.h), the largest tree the key has signed. At or above the mark it
// is restored as it is. Below it, serving the copy would let the key sign a
// second tree at a size it has already signed (a fork), so `serve` refuses it
// and restore, without a choice, writes nothing and explains the two ways on:
//
//   --replay BUNDLE     the missing entries from an export bundle of this log
//                       whose checkpoint is at or beyond the mark (replay.h):
//                       the copy then reaches the mark's size and root;
//   --successor         a successor log (a new origin and log key) whose
//     --genesis FILE    genesis, made with `ailedger genesis
//     --new-log-key K   --predecessor-checkpoint NOTE`, names this log's last
//                       checkpoint (the backup's checkpoint.note, or a later
//                       one signed by the key, such as a witness's).
//
// No path signs anything with the old key: a replay stores the bundle's own
// signed checkpoint, a successor is signed by its new key (whose mark must be
// 0). The copy is assembled in DIR.restoring and renamed to DIR only once it
// checks, so an interrupted restore leaves no store that looks whole.
#ifndef AILEDGER_SERVER_RESTORE_H_
#define AILEDGER_SERVER_RESTORE_H_

#include <string>

#include "absl/status/statusor.h"

namespace ailedger {

struct RestoreOptions {
  std::string from;           // the backup directory
  std::string data_dir;       // must not exist
  std::string log_key_file;   // the log's key (its .hwm beside it)
  std::string replay_bundle;  // --replay
  bool successor = false;     // --successor, with:
  std::string genesis_file, new_log_key_file;
};

// What was done, for the operator. FAILED_PRECONDITION with the explanation
// above when the copy is below the mark and no choice was made.
absl::StatusOr<std::string> RestoreLog(const RestoreOptions& options);

}  // namespace ailedger

#endif  // AILEDGER_SERVER_RESTORE_H_
