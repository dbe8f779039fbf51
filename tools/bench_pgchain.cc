#include "tools/bench_pgchain.h"

#include <libpq-fe.h>

#include <cstdio>
#include <memory>

#include "absl/strings/str_cat.h"

namespace ailedger::bench {
namespace {

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

// Rows whose hash or back-link does not hold.
constexpr char kCheckChain[] = R"sql(
SELECT count(*),
       count(*) FILTER (WHERE hash <> sha256(prev_hash || payload)
                           OR prev_hash <> coalesce(before,
                                decode(repeat('00', 32), 'hex')))
  FROM (SELECT *, lag(hash) OVER (ORDER BY seq) AS before FROM audit_log) t
)sql";

constexpr char kSettings[] =
    "SELECT version(), current_setting('fsync'), "
    "current_setting('synchronous_commit'), "
    "current_setting('wal_sync_method'), "
    "current_setting('synchronous_standby_names')";

using Conn = std::shared_ptr<PGconn>;

absl::StatusOr<Conn> Connect(const std::string& conninfo) {
  Conn c(PQconnectdb(conninfo.c_str()), PQfinish);
  if (PQstatus(c.get()) != CONNECTION_OK)
    return absl::UnavailableError(PQerrorMessage(c.get()));
  return c;
}

// Runs `sql` on a new connection; the first row's fields, or the error.
absl::StatusOr<std::vector<std::string>> Exec(const std::string& conninfo,
                                              const char* sql) {
  auto c = Connect(conninfo);
  if (!c.ok()) return c.status();
  std::unique_ptr<PGresult, decltype(&PQclear)> r(PQexec(c->get(), sql),
                                                  PQclear);
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

// A connection with the append statement prepared, or an error.
absl::StatusOr<Conn> OpenAppender(const std::string& conninfo,
                                  const std::string& sql, size_t batch) {
  auto c = Connect(conninfo);
  if (!c.ok()) return c.status();
  const std::vector<Oid> types(batch, kByteaOid);
  std::unique_ptr<PGresult, decltype(&PQclear)> r(
      PQprepare(c->get(), "append", sql.c_str(), static_cast<int>(batch),
                types.data()),
      PQclear);
  if (PQresultStatus(r.get()) != PGRES_COMMAND_OK)
    return absl::InternalError(
        absl::StrCat("prepare: ", PQresultErrorMessage(r.get())));
  return c;
}

}  // namespace

absl::Status CreateAuditChain(const std::string& conninfo) {
  return Exec(conninfo, kSchema).status();
}

DriveResult DriveAuditChain(const std::string& conninfo, int clients,
                            size_t batch, const std::vector<std::string>& pool,
                            const PayloadCheck& check) {
  const std::string sql = AppendSql(batch);
  return Drive(clients, pool.size() / batch, 0, [&]() -> Worker {
    auto c = OpenAppender(conninfo, sql, batch);
    if (!c.ok()) {
      std::fprintf(stderr, "%s\n", c.status().ToString().c_str());
      return [](size_t) -> size_t { return 0; };
    }
    return [conn = *c, &pool, batch, &check](size_t i) -> size_t {
      std::vector<const char*> values(batch);
      std::vector<int> lengths(batch), binary(batch, 1);
      for (size_t k = 0; k < batch; ++k) {
        if (check && !check(pool[i * batch + k])) return 0;
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

absl::StatusOr<std::string> CheckAuditChain(const std::string& conninfo) {
  auto row = Exec(conninfo, kCheckChain);
  if (!row.ok()) return row.status();
  return absl::StrCat((*row)[0], " rows, ", (*row)[1],
                      " broken links (recomputed)");
}

absl::StatusOr<PgServerInfo> DescribePgServer(const std::string& conninfo) {
  auto row = Exec(conninfo, kSettings);
  if (!row.ok()) return row.status();
  if (row->size() != 5) return absl::InternalError("settings: no row");
  return PgServerInfo{(*row)[0], (*row)[1], (*row)[2], (*row)[3], (*row)[4]};
}

std::string PgSettingsLine(const PgServerInfo& info) {
  return absl::StrCat(info.version, "; fsync=", info.fsync,
                      ", synchronous_commit=", info.synchronous_commit,
                      ", wal_sync_method=", info.wal_sync_method);
}

}  // namespace ailedger::bench
