// Where a PostgreSQL run's time goes (bench_append --pg-stats): the server's
// own accounting of one measured run, from pg_stat_statements (execution time
// per statement, planning excluded: the store prepares its statements) and
// pg_stat_wal (WAL writes and fsyncs, timed with track_wal_io_timing).
//
// pg_stat_statements does not time a COMMIT's WAL flush (it happens after the
// COMMIT utility statement returns, in the transaction's end), which is why
// pg_stat_wal's sync time is reported beside it.
#ifndef AILEDGER_TOOLS_BENCH_PGSTATS_H_
#define AILEDGER_TOOLS_BENCH_PGSTATS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace ailedger::bench {

// postgresql.conf lines for PgCluster::Start that turn the statistics on.
std::vector<std::string> PgStatsSettings();

// Creates the extension in the database of `conninfo` if needed and zeroes
// the statement and WAL statistics: call right before the measured run.
absl::Status ResetPgStats(const std::string& conninfo);

// The statistics since ResetPgStats, as text lines: the `top` statements by
// execution time (calls, total ms, mean ms, rows, share of `wall_seconds`),
// then WAL records, bytes, full-page images, writes, fsyncs and their times.
absl::StatusOr<std::string> PgStatsReport(const std::string& conninfo,
                                          double wall_seconds, int top = 8);

}  // namespace ailedger::bench

#endif  // AILEDGER_TOOLS_BENCH_PGSTATS_H_
