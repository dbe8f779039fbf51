// RocksDB key layout (store format version 2; docs/STORAGE.md has the
// same table). Integers are big-endian and fixed-width, so RocksDB's bytewise
// order is numeric order; variable-length components of index keys are
// preceded by their u32 length.
//
// family       key                        value
// leaves       u64 index                  leaf bytes (ledger/tlog/leaf.h)
// nodes        u8 group, u64 stratum      510 packed 32-byte hashes (strata.h)
// checkpoints  u64 tree size              signed checkpoint note
// indexes      event_index.h rows:        empty
//              's' u32 len kind u32 len id u64 index; 't' u32 len type u64
//              index; 'o' u32 len organisation u64 index; 'm' u32 day u64
//              index; 'x' / 'r' [32] event id u64 index
// dedup        [32] event id              u64 index
// meta         "format_version"           u32 version (currently 2; 1 had
//                                         NUL-terminated index components)
//              "tree_state"               EncodeTreeState (log_store.h)
//              "origin", "roster"         origin; RosterSnapshot
//              "phase/<kind>\0<id>"       lifecycle phase (lifecycle.h)
//              "erased/<hex id>.<n>"      u64 index of the Erasure ("1" in old
//                                         stores): attachment erased
//              "cosigned"                 latest cosigned checkpoint
//
// Every commit is one WriteBatch across the families, written with sync=true.
// This file opens, recovers and writes the store; its reads are in
// rocksdb_reads.cc.
#include "ledger/storage/rocksdb_store.h"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/listener.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "ledger/base/big_endian.h"
#include "ledger/storage/rocksdb_detail.h"
#include "ledger/storage/strata.h"

namespace ailedger {

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

// A read the disk cannot complete (EIO) means the stored bytes are lost to
// this copy, as much as bytes that fail their checksum: DATA_LOSS, naming what
// was read. Writes keep FromRocks (the sequencer decides what a failed write
// means).
absl::Status FromRocksRead(const rocksdb::Status& s, absl::string_view what) {
  if (s.IsIOError() && !s.IsNoSpace()) {
    return absl::DataLossError(absl::StrCat(what, ": ", s.ToString()));
  }
  return FromRocks(s, what);
}

namespace {

const char* const kFamilies[] = {"default", "leaves", "nodes", "checkpoints",
                                 "indexes", "dedup",  "meta"};

// RocksDB must not recover from a write error by itself: its recovery (7.8,
// Debian's build, assertions on) may write on through the log writer that
// failed, and an assertion aborts the process. The store reopens instead
// (RocksDbStore::Recover), when the sequencer asks.
class NoAutoRecovery : public rocksdb::EventListener {
 public:
  void OnErrorRecoveryBegin(rocksdb::BackgroundErrorReason, rocksdb::Status,
                            bool* auto_recovery) override {
    *auto_recovery = false;
  }
};

// RocksDB's warnings and errors go to stderr, not to an info LOG file in the
// data directory: on a full disk, 7.8 aborts the process at the next message
// after a failed write to that file (an assertion in Debian's build).
class StderrLogger : public rocksdb::Logger {
 public:
  StderrLogger() : Logger(rocksdb::InfoLogLevel::WARN_LEVEL) {}
  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override {
    char buf[1024];
    std::vsnprintf(buf, sizeof buf, format, ap);
    absl::string_view line = absl::StripTrailingAsciiWhitespace(buf);
    // What RocksDB says on the way to an answer the store reports itself: the
    // directory a new store will be made in does not exist yet, or an open
    // failed (the caller's error names it).
    if ((absl::StrContains(line, "Error when reading ") &&
         absl::StrContains(line, "NotFound")) ||
        absl::StrContains(line, "DB::Open() failed")) {
      return;
    }
    std::fprintf(stderr, "ailedgerd: rocksdb: %.*s\n",
                 static_cast<int>(line.size()), line.data());
  }
};

rocksdb::Options DbOptions(bool create) {
  rocksdb::Options opt;
  opt.info_log = std::make_shared<StderrLogger>();
  opt.listeners.push_back(std::make_shared<NoAutoRecovery>());
  opt.max_bgerror_resume_count = 0;
  opt.create_if_missing = create;
  opt.create_missing_column_families = create;
  opt.error_if_exists = create;
  opt.paranoid_checks = true;
  return opt;
}

// Hashes (nodes, event ids) are incompressible and read by point lookups: no
// compression, a hash index inside each data block. Leaves and the rest
// compress and are scanned.
rocksdb::ColumnFamilyOptions FamilyOptions(
    const rocksdb::Options& db, RocksFamily family,
    const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::ColumnFamilyOptions cf(db);
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  // A Bloom filter only answers "absent" cheaply. Leaves, strata and
  // checkpoints are read where they exist and indexes are scanned, so only
  // event ids (is this event new?) have one; the others would fill the cache
  // with filter blocks that never save a read.
  if (family == kDedup) {
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  }
  // Index and filter blocks live in the block cache, charged to it (kept at
  // high priority, level 0's pinned), so that the server's memory is bounded
  // by the cache whatever the log's size (at 10M entries they would otherwise
  // add some 100 MiB outside it).
  table.cache_index_and_filter_blocks = true;
  table.cache_index_and_filter_blocks_with_high_priority = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  if (family == kNodes || family == kDedup) {
    cf.compression = rocksdb::kNoCompression;
    table.data_block_index_type =
        rocksdb::BlockBasedTableOptions::kDataBlockBinaryAndHash;
  }
  cf.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return cf;
}

std::string FormatVersionValue() {
  std::string v;
  PutBigEndian32(kStoreFormatVersion, &v);
  return v;
}

// A version 1 store's leaves are current but its index keys are ambiguous:
// it is opened only to rebuild them.
absl::Status CheckVersion(uint32_t version, RocksDbStore::Mode mode,
                          const std::string& path) {
  if (version == kStoreFormatVersion) return absl::OkStatus();
  const bool rebuildable = version >= kOldestRebuildableFormatVersion &&
                           version < kStoreFormatVersion;
  if (rebuildable && mode == RocksDbStore::Mode::kRebuildIndexes) {
    return absl::OkStatus();
  }
  if (rebuildable) {
    return absl::FailedPreconditionError(absl::StrCat(
        "store: format version ", version, " has the old index key layout (",
        "this build writes version ", kStoreFormatVersion,
        "); upgrade it once with `ailedgerd upgrade --data ", path,
        "` (stopped server; --dry-run first says what changes)"));
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "store: format version ", version, " is unknown to this build (knows ",
      kStoreFormatVersion,
      "): it was written by a newer ailedgerd; serve it with that version"));
}

}  // namespace

std::string RocksDbStore::LeafKey(uint64_t index) { return BigEndian64(index); }

absl::StatusOr<std::unique_ptr<RocksDbStore>> RocksDbStore::Open(
    const std::string& path, Mode mode, RocksDbOptions options) {
  const bool create = mode == Mode::kCreate;
  std::error_code ec;
  if (!create && !std::filesystem::exists(path + "/CURRENT", ec)) {
    return absl::NotFoundError(
        absl::StrCat("store: ", path, " is not an initialised ailedger store"));
  }
  std::unique_ptr<RocksDbStore> store(new RocksDbStore());
  store->path_ = path;
  store->sync_ = options.sync;
  store->env_ = options.env;
  store->cache_ = rocksdb::NewLRUCache(options.block_cache_bytes);
  if (auto s = store->OpenDb(create, /*read_only=*/false); !s.ok()) return s;
  if (create) {
    rocksdb::WriteOptions wo;
    wo.sync = true;
    rocksdb::Status s = store->db_->Put(
        wo, store->families_[kMeta], kFormatVersionKey, FormatVersionValue());
    if (auto st = FromRocks(s, "store: write format version"); !st.ok()) {
      return st;
    }
  }
  auto version = store->ReadFormatVersion();
  if (!version.ok()) return version.status();
  if (auto s = CheckVersion(*version, mode, path); !s.ok()) return s;
  return store;
}

absl::Status RocksDbStore::OpenDb(bool create, bool read_only) {
  rocksdb::Options opt = DbOptions(create);
  if (env_) opt.env = env_.get();
  std::vector<rocksdb::ColumnFamilyDescriptor> descs;
  for (int f = kDefault; f <= kMeta; ++f) {
    descs.emplace_back(kFamilies[f],
                       FamilyOptions(opt, static_cast<RocksFamily>(f), cache_));
  }
  rocksdb::DB* db = nullptr;
  families_.clear();
  rocksdb::Status s =
      read_only
          ? rocksdb::DB::OpenForReadOnly(opt, path_, descs, &families_, &db)
          : rocksdb::DB::Open(opt, path_, descs, &families_, &db);
  if (create && s.IsInvalidArgument()) {
    return absl::AlreadyExistsError(absl::StrCat("store: ", path_, " exists"));
  }
  if (auto st = FromRocks(s, absl::StrCat("store: open ", path_)); !st.ok()) {
    return st;
  }
  db_.reset(db);
  return absl::OkStatus();
}

void RocksDbStore::CloseDb() {
  if (!db_) return;
  for (auto* h : families_)
    db_->DestroyColumnFamilyHandle(h).PermitUncheckedError();
  families_.clear();
  db_->Close().PermitUncheckedError();
  db_.reset();
}

RocksDbStore::~RocksDbStore() { CloseDb(); }

// Not RocksDB's Resume: after a failed write to its log, RocksDB 7.8 may go
// on writing through the log writer that failed (an assertion in Debian's
// build aborts the process). Reopening replays exactly what reached the disk.
// While the read-write open fails (the fault is still there), the store is
// opened read-only so that what was committed is still served.
absl::Status RocksDbStore::Recover() {
  std::unique_lock<std::shared_mutex> lock(db_mu_);
  CloseDb();
  absl::Status s = OpenDb(/*create=*/false, /*read_only=*/false);
  if (s.ok()) return s;
  if (absl::Status ro = OpenDb(false, /*read_only=*/true); !ro.ok()) {
    closed_ = absl::UnavailableError(absl::StrCat(
        "store: closed after a failed write and cannot be reopened: ",
        ro.message()));
  }
  return s;
}

absl::Status RocksDbStore::MarkIndexesRebuilt() {
  return WriteMeta(kFormatVersionKey, FormatVersionValue());
}

absl::Status RocksDbStore::PutStrata(
    absl::Span<const std::pair<NodeId, Hash>> nodes, rocksdb::WriteBatch* wb) {
  std::map<std::string, std::string> strata;  // key -> new value
  for (const auto& [id, hash] : nodes) {
    StratumAddress a = LocateNode(id);
    auto it = strata.find(a.key);
    if (it == strata.end()) {
      std::string value;
      rocksdb::Status s =
          db_->Get(rocksdb::ReadOptions(), families_[kNodes], a.key, &value);
      if (s.IsNotFound()) value.assign(kStratumBytes, '\0');
      if (!s.ok() && !s.IsNotFound()) return FromRocks(s, "stratum");
      if (value.size() != kStratumBytes) {
        return absl::DataLossError("stratum: wrong size");
      }
      it = strata.emplace(a.key, std::move(value)).first;
    }
    std::memcpy(it->second.data() + a.slot * kHashSize, hash.data(), kHashSize);
  }
  for (const auto& [key, value] : strata)
    wb->Put(families_[kNodes], key, value);
  return absl::OkStatus();
}

absl::Status RocksDbStore::RewriteIndexRows(
    const std::vector<std::pair<std::string, std::string>>& put,
    const std::vector<std::string>& erase) {
  std::shared_lock<std::shared_mutex> lock(db_mu_);
  if (!db_) return closed_;
  rocksdb::WriteBatch wb;
  for (const auto& k : erase) wb.Delete(families_[kIndexes], k);
  for (const auto& [k, v] : put) wb.Put(families_[kIndexes], k, v);
  rocksdb::WriteOptions wo;
  wo.sync = true;
  return FromRocks(db_->Write(wo, &wb), "index rewrite");
}

absl::StatusOr<bool> RocksDbStore::Compacting() const {
  std::shared_lock<std::shared_mutex> lock(db_mu_);
  if (!db_) return closed_;
  uint64_t v = 0;
  for (const char* p :
       {"rocksdb.num-running-compactions", "rocksdb.num-running-flushes"}) {
    if (db_->GetIntProperty(p, &v) && v > 0) return true;
  }
  for (auto* f : families_) {
    if (db_->GetIntProperty(f, "rocksdb.compaction-pending", &v) && v > 0) {
      return true;
    }
  }
  return false;
}

absl::Status RocksDbStore::WriteMeta(const std::string& key,
                                     const std::string& value) {
  std::shared_lock<std::shared_mutex> lock(db_mu_);
  if (!db_) return closed_;
  rocksdb::WriteOptions wo;
  wo.sync = true;
  return FromRocks(db_->Put(wo, families_[kMeta], key, value), "meta write");
}

absl::Status RocksDbStore::PutRawForTesting(const std::string& family,
                                            const std::string& key,
                                            const std::string& value) {
  std::shared_lock<std::shared_mutex> lock(db_mu_);
  if (!db_) return closed_;
  for (size_t i = 0; i < std::size(kFamilies); ++i) {
    if (family != kFamilies[i]) continue;
    rocksdb::WriteOptions wo;
    wo.sync = true;
    return FromRocks(db_->Put(wo, families_[i], key, value), "raw put");
  }
  return absl::InvalidArgumentError(absl::StrCat("no column family ", family));
}

absl::Status RocksDbStore::OverwriteNodeForTesting(NodeId id,
                                                   const Hash& hash) {
  std::shared_lock<std::shared_mutex> lock(db_mu_);
  if (!db_) return closed_;
  rocksdb::WriteBatch wb;
  const std::pair<NodeId, Hash> node{id, hash};
  if (auto s = PutStrata({&node, 1}, &wb); !s.ok()) return s;
  rocksdb::WriteOptions wo;
  wo.sync = true;
  return FromRocks(db_->Write(wo, &wb), "raw node");
}

absl::Status RocksDbStore::DoCommit(const CommitBatch& batch) {
  std::shared_lock<std::shared_mutex> lock(db_mu_);
  if (!db_) return closed_;
  rocksdb::WriteBatch wb;
  for (size_t i = 0; i < batch.leaves.size(); ++i) {
    wb.Put(families_[kLeaves], LeafKey(batch.first_index + i), batch.leaves[i]);
  }
  if (auto s = PutStrata(batch.nodes, &wb); !s.ok()) return s;
  if (!batch.checkpoint.empty()) {
    wb.Put(families_[kCheckpoints], BigEndian64(batch.new_state.size),
           batch.checkpoint);
  }
  for (const auto& [id, index] : batch.event_ids) {
    wb.Put(families_[kDedup], Slice(AsBytes(id)), BigEndian64(index));
  }
  for (const auto& [k, v] : batch.index_rows) wb.Put(families_[kIndexes], k, v);
  for (const auto& [k, v] : batch.meta_rows) wb.Put(families_[kMeta], k, v);
  wb.Put(families_[kMeta], kTreeStateKey, EncodeTreeState(batch.new_state));
  rocksdb::WriteOptions wo;
  wo.sync = sync_;
  return FromRocks(db_->Write(wo, &wb), "commit");
}

}  // namespace ailedger
