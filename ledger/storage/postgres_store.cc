// PostgreSQL table layout (format version 1; docs/STORAGE.md has the same
// table, beside the RocksDB layout). Plain tables in schema `ailedger`, no
// stored procedures or triggers. Keys that RocksDB orders bytewise are bytea
// here: PostgreSQL compares bytea bytewise (memcmp, then length), so scans
// return the same rows in the same order.
//
// clang-format off
//   table           columns                               holds
//   format_version  version int                           1 (one row)
//   leaves          idx int8 PK, leaf bytea               leaf bytes (leaf.h)
//   strata          grp int2, stratum int8, hashes bytea  510 packed 32-byte
//                   PK (grp, stratum)                     hashes (strata.h)
//   checkpoints     size int8 PK, note bytea              signed checkpoint
//   event_ids       id bytea PK, idx int8                 event id -> index
//   index_rows      key bytea PK, value bytea             event_index.h rows
//   meta            key bytea PK, value bytea             roster, phases, ...
//   tree_state      id int2 PK (= 1), size int8,          EncodeTreeState
//                   state bytea                           (one row)
//   lease           id int2 PK (= 1), holder text,        the writer lease
//                   epoch int8, expires_at timestamptz,   (one row)
//                   heartbeat_at timestamptz,
//                   signed_size int8
// clang-format on
//
// A commit is one transaction in two pipelined round trips (libpq pipeline
// mode): BEGIN, the lease check (UPDATE ... WHERE epoch = $1 RETURNING), the
// stored size, the right-edge strata; then every insert (unnest over binary
// array parameters, ON CONFLICT DO UPDATE) and COMMIT. Durability is the
// server's: synchronous_commit as configured (with a synchronous standby under
// Patroni, a COMMIT returns once the standby has the WAL).
//
// SQL used, for evaluating other PostgreSQL-protocol engines: CREATE SCHEMA,
// CREATE TABLE with PRIMARY KEY and CHECK, ALTER COLUMN SET STORAGE EXTERNAL
// (optional), INSERT ... SELECT FROM unnest($n::T[], ...) [WITH ORDINALITY],
// INSERT ... ON CONFLICT (...) DO UPDATE SET c = EXCLUDED.c, UPDATE ...
// RETURNING, DELETE ... WHERE key = ANY($1::bytea[]), SELECT ... WHERE (a, b)
// IN (SELECT * FROM unnest(...)), ORDER BY ... LIMIT, now(), interval
// arithmetic, extract(epoch FROM interval), greatest(), to_regclass(),
// pg_is_in_recovery(), explicit BEGIN/COMMIT/ROLLBACK at READ COMMITTED;
// protocol: extended query with named prepared statements (one set per
// connection), binary parameters and results (int2, int8, bytea, text and
// their one-dimensional arrays), pipeline mode with flush requests
// (PostgreSQL 14+ libpq).
#include "ledger/storage/postgres_store.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <map>

#include "absl/strings/str_cat.h"
#include "ledger/base/big_endian.h"
#include "ledger/storage/pg_conn.h"
#include "ledger/storage/postgres_sql.h"
#include "ledger/storage/strata.h"

namespace ailedger {
namespace {

using pg::Params;

constexpr char kSchemaSql[] = R"sql(
CREATE SCHEMA ailedger;
CREATE TABLE ailedger.format_version (version integer NOT NULL);
INSERT INTO ailedger.format_version VALUES (1);
CREATE TABLE ailedger.leaves (idx bigint PRIMARY KEY, leaf bytea NOT NULL);
CREATE TABLE ailedger.strata (grp smallint NOT NULL, stratum bigint NOT NULL,
  hashes bytea NOT NULL, PRIMARY KEY (grp, stratum));
ALTER TABLE ailedger.strata ALTER COLUMN hashes SET STORAGE EXTERNAL;
CREATE TABLE ailedger.checkpoints (size bigint PRIMARY KEY, note bytea NOT NULL);
CREATE TABLE ailedger.event_ids (id bytea PRIMARY KEY, idx bigint NOT NULL);
CREATE TABLE ailedger.index_rows (key bytea PRIMARY KEY, value bytea NOT NULL);
CREATE TABLE ailedger.meta (key bytea PRIMARY KEY, value bytea NOT NULL);
CREATE TABLE ailedger.tree_state (id smallint PRIMARY KEY CHECK (id = 1),
  size bigint NOT NULL, state bytea NOT NULL);
CREATE TABLE ailedger.lease (id smallint PRIMARY KEY CHECK (id = 1),
  holder text NOT NULL, epoch bigint NOT NULL,
  expires_at timestamptz NOT NULL, heartbeat_at timestamptz NOT NULL,
  signed_size bigint NOT NULL);
INSERT INTO ailedger.lease VALUES (1, '', 0, now(), now(), 0);
)sql";
static_assert(kPostgresFormatVersion == 1, "kSchemaSql writes version 1");

std::string NodeName(NodeId id) {
  return absl::StrCat("node (", id.level, ",", id.index, ")");
}

}  // namespace

PostgresStore::PostgresStore(const PostgresOptions& options, Mode mode)
    : conninfo_(options.conninfo),
      mode_(mode),
      readers_(std::make_unique<pg::ConnPool>(options.conninfo,
                                              options.max_read_connections)) {}

PostgresStore::~PostgresStore() = default;

absl::StatusOr<std::unique_ptr<PostgresStore>> PostgresStore::Open(
    const PostgresOptions& options, Mode mode) {
  std::unique_ptr<PostgresStore> store(new PostgresStore(options, mode));
  if (mode != Mode::kReadOnly) {
    absl::MutexLock lock(&store->writer_mu_);
    auto w = store->Writer();
    if (!w.ok()) return w.status();
    auto standby = (*w)->Exec("open", sql::kInRecovery);
    if (!standby.ok()) return standby.status();
    if (sql::IsTrue(*standby)) {
      return absl::UnavailableError(
          "postgres: the server is a hot standby (read-only): open the store "
          "read-only there, or name the primary (a multi-host connection "
          "string with target_session_attrs=read-write)");
    }
    if (mode == Mode::kCreate) {
      absl::Status s = (*w)->ExecScript("create tables", kSchemaSql);
      if (absl::IsAlreadyExists(s)) {
        return absl::AlreadyExistsError(
            "postgres: the database already holds an ailedger store (schema "
            "ailedger)");
      }
      if (!s.ok()) return s;
    }
  }
  if (auto s = store->CheckSchema(); !s.ok()) return s;
  return store;
}

absl::Status PostgresStore::CheckSchema() {
  auto exists = readers_->Exec("open", sql::kSchemaExists);
  if (!exists.ok()) return exists.status();
  if (!sql::IsTrue(*exists)) {
    return absl::NotFoundError(
        "postgres: the database holds no ailedger store (no table "
        "ailedger.format_version); create one with `ailedgerd init`");
  }
  auto version = ReadFormatVersion();
  if (!version.ok()) return version.status();
  if (*version != kPostgresFormatVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        "postgres: store format version ", *version,
        " is unknown to this build (knows ", kPostgresFormatVersion,
        "): serve it with the ailedgerd that wrote it"));
  }
  return absl::OkStatus();
}

absl::StatusOr<uint32_t> PostgresStore::ReadFormatVersion() const {
  auto r = readers_->Exec("format version", sql::kFormatVersion);
  if (!r.ok()) return r.status();
  if (r->rows() != 1) {
    return absl::FailedPreconditionError(
        "postgres: no format version row: not an ailedger store");
  }
  auto v = r->Int8(0, 0, "format version");
  if (!v.ok()) return v.status();
  return static_cast<uint32_t>(*v);
}

absl::StatusOr<pg::Conn*> PostgresStore::Writer() {
  if (writer_ == nullptr || writer_->broken()) {
    writer_.reset();
    auto c = pg::Conn::Open(conninfo_);
    if (!c.ok()) return c.status();
    writer_ = *std::move(c);
  }
  return writer_.get();
}

absl::Status PostgresStore::Recover() {
  readers_->DropIdle();
  if (mode_ == Mode::kReadOnly) {
    return readers_->Exec("recover", "SELECT 1").status();
  }
  absl::MutexLock lock(&writer_mu_);
  writer_.reset();
  auto w = Writer();
  if (!w.ok()) return w.status();
  auto standby = (*w)->Exec("recover", sql::kInRecovery);
  if (!standby.ok()) return standby.status();
  if (sql::IsTrue(*standby)) {
    writer_.reset();
    return absl::UnavailableError(
        "postgres: recover: the server reached is a standby (read-only); "
        "waiting for a primary");
  }
  return absl::OkStatus();
}

absl::StatusOr<TreeState> PostgresStore::ReadTreeState() const {
  auto r = readers_->Exec("tree state", sql::kTreeState);
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return absl::NotFoundError("store: no tree yet");
  auto size = r->Int8(0, 0, "tree state size");
  if (!size.ok()) return size.status();
  auto state = DecodeTreeState(r->Get(0, 1));
  if (state.ok() && state->size != static_cast<uint64_t>(*size)) {
    return absl::DataLossError(absl::StrCat("tree state: size column ", *size,
                                            " but the state says ",
                                            state->size));
  }
  return state;
}

absl::StatusOr<std::string> PostgresStore::ReadLeaf(uint64_t index) const {
  auto r = readers_->Exec(absl::StrCat("leaf ", index), sql::kLeaf,
                          Params().Int8(sql::Int8(index)));
  if (!r.ok()) return r.status();
  if (r->rows() == 0) {
    return absl::NotFoundError(absl::StrCat("leaf ", index, " not stored"));
  }
  return std::string(r->Get(0, 0));
}

absl::StatusOr<std::vector<std::string>> PostgresStore::ReadLeaves(
    uint64_t begin, uint64_t end) const {
  std::vector<std::string> out;
  if (begin >= end) return out;
  auto r =
      readers_->Exec(absl::StrCat("leaves ", begin, "..", end), sql::kLeaves,
                     Params().Int8(sql::Int8(begin)).Int8(sql::Int8(end)));
  if (!r.ok()) return r.status();
  uint64_t next = begin;
  for (int i = 0; i < r->rows(); ++i, ++next) {
    auto idx = r->Int8(i, 0, "leaf index");
    if (!idx.ok()) return idx.status();
    if (static_cast<uint64_t>(*idx) != next) break;
    out.emplace_back(r->Get(i, 1));
  }
  if (next < end) {
    return absl::NotFoundError(absl::StrCat("leaf ", next, " not stored"));
  }
  return out;
}

absl::StatusOr<std::vector<Hash>> PostgresStore::ReadNodes(
    absl::Span<const NodeId> ids) const {
  std::vector<Hash> out(ids.size());
  if (ids.empty()) return out;
  // One query for the distinct strata that hold the ids.
  std::vector<sql::StratumKey> keys;
  for (NodeId id : ids) {
    const sql::StratumKey k = sql::StratumOf(id);
    if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
  }
  auto r = readers_->Exec("nodes", sql::kStrata, sql::StrataParams(keys));
  if (!r.ok()) return r.status();
  std::map<sql::StratumKey, absl::string_view> found;
  for (int i = 0; i < r->rows(); ++i) {
    auto k = sql::StratumAt(*r, i);
    if (!k.ok()) return k.status();
    found[*k] = r->Get(i, 2);
  }
  for (size_t i = 0; i < ids.size(); ++i) {
    const std::string what = NodeName(ids[i]);
    auto it = found.find(sql::StratumOf(ids[i]));
    if (it == found.end()) {
      return absl::NotFoundError(absl::StrCat(what, " not stored"));
    }
    if (it->second.size() != kStratumBytes) {
      return absl::DataLossError(
          absl::StrCat(what, ": stratum has ", it->second.size(), " bytes"));
    }
    std::memcpy(out[i].data(),
                it->second.data() + LocateNode(ids[i]).slot * kHashSize,
                kHashSize);
    if (out[i] == Hash{}) {
      return absl::NotFoundError(absl::StrCat(what, " not stored"));
    }
  }
  return out;
}

absl::StatusOr<std::string> PostgresStore::ReadCheckpoint(uint64_t size) const {
  const std::string what = absl::StrCat("checkpoint at size ", size);
  auto r =
      readers_->Exec(what, sql::kCheckpoint, Params().Int8(sql::Int8(size)));
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return absl::NotFoundError(absl::StrCat("no ", what));
  return std::string(r->Get(0, 0));
}

absl::StatusOr<std::string> PostgresStore::ReadLatestCheckpoint() const {
  auto r = readers_->Exec("latest checkpoint", sql::kLatestCheckpoint);
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return absl::NotFoundError("no checkpoint yet");
  return std::string(r->Get(0, 0));
}

absl::StatusOr<std::vector<std::pair<uint64_t, std::string>>>
PostgresStore::ScanCheckpoints(uint64_t begin, uint64_t end,
                               size_t limit) const {
  std::vector<std::pair<uint64_t, std::string>> out;
  if (begin >= end || limit == 0) return out;
  auto r = readers_->Exec("checkpoints", sql::kScanCheckpoints,
                          Params()
                              .Int8(sql::Int8(begin))
                              .Int8(sql::Int8(end))
                              .Int8(sql::Int8(limit)));
  if (!r.ok()) return r.status();
  for (int i = 0; i < r->rows(); ++i) {
    auto size = r->Int8(i, 0, "checkpoint size");
    if (!size.ok()) return size.status();
    out.emplace_back(*size, std::string(r->Get(i, 1)));
  }
  return out;
}

absl::StatusOr<std::optional<uint64_t>> PostgresStore::FindEvent(
    const Hash& event_id) const {
  auto found = FindEvents({&event_id, 1});
  if (!found.ok()) return found.status();
  return found->front();
}

absl::StatusOr<std::vector<std::optional<uint64_t>>> PostgresStore::FindEvents(
    absl::Span<const Hash> event_ids) const {
  std::vector<std::optional<uint64_t>> out(event_ids.size());
  if (event_ids.empty()) return out;
  std::vector<absl::string_view> ids;
  ids.reserve(event_ids.size());
  for (const Hash& id : event_ids) ids.push_back(AsBytes(id));
  auto r = readers_->Exec("event ids", sql::kFindEvents,
                          Params().BytesArray(absl::MakeConstSpan(ids)));
  if (!r.ok()) return r.status();
  std::map<absl::string_view, uint64_t> found;
  for (int i = 0; i < r->rows(); ++i) {
    auto idx = r->Int8(i, 1, "event id row");
    if (!idx.ok()) return idx.status();
    found[r->Get(i, 0)] = *idx;
  }
  for (size_t i = 0; i < ids.size(); ++i) {
    if (auto it = found.find(ids[i]); it != found.end()) out[i] = it->second;
  }
  return out;
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
PostgresStore::Scan(const char* sql, absl::string_view what,
                    const std::string& begin, const std::string& end,
                    size_t limit) const {
  std::vector<std::pair<std::string, std::string>> out;
  if (limit == 0) return out;
  auto r = readers_->Exec(
      what, sql, Params().Bytes(begin).Bytes(end).Int8(sql::Int8(limit)));
  if (!r.ok()) return r.status();
  for (int i = 0; i < r->rows(); ++i) {
    out.emplace_back(r->Get(i, 0), r->Get(i, 1));
  }
  return out;
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
PostgresStore::ScanIndex(const std::string& begin, const std::string& end,
                         size_t limit) const {
  return Scan(sql::kScanIndex, "index rows", begin, end, limit);
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
PostgresStore::ScanMeta(const std::string& begin, const std::string& end,
                        size_t limit) const {
  return Scan(sql::kScanMeta, "meta rows", begin, end, limit);
}

absl::StatusOr<std::optional<std::string>> PostgresStore::ReadMeta(
    const std::string& key) const {
  auto r = readers_->Exec(absl::StrCat("meta ", key), sql::kMeta,
                          Params().Bytes(key));
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return std::optional<std::string>();
  return std::optional<std::string>(std::string(r->Get(0, 0)));
}

}  // namespace ailedger
