// RocksDbStore::CreateCheckpoint, kept apart from rocksdb_store.cc: the one
// use of RocksDB's Checkpoint utility, for backups (server/backup.h).
#include <rocksdb/db.h>
#include <rocksdb/utilities/checkpoint.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "ledger/storage/rocksdb_store.h"

namespace ailedger {

// RocksDB's Checkpoint (utilities/checkpoint.h) flushes the memtables, keeps
// files from being deleted while it works, then hard-links the immutable SST
// files (copies them across file systems) and copies MANIFEST, CURRENT and
// OPTIONS: the copy opens as the store at one committed write, and every
// commit is one WriteBatch, so it holds whole batches only. Commits go on
// meanwhile.
absl::Status RocksDbStore::CreateCheckpoint(const std::string& dir) const {
  std::shared_lock<std::shared_mutex> lock(db_mu_);
  if (!db_) return closed_;
  rocksdb::Checkpoint* raw = nullptr;
  rocksdb::Status s = rocksdb::Checkpoint::Create(db_.get(), &raw);
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  if (s.ok()) s = checkpoint->CreateCheckpoint(dir, /*log_size_for_flush=*/0);
  if (s.ok()) return absl::OkStatus();
  const std::string msg =
      absl::StrCat("store checkpoint ", dir, ": ", s.ToString());
  if (s.IsNoSpace()) return absl::ResourceExhaustedError(msg);
  if (s.IsInvalidArgument()) return absl::AlreadyExistsError(msg);
  if (s.IsIOError()) return absl::UnavailableError(msg);
  return absl::InternalError(msg);
}

}  // namespace ailedger
