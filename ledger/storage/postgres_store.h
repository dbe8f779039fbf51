// LogStore on PostgreSQL (libpq), for a log that must survive the loss of a
// machine: PostgreSQL's synchronous streaming replication keeps every
// acknowledged commit on a standby, and Patroni promotes it. The table layout
// is written at the top of postgres_store.cc and in docs/STORAGE.md.
//
// One writer at a time, fenced by a lease row with an epoch (issue 17): a
// writer takes the lease (TryAcquireLease), names its epoch (SetWriterEpoch),
// and from then on every write checks, first thing in its own transaction,
// that the row still holds that epoch. A writer that lost the lease commits
// nothing. All lease times are the database's now(), never this host's clock.
//
// Thread-safe: reads run concurrently on a pool of connections; writes are
// serialised on one writer connection. A lost connection is reopened on next
// use.
#ifndef AILEDGER_LEDGER_STORAGE_POSTGRES_STORE_H_
#define AILEDGER_LEDGER_STORAGE_POSTGRES_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "ledger/storage/log_store.h"

namespace ailedger {

namespace pg {
class Conn;
class ConnPool;
}  // namespace pg

// The schema version PostgresStore writes (table ailedger.format_version).
inline constexpr uint32_t kPostgresFormatVersion = 1;

struct PostgresOptions {
  // A libpq keyword string or postgres:// URI; multi-host lists and
  // target_session_attrs=read-write work as libpq does. Defaults it may
  // override: connect_timeout=5, keepalives, tcp_user_timeout=10000.
  std::string conninfo;
  // Connections for concurrent reads, opened on demand. Default: 8.
  size_t max_read_connections = 8;
};

struct WriterLease {
  std::string holder;
  uint64_t epoch = 0;
  int64_t expires_in_ms = 0;  // database clock; negative = expired
  // The largest tree size any writer committed under a lease.
  uint64_t signed_size = 0;
  // now() - the row's last commit or renewal, by the database's clock (on a
  // replica: how far behind the primary it is, at most).
  int64_t heartbeat_age_ms = 0;
};

class PostgresStore final : public LogStore {
 public:
  enum class Mode { kCreate, kOpenExisting, kReadOnly };

  // kCreate: creates the tables (ALREADY_EXISTS if the database has them).
  // kOpenExisting: NOT_FOUND if the database has no ailedger tables;
  // FAILED_PRECONDITION if their format version is not
  // kPostgresFormatVersion. kReadOnly: as kOpenExisting, for a hot standby:
  // every write is FAILED_PRECONDITION. UNAVAILABLE when no server answers,
  // or (kCreate, kOpenExisting) when the server is a standby.
  static absl::StatusOr<std::unique_ptr<PostgresStore>> Open(
      const PostgresOptions& options, Mode mode);
  ~PostgresStore() override;

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
  // Reopens the connections: OK once a read-write server (any server, read
  // only) answers, UNAVAILABLE while none does.
  absl::Status Recover() override;

  // The stored format version.
  absl::StatusOr<uint32_t> ReadFormatVersion() const;

  // Takes the lease if it is free or expired: epoch + 1, `holder`, expiring
  // at now() + ttl. nullopt while a lease is live (this holder's own too: a
  // restarted writer waits out its old lease). INVALID_ARGUMENT if ttl < 1 ms.
  absl::StatusOr<std::optional<WriterLease>> TryAcquireLease(
      const std::string& holder, absl::Duration ttl);
  // Extends the lease held at `epoch` to now() + ttl; ABORTED "writer lease
  // lost" naming both epochs when the row has moved on.
  absl::Status RenewLease(uint64_t epoch, absl::Duration ttl);
  // Lets the lease held at `epoch` expire now (a clean shutdown: a standby
  // takes over at once); ABORTED as RenewLease when the row has moved on.
  absl::Status ReleaseLease(uint64_t epoch);
  absl::StatusOr<WriterLease> ReadLease() const;
  // From now on every write checks, first in its own transaction, that the
  // lease row still holds `epoch` (a row-locking UPDATE; none: ABORTED
  // "writer lease lost: ...", nothing written), renews it for the ttl it was
  // last taken or renewed with, and (Commit) raises its signed_size to the
  // batch's new size. Before any epoch is set, Commit, WriteMeta and
  // RewriteIndexRows are FAILED_PRECONDITION "no writer lease". 0 clears it.
  void SetWriterEpoch(uint64_t epoch);

 protected:
  absl::Status DoCommit(const CommitBatch& batch) override;
  bool DoCommitChecksStoredSize() const override { return true; }

 private:
  struct WriteSteps;  // postgres_writes.cc
  PostgresStore(const PostgresOptions& options, Mode mode);
  absl::Status CheckSchema();
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> Scan(
      const char* sql, absl::string_view what, const std::string& begin,
      const std::string& end, size_t limit) const;
  absl::StatusOr<std::optional<std::string>> ReadOne(
      const char* sql, absl::string_view what, const std::string& key) const;
  // One write transaction on the writer connection, in two round trips:
  // BEGIN, the lease check and the steps' reads; then the steps' writes and
  // COMMIT.
  absl::Status Write(absl::string_view what, uint64_t new_size,
                     const WriteSteps& steps);
  // ABORTED "writer lease lost", naming `epoch` and the row's.
  absl::Status LeaseLost(uint64_t epoch) const;
  // FAILED_PRECONDITION unless this store may write.
  absl::Status CheckWritable() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(writer_mu_);
  // The writer connection, opened when there is none or it broke.
  absl::StatusOr<pg::Conn*> Writer() ABSL_EXCLUSIVE_LOCKS_REQUIRED(writer_mu_);

  const std::string conninfo_;
  const Mode mode_;
  std::unique_ptr<pg::ConnPool> readers_;
  absl::Mutex writer_mu_;
  std::unique_ptr<pg::Conn> writer_ ABSL_GUARDED_BY(writer_mu_);
  uint64_t epoch_ ABSL_GUARDED_BY(writer_mu_) = 0;
};

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_STORAGE_POSTGRES_STORE_H_
