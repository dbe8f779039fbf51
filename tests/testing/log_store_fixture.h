// The storage seam's typed fixture: every LogStore test runs over the three
// implementations (in memory, RocksDB and PostgreSQL), with a log key,
// synthetic events (the storage layer does not read them) and the reference RFC
// 6962 tree to compare against. For storage_test.cc and index_check_test.cc.
#ifndef AILEDGER_TESTS_TESTING_LOG_STORE_FIXTURE_H_
#define AILEDGER_TESTS_TESTING_LOG_STORE_FIXTURE_H_

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "ledger/governance/lifecycle.h"
#include "ledger/storage/log_writer.h"
#include "ledger/storage/memory_store.h"
#include "ledger/storage/postgres_store.h"
#include "ledger/storage/rocksdb_store.h"
#include "ledger/storage/strata.h"
#include "ledger/tlog/checkpoint.h"
#include "tests/testing/pg_cluster.h"
#include "tests/testing/reference_tree.h"
#include "tests/testing/temp_dir.h"

namespace ailedger::testing {

inline constexpr char kOrigin[] = "example.com/test-log";

inline const SigningKey& LogKey() {
  static const SigningKey* key = [] {
    InitCrypto();
    return new SigningKey(
        SigningKey::Generate(kOrigin, kKeyTypeEd25519).value());
  }();
  return *key;
}

inline CheckpointSigner Signer() {
  return [](const Checkpoint& cp) { return SignCheckpoint(cp, LogKey()); };
}

inline std::vector<SignedEvent> Events(uint64_t first, size_t n) {
  std::vector<SignedEvent> out(n);
  for (size_t i = 0; i < n; ++i) {
    out[i].event_bytes = "event-" + std::to_string(first + i);
    out[i].signer[0] = static_cast<uint8_t>(i);
  }
  return out;
}

// A phase row's value.
inline std::string PhaseValue(Phase p) {
  return std::string(1, static_cast<char>(p));
}

inline std::string TempPath(const std::string& name) {
  return FreshTempPath(name);
}

struct MemoryFactory {
  std::unique_ptr<LogStore> Make() { return std::make_unique<MemoryStore>(); }
  void Tamper(LogStore* s, uint64_t leaf, std::string bytes) {
    static_cast<MemoryStore*>(s)->OverwriteLeafForTesting(leaf,
                                                          std::move(bytes));
  }
  void TamperNode(LogStore* s, NodeId id, const Hash& h) {
    static_cast<MemoryStore*>(s)->OverwriteNodeForTesting(id, h);
  }
};

struct RocksFactory {
  std::string path = TempPath("typed");
  ~RocksFactory() { std::filesystem::remove_all(path); }
  std::unique_ptr<LogStore> Make() {
    return RocksDbStore::Open(path, RocksDbStore::Mode::kCreate).value();
  }
  void Tamper(LogStore* s, uint64_t leaf, std::string bytes) {
    ASSERT_TRUE(
        static_cast<RocksDbStore*>(s)
            ->PutRawForTesting("leaves", RocksDbStore::LeafKey(leaf), bytes)
            .ok());
  }
  void TamperNode(LogStore* s, NodeId id, const Hash& h) {
    ASSERT_TRUE(
        static_cast<RocksDbStore*>(s)->OverwriteNodeForTesting(id, h).ok());
  }
};

// A new PostgresStore in a fresh database of the binary's shared cluster
// (`conninfo` is set to it), holding the writer lease. Null, with a test
// failure saying why, when it cannot be made (PostgreSQL 15 missing: the test
// fails, it does not skip).
inline std::unique_ptr<PostgresStore> MakePostgresStore(
    std::string* conninfo, const std::string& holder = "test") {
  auto cluster = PgCluster::Shared();
  if (!cluster.ok()) {
    ADD_FAILURE() << "no PostgreSQL cluster: " << cluster.status();
    return nullptr;
  }
  auto db = (*cluster)->CreateDatabase();
  if (!db.ok()) {
    ADD_FAILURE() << db.status();
    return nullptr;
  }
  *conninfo = *db;
  auto store = PostgresStore::Open({*conninfo}, PostgresStore::Mode::kCreate);
  if (!store.ok()) {
    ADD_FAILURE() << store.status();
    return nullptr;
  }
  auto lease = (*store)->TryAcquireLease(holder, absl::Minutes(10));
  if (!lease.ok() || !lease->has_value()) {
    ADD_FAILURE() << "lease: " << lease.status();
    return nullptr;
  }
  (*store)->SetWriterEpoch((*lease)->epoch);
  return *std::move(store);
}

// bytea literal.
inline std::string SqlBytes(absl::string_view b) {
  return absl::StrCat("'\\x", absl::BytesToHexString(b), "'::bytea");
}

struct PostgresFactory {
  std::string conninfo;
  std::unique_ptr<LogStore> Make() { return MakePostgresStore(&conninfo); }
  void Tamper(LogStore*, uint64_t leaf, std::string bytes) {
    ASSERT_TRUE(
        PgQuery(conninfo, absl::StrCat("UPDATE ailedger.leaves SET "
                                       "leaf = ",
                                       SqlBytes(bytes), " WHERE idx = ", leaf))
            .ok());
  }
  // The hash's slot in its stratum, rewritten in place.
  void TamperNode(LogStore*, NodeId id, const Hash& h) {
    const StratumAddress a = LocateNode(id);
    ASSERT_TRUE(PgQuery(conninfo,
                        absl::StrCat(
                            "UPDATE ailedger.strata SET hashes = "
                            "overlay(hashes placing ",
                            SqlBytes(AsBytes(h)), " from ",
                            a.slot * kHashSize + 1, " for 32) WHERE grp = ",
                            static_cast<uint8_t>(a.key[0]), " AND stratum = ",
                            GetBigEndian64(absl::string_view(a.key).substr(1))))
                    .ok());
  }
};

template <typename Factory>
class LogStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = factory_.Make();
    ASSERT_NE(store_, nullptr);
    writer_ = LogWriter::Open(store_.get(), kOrigin, Signer()).value();
  }
  // Appends `n` events in batches of 1, 2, 3, ... and returns the leaf hashes
  // so far.
  void Append(size_t n) {
    size_t batch = 1;
    while (n > 0) {
      size_t k = std::min(batch++, n);
      auto r = writer_->Append(Events(writer_->state().size, k), 1000 + n);
      ASSERT_TRUE(r.ok()) << r.status();
      hashes_.insert(hashes_.end(), r->leaf_hashes.begin(),
                     r->leaf_hashes.end());
      // Receipts' proofs come from memory; they must equal the reference
      // proofs.
      for (uint64_t i = r->first_index; i < r->state.size; ++i) {
        ASSERT_EQ(r->InclusionProof(i).value(),
                  ReferenceInclusion(hashes_, i, r->state.size));
      }
      EXPECT_FALSE(r->InclusionProof(r->state.size).ok());
      n -= k;
    }
  }
  Factory factory_;
  std::unique_ptr<LogStore> store_;
  std::unique_ptr<LogWriter> writer_;
  std::vector<Hash> hashes_;
};

using Factories =
    ::testing::Types<MemoryFactory, RocksFactory, PostgresFactory>;

}  // namespace ailedger::testing

#endif  // AILEDGER_TESTS_TESTING_LOG_STORE_FIXTURE_H_
