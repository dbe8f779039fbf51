#include "tools/bench_pgstats.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tests/testing/pg_cluster.h"

namespace ailedger::bench {
namespace {

using ::ailedger::testing::PgQuery;

// Statements of every database, longest first; the text shortened to its
// first 70 characters, whitespace folded.
constexpr char kTopStatements[] = R"sql(
SELECT calls, round(total_exec_time::numeric, 1), round(mean_exec_time::numeric, 3),
       rows, left(regexp_replace(query, '\s+', ' ', 'g'), 70)
  FROM pg_stat_statements
 WHERE query NOT LIKE '%pg_stat_%'
 ORDER BY total_exec_time DESC LIMIT )sql";

constexpr char kWal[] =
    "SELECT wal_records, wal_bytes, wal_fpi, wal_write, wal_sync, "
    "round(wal_write_time::numeric, 1), round(wal_sync_time::numeric, 1) "
    "FROM pg_stat_wal";

double Number(const std::string& text) {
  return std::strtod(text.c_str(), nullptr);
}

}  // namespace

std::vector<std::string> PgStatsSettings() {
  return {"shared_preload_libraries = 'pg_stat_statements'",
          "pg_stat_statements.track = all", "track_wal_io_timing = on",
          "track_io_timing = on"};
}

absl::Status ResetPgStats(const std::string& conninfo) {
  return PgQuery(conninfo,
                 "CREATE EXTENSION IF NOT EXISTS pg_stat_statements; "
                 "SELECT pg_stat_statements_reset(); "
                 "SELECT pg_stat_reset_shared('wal')")
      .status();
}

absl::StatusOr<std::string> PgStatsReport(const std::string& conninfo,
                                          double wall_seconds, int top) {
  auto rows = PgQuery(conninfo, absl::StrCat(kTopStatements, top));
  if (!rows.ok()) return rows.status();
  auto wal = PgQuery(conninfo, kWal);
  if (!wal.ok()) return wal.status();
  const double wall_ms = wall_seconds * 1000;
  std::string out = absl::StrFormat(
      "  %8s %10s %9s %9s %7s  statement (pg_stat_statements; %.0f ms "
      "measured)\n",
      "calls", "total ms", "mean ms", "rows", "% wall", wall_ms);
  for (const auto& r : *rows) {
    if (r.size() != 5) continue;
    absl::StrAppendFormat(&out, "  %8s %10s %9s %9s %6.1f%%  %s\n", r[0], r[1],
                          r[2], r[3],
                          wall_ms > 0 ? 100 * Number(r[1]) / wall_ms : 0, r[4]);
  }
  if (wal->size() == 1 && (*wal)[0].size() == 7) {
    const auto& w = (*wal)[0];
    absl::StrAppendFormat(
        &out,
        "  WAL: %s records, %.1f MB, %s full-page images; %s writes (%s ms), "
        "%s fsyncs (%s ms, %.1f%% of wall, %.2f ms each)\n",
        w[0], Number(w[1]) / 1e6, w[2], w[3], w[5], w[4], w[6],
        wall_ms > 0 ? 100 * Number(w[6]) / wall_ms : 0,
        Number(w[4]) > 0 ? Number(w[6]) / Number(w[4]) : 0);
  }
  return out;
}

}  // namespace ailedger::bench
