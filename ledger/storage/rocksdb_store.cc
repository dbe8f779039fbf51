// RocksDB key layout (store format version 1). Integers are big-endian and
// fixed-width, so RocksDB's bytewise order is numeric order.
//
//   column family  key                                value
//   leaves         u64 index                          leaf bytes
//   (ledger/leaf.h) nodes          u8 level || u64 index              32-byte
//   perfect-subtree hash
//                                                     (level 0 = RFC 6962 leaf
//                                                     hash)
//   checkpoints    u64 tree size                      signed checkpoint note
//   indexes        opaque, owned by the index writer  opaque
//   dedup          [32] event id                      u64 index
//   meta           "format_version"                   u32 version (currently 1)
//                  "tree_state"                       EncodeTreeState
//                  (log_store.h)
//
// Every commit is one WriteBatch across the families, written with sync=true.
#include "ledger/storage/rocksdb_store.h"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "ledger/big_endian.h"

namespace ailedger {
namespace {

enum Family {
  kDefault,
  kLeaves,
  kNodes,
  kCheckpoints,
  kIndexes,
  kDedup,
  kMeta
};
const char* const kFamilies[] = {"default", "leaves", "nodes", "checkpoints",
                                 "indexes", "dedup",  "meta"};
constexpr char kFormatVersionKey[] = "format_version";
constexpr char kTreeStateKey[] = "tree_state";

rocksdb::Slice Slice(absl::string_view s) { return {s.data(), s.size()}; }

absl::Status FromRocks(const rocksdb::Status& s, absl::string_view what) {
  if (s.ok()) return absl::OkStatus();
  std::string msg = absl::StrCat(what, ": ", s.ToString());
  if (s.IsNotFound()) return absl::NotFoundError(msg);
  if (s.IsCorruption()) return absl::DataLossError(msg);
  if (s.IsNoSpace()) return absl::ResourceExhaustedError(msg);
  if (s.IsBusy() || s.IsTimedOut() || s.IsTryAgain()) {
    return absl::UnavailableError(msg);
  }
  return absl::InternalError(msg);
}

rocksdb::Options DbOptions(const RocksDbOptions& o, bool create) {
  rocksdb::Options opt;
  opt.create_if_missing = create;
  opt.create_missing_column_families = create;
  opt.error_if_exists = create;
  opt.paranoid_checks = true;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(o.block_cache_bytes);
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  opt.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return opt;
}

std::string FormatVersionValue() {
  std::string v;
  PutBigEndian32(kStoreFormatVersion, &v);
  return v;
}

}  // namespace

std::string RocksDbStore::LeafKey(uint64_t index) { return BigEndian64(index); }

std::string RocksDbStore::NodeKey(NodeId id) {
  std::string k(1, static_cast<char>(id.level));
  PutBigEndian64(id.index, &k);
  return k;
}

absl::StatusOr<std::unique_ptr<RocksDbStore>> RocksDbStore::Open(
    const std::string& path, Mode mode, RocksDbOptions options) {
  const bool create = mode == Mode::kCreate;
  std::error_code ec;
  if (!create && !std::filesystem::exists(path + "/CURRENT", ec)) {
    return absl::NotFoundError(
        absl::StrCat("store: ", path, " is not an initialised ailedger store"));
  }
  rocksdb::Options opt = DbOptions(options, create);
  std::vector<rocksdb::ColumnFamilyDescriptor> descs;
  for (const char* name : kFamilies) {
    descs.emplace_back(name, rocksdb::ColumnFamilyOptions(opt));
  }
  std::unique_ptr<RocksDbStore> store(new RocksDbStore());
  store->sync_ = options.sync;
  rocksdb::DB* db = nullptr;
  rocksdb::Status s =
      rocksdb::DB::Open(opt, path, descs, &store->families_, &db);
  if (create && s.IsInvalidArgument()) {
    return absl::AlreadyExistsError(absl::StrCat("store: ", path, " exists"));
  }
  if (auto st = FromRocks(s, absl::StrCat("store: open ", path)); !st.ok()) {
    return st;
  }
  store->db_.reset(db);
  if (create) {
    rocksdb::WriteOptions wo;
    wo.sync = true;
    s = db->Put(wo, store->families_[kMeta], kFormatVersionKey,
                FormatVersionValue());
    if (auto st = FromRocks(s, "store: write format version"); !st.ok()) {
      return st;
    }
  }
  auto version = store->ReadFormatVersion();
  if (!version.ok()) return version.status();
  if (*version != kStoreFormatVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        "store: format version ", *version, " is unknown to this build (knows ",
        kStoreFormatVersion, "); run `ailedgerd migrate`"));
  }
  return store;
}

RocksDbStore::~RocksDbStore() {
  if (!db_) return;
  for (auto* h : families_)
    db_->DestroyColumnFamilyHandle(h).PermitUncheckedError();
  db_->Close().PermitUncheckedError();
}

absl::StatusOr<std::string> RocksDbStore::Get(int family,
                                              const std::string& key,
                                              absl::string_view what) const {
  std::string value;
  rocksdb::Status s =
      db_->Get(rocksdb::ReadOptions(), families_[family], key, &value);
  if (auto st = FromRocks(s, what); !st.ok()) return st;
  return value;
}

absl::StatusOr<uint32_t> RocksDbStore::ReadFormatVersion() const {
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
  auto v = Get(kMeta, kTreeStateKey, "store: tree state");
  if (!v.ok()) return v.status();
  return DecodeTreeState(*v);
}

absl::StatusOr<std::string> RocksDbStore::ReadLeaf(uint64_t index) const {
  return Get(kLeaves, LeafKey(index), absl::StrCat("leaf ", index));
}

absl::StatusOr<std::vector<std::string>> RocksDbStore::ReadLeaves(
    uint64_t begin, uint64_t end) const {
  std::vector<std::string> out;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), families_[kLeaves]));
  uint64_t next = begin;
  for (it->Seek(LeafKey(begin)); it->Valid() && next < end;
       it->Next(), ++next) {
    if (it->key() != LeafKey(next)) break;
    out.push_back(it->value().ToString());
  }
  if (auto st = FromRocks(it->status(), "leaves"); !st.ok()) return st;
  if (next < end) {
    return absl::NotFoundError(absl::StrCat("leaf ", next, " not stored"));
  }
  return out;
}

absl::StatusOr<std::vector<Hash>> RocksDbStore::ReadNodes(
    absl::Span<const NodeId> ids) const {
  std::vector<std::string> keys;
  keys.reserve(ids.size());
  for (NodeId id : ids) keys.push_back(NodeKey(id));
  std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
  std::vector<rocksdb::PinnableSlice> values(ids.size());
  std::vector<rocksdb::Status> statuses(ids.size());
  db_->MultiGet(rocksdb::ReadOptions(), families_[kNodes], ids.size(),
                slices.data(), values.data(), statuses.data());
  std::vector<Hash> out(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    std::string what =
        absl::StrCat("node (", ids[i].level, ",", ids[i].index, ")");
    if (auto st = FromRocks(statuses[i], what); !st.ok()) return st;
    auto h = HashFromBytes(
        absl::string_view(values[i].data(), values[i].size()), what);
    if (!h.ok()) return absl::DataLossError(h.status().message());
    out[i] = *h;
  }
  return out;
}

absl::StatusOr<std::string> RocksDbStore::ReadCheckpoint(uint64_t size) const {
  return Get(kCheckpoints, BigEndian64(size),
             absl::StrCat("checkpoint at size ", size));
}

absl::StatusOr<std::string> RocksDbStore::ReadLatestCheckpoint() const {
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), families_[kCheckpoints]));
  it->SeekToLast();
  if (auto st = FromRocks(it->status(), "checkpoints"); !st.ok()) return st;
  if (!it->Valid()) return absl::NotFoundError("no checkpoint yet");
  return it->value().ToString();
}

absl::StatusOr<std::optional<uint64_t>> RocksDbStore::FindEvent(
    const Hash& event_id) const {
  auto v = Get(kDedup, std::string(AsBytes(event_id)), "event id");
  if (absl::IsNotFound(v.status())) return std::optional<uint64_t>();
  if (!v.ok()) return v.status();
  if (v->size() != 8) return absl::DataLossError("event id row: bad length");
  return std::optional<uint64_t>(GetBigEndian64(*v));
}

absl::Status RocksDbStore::PutRawForTesting(const std::string& family,
                                            const std::string& key,
                                            const std::string& value) {
  for (size_t i = 0; i < std::size(kFamilies); ++i) {
    if (family != kFamilies[i]) continue;
    rocksdb::WriteOptions wo;
    wo.sync = true;
    return FromRocks(db_->Put(wo, families_[i], key, value), "raw put");
  }
  return absl::InvalidArgumentError(absl::StrCat("no column family ", family));
}

absl::Status RocksDbStore::DoCommit(const CommitBatch& batch) {
  rocksdb::WriteBatch wb;
  for (size_t i = 0; i < batch.leaves.size(); ++i) {
    wb.Put(families_[kLeaves], LeafKey(batch.first_index + i), batch.leaves[i]);
  }
  for (const auto& [id, hash] : batch.nodes) {
    wb.Put(families_[kNodes], NodeKey(id), Slice(AsBytes(hash)));
  }
  if (!batch.checkpoint.empty()) {
    wb.Put(families_[kCheckpoints], BigEndian64(batch.new_state.size),
           batch.checkpoint);
  }
  for (const auto& [id, index] : batch.event_ids) {
    wb.Put(families_[kDedup], Slice(AsBytes(id)), BigEndian64(index));
  }
  for (const auto& [k, v] : batch.index_rows) wb.Put(families_[kIndexes], k, v);
  wb.Put(families_[kMeta], kTreeStateKey, EncodeTreeState(batch.new_state));
  rocksdb::WriteOptions wo;
  wo.sync = sync_;
  return FromRocks(db_->Write(wo, &wb), "commit");
}

}  // namespace ailedger
