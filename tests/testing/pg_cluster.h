// A private PostgreSQL 15 cluster, for the tests of PostgresStore and for
// bench-vs-postgres: Debian's initdb and pg_ctl (/usr/lib/postgresql/15/bin),
// run as the postgres user when we are root (initdb refuses root), listening
// on 127.0.0.1 only on a free port, its unix socket in its data directory,
// fsync and synchronous_commit on. Never the system's cluster or port 5432.
//
// A watchdog process stops the server (immediate mode) when this process ends
// in any way, so a crashed test leaves no server running.
#ifndef AILEDGER_TESTS_TESTING_PG_CLUSTER_H_
#define AILEDGER_TESTS_TESTING_PG_CLUSTER_H_

#include <sys/types.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace ailedger::testing {

inline constexpr char kPgBin[] = "/usr/lib/postgresql/15/bin";

class PgCluster {
 public:
  // Empties `dir` and runs initdb into dir/data (the tools' output in
  // dir/commands.log); nothing runs yet. FAILED_PRECONDITION when PostgreSQL
  // 15 is not installed.
  static absl::StatusOr<std::unique_ptr<PgCluster>> Init(
      const std::string& dir);
  // A hot standby of `primary` (running) in `dir`: pg_basebackup -R (streaming
  // replication, the primary's settings); Start it like a cluster of its own,
  // on its own port.
  static absl::StatusOr<std::unique_ptr<PgCluster>> StandbyOf(
      const PgCluster& primary, const std::string& dir);
  // The first time: appends the settings above to postgresql.conf, with a
  // free port and `extra_settings` (lines such as "synchronous_commit =
  // remote_apply"), then starts the server (pg_ctl start -w; its log in
  // dir/server.log). After Stop, starts it again on the same port and
  // settings (the arguments are then ignored).
  absl::Status Start(int max_connections,
                     const std::vector<std::string>& extra_settings = {});
  // Stops the server: kFast rolls back open transactions and closes the
  // sessions; kImmediate kills it as a crash would (recovery at the next
  // start). Its files stay in the directory.
  enum class StopMode { kFast, kImmediate };
  absl::Status Stop(StopMode mode = StopMode::kFast);
  ~PgCluster();

  // libpq connection string: TCP over loopback, like the gRPC clients of
  // ailedgerd; the postgres database, or `dbname`.
  std::string conninfo() const { return conninfo("postgres"); }
  std::string conninfo(const std::string& dbname) const;
  int port() const { return port_; }
  const std::string& dir() const { return dir_; }
  // The settings appended to postgresql.conf, one per line.
  const std::vector<std::string>& settings() const { return settings_; }

  // A new empty database ("db1", "db2", ...), for one test; its conninfo.
  absl::StatusOr<std::string> CreateDatabase();

  // The test binary's cluster: made and started on first use (in a fresh
  // directory under $TMPDIR, max_connections 200), stopped and removed at
  // exit. Every test takes its own database (CreateDatabase). The error says
  // why when PostgreSQL 15 is missing: tests fail, they do not skip.
  static absl::StatusOr<PgCluster*> Shared();

 private:
  PgCluster() = default;
  absl::Status Configure(int max_connections,
                         const std::vector<std::string>& extra_settings);
  absl::Status StartWatchdog();

  std::string dir_;
  int port_ = 0;
  bool running_ = false;
  bool remove_at_exit_ = false;
  std::vector<std::string> settings_;
  std::atomic<int> databases_{0};
  int watchdog_fd_ = -1;  // its stdin: closed when we end
  pid_t watchdog_ = -1;
  const pid_t owner_pid_ = getpid();
};

// Runs `sql` (one or more statements, no parameters) on `conninfo`: the rows
// of the last statement, each column as text ("" for NULL).
absl::StatusOr<std::vector<std::vector<std::string>>> PgQuery(
    const std::string& conninfo, const std::string& sql);

}  // namespace ailedger::testing

#endif  // AILEDGER_TESTS_TESTING_PG_CLUSTER_H_
