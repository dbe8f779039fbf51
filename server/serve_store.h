// The store `ailedgerd serve` runs on: RocksDB in --data DIR (the embedded
// default), or PostgreSQL (--store CONNINFO) once this instance holds the
// writer lease (writer_lease.h).
#ifndef AILEDGER_SERVER_SERVE_STORE_H_
#define AILEDGER_SERVER_SERVE_STORE_H_

#include <signal.h>

#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "ledger/storage/log_store.h"
#include "ledger/storage/postgres_store.h"
#include "server/writer_lease.h"

namespace ailedger {

// Whether a store location (--store, migrate's --from/--to) is a libpq
// connection string: a postgres:// or postgresql:// URI, or keyword=value
// pairs naming host=, hostaddr=, dbname= or service=; else a directory.
bool IsPostgresConninfo(const std::string& location);
// For messages: a directory as it is, a connection string without its
// password.
std::string DescribeStoreLocation(const std::string& location);

// Where a store is: exactly one of --data DIR and --store CONNINFO.
struct StoreLocation {
  std::string data_dir;  // RocksDB
  std::string conninfo;  // PostgreSQL
  bool postgres() const { return !conninfo.empty(); }
  // For messages: the directory, or the conninfo without its password.
  std::string Describe() const;
};

// INVALID_ARGUMENT naming the flags unless exactly one is given and --store
// is a connection string.
absl::StatusOr<StoreLocation> ReadStoreLocation(const std::string& data_flag,
                                                const std::string& store_flag);

struct ServeStore {
  std::unique_ptr<LogStore> store;
  PostgresStore* postgres = nullptr;  // set when on PostgreSQL
  std::optional<WriterLease> lease;   // held, when on PostgreSQL
  std::unique_ptr<LeaseKeeper> keeper;
};

struct ServeStoreOptions {
  StoreLocation where;
  LeaseOptions lease;
  bool read_only = false;  // a replica: no lease, never signs
};

// Opens the store for serving. On PostgreSQL, waits as a standby until this
// instance holds the writer lease (CANCELLED when a stop signal comes first),
// then keeps it renewed; losing it exits (writer_lease.h). FAILED_PRECONDITION
// naming `ailedgerd init` when the location holds no store.
absl::StatusOr<ServeStore> OpenServeStore(const ServeStoreOptions& options,
                                          const sigset_t& stop_signals);

// Refuses a store whose tree is smaller than the lease row says some writer
// committed: a database restored from an older copy.
absl::Status CheckLeaseMark(const WriterLease& lease, const TreeState& state);

}  // namespace ailedger

#endif  // AILEDGER_SERVER_SERVE_STORE_H_
