// PostgresStore's writes and its writer lease (postgres_store.h). Every write
// is one transaction on the writer connection whose first statement checks
// the lease (sql::kCheckLease); see postgres_store.cc for the layout.
#include <cstring>
#include <functional>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "ledger/storage/pg_conn.h"
#include "ledger/storage/postgres_sql.h"
#include "ledger/storage/postgres_store.h"
#include "ledger/storage/strata.h"

namespace ailedger {

using pg::Params;
using pg::Statement;

struct PostgresStore::WriteSteps {
  // Run after the lease check, in the first round trip.
  std::vector<Statement> reads;
  // Given the reads' results, the writes (COMMIT is added).
  std::function<absl::StatusOr<std::vector<Statement>>(
      absl::Span<const pg::Result>)>
      writes;
};

namespace {

// ON CONFLICT DO UPDATE may not touch one row twice in a statement: a key
// written twice in a batch keeps its last value, as in a RocksDB WriteBatch.
// $1 bytea[] keys, $2 bytea[] values.
Params LastWins(const std::vector<std::pair<std::string, std::string>>& rows) {
  std::map<absl::string_view, absl::string_view> last;
  for (const auto& [k, v] : rows) last[k] = v;
  std::vector<absl::string_view> keys, values;
  for (const auto& [k, v] : last) {
    keys.push_back(k);
    values.push_back(v);
  }
  Params p;
  p.BytesArray(keys).BytesArray(values);
  return p;
}

Params EventIds(const std::vector<std::pair<Hash, uint64_t>>& ids) {
  std::map<Hash, uint64_t> last(ids.begin(), ids.end());
  std::vector<std::string> keys;
  std::vector<int64_t> values;
  for (const auto& [id, index] : last) {
    keys.emplace_back(AsBytes(id));
    values.push_back(sql::Int8(index));
  }
  Params p;
  p.BytesArray(keys).Int8Array(values);
  return p;
}

// The strata `nodes` fall in, read (`stored`: a kStrata result) and modified;
// $1 int2[] groups, $2 int8[] strata, $3 bytea[] values.
absl::StatusOr<Params> MergeStrata(
    absl::Span<const std::pair<NodeId, Hash>> nodes, const pg::Result& stored) {
  std::map<sql::StratumKey, std::string> strata;
  for (int i = 0; i < stored.rows(); ++i) {
    auto k = sql::StratumAt(stored, i);
    if (!k.ok()) return k.status();
    if (stored.Get(i, 2).size() != kStratumBytes) {
      return absl::DataLossError(absl::StrCat(
          "stratum (", k->first, ",", k->second, "): stored value has ",
          stored.Get(i, 2).size(), " bytes, not ", kStratumBytes));
    }
    strata[*k] = std::string(stored.Get(i, 2));
  }
  for (const auto& [id, hash] : nodes) {
    std::string& value = strata[sql::StratumOf(id)];
    if (value.empty()) value.assign(kStratumBytes, '\0');
    std::memcpy(value.data() + LocateNode(id).slot * kHashSize, hash.data(),
                kHashSize);
  }
  std::vector<int16_t> groups;
  std::vector<int64_t> indexes;
  std::vector<absl::string_view> values;
  for (const auto& [k, v] : strata) {
    groups.push_back(k.first);
    indexes.push_back(k.second);
    values.push_back(v);
  }
  Params p;
  p.Int2Array(groups).Int8Array(indexes).BytesArray(values);
  return p;
}

std::vector<sql::StratumKey> StrataOf(
    absl::Span<const std::pair<NodeId, Hash>> nodes) {
  std::set<sql::StratumKey> keys;
  for (const auto& node : nodes) keys.insert(sql::StratumOf(node.first));
  return {keys.begin(), keys.end()};
}

absl::StatusOr<int64_t> TtlMs(absl::Duration ttl) {
  const int64_t ms = absl::ToInt64Milliseconds(ttl);
  if (ms < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("lease: ttl ", absl::FormatDuration(ttl),
                     " is shorter than a millisecond"));
  }
  return ms;
}

// Row 0 of a result with the lease columns (sql::kReadLease).
absl::StatusOr<WriterLease> LeaseAt(const pg::Result& r) {
  WriterLease lease;
  lease.holder = std::string(r.Get(0, 0));
  auto epoch = r.Int8(0, 1, "lease epoch");
  auto expires = r.Int8(0, 2, "lease expiry");
  auto signed_size = r.Int8(0, 3, "lease signed size");
  auto age = r.Int8(0, 4, "lease heartbeat");
  for (const auto* v : {&epoch, &expires, &signed_size, &age}) {
    if (!v->ok()) return v->status();
  }
  lease.epoch = *epoch;
  lease.expires_in_ms = *expires;
  lease.signed_size = *signed_size;
  lease.heartbeat_age_ms = *age;
  return lease;
}

absl::Status ReadOnlyError() {
  return absl::FailedPreconditionError(
      "postgres: the store is open read-only (a hot standby's replica): it "
      "writes nothing");
}

}  // namespace

absl::Status PostgresStore::CheckWritable() const {
  if (mode_ == Mode::kReadOnly) return ReadOnlyError();
  if (epoch_ == 0) {
    return absl::FailedPreconditionError(
        "postgres: no writer lease: take the lease (TryAcquireLease) and name "
        "its epoch (SetWriterEpoch) before writing");
  }
  return absl::OkStatus();
}

void PostgresStore::SetWriterEpoch(uint64_t epoch) {
  absl::MutexLock lock(&writer_mu_);
  epoch_ = epoch;
}

absl::Status PostgresStore::Write(absl::string_view what, uint64_t new_size,
                                  const WriteSteps& steps) {
  absl::MutexLock lock(&writer_mu_);
  if (auto s = CheckWritable(); !s.ok()) return s;
  const uint64_t epoch = epoch_;
  std::vector<Statement> first = {
      {"BEGIN", {}},
      {sql::kCheckLease,
       Params().Int8(sql::Int8(epoch)).Int8(sql::Int8(new_size))}};
  first.insert(first.end(), steps.reads.begin(), steps.reads.end());
  absl::StatusOr<std::vector<pg::Result>> got;
  for (int attempt = 0; attempt < 2; ++attempt) {
    const bool reused = writer_ != nullptr && !writer_->broken();
    auto conn = Writer();
    if (!conn.ok()) return conn.status();
    got = (*conn)->Pipeline(what, first, /*sync=*/false);
    // A connection that died while idle (the server restarted): nothing was
    // written, so once more on a new one.
    if (got.ok() || !reused || !(*conn)->broken()) break;
  }
  if (!got.ok()) return got.status();
  pg::Conn* conn = writer_.get();
  if ((*got)[1].rows() != 1) {
    conn->Abandon();
    return LeaseLost(epoch);
  }
  auto writes = steps.writes(absl::MakeConstSpan(*got).subspan(2));
  if (!writes.ok()) {
    conn->Abandon();
    return writes.status();
  }
  writes->push_back({"COMMIT", {}});
  conn->TakeSyncRepWarning();
  auto done = conn->Pipeline(what, *writes, /*sync=*/true);
  if (!done.ok() && conn->broken()) {
    return absl::UnavailableError(absl::StrCat(
        done.status().message(),
        " (the outcome of the commit is unknown: Recover, then compare the "
        "stored tree)"));
  }
  if (!done.ok()) return done.status();
  if (conn->TakeSyncRepWarning()) {
    return absl::UnavailableError(absl::StrCat(
        "postgres: ", what,
        ": committed on the primary, but it stopped waiting for the "
        "synchronous standby: not acknowledged as durable"));
  }
  return absl::OkStatus();
}

absl::Status PostgresStore::DoCommit(const CommitBatch& batch) {
  const std::vector<sql::StratumKey> touched = StrataOf(batch.nodes);
  WriteSteps steps;
  steps.reads = {{sql::kStoredSize, {}},
                 {sql::kStrata, sql::StrataParams(touched)}};
  steps.writes = [&batch](absl::Span<const pg::Result> r)
      -> absl::StatusOr<std::vector<Statement>> {
    int64_t stored = 0;
    if (r[0].rows() == 1) {
      auto size = r[0].Int8(0, 0, "tree state size");
      if (!size.ok()) return size.status();
      stored = *size;
    }
    if (static_cast<uint64_t>(stored) != batch.first_index) {
      return absl::FailedPreconditionError(
          absl::StrCat("commit: batch starts at ", batch.first_index,
                       " but the log has ", stored, " leaves"));
    }
    auto strata = MergeStrata(batch.nodes, r[1]);
    if (!strata.ok()) return strata.status();
    std::vector<Statement> w;
    if (!batch.leaves.empty()) {
      w.push_back({sql::kPutLeaves, Params()
                                        .Int8(sql::Int8(batch.first_index))
                                        .BytesArray(batch.leaves)});
    }
    if (!batch.nodes.empty()) w.push_back({sql::kPutStrata, *strata});
    if (!batch.checkpoint.empty()) {
      w.push_back(
          {sql::kPutCheckpoint, Params()
                                    .Int8(sql::Int8(batch.new_state.size))
                                    .Bytes(batch.checkpoint)});
    }
    if (!batch.event_ids.empty()) {
      w.push_back({sql::kPutEventIds, EventIds(batch.event_ids)});
    }
    if (!batch.index_rows.empty()) {
      w.push_back({sql::kPutIndexRows, LastWins(batch.index_rows)});
    }
    if (!batch.meta_rows.empty()) {
      w.push_back({sql::kPutMeta, LastWins(batch.meta_rows)});
    }
    w.push_back(
        {sql::kPutTreeState, Params()
                                 .Int8(sql::Int8(batch.new_state.size))
                                 .Bytes(EncodeTreeState(batch.new_state))});
    return w;
  };
  return Write("commit", batch.new_state.size, steps);
}

absl::Status PostgresStore::RewriteIndexRows(
    const std::vector<std::pair<std::string, std::string>>& put,
    const std::vector<std::string>& erase) {
  WriteSteps steps;
  steps.writes = [&](absl::Span<const pg::Result>)
      -> absl::StatusOr<std::vector<Statement>> {
    std::vector<Statement> w;
    if (!erase.empty()) {
      w.push_back({sql::kEraseIndexRows, Params().BytesArray(erase)});
    }
    if (!put.empty()) w.push_back({sql::kPutIndexRows, LastWins(put)});
    return w;
  };
  return Write("index rewrite", 0, steps);
}

absl::Status PostgresStore::WriteMeta(const std::string& key,
                                      const std::string& value) {
  WriteSteps steps;
  steps.writes = [&](absl::Span<const pg::Result>)
      -> absl::StatusOr<std::vector<Statement>> {
    return std::vector<Statement>{{sql::kPutMeta, LastWins({{key, value}})}};
  };
  return Write("meta write", 0, steps);
}

absl::StatusOr<std::optional<WriterLease>> PostgresStore::TryAcquireLease(
    const std::string& holder, absl::Duration ttl) {
  if (mode_ == Mode::kReadOnly) return ReadOnlyError();
  if (holder.empty()) {
    return absl::InvalidArgumentError("lease: the holder's name is empty");
  }
  auto ms = TtlMs(ttl);
  if (!ms.ok()) return ms.status();
  auto r = readers_->Exec("acquire lease", sql::kAcquireLease,
                          Params().Text(holder).Int8(*ms));
  if (!r.ok()) return r.status();
  if (r->rows() == 0) return std::optional<WriterLease>();
  auto lease = LeaseAt(*r);
  if (!lease.ok()) return lease.status();
  return std::optional<WriterLease>(*std::move(lease));
}

absl::StatusOr<WriterLease> PostgresStore::ReadLease() const {
  auto r = readers_->Exec("read lease", sql::kReadLease);
  if (!r.ok()) return r.status();
  if (r->rows() != 1) return absl::DataLossError("lease: no lease row");
  return LeaseAt(*r);
}

absl::Status PostgresStore::RenewLease(uint64_t epoch, absl::Duration ttl) {
  if (mode_ == Mode::kReadOnly) return ReadOnlyError();
  auto ms = TtlMs(ttl);
  if (!ms.ok()) return ms.status();
  auto r = readers_->Exec("renew lease", sql::kRenewLease,
                          Params().Int8(sql::Int8(epoch)).Int8(*ms));
  if (!r.ok()) return r.status();
  return r->rows() == 1 ? absl::OkStatus() : LeaseLost(epoch);
}

absl::Status PostgresStore::ReleaseLease(uint64_t epoch) {
  if (mode_ == Mode::kReadOnly) return ReadOnlyError();
  auto r = readers_->Exec("release lease", sql::kReleaseLease,
                          Params().Int8(sql::Int8(epoch)));
  if (!r.ok()) return r.status();
  {
    absl::MutexLock lock(&writer_mu_);
    if (epoch_ == epoch) epoch_ = 0;
  }
  return r->rows() == 1 ? absl::OkStatus() : LeaseLost(epoch);
}

absl::Status PostgresStore::LeaseLost(uint64_t epoch) const {
  auto now = ReadLease();
  const std::string row =
      now.ok()
          ? absl::StrCat("the row holds ", now->epoch, " (holder \"",
                         now->holder, "\")")
          : absl::StrCat("the row cannot be read: ", now.status().message());
  return absl::AbortedError(absl::StrCat(
      "writer lease lost: this writer holds epoch ", epoch, ", ", row));
}

}  // namespace ailedger
