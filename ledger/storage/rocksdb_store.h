// LogStore on an embedded RocksDB in a local folder. The key layout is written
// at the top of rocksdb_store.cc and in docs/STORAGE.md. Thread-safe.
#ifndef AILEDGER_LEDGER_STORAGE_ROCKSDB_STORE_H_
#define AILEDGER_LEDGER_STORAGE_ROCKSDB_STORE_H_

#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

#include "ledger/storage/log_store.h"

namespace rocksdb {
class Cache;
class ColumnFamilyHandle;
class Env;
class DB;
class WriteBatch;
}  // namespace rocksdb

namespace ailedger {

// 2: index keys length-prefix their components (event_index.h). A version 1
// store is opened only to rebuild its indexes (Mode::kRebuildIndexes).
inline constexpr uint32_t kStoreFormatVersion = 2;
inline constexpr uint32_t kOldestRebuildableFormatVersion = 1;

struct RocksDbOptions {
  // Shared block cache for all column families, index and filter blocks
  // included. Default: 128 MiB.
  size_t block_cache_bytes = 128 << 20;
  // fsync every commit. Default: true. Only benchmarks that build fixtures turn
  // it off.
  bool sync = true;
  // The environment RocksDB does its I/O through (default: the local file
  // system). Tests inject faults through it (tests/testing/fault_fs.h).
  std::shared_ptr<rocksdb::Env> env;
};

class RocksDbStore final : public LogStore {
 public:
  enum class Mode { kCreate, kOpenExisting, kRebuildIndexes };

  // kCreate: makes a new store at `path` (ALREADY_EXISTS if one is there).
  // kOpenExisting: NOT_FOUND if `path` holds no store; FAILED_PRECONDITION if
  // its format version is not kStoreFormatVersion (an older one names the
  // command that rebuilds it); DATA_LOSS if RocksDB reports corruption.
  // kRebuildIndexes: as kOpenExisting, but also accepts the older versions
  // whose leaves are current and whose indexes only need rebuilding; after a
  // rebuild, MarkIndexesRebuilt.
  static absl::StatusOr<std::unique_ptr<RocksDbStore>> Open(
      const std::string& path, Mode mode, RocksDbOptions options = {});
  ~RocksDbStore() override;

  absl::StatusOr<TreeState> ReadTreeState() const override;
  absl::StatusOr<std::string> ReadLeaf(uint64_t index) const override;
  absl::StatusOr<std::vector<std::string>> ReadLeaves(
      uint64_t begin, uint64_t end) const override;
  absl::StatusOr<std::vector<Hash>> ReadNodes(
      absl::Span<const NodeId> ids) const override;
  absl::StatusOr<std::string> ReadCheckpoint(uint64_t size) const override;
  absl::StatusOr<std::string> ReadLatestCheckpoint() const override;
  absl::StatusOr<std::vector<std::pair<uint64_t, std::string>>> ScanCheckpoints(
      uint64_t begin, uint64_t end, size_t limit) const override;
  absl::StatusOr<std::optional<uint64_t>> FindEvent(
      const Hash& event_id) const override;
  absl::StatusOr<std::vector<std::optional<uint64_t>>> FindEvents(
      absl::Span<const Hash> event_ids) const override;
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ScanIndex(
      const std::string& begin, const std::string& end,
      size_t limit) const override;
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ScanMeta(
      const std::string& begin, const std::string& end,
      size_t limit) const override;
  absl::StatusOr<std::optional<std::string>> ReadMeta(
      const std::string& key) const override;
  absl::Status RewriteIndexRows(
      const std::vector<std::pair<std::string, std::string>>& put,
      const std::vector<std::string>& erase) override;
  absl::Status WriteMeta(const std::string& key,
                         const std::string& value) override;
  absl::Status Recover() override;

  // Whether RocksDB is flushing or compacting, or has compactions pending:
  // benchmarks wait for a settled store before they measure reads.
  absl::StatusOr<bool> Compacting() const;

  // The stored format version.
  absl::StatusOr<uint32_t> ReadFormatVersion() const;
  // Records kStoreFormatVersion once the indexes have been rebuilt from the
  // leaves in the current key layout (index_check.h).
  absl::Status MarkIndexesRebuilt();
  // A consistent copy of the whole store in `dir`, which must not exist, made
  // while the store keeps serving (rocksdb_checkpoint.cc; server/backup.h).
  // ALREADY_EXISTS if `dir` exists.
  absl::Status CreateCheckpoint(const std::string& dir) const;

  // Writes one raw value, bypassing every check: lets tests simulate tampering
  // and bit rot that RocksDB's own checksums cannot see. `family` is one of the
  // column family names.
  absl::Status PutRawForTesting(const std::string& family,
                                const std::string& key,
                                const std::string& value);
  absl::Status OverwriteNodeForTesting(NodeId id, const Hash& hash);
  static std::string LeafKey(uint64_t index);

 protected:
  absl::Status DoCommit(const CommitBatch& batch) override;

 private:
  RocksDbStore() = default;
  // Adds the strata that `nodes` fall in, read-modified-written, to `wb`.
  absl::Status PutStrata(absl::Span<const std::pair<NodeId, Hash>> nodes,
                         rocksdb::WriteBatch* wb);
  absl::StatusOr<std::string> Get(int family, const std::string& key,
                                  absl::string_view what) const;
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> Scan(
      int family, const std::string& begin, const std::string& end,
      size_t limit) const;

  // Opens db_ and families_ at path_; read-only after a fault (Recover).
  absl::Status OpenDb(bool create, bool read_only);
  void CloseDb();

  std::string path_;
  bool sync_ = true;
  std::shared_ptr<rocksdb::Env> env_;  // outlives db_
  std::shared_ptr<rocksdb::Cache> cache_;
  // Every public method holds it shared while it uses db_; Recover holds it
  // exclusively while it reopens. db_ is null (and closed_ says why) when a
  // reopen failed.
  mutable std::shared_mutex db_mu_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> families_;  // owned, see kFamilies
  absl::Status closed_;
};

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_STORAGE_ROCKSDB_STORE_H_
