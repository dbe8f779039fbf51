// The SQL statements of PostgresStore (postgres_store.cc has the table layout)
// and the small conversions they need. Internal to postgres_store*.cc.
#ifndef AILEDGER_LEDGER_STORAGE_POSTGRES_SQL_H_
#define AILEDGER_LEDGER_STORAGE_POSTGRES_SQL_H_

#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "ledger/base/big_endian.h"
#include "ledger/merkle/node_id.h"
#include "ledger/storage/pg_conn.h"
#include "ledger/storage/strata.h"

namespace ailedger::sql {

// Reads.
inline constexpr char kInRecovery[] = "SELECT pg_is_in_recovery()";
inline constexpr char kSchemaExists[] =
    "SELECT to_regclass('ailedger.format_version') IS NOT NULL";
inline constexpr char kFormatVersion[] =
    "SELECT version::int8 FROM ailedger.format_version";
inline constexpr char kTreeState[] =
    "SELECT size, state FROM ailedger.tree_state WHERE id = 1";
inline constexpr char kLeaf[] =
    "SELECT leaf FROM ailedger.leaves WHERE idx = $1";
inline constexpr char kLeaves[] =
    "SELECT idx, leaf FROM ailedger.leaves WHERE idx >= $1 AND idx < $2 "
    "ORDER BY idx";
inline constexpr char kStrata[] =
    "SELECT grp, stratum, hashes FROM ailedger.strata WHERE (grp, stratum) IN "
    "(SELECT * FROM unnest($1::int2[], $2::int8[]))";
inline constexpr char kCheckpoint[] =
    "SELECT note FROM ailedger.checkpoints WHERE size = $1";
inline constexpr char kLatestCheckpoint[] =
    "SELECT note FROM ailedger.checkpoints ORDER BY size DESC LIMIT 1";
inline constexpr char kScanCheckpoints[] =
    "SELECT size, note FROM ailedger.checkpoints WHERE size >= $1 AND size < "
    "$2 ORDER BY size LIMIT $3";
inline constexpr char kFindEvents[] =
    "SELECT id, idx FROM ailedger.event_ids WHERE id = ANY($1::bytea[])";
inline constexpr char kScanIndex[] =
    "SELECT key, value FROM ailedger.index_rows WHERE key >= $1 AND key < $2 "
    "ORDER BY key LIMIT $3";
inline constexpr char kScanMeta[] =
    "SELECT key, value FROM ailedger.meta WHERE key >= $1 AND key < $2 "
    "ORDER BY key LIMIT $3";
inline constexpr char kMeta[] =
    "SELECT value FROM ailedger.meta WHERE key = $1";

// The lease, by the database's clock. Columns: holder, epoch, expires_in_ms,
// signed_size, heartbeat_age_ms.
#define AILEDGER_LEASE_COLUMNS                                     \
  "holder, epoch, floor(extract(epoch FROM expires_at - now()) * " \
  "1000)::int8, "                                                  \
  "signed_size, floor(extract(epoch FROM now() - heartbeat_at) * 1000)::int8"
inline constexpr char kReadLease[] =
    "SELECT " AILEDGER_LEASE_COLUMNS " FROM ailedger.lease WHERE id = 1";
// Free or expired: the next epoch. $1 holder, $2 ttl ms.
inline constexpr char kAcquireLease[] =
    "UPDATE ailedger.lease SET holder = $1, epoch = epoch + 1, "
    "heartbeat_at = now(), expires_at = now() + $2 * interval '1 millisecond' "
    "WHERE id = 1 AND (holder = '' OR expires_at <= now()) "
    "RETURNING " AILEDGER_LEASE_COLUMNS;
#undef AILEDGER_LEASE_COLUMNS
// $1 epoch, $2 ttl ms.
inline constexpr char kRenewLease[] =
    "UPDATE ailedger.lease SET heartbeat_at = now(), "
    "expires_at = now() + $2 * interval '1 millisecond' "
    "WHERE id = 1 AND epoch = $1 RETURNING epoch";
inline constexpr char kReleaseLease[] =
    "UPDATE ailedger.lease SET heartbeat_at = now(), expires_at = now() "
    "WHERE id = 1 AND epoch = $1 RETURNING epoch";
// First in every write transaction: locks the row while it holds $1, renews
// it for the ttl it was taken or renewed with, raises signed_size to $2.
inline constexpr char kCheckLease[] =
    "UPDATE ailedger.lease SET heartbeat_at = now(), "
    "expires_at = now() + (expires_at - heartbeat_at), "
    "signed_size = greatest(signed_size, $2) "
    "WHERE id = 1 AND epoch = $1 RETURNING epoch";

// Writes (binary array parameters, one statement per table).
inline constexpr char kStoredSize[] =
    "SELECT size FROM ailedger.tree_state WHERE id = 1";
inline constexpr char kPutLeaves[] =
    "INSERT INTO ailedger.leaves (idx, leaf) SELECT $1 + i - 1, leaf "
    "FROM unnest($2::bytea[]) WITH ORDINALITY AS t(leaf, i)";
inline constexpr char kPutStrata[] =
    "INSERT INTO ailedger.strata (grp, stratum, hashes) "
    "SELECT * FROM unnest($1::int2[], $2::int8[], $3::bytea[]) "
    "ON CONFLICT (grp, stratum) DO UPDATE SET hashes = EXCLUDED.hashes";
inline constexpr char kPutCheckpoint[] =
    "INSERT INTO ailedger.checkpoints (size, note) VALUES ($1, $2) "
    "ON CONFLICT (size) DO UPDATE SET note = EXCLUDED.note";
inline constexpr char kPutEventIds[] =
    "INSERT INTO ailedger.event_ids (id, idx) "
    "SELECT * FROM unnest($1::bytea[], $2::int8[]) "
    "ON CONFLICT (id) DO UPDATE SET idx = EXCLUDED.idx";
inline constexpr char kPutIndexRows[] =
    "INSERT INTO ailedger.index_rows (key, value) "
    "SELECT * FROM unnest($1::bytea[], $2::bytea[]) "
    "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value";
inline constexpr char kEraseIndexRows[] =
    "DELETE FROM ailedger.index_rows WHERE key = ANY($1::bytea[])";
inline constexpr char kPutMeta[] =
    "INSERT INTO ailedger.meta (key, value) "
    "SELECT * FROM unnest($1::bytea[], $2::bytea[]) "
    "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value";
inline constexpr char kPutTreeState[] =
    "INSERT INTO ailedger.tree_state (id, size, state) VALUES (1, $1, $2) "
    "ON CONFLICT (id) DO UPDATE SET size = EXCLUDED.size, "
    "state = EXCLUDED.state";

// Sizes and indexes are uint64 in the log and int8 in SQL: a bound past
// int8's range is clamped (no log reaches 2^63 entries).
inline int64_t Int8(uint64_t v) {
  return v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())
             ? std::numeric_limits<int64_t>::max()
             : static_cast<int64_t>(v);
}

// A one-row boolean result that is true.
inline bool IsTrue(const pg::Result& r) {
  return r.rows() == 1 && r.Get(0, 0) == absl::string_view("\1", 1);
}

// A stratum's primary key: strata.h's u8 group and u64 stratum index.
using StratumKey = std::pair<int16_t, int64_t>;

inline StratumKey StratumOf(NodeId id) {
  const StratumAddress a = LocateNode(id);
  return {
      static_cast<uint8_t>(a.key[0]),
      static_cast<int64_t>(GetBigEndian64(absl::string_view(a.key).substr(1)))};
}

// $1 int2[] groups, $2 int8[] strata.
inline pg::Params StrataParams(const std::vector<StratumKey>& keys) {
  std::vector<int16_t> groups;
  std::vector<int64_t> strata;
  for (const auto& [g, s] : keys) {
    groups.push_back(g);
    strata.push_back(s);
  }
  pg::Params p;
  p.Int2Array(groups).Int8Array(strata);
  return p;
}

// The key of row `i` of a kStrata result.
inline absl::StatusOr<StratumKey> StratumAt(const pg::Result& r, int i) {
  auto g = r.Int2(i, 0, "stratum group");
  if (!g.ok()) return g.status();
  auto s = r.Int8(i, 1, "stratum index");
  if (!s.ok()) return s.status();
  return StratumKey{*g, *s};
}

}  // namespace ailedger::sql

#endif  // AILEDGER_LEDGER_STORAGE_POSTGRES_SQL_H_
