// `ailedgerd backup --data DIR --to DEST`: a consistent copy of a log's store,
// made while the server keeps serving, with the latest signed checkpoint and
// a manifest beside it (ledger/storage/backup_files.h):
//
//   DEST/store/            a RocksDB checkpoint of DIR: the store at one commit
//   DEST/checkpoint.note   the latest signed checkpoint in that copy
//   DEST/cosigned.note     the latest checkpoint witnesses cosigned (if any)
//   DEST/manifest          origin, size, root, time, format version, SHA-256s
//
// Why through the server: RocksDB lets one process open a store read-write,
// and ailedgerd holds it for as long as it serves. A secondary instance
// (DB::OpenAsSecondary) can be checkpointed from another process on RocksDB
// 7.8, but nothing keeps the primary from deleting the files it copies (a
// compaction may remove an SST file between listing and linking it) or from
// growing the write-ahead log it copies, so such a copy under load is not
// sound. So the server makes the copy itself, with RocksDB's
// Checkpoint, when `ailedgerd backup` asks on the control socket in the data
// directory (server/admin_socket.h); a stopped store is opened and copied
// directly. Either way the copy is then opened on its own and checked (tree
// state against its nodes, latest checkpoint against the tree) before the
// manifest is written and DEST appears.
#ifndef AILEDGER_SERVER_BACKUP_H_
#define AILEDGER_SERVER_BACKUP_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "ledger/base/backup_files.h"
#include "ledger/storage/log_store.h"
#include "ledger/storage/rocksdb_store.h"
#include "server/admin_socket.h"

namespace ailedger {

// The store's subdirectory and the notes beside it in a backup.
inline constexpr char kBackupStoreDir[] = "store";
inline constexpr char kBackupCheckpointName[] = "checkpoint.note";
inline constexpr char kBackupCosignedName[] = "cosigned.note";

// What a store holds, checked without the log key: its tree state against its
// nodes (CheckTreeState) and its latest checkpoint's body against the tree
// state (the signature is checked by whoever holds the key: restore, serve).
struct StoreSummary {
  std::string origin;
  TreeState state;
  std::string checkpoint_note;               // the latest, for state.size
  std::optional<std::string> cosigned_note;  // meta "cosigned"
  uint32_t format_version = 0;
};
absl::StatusOr<StoreSummary> SummarizeStore(const RocksDbStore& store);

struct BackupReport {
  BackupManifest manifest;
  bool online = false;  // made by a running server
};

// Makes DEST (see above). DEST must not exist. FAILED_PRECONDITION when a
// server holds DIR but does not answer on its control socket.
absl::StatusOr<BackupReport> BackUpLog(const std::string& data_dir,
                                       const std::string& dest);

// The server's side: answers "checkpoint ABSOLUTE_PATH" on DIR/ailedgerd.sock
// with store->CreateCheckpoint. Null (with the reason on stderr, and the
// server serving on) when the socket cannot be made: backups then need the
// server stopped.
std::unique_ptr<AdminSocket> ServeOnlineBackups(const std::string& data_dir,
                                                const RocksDbStore* store);

}  // namespace ailedger

#endif  // AILEDGER_SERVER_BACKUP_H_
