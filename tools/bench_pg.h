// A private PostgreSQL 15 cluster for bench-vs-postgres: Debian's initdb and
// pg_ctl (/usr/lib/postgresql/15/bin), run as the postgres user when we are
// root (initdb refuses root), listening on 127.0.0.1 only on a free port, its
// unix socket in its data directory, fsync and synchronous_commit on.
#ifndef AILEDGER_TOOLS_BENCH_PG_H_
#define AILEDGER_TOOLS_BENCH_PG_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace ailedger::bench {

inline constexpr char kPgBin[] = "/usr/lib/postgresql/15/bin";

class PgCluster {
 public:
  // Empties `dir` and runs initdb into dir/data (the tools' output in
  // dir/commands.log); nothing runs yet.
  static absl::StatusOr<std::unique_ptr<PgCluster>> Init(
      const std::string& dir);
  // Appends the settings above to postgresql.conf, with a free port, and
  // starts the server (pg_ctl start -w; its log in dir/server.log).
  absl::Status Start(int max_connections);
  // Stops the cluster (fast shutdown); its files stay in the directory.
  ~PgCluster();
  absl::Status Stop();

  // libpq connection string: TCP over loopback, like the gRPC clients of
  // ailedgerd.
  std::string conninfo() const;
  // The settings appended to postgresql.conf, one per line.
  const std::vector<std::string>& settings() const { return settings_; }

 private:
  std::string dir_;
  int port_ = 0;
  bool running_ = false;
  std::vector<std::string> settings_;
};

}  // namespace ailedger::bench

#endif  // AILEDGER_TOOLS_BENCH_PG_H_
