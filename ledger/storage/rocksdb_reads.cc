// RocksDbStore's reads (the key layout is at the top of rocksdb_store.cc).
// Every read holds db_mu_ shared while it uses db_, and answers closed_ when
// a reopen after a fault failed; a read the disk cannot complete, or whose
// bytes fail RocksDB's checksums, is DATA_LOSS naming what was read.
#include <rocksdb/db.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "absl/strings/str_cat.h"
#include "ledger/base/big_endian.h"
#include "ledger/storage/rocksdb_detail.h"
#include "ledger/storage/rocksdb_store.h"
#include "ledger/storage/strata.h"

namespace ailedger {

absl::StatusOr<std::string> RocksDbStore::Get(int family,
                                              const std::string& key,
                                              absl::string_view what) const {
  std::string value;
  rocksdb::Status s =
      db_->Get(rocksdb::ReadOptions(), families_[family], key, &value);
  if (auto st = FromRocksRead(s, what); !st.ok()) return st;
  return value;
}

absl::StatusOr<uint32_t> RocksDbStore::ReadFormatVersion() const {
  std::shared_lock<std::shared_mutex> lock(db_mu_);
  if (!db_) return closed_;
  auto v = Get(kMeta, kFormatVersionKey, "store: format version");
  if (absl::IsNotFound(v.status())) {
    return absl::FailedPreconditionError(
        "store: no format version: not an ailedger store");
  }
  if (!v.ok()) return v.status();
  if (v->size() != 4) return absl::DataLossError("store: bad format version");
  return GetBigEndian32(*v);
}

absl::StatusOr<TreeState> RocksDbStore::ReadTreeState() const {
  std::shared_lock<std::shared_mutex> lock(db_mu_);
  if (!db_) return closed_;
  auto v = Get(kMeta, kTreeStateKey, "store: tree state");
  if (!v.ok()) return v.status();
  return DecodeTreeState(*v);
}

absl::StatusOr<std::string> RocksDbStore::ReadLeaf(uint64_t index) const {
  std::shared_lock<std::shared_mutex> lock(db_mu_);
  if (!db_) return closed_;
  return Get(kLeaves, LeafKey(index), absl::StrCat("leaf ", index));
}

absl::StatusOr<std::vector<std::string>> RocksDbStore::ReadLeaves(
    uint64_t begin, uint64_t end) const {
  std::shared_lock<std::shared_mutex> lock(db_mu_);
  if (!db_) return closed_;
  std::vector<std::string> out;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), families_[kLeaves]));
  uint64_t next = begin;
  for (it->Seek(LeafKey(begin)); it->Valid() && next < end;
       it->Next(), ++next) {
    if (it->key() != LeafKey(next)) break;
    out.push_back(it->value().ToString());
  }
  if (auto st = FromRocksRead(it->status(), absl::StrCat("leaf ", next));
      !st.ok())
    return st;
  if (next < end) {
    return absl::NotFoundError(absl::StrCat("leaf ", next, " not stored"));
  }
  return out;
}

absl::StatusOr<std::vector<Hash>> RocksDbStore::ReadNodes(
    absl::Span<const NodeId> ids) const {
  std::shared_lock<std::shared_mutex> lock(db_mu_);
  if (!db_) return closed_;
  // One MultiGet over the distinct strata that hold the ids.
  std::vector<StratumAddress> where;
  std::vector<std::string> keys;
  std::vector<size_t> key_of(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    where.push_back(LocateNode(ids[i]));
    auto it = std::find(keys.begin(), keys.end(), where[i].key);
    key_of[i] = it - keys.begin();
    if (it == keys.end()) keys.push_back(where[i].key);
  }
  std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
  std::vector<rocksdb::PinnableSlice> values(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  db_->MultiGet(rocksdb::ReadOptions(), families_[kNodes], keys.size(),
                slices.data(), values.data(), statuses.data());
  std::vector<Hash> out(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    const std::string what =
        absl::StrCat("node (", ids[i].level, ",", ids[i].index, ")");
    const size_t k = key_of[i];
    if (auto st = FromRocksRead(statuses[k], what); !st.ok()) return st;
    if (values[k].size() != kStratumBytes) {
      return absl::DataLossError(
          absl::StrCat(what, ": stratum has ", values[k].size(), " bytes"));
    }
    std::memcpy(out[i].data(), values[k].data() + where[i].slot * kHashSize,
                kHashSize);
    if (out[i] == Hash{}) {
      return absl::NotFoundError(absl::StrCat(what, " not stored"));
    }
  }
  return out;
}

absl::StatusOr<std::string> RocksDbStore::ReadCheckpoint(uint64_t size) const {
  std::shared_lock<std::shared_mutex> lock(db_mu_);
  if (!db_) return closed_;
  return Get(kCheckpoints, BigEndian64(size),
             absl::StrCat("checkpoint at size ", size));
}

absl::StatusOr<std::string> RocksDbStore::ReadLatestCheckpoint() const {
  std::shared_lock<std::shared_mutex> lock(db_mu_);
  if (!db_) return closed_;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), families_[kCheckpoints]));
  it->SeekToLast();
  if (auto st = FromRocksRead(it->status(), "checkpoints"); !st.ok()) return st;
  if (!it->Valid()) return absl::NotFoundError("no checkpoint yet");
  return it->value().ToString();
}

absl::StatusOr<std::vector<std::pair<uint64_t, std::string>>>
RocksDbStore::ScanCheckpoints(uint64_t begin, uint64_t end,
                              size_t limit) const {
  std::shared_lock<std::shared_mutex> lock(db_mu_);
  if (!db_) return closed_;
  auto rows = Scan(kCheckpoints, BigEndian64(begin), BigEndian64(end), limit);
  if (!rows.ok()) return rows.status();
  std::vector<std::pair<uint64_t, std::string>> out;
  for (auto& [key, note] : *rows) {
    if (key.size() != 8)
      return absl::DataLossError("checkpoint key: not 8 bytes");
    out.emplace_back(GetBigEndian64(key), std::move(note));
  }
  return out;
}

absl::StatusOr<std::optional<uint64_t>> RocksDbStore::FindEvent(
    const Hash& event_id) const {
  auto found = FindEvents({&event_id, 1});
  if (!found.ok()) return found.status();
  return found->front();
}

absl::StatusOr<std::vector<std::optional<uint64_t>>> RocksDbStore::FindEvents(
    absl::Span<const Hash> event_ids) const {
  std::shared_lock<std::shared_mutex> lock(db_mu_);
  if (!db_) return closed_;
  std::vector<rocksdb::Slice> keys;
  keys.reserve(event_ids.size());
  for (const Hash& id : event_ids) keys.push_back(Slice(AsBytes(id)));
  std::vector<rocksdb::PinnableSlice> values(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  db_->MultiGet(rocksdb::ReadOptions(), families_[kDedup], keys.size(),
                keys.data(), values.data(), statuses.data());
  std::vector<std::optional<uint64_t>> out(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    if (statuses[i].IsNotFound()) continue;
    if (auto st = FromRocksRead(statuses[i], "event id"); !st.ok()) return st;
    if (values[i].size() != 8) {
      return absl::DataLossError("event id row: bad length");
    }
    out[i] =
        GetBigEndian64(absl::string_view(values[i].data(), values[i].size()));
  }
  return out;
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
RocksDbStore::Scan(int family, const std::string& begin, const std::string& end,
                   size_t limit) const {
  std::vector<std::pair<std::string, std::string>> out;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), families_[family]));
  for (it->Seek(begin); it->Valid() && out.size() < limit; it->Next()) {
    if (it->key().compare(end) >= 0) break;
    out.emplace_back(it->key().ToString(), it->value().ToString());
  }
  if (auto st = FromRocksRead(it->status(), "scan"); !st.ok()) return st;
  return out;
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
RocksDbStore::ScanIndex(const std::string& begin, const std::string& end,
                        size_t limit) const {
  std::shared_lock<std::shared_mutex> lock(db_mu_);
  if (!db_) return closed_;
  return Scan(kIndexes, begin, end, limit);
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
RocksDbStore::ScanMeta(const std::string& begin, const std::string& end,
                       size_t limit) const {
  std::shared_lock<std::shared_mutex> lock(db_mu_);
  if (!db_) return closed_;
  return Scan(kMeta, begin, end, limit);
}

absl::StatusOr<std::optional<std::string>> RocksDbStore::ReadMeta(
    const std::string& key) const {
  std::shared_lock<std::shared_mutex> lock(db_mu_);
  if (!db_) return closed_;
  auto v = Get(kMeta, key, absl::StrCat("meta ", key));
  if (absl::IsNotFound(v.status())) return std::optional<std::string>();
  if (!v.ok()) return v.status();
  return std::optional<std::string>(*std::move(v));
}

}  // namespace ailedger
