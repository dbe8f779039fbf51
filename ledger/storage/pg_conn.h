// A thin libpq layer for PostgresStore (postgres_store.h): binary parameters
// and results, SQLSTATE to absl::Status, pipelines (libpq pipeline mode), and a
// small pool of connections for concurrent reads. libpq connections are not
// thread-safe: a Conn is used by one thread at a time; the pool hands each
// reader its own.
#ifndef AILEDGER_LEDGER_STORAGE_PG_CONN_H_
#define AILEDGER_LEDGER_STORAGE_PG_CONN_H_

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"

typedef struct pg_conn PGconn;
typedef struct pg_result PGresult;

namespace ailedger::pg {

// The parameters of one statement, all in binary format (int8 as 8 bytes
// big-endian, bytea as its bytes, arrays in PostgreSQL's binary array format:
// array_recv in src/backend/utils/adt/arrayfuncs.c).
class Params {
 public:
  Params& Int8(int64_t v);
  Params& Bytes(absl::string_view v);  // bytea
  Params& Text(absl::string_view v);
  Params& Int2Array(absl::Span<const int16_t> v);
  Params& Int8Array(absl::Span<const int64_t> v);
  Params& BytesArray(absl::Span<const std::string> v);  // bytea[]
  Params& BytesArray(absl::Span<const absl::string_view> v);

  int size() const { return static_cast<int>(values_.size()); }
  const unsigned int* types() const { return types_.data(); }
  // Pointers into this object: valid while it lives and is not changed.
  std::vector<const char*> values() const;
  std::vector<int> lengths() const;
  std::vector<int> formats() const {
    return std::vector<int>(values_.size(), 1);
  }

 private:
  Params& Add(unsigned int type, std::string value);
  std::deque<std::string> values_;
  std::vector<unsigned int> types_;
};

// A statement's result, in binary format; owns the PGresult.
class Result {
 public:
  Result() = default;
  explicit Result(PGresult* r);
  int rows() const;
  absl::string_view Get(int row, int col) const;
  bool IsNull(int row, int col) const;
  // An int8/int2 column; DATA_LOSS naming `what` if it is not 8 (2) bytes.
  absl::StatusOr<int64_t> Int8(int row, int col, absl::string_view what) const;
  absl::StatusOr<int16_t> Int2(int row, int col, absl::string_view what) const;
  const PGresult* raw() const { return r_.get(); }

 private:
  std::shared_ptr<PGresult> r_;
};

struct Statement {
  const char* sql = nullptr;
  Params params;
};

// What a libpq error means to the caller (codes as in log_store.h): connection
// refused or lost, administrator shutdown, a read-only transaction (a demoted
// primary, a standby) are UNAVAILABLE; serialization failure and deadlock
// ABORTED; a duplicate schema or table ALREADY_EXISTS; a missing table
// NOT_FOUND; disk full RESOURCE_EXHAUSTED; corruption DATA_LOSS.
absl::Status StatusFromSqlState(absl::string_view sqlstate,
                                absl::string_view message);

class Conn {
 public:
  // INVALID_ARGUMENT for a malformed connection string; PERMISSION_DENIED when
  // authentication fails; UNAVAILABLE when no server answers.
  static absl::StatusOr<std::unique_ptr<Conn>> Open(
      const std::string& conninfo);
  ~Conn();
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  // One statement (extended protocol, binary parameters and results).
  absl::StatusOr<Result> Exec(absl::string_view what, const char* sql,
                              const Params& params = {});
  // Statements separated by ';', no parameters, as one implicit transaction
  // (simple protocol): the schema script.
  absl::Status ExecScript(absl::string_view what, const char* sql);

  // Sends the statements in one pipeline, then with `sync` a Sync (the
  // pipeline ends), without it a flush request (more statements may follow in
  // the same transaction). One round trip. The first error is returned; the
  // pipeline is then ended and an open transaction rolled back.
  absl::StatusOr<std::vector<Result>> Pipeline(
      absl::string_view what, absl::Span<const Statement> statements,
      bool sync);
  // Ends an open pipeline and rolls back an open transaction.
  void Abandon();

  // The connection is lost (or left in an unknown state): drop it.
  bool broken() const;
  // Whether the server warned, since the last call, that it stopped waiting
  // for the synchronous standby: the commit is then local only.
  bool TakeSyncRepWarning();

 private:
  explicit Conn(PGconn* c);
  // The name `sql` is prepared under on this connection; `fresh` when it
  // must be prepared first.
  std::string StatementName(const char* sql, bool* fresh);
  absl::Status ErrorOf(const PGresult* r, absl::string_view what);
  // OK for a statement's result that succeeded; ABORTED for one skipped
  // after an earlier error in its pipeline; else ErrorOf.
  absl::Status Check(const PGresult* r, absl::string_view what);
  static void OnNotice(void* self, const PGresult* r);

  PGconn* c_;
  bool in_pipeline_ = false;
  bool broken_ = false;
  bool sync_rep_warning_ = false;
  std::map<std::string, std::string> prepared_;  // SQL -> statement name
};

// Up to `max` connections for reads, opened on demand; a caller waits for one
// while all are busy. A connection that broke is dropped.
class ConnPool {
 public:
  ConnPool(std::string conninfo, size_t max);
  ~ConnPool();

  // One statement on a pooled connection. A reused connection found broken
  // (the server restarted since it was last used) is replaced and the
  // statement run again, once: reads are idempotent.
  absl::StatusOr<Result> Exec(absl::string_view what, const char* sql,
                              const Params& params = {}) const;
  // Closes the idle connections (after a failover they may reach the old
  // primary).
  void DropIdle() const;

 private:
  absl::StatusOr<std::unique_ptr<Conn>> Acquire(bool* reused) const;
  void Release(std::unique_ptr<Conn> conn) const;

  const std::string conninfo_;
  const size_t max_;
  mutable absl::Mutex mu_;
  mutable absl::CondVar free_;
  mutable std::vector<std::unique_ptr<Conn>> idle_ ABSL_GUARDED_BY(mu_);
  mutable size_t open_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace ailedger::pg

#endif  // AILEDGER_LEDGER_STORAGE_PG_CONN_H_
