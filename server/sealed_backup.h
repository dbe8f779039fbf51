// `ailedgerd backup --sealed-store DIR --to DEST` and `ailedgerd restore
// --from DEST --sealed-store DIR`: the sealed store's files (sealed_store.h)
// copied with a manifest (ledger/storage/backup_files.h) into DEST/material/.
//
// Each file is written once by an atomic rename and destroyed by Erase, so a
// file copied while the server runs is whole unless an erasure overwrote it
// while it was read: such a copy (its version byte zeroed) and a file gone
// before it was opened are left out, being erased. Back the log up first and
// the sealed store after, so that the sealed copy has the material of every
// entry the log copy holds. Material erased after a backup is still in it:
// `serve` destroys, before it serves, every restored file the log says was
// erased (SealedStore::Sweep), but the backup itself keeps it until deleted.
#ifndef AILEDGER_SERVER_SEALED_BACKUP_H_
#define AILEDGER_SERVER_SEALED_BACKUP_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"

namespace ailedger {

inline constexpr char kSealedBackupDir[] = "material";

// The number of files copied.
absl::StatusOr<size_t> BackUpSealedStore(const std::string& sealed_dir,
                                         const std::string& dest);
// `sealed_dir` must not exist; it is made mode 0700. The number restored.
absl::StatusOr<size_t> RestoreSealedStore(const std::string& from,
                                          const std::string& sealed_dir);

}  // namespace ailedger

#endif  // AILEDGER_SERVER_SEALED_BACKUP_H_
