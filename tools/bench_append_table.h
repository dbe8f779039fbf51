// bench_append's results: one row per measured run, printed as one table (each
// rate as a share of the machine's ceiling and of the RocksDB store's rate)
// or as JSON (--json).
#ifndef AILEDGER_TOOLS_BENCH_APPEND_TABLE_H_
#define AILEDGER_TOOLS_BENCH_APPEND_TABLE_H_

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tools/bench_drive.h"
#include "tools/bench_pgchain.h"
#include "tools/bench_util.h"

namespace ailedger::bench {

inline constexpr char kPacedMode[] = "paced, half the unary maximum";

// Said beside every PostgreSQL figure: the cluster has one node.
inline constexpr char kSingleNodeNote[] =
    "one PostgreSQL node, no synchronous standby: a replicated cluster "
    "(synchronous_commit=on with a synchronous standby, issue 17) adds one "
    "network round trip to every commit";

// "unary, 64 clients", "batched 200, 4 clients".
std::string UnaryMode(int clients);
std::string BatchedMode(size_t batch);
// "ailedgerd, RocksDB", "ailedgerd, PostgreSQL store", "hand-built PG chain".
std::string StoreLabel(const std::string& store);

struct Run {
  Run(std::string store, std::string mode, int clients, size_t batch)
      : store(std::move(store)),
        mode(std::move(mode)),
        clients(clients),
        batch(batch) {}
  std::string store;  // rocksdb, postgres, pgchain
  std::string mode;   // UnaryMode(), BatchedMode() or kPacedMode
  int clients = 0;
  size_t batch = 1;
  DriveResult result;
  // CPU used during the run, in cores; -1 when that side was not running.
  double cores_ailedgerd = -1, cores_postgres = -1, cores_bench = -1;
};

struct Summary {
  size_t events = 0;
  int clients = 0;
  size_t batch = 0;
  double load_start = -1, load_end = -1;
  Ceiling ceiling;
  std::optional<PgServerInfo> postgres;
  std::vector<Run> runs;
};

// The rate of the RocksDB store's run in the same mode, if it ran.
std::optional<double> RocksDbRate(const Summary& s, const std::string& mode);

// The table, then the PostgreSQL store's batched rate against the target.
std::string SummaryTable(const Summary& s);
// The same as one JSON object.
std::string SummaryJson(const Summary& s);

}  // namespace ailedger::bench

#endif  // AILEDGER_TOOLS_BENCH_APPEND_TABLE_H_
