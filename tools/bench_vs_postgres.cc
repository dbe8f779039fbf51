// bench-vs-postgres: ailedgerd against what a team would build by hand, on the
// same machine in the same run.
//
// The alternative: a private PostgreSQL 15 cluster (tests/testing/pg_cluster.h:
// loopback only, fsync and synchronous_commit on) with a hash-chained audit
// table, each insert computing sha256(prev_hash || payload) in one PL/pgSQL
// call under a transaction-scoped advisory lock (held through the commit's WAL
// flush, which is what keeps the chain linear). Both systems get the same
// presigned event bytes (AppendRequests; PostgreSQL stores them as payloads,
// checking nothing) at the same concurrency: unary, K clients, one event per
// call and per commit; batched, kBatchClients clients, B events per call and
// per commit (for PostgreSQL one statement calling the function once per row,
// so one transaction). ailedgerd is measured by the same code as bench_append
// (tools/bench_drive.h): every append signature-checked and durable.
//
// Prints each rate, the ratios, and the machine's Ed25519 ceiling with each
// ailedgerd rate as a share of it. Asserts nothing. The cluster is stopped at
// the end; its files stay in DIR/postgres (and ailedgerd's in DIR/ailedgerd)
// until the next run.
//
// Usage: bench-vs-postgres [--events N (20000)] [--clients K (64)]
// [--batch B (200)] [--dir DIR (bench-vs-postgres)]
#include <libpq-fe.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cmdline/cli_args.h"
#include "tests/testing/pg_cluster.h"
#include "tools/bench_drive.h"
#include "tools/bench_util.h"

namespace ailedger::bench {
namespace {

using ::ailedger::testing::PgCluster;

constexpr Oid kByteaOid = 17;

// The audit table and its append function, as a team would write them.
constexpr char kSchema[] = R"sql(
CREATE TABLE audit_log (
  seq         bigint PRIMARY KEY,
  payload     bytea NOT NULL,
  prev_hash   bytea NOT NULL,
  hash        bytea NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE FUNCTION audit_append(p bytea) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  last_seq  bigint;
  last_hash bytea;
BEGIN
  PERFORM pg_advisory_xact_lock(4242);  -- until COMMIT, after its flush
  SELECT seq, hash INTO last_seq, last_hash
    FROM audit_log ORDER BY seq DESC LIMIT 1;
  IF NOT FOUND THEN
    last_seq := 0;
    last_hash := decode(repeat('00', 32), 'hex');
  END IF;
  INSERT INTO audit_log (seq, payload, prev_hash, hash)
    VALUES (last_seq + 1, p, last_hash, sha256(last_hash || p));
  RETURN last_seq + 1;
END
$$;
)sql";

// Every link recomputed: rows whose hash or back-link does not hold.
constexpr char kCheckChain[] = R"sql(
SELECT count(*),
       count(*) FILTER (WHERE hash <> sha256(prev_hash || payload)
                           OR prev_hash <> coalesce(before,
                                decode(repeat('00', 32), 'hex')))
  FROM (SELECT *, lag(hash) OVER (ORDER BY seq) AS before FROM audit_log) t
)sql";

using Conn = std::shared_ptr<PGconn>;

absl::StatusOr<Conn> Connect(const std::string& conninfo) {
  Conn c(PQconnectdb(conninfo.c_str()), PQfinish);
  if (PQstatus(c.get()) != CONNECTION_OK)
    return absl::UnavailableError(PQerrorMessage(c.get()));
  return c;
}

// Runs `sql`; the first row's fields, or the server's error.
absl::StatusOr<std::vector<std::string>> Exec(PGconn* c, const char* sql) {
  std::unique_ptr<PGresult, decltype(&PQclear)> r(PQexec(c, sql), PQclear);
  const auto st = PQresultStatus(r.get());
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
    return absl::InternalError(PQresultErrorMessage(r.get()));
  std::vector<std::string> row;
  for (int f = 0; PQntuples(r.get()) > 0 && f < PQnfields(r.get()); ++f)
    row.push_back(PQgetvalue(r.get(), 0, f));
  return row;
}

// "SELECT audit_append($1)", or for a batch one call per row of the array.
std::string AppendSql(size_t batch) {
  if (batch == 1) return "SELECT audit_append($1)";
  std::string sql = "SELECT audit_append(p) FROM unnest(ARRAY[";
  for (size_t k = 1; k <= batch; ++k)
    absl::StrAppend(&sql, k > 1 ? "," : "", "$", k);
  return sql + "]::bytea[]) AS t(p)";
}

// `batch` events of `pool` per call (item i: events i*batch..), each call
// autocommitted, on one connection per client.
DriveResult DrivePostgres(const std::string& conninfo, int clients,
                          size_t batch, const std::vector<std::string>& pool) {
  const std::string sql = AppendSql(batch);
  return Drive(clients, pool.size() / batch, 0, [&]() -> Worker {
    auto c = Connect(conninfo);
    const std::vector<Oid> types(batch, kByteaOid);
    if (c.ok()) {
      PGresult* r = PQprepare(c->get(), "append", sql.c_str(),
                              static_cast<int>(batch), types.data());
      if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        std::fprintf(stderr, "prepare: %s", PQresultErrorMessage(r));
        c = absl::InternalError("prepare");
      }
      PQclear(r);
    } else {
      std::fprintf(stderr, "%s\n", c.status().ToString().c_str());
    }
    if (!c.ok()) return [](size_t) -> size_t { return 0; };
    return [conn = *c, &pool, batch](size_t i) -> size_t {
      std::vector<const char*> values(batch);
      std::vector<int> lengths(batch), binary(batch, 1);
      for (size_t k = 0; k < batch; ++k) {
        values[k] = pool[i * batch + k].data();
        lengths[k] = static_cast<int>(pool[i * batch + k].size());
      }
      PGresult* r =
          PQexecPrepared(conn.get(), "append", static_cast<int>(batch),
                         values.data(), lengths.data(), binary.data(), 0);
      const size_t ok = PQresultStatus(r) == PGRES_TUPLES_OK ? PQntuples(r) : 0;
      PQclear(r);
      return ok;
    };
  });
}

struct Rates {
  DriveResult unary, batched;
};

int Fail(const absl::Status& s) {
  std::fprintf(stderr, "%s\n", s.ToString().c_str());
  return 1;
}

absl::StatusOr<Rates> RunPostgres(PgCluster& cluster, int clients, size_t batch,
                                  const std::vector<std::string>& unary,
                                  const std::vector<std::string>& batched) {
  if (auto s = cluster.Start(std::max(20, clients + 10)); !s.ok()) return s;
  const std::string conninfo = cluster.conninfo();
  auto admin = Connect(conninfo);
  if (!admin.ok()) return admin.status();
  if (auto s = Exec(admin->get(), kSchema); !s.ok()) return s.status();
  auto settings = Exec(admin->get(),
                       "SELECT version(), current_setting('fsync'), "
                       "current_setting('synchronous_commit'), "
                       "current_setting('wal_sync_method')");
  if (!settings.ok()) return settings.status();
  std::printf("%s; fsync=%s, synchronous_commit=%s, wal_sync_method=%s\n",
              (*settings)[0].c_str(), (*settings)[1].c_str(),
              (*settings)[2].c_str(), (*settings)[3].c_str());
  Rates r;
  r.unary = DrivePostgres(conninfo, clients, 1, unary);
  PrintResult(absl::StrCat("postgresql unary, ", clients, " clients"), r.unary,
              nullptr);
  r.batched = DrivePostgres(conninfo, kBatchClients, batch, batched);
  PrintResult(absl::StrCat("postgresql batched ", batch, ", ", kBatchClients,
                           " clients"),
              r.batched, nullptr);
  auto chain = Exec(admin->get(), kCheckChain);
  if (!chain.ok()) return chain.status();
  std::printf("postgresql chain: %s rows, %s broken links (recomputed)\n",
              (*chain)[0].c_str(), (*chain)[1].c_str());
  admin->reset();
  if (auto s = cluster.Stop(); !s.ok()) return s;
  return r;
}

absl::StatusOr<Rates> RunAiledgerd(const BenchLog& log, int clients,
                                   size_t batch, const Ceiling& ceiling,
                                   const std::vector<std::string>& unary,
                                   const std::vector<std::string>& batched) {
  auto daemon = Daemon::Start(log.dir, {});
  if (!daemon.ok()) return daemon.status();
  const std::string address = (*daemon)->address();
  if (auto s = AppendAll(address, BenchSetup(log)); !s.ok()) return s;
  Rates r;
  r.unary = DriveUnaryAppends(address, clients, unary);
  PrintResult(absl::StrCat("ailedgerd unary, ", clients, " clients"), r.unary,
              &ceiling);
  r.batched = DriveBatchedAppends(address, batch, batched);
  PrintResult(absl::StrCat("ailedgerd batched ", batch, ", ", kBatchClients,
                           " clients"),
              r.batched, &ceiling);
  return r;  // the daemon stops here, before PostgreSQL starts
}

int Main(const CliArgs& a) {
  auto events_flag = a.GetUint("events", 20000);
  auto clients_flag = a.GetUint<int>("clients", 64, 1, 1000);
  auto batch_flag = a.GetUint("batch", 200, 1, 10'000);
  for (const absl::Status& s :
       {events_flag.status(), clients_flag.status(), batch_flag.status()}) {
    if (!s.ok()) {
      std::fprintf(stderr, "%s\n", std::string(s.message()).c_str());
      return 2;
    }
  }
  const size_t events = *events_flag, batch = *batch_flag;
  const int clients = *clients_flag;
  const std::string dir = a.Get("dir", "bench-vs-postgres");
  // Measured first, with the machine otherwise idle.
  const Ceiling ceiling = MeasureEd25519Ceiling();
  PrintCeiling(ceiling);
  auto log = CreateLog(dir + "/ailedgerd");
  if (!log.ok()) return Fail(log.status());
  std::printf("pre-signing %zu events x 2...\n", events);
  std::fflush(stdout);
  const auto unary = PresignedEvents(*log, events, 0);
  const auto batched = PresignedEvents(*log, events, events);

  // initdb now, so that a cluster that cannot be made fails before the
  // ailedgerd runs; it starts only after them.
  auto cluster = PgCluster::Init(dir + "/postgres");
  if (!cluster.ok()) return Fail(cluster.status());
  auto ours = RunAiledgerd(*log, clients, batch, ceiling, unary, batched);
  if (!ours.ok()) return Fail(ours.status());
  auto theirs = RunPostgres(**cluster, clients, batch, unary, batched);
  if (!theirs.ok()) return Fail(theirs.status());
  const auto ratio = [](const std::string& what, double ours, double theirs) {
    std::printf("%-44s %6.2fx\n", what.c_str(), theirs > 0 ? ours / theirs : 0);
  };
  ratio(absl::StrCat("ailedgerd / postgresql, unary, ", clients, " clients"),
        ours->unary.per_second, theirs->unary.per_second);
  ratio(absl::StrCat("ailedgerd / postgresql, batched ", batch),
        ours->batched.per_second, theirs->batched.per_second);
  ratio("ailedgerd batched / postgresql unary", ours->batched.per_second,
        theirs->unary.per_second);
  return 0;
}

}  // namespace
}  // namespace ailedger::bench

int main(int argc, char** argv) {
  return ailedger::bench::BenchMain("bench-vs-postgres", argc, argv,
                                    {"events", "clients", "batch", "dir"},
                                    ailedger::bench::Main);
}
