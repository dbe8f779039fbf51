// The PostgreSQL side of the benchmarks (bench-vs-postgres, bench_append):
// the hash-chained audit table a team would build by hand, its load driver,
// and what the server under test is (version and durability settings).
//
// The chain (issue 14): each insert computes sha256(prev_hash || payload) in
// one PL/pgSQL call under a transaction-scoped advisory lock, held through the
// commit's WAL flush, which is what keeps the chain linear. A batch is one
// statement calling the function once per row, so one transaction. The
// database stores payloads as given; a PayloadCheck may check them in the
// client first.
#ifndef AILEDGER_TOOLS_BENCH_PGCHAIN_H_
#define AILEDGER_TOOLS_BENCH_PGCHAIN_H_

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tools/bench_drive.h"

namespace ailedger::bench {

// Creates the audit table and its append function in the database of
// `conninfo` (libpq).
absl::Status CreateAuditChain(const std::string& conninfo);

// The application's own check of a payload before it is inserted (what a
// team would run in its client: the author's signature, say); false keeps the
// whole call's payloads out.
using PayloadCheck = std::function<bool(const std::string& payload)>;

// `batch` events of `pool` per call (item i: events i*batch..), each call
// autocommitted, `clients` connections at once, each payload passed through
// `check` first when there is one. A final partial batch is not sent.
DriveResult DriveAuditChain(const std::string& conninfo, int clients,
                            size_t batch, const std::vector<std::string>& pool,
                            const PayloadCheck& check = nullptr);

// Every link recomputed: "N rows, M broken links (recomputed)".
absl::StatusOr<std::string> CheckAuditChain(const std::string& conninfo);

// What the server is and how durable its commits are.
struct PgServerInfo {
  std::string version;  // version()
  std::string fsync, synchronous_commit, wal_sync_method;
  std::string synchronous_standby_names;  // "" on a single node
};
absl::StatusOr<PgServerInfo> DescribePgServer(const std::string& conninfo);
// One line: "PostgreSQL 15.x ...; fsync=on, synchronous_commit=on,
// wal_sync_method=fdatasync".
std::string PgSettingsLine(const PgServerInfo& info);

}  // namespace ailedger::bench

#endif  // AILEDGER_TOOLS_BENCH_PGCHAIN_H_
