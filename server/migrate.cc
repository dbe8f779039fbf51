#include "server/migrate.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "cmdline/usage_error.h"
#include "ledger/base/backup_files.h"
#include "ledger/base/base64.h"
#include "ledger/base/file_util.h"
#include "ledger/storage/meta_keys.h"
#include "ledger/storage/postgres_store.h"
#include "ledger/storage/rocksdb_store.h"
#include "nlohmann/json.hpp"
#include "server/log_signer.h"
#include "server/serve_store.h"

namespace ailedger {
namespace {

namespace fs = std::filesystem;

// How long migrate's writer lease on a PostgreSQL destination lasts; every
// commit renews it (postgres_store.h), and it is released at the end.
constexpr absl::Duration kLeaseTtl = absl::Seconds(60);
constexpr char kLeaseHolder[] = "migrate";

// FAILED_PRECONDITION when another process holds the store's RocksDB lock (a
// running ailedgerd): RocksDB's own refusal ("lock ... Resource temporarily
// unavailable") does not say what to do.
absl::Status CheckNotServed(const std::string& dir) {
  const std::string lock = dir + "/LOCK";
  const int fd = open(lock.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return absl::OkStatus();  // no store: Open says so
  struct flock fl = {};
  fl.l_type = F_WRLCK;
  fl.l_whence = SEEK_SET;
  const int rc = fcntl(fd, F_GETLK, &fl);
  close(fd);
  if (rc != 0 || fl.l_type == F_UNLCK) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      dir, " is in use (process ", fl.l_pid,
      " holds its lock: a running ailedgerd?): stop the server, then "
      "migrate; a copy of a live log would miss what it appends"));
}

struct Source {
  std::unique_ptr<LogStore> store;
  uint64_t lease_signed_size = 0;  // PostgreSQL: the lease row's
};

absl::StatusOr<Source> OpenSource(const std::string& from) {
  Source out;
  if (!IsPostgresConninfo(from)) {
    if (auto s = CheckNotServed(from); !s.ok()) return s;
    auto store = RocksDbStore::Open(from, RocksDbStore::Mode::kOpenExisting);
    if (!store.ok()) return store.status();
    out.store = *std::move(store);
    return out;
  }
  auto store =
      PostgresStore::Open({.conninfo = from}, PostgresStore::Mode::kReadOnly);
  if (!store.ok()) return store.status();
  auto lease = (*store)->ReadLease();
  if (!lease.ok()) return lease.status();
  if (lease->expires_in_ms > 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        DescribeStoreLocation(from), " is being written: ", lease->holder,
        " holds its writer lease (epoch ", lease->epoch, ") for ",
        lease->expires_in_ms,
        " ms more; stop it, then migrate: a copy of a live log would miss "
        "what it appends"));
  }
  out.lease_signed_size = lease->signed_size;
  out.store = *std::move(store);
  return out;
}

struct Destination {
  std::unique_ptr<LogStore> store;
  PostgresStore* postgres = nullptr;
  uint64_t epoch = 0;
  std::string dir, staging;  // RocksDB
};

absl::StatusOr<Destination> OpenPostgresDestination(const std::string& to) {
  Destination out;
  auto store =
      PostgresStore::Open({.conninfo = to}, PostgresStore::Mode::kCreate);
  if (absl::IsAlreadyExists(store.status())) {
    // Tables without a log (CopyLog refuses anything more).
    store = PostgresStore::Open({.conninfo = to},
                                PostgresStore::Mode::kOpenExisting);
  }
  if (!store.ok()) return store.status();
  auto lease = (*store)->TryAcquireLease(kLeaseHolder, kLeaseTtl);
  if (!lease.ok()) return lease.status();
  if (!lease->has_value()) {
    auto held = (*store)->ReadLease();
    return absl::FailedPreconditionError(absl::StrCat(
        DescribeStoreLocation(to), ": its writer lease is held",
        held.ok()
            ? absl::StrCat(" by ", held->holder, " (epoch ", held->epoch, ")")
            : "",
        ": a server is running on it, or another migrate"));
  }
  (*store)->SetWriterEpoch((*lease)->epoch);
  out.epoch = (*lease)->epoch;
  out.postgres = store->get();
  out.store = *std::move(store);
  return out;
}

absl::StatusOr<Destination> OpenDestination(const std::string& to) {
  if (IsPostgresConninfo(to)) return OpenPostgresDestination(to);
  Destination out;
  out.dir = to;
  out.staging = to + ".migrating";
  std::error_code ec;
  if (fs::exists(fs::symlink_status(to, ec))) {
    return absl::FailedPreconditionError(
        absl::StrCat(to, " exists: migrate copies into a new directory"));
  }
  if (fs::exists(fs::symlink_status(out.staging, ec))) {
    return absl::FailedPreconditionError(absl::StrCat(
        out.staging, " exists: an earlier migrate was interrupted; remove it"));
  }
  // Unsynced commits: the copy is served only once whole, and CopyLog's last
  // write (the origin row) is synced, which syncs every write-ahead log
  // RocksDB keeps (a 100k-entry copy: see docs/STORAGE.md).
  RocksDbOptions options;
  options.sync = false;
  auto store =
      RocksDbStore::Open(out.staging, RocksDbStore::Mode::kCreate, options);
  if (!store.ok()) return store.status();
  out.store = *std::move(store);
  return out;
}

// After the copy checked: the directory takes its name; the lease is let go.
absl::Status Finish(Destination* d) {
  if (d->postgres != nullptr) {
    // Let `serve --store` take over now; if this fails, the lease expires
    // within its ttl and the copy is whole either way.
    d->postgres->ReleaseLease(d->epoch).IgnoreError();
    return absl::OkStatus();
  }
  d->store.reset();  // closed before it moves
  if (auto s = SyncDirectory(d->staging); !s.ok()) return s;
  if (std::rename(d->staging.c_str(), d->dir.c_str()) != 0) {
    return FileError("migrate: cannot rename to " + d->dir, d->staging, errno);
  }
  return SyncDirectory(fs::absolute(d->dir).parent_path().string());
}

// The source against the log key's high-water mark, as restore checks a
// backup (restore.cc): below it, a copy would be a restored older log.
absl::Status CheckMark(const MigrateOptions& o, const LogStore& source,
                       const LogSigner& signer, uint64_t lease_size) {
  auto state = source.ReadTreeState();
  if (!state.ok()) return state.status();
  const uint64_t mark = std::max(signer.high_water_mark(), lease_size);
  const std::string by =
      lease_size > signer.high_water_mark()
          ? absl::StrCat("its lease row records size ", mark)
          : absl::StrCat("this log key has signed size ", mark, " (",
                         o.log_key_file, ".hwm)");
  if (state->size < mark) {
    return absl::FailedPreconditionError(absl::StrCat(
        "migrate: ", DescribeStoreLocation(o.from), " holds ",
        signer.verifier().name(), " up to size ", state->size, ", but ", by,
        ": entries ", state->size, " to ", mark - 1,
        " are not in it, and serving it would let the key sign a second tree "
        "at a size it has already signed (a fork), so `ailedgerd serve` "
        "refuses it. Nothing was written. Bring it to the mark first "
        "(`ailedgerd restore --replay BUNDLE`, or a successor log: README, "
        "Backups and restores), then migrate that"));
  }
  if (auto root = signer.high_water_root();
      root && state->size == signer.high_water_mark() && *root != state->root) {
    return absl::DataLossError(
        absl::StrCat("migrate: ", DescribeStoreLocation(o.from),
                     " holds another tree at size ", state->size,
                     " than the one this log key signed: it is not this log"));
  }
  return absl::OkStatus();
}

// A line on stderr, rewritten as the copy goes: on a terminal only.
std::function<void(absl::string_view, uint64_t, uint64_t)> TerminalProgress() {
  if (!isatty(STDERR_FILENO)) return nullptr;
  return [last = std::string()](absl::string_view stage, uint64_t done,
                                uint64_t total) mutable {
    const std::string line =
        absl::StrFormat("\r%s: %d / %d entries (%d%%)", stage, done, total,
                        total ? done * 100 / total : 100);
    if (line == last) return;
    last = line;
    std::fprintf(stderr, "%s\033[K", line.c_str());
  };
}

absl::Status RunMigrate(const CliArgs& a) {
  if (!a.positional().empty()) {
    return UsageError(
        absl::StrCat("migrate takes no argument '", a.positional()[0], "'"));
  }
  MigrateOptions o;
  for (auto [flag, value] : {std::pair("from", &o.from), std::pair("to", &o.to),
                             std::pair("log-key", &o.log_key_file)}) {
    auto v = a.Require(flag);
    if (!v.ok()) return v.status();
    *value = *v;
  }
  const bool json = a.Has("json");
  if (!json) o.progress = TerminalProgress();
  auto r = Migrate(o);
  if (o.progress) std::fprintf(stderr, "\r\033[K");  // the bar goes
  if (!r.ok()) return r.status();
  const std::string out = json ? MigrateJson(*r) : MigrateSummary(*r);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return absl::OkStatus();
}

}  // namespace

const Command<CliArgs> kMigrateCommand{
    .name = "migrate",
    .summary =
        "copy a stopped log to another store (RocksDB directory <-> "
        "PostgreSQL), verified against its signed checkpoint",
    .usage =
        "--from SRC --to DST --log-key FILE [--json]\n"
        "SRC, DST: a directory (RocksDB) or a libpq connection string\n"
        "(postgres://..., postgresql://..., or host=... dbname=...)\n"
        "SRC must be stopped: a directory a running ailedgerd holds is\n"
        "refused (RocksDB's lock), as is a database whose writer lease is\n"
        "live. DST: a new directory, or a database that holds no log\n"
        "(migrate holds its writer lease while it copies)",
    .flags = "from to log-key",
    .switches = "json",
    .run = RunMigrate,
};

absl::StatusOr<MigrateResult> Migrate(const MigrateOptions& o) {
  auto signer = LogSigner::Open(o.log_key_file);
  if (!signer.ok()) return signer.status();
  auto source = OpenSource(o.from);
  if (!source.ok()) return source.status();
  if (auto s =
          CheckMark(o, *source->store, **signer, source->lease_signed_size);
      !s.ok())
    return s;
  auto dest = OpenDestination(o.to);
  if (!dest.ok()) return dest.status();
  absl::Cleanup abandon = [&dest] {
    if (dest->postgres != nullptr) {
      dest->postgres->ReleaseLease(dest->epoch).IgnoreError();
      return;
    }
    dest->store.reset();
    std::error_code ignored;
    fs::remove_all(dest->staging, ignored);
  };
  CopyOptions copy;
  copy.log_key = (*signer)->verifier();
  copy.progress = o.progress;
  const absl::Time start = absl::Now();
  auto report = CopyLog(*source->store, dest->store.get(), copy);
  if (!report.ok()) {
    // A copy that had begun leaves rows in the database, without the origin
    // row that serve requires (copy_log.h); one refused before it began
    // leaves nothing.
    auto left = dest->store->ReadTreeState();
    if (dest->postgres == nullptr || !left.ok() || left->size == 0 ||
        dest->store->ReadMeta(kOriginMetaKey).value_or("x").has_value()) {
      return report.status();
    }
    return absl::Status(
        report.status().code(),
        absl::StrCat(report.status().message(), " (",
                     DescribeStoreLocation(o.to),
                     " now holds a partial copy without an origin row, which "
                     "serve refuses: drop its ailedger schema before "
                     "migrating again)"));
  }
  if (auto s = Finish(&*dest); !s.ok()) return s;
  std::move(abandon).Cancel();
  return MigrateResult{*std::move(report), DescribeStoreLocation(o.from),
                       DescribeStoreLocation(o.to),
                       absl::ToDoubleSeconds(absl::Now() - start)};
}

std::string MigrateSummary(const MigrateResult& r) {
  const CopyReport& c = r.copy;
  return absl::StrFormat(
      "migrated %s from %s to %s: %d entries, %d checkpoints, %d index rows, "
      "%d meta rows in %.1f s (%.0f entries/s)\n"
      "root verified against the signed checkpoint at size %d (%s)\n",
      c.origin, r.from, r.to, c.state.size, c.checkpoints, c.index_rows,
      c.meta_rows + 1, r.seconds,
      r.seconds > 0 ? c.state.size / r.seconds : 0.0, c.verified_size,
      Base64Encode(AsBytes(c.verified_root)));
}

std::string MigrateJson(const MigrateResult& r) {
  const CopyReport& c = r.copy;
  nlohmann::ordered_json j;
  j["origin"] = c.origin;
  j["from"] = r.from;
  j["to"] = r.to;
  j["entries"] = c.state.size;
  j["checkpoints"] = c.checkpoints;
  j["index_rows"] = c.index_rows;
  j["meta_rows"] = c.meta_rows + 1;  // and the origin row
  j["commits"] = c.commits;
  j["event_ids_checked"] = c.event_ids_checked;
  j["seconds"] = r.seconds;
  j["verified_checkpoint_size"] = c.verified_size;
  j["root"] = Base64Encode(AsBytes(c.verified_root));
  return j.dump() + "\n";
}

}  // namespace ailedger
