// `ailedgerd migrate --from SRC --to DST --log-key FILE [--json]`: copies a
// stopped log from one store to another (RocksDB in a directory, PostgreSQL
// at a libpq connection string; either way) with CopyLog
// (ledger/storage/copy_log.h), which verifies the copy's root against the
// source's signed checkpoint before anything reports success.
//
// Before copying, the source is compared with the log key's high-water mark
// (KEY.hwm, log_signer.h) as restore does (restore.h): a source below the
// mark is a restored older copy that serve refuses, and it is not copied.
//
// The source must be stopped: a directory a running ailedgerd holds is
// refused (RocksDB's lock), and so is a PostgreSQL database whose writer
// lease is live; a PostgreSQL source is opened read-only. A directory
// destination must not exist: the copy is made in DST.migrating, each commit
// unsynced (the last write, the origin row, is synced, and RocksDB syncs
// every write-ahead log with it), and renamed to DST once it checks. A
// PostgreSQL destination must hold no log: migrate takes its writer lease
// (holder "migrate") for the copy and releases it at the end, so that
// `ailedgerd serve --store` takes over at once. An interrupted copy has no
// origin row, and serve refuses it.
#ifndef AILEDGER_SERVER_MIGRATE_H_
#define AILEDGER_SERVER_MIGRATE_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "cmdline/cli_args.h"
#include "cmdline/command.h"
#include "ledger/storage/copy_log.h"

namespace ailedger {

struct MigrateOptions {
  std::string from, to;
  std::string log_key_file;  // the log's key; its .hwm beside it
  std::function<void(absl::string_view stage, uint64_t done, uint64_t total)>
      progress;
};

struct MigrateResult {
  CopyReport copy;
  std::string from, to;  // described
  double seconds = 0;
};

absl::StatusOr<MigrateResult> Migrate(const MigrateOptions& options);

// The command's output: two lines of text, or one JSON object.
std::string MigrateSummary(const MigrateResult& r);
std::string MigrateJson(const MigrateResult& r);

extern const Command<CliArgs> kMigrateCommand;

}  // namespace ailedger

#endif  // AILEDGER_SERVER_MIGRATE_H_
