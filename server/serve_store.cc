#include "server/serve_store.h"

#include <regex>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "ledger/storage/rocksdb_store.h"

namespace ailedger {
namespace {

absl::Status NotInitialised(const StoreLocation& where) {
  return absl::FailedPreconditionError(absl::StrCat(
      where.Describe(),
      " is not an initialised ailedger store; run `ailedgerd init` first"));
}

absl::StatusOr<ServeStore> OpenPostgres(const ServeStoreOptions& o,
                                        const sigset_t& stop_signals) {
  PostgresOptions po;
  po.conninfo = o.where.conninfo;
  auto store =
      PostgresStore::Open(po, o.read_only ? PostgresStore::Mode::kReadOnly
                                          : PostgresStore::Mode::kOpenExisting);
  if (absl::IsNotFound(store.status())) return NotInitialised(o.where);
  if (!store.ok()) return store.status();
  ServeStore out;
  out.postgres = store->get();
  out.store = *std::move(store);
  if (o.read_only) return out;
  auto lease = WaitForLease(out.postgres, o.lease, stop_signals);
  if (!lease.ok()) return lease.status();
  out.lease = *lease;
  out.keeper = std::make_unique<LeaseKeeper>(out.postgres, lease->epoch,
                                             o.lease.ttl, ExitOnLeaseLost);
  return out;
}

}  // namespace

bool IsPostgresConninfo(const std::string& location) {
  if (absl::StartsWith(location, "postgres://") ||
      absl::StartsWith(location, "postgresql://"))
    return true;
  for (const char* key : {"host=", "hostaddr=", "dbname=", "service="}) {
    if (absl::StrContains(location, key)) return true;
  }
  return false;
}

std::string StoreLocation::Describe() const {
  return DescribeStoreLocation(postgres() ? conninfo : data_dir);
}

std::string DescribeStoreLocation(const std::string& location) {
  if (!IsPostgresConninfo(location)) return location;
  // Never print a password: "password=..." or "user:secret@".
  std::string s = std::regex_replace(
      location, std::regex(R"(password\s*=\s*('[^']*'|\S+))"), "password=***");
  return std::regex_replace(s, std::regex(R"((://[^:/@]*):[^@/]*@)"),
                            "$1:***@");
}

absl::StatusOr<StoreLocation> ReadStoreLocation(const std::string& data_flag,
                                                const std::string& store_flag) {
  if (data_flag.empty() == store_flag.empty()) {
    return absl::InvalidArgumentError(
        "give exactly one of --data DIR (RocksDB, the default) and --store "
        "CONNINFO (PostgreSQL)");
  }
  StoreLocation where;
  if (!data_flag.empty()) {
    where.data_dir = data_flag;
    return where;
  }
  if (!IsPostgresConninfo(store_flag)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--store: '", store_flag,
        "' is not a PostgreSQL connection string (postgres://... or "
        "key=value ...); a RocksDB store is --data DIR"));
  }
  where.conninfo = store_flag;
  return where;
}

absl::StatusOr<ServeStore> OpenServeStore(const ServeStoreOptions& o,
                                          const sigset_t& stop_signals) {
  if (o.where.postgres()) return OpenPostgres(o, stop_signals);
  auto store =
      RocksDbStore::Open(o.where.data_dir, RocksDbStore::Mode::kOpenExisting);
  if (absl::IsNotFound(store.status())) return NotInitialised(o.where);
  if (!store.ok()) return store.status();
  ServeStore out;
  out.store = *std::move(store);
  return out;
}

absl::Status CheckLeaseMark(const WriterLease& lease, const TreeState& state) {
  if (state.size >= lease.signed_size) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "the store holds ", state.size,
      " entries but its lease row says a writer "
      "committed size ",
      lease.signed_size,
      ": this database looks restored from an older copy, and appending would "
      "fork the log; see README, Backups and restores"));
}

}  // namespace ailedger
