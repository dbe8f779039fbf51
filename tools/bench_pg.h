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
  // Empties `dir`, runs initdb into dir/data, appends the settings above to
  // its postgresql.conf and starts it (pg_ctl start -w), server log in
  // dir/server.log, the tools' output in dir/commands.log.
  static absl::StatusOr<std::unique_ptr<PgCluster>> Start(
      const std::string& dir, int max_connections);
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
