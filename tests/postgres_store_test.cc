// PostgresStore beyond the typed storage suite (storage_test.cc runs that on
// it too): opening and format versions, reopening, read-only mode, the writer
// lease and its fencing, a server that stops mid-commit, concurrent reads.
// One PostgreSQL cluster per test binary, one database per test.
#include "ledger/storage/postgres_store.h"

#include <atomic>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "ledger/storage/log_writer.h"
#include "ledger/storage/tree_reader.h"
#include "tests/testing/log_store_fixture.h"
#include "tests/testing/pg_cluster.h"
#include "tests/testing/reference_tree.h"

namespace ailedger {
namespace {

using testing::Events;
using testing::kOrigin;
using testing::MakePostgresStore;
using testing::PgCluster;
using testing::PgQuery;
using testing::Signer;
using Mode = PostgresStore::Mode;

bool Contains(const absl::Status& s, absl::string_view text) {
  return absl::StrContains(s.message(), text);
}

// A fresh database, no tables.
std::string EmptyDatabase() {
  auto cluster = PgCluster::Shared();
  EXPECT_TRUE(cluster.ok()) << cluster.status();
  if (!cluster.ok()) return "";
  return (*cluster)->CreateDatabase().value_or("");
}

TEST(PostgresStoreTest, OpenCreatesOnceAndRefusesMissingAndUnknownStores) {
  const std::string db = EmptyDatabase();
  ASSERT_FALSE(db.empty());
  EXPECT_EQ(PostgresStore::Open({db}, Mode::kOpenExisting).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(PostgresStore::Open({db}, Mode::kReadOnly).status().code(),
            absl::StatusCode::kNotFound);
  {
    auto store = PostgresStore::Open({db}, Mode::kCreate);
    ASSERT_TRUE(store.ok()) << store.status();
    EXPECT_EQ((*store)->ReadFormatVersion().value(), kPostgresFormatVersion);
    EXPECT_EQ((*store)->ReadTreeState().status().code(),
              absl::StatusCode::kNotFound);
  }
  EXPECT_EQ(PostgresStore::Open({db}, Mode::kCreate).status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_TRUE(PostgresStore::Open({db}, Mode::kOpenExisting).ok());
  ASSERT_TRUE(
      PgQuery(db, "UPDATE ailedger.format_version SET version = 9").ok());
  auto newer = PostgresStore::Open({db}, Mode::kOpenExisting);
  EXPECT_EQ(newer.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Contains(newer.status(), "format version 9")) << newer.status();
  EXPECT_EQ(PostgresStore::Open({db}, Mode::kReadOnly).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(PostgresStoreTest, ConnectionErrorsSayWhy) {
  EXPECT_EQ(PostgresStore::Open({"host=127.0.0.1 port=1 connect_timeout=2"},
                                Mode::kOpenExisting)
                .status()
                .code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(PostgresStore::Open({"host"}, Mode::kOpenExisting).status().code(),
            absl::StatusCode::kInvalidArgument);
  const std::string db = EmptyDatabase();
  ASSERT_FALSE(db.empty());
  EXPECT_EQ(PostgresStore::Open({db + " dbname=nosuchdb"}, Mode::kOpenExisting)
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

TEST(PostgresStoreTest, ReopenRestoresTheTreeAndAppendingContinues) {
  std::string db;
  std::vector<Hash> hashes;
  TreeState before;
  {
    auto store = MakePostgresStore(&db);
    ASSERT_NE(store, nullptr);
    auto writer = LogWriter::Open(store.get(), kOrigin, Signer()).value();
    for (int b = 0; b < 5; ++b) {
      auto r = writer->Append(Events(writer->state().size, 7), 2000 + b);
      ASSERT_TRUE(r.ok()) << r.status();
      hashes.insert(hashes.end(), r->leaf_hashes.begin(), r->leaf_hashes.end());
    }
    before = writer->state();
  }
  auto store = PostgresStore::Open({db}, Mode::kOpenExisting).value();
  EXPECT_EQ(store->ReadTreeState().value(), before);
  EXPECT_TRUE(CheckTreeState(*store, before).ok());
  // The first store's lease (10 minutes) is live until released, as a clean
  // shutdown would; then this store takes it.
  EXPECT_FALSE(store->TryAcquireLease("second", absl::Seconds(5))->has_value());
  ASSERT_TRUE(store->ReleaseLease(store->ReadLease()->epoch).ok());
  auto lease = store->TryAcquireLease("second", absl::Seconds(5)).value();
  ASSERT_TRUE(lease.has_value());
  EXPECT_EQ(lease->epoch, 2u);
  EXPECT_EQ(lease->signed_size, 35u);
  store->SetWriterEpoch(lease->epoch);
  auto writer = LogWriter::Open(store.get(), kOrigin, Signer()).value();
  auto r = writer->Append(Events(35, 3), 1);
  ASSERT_TRUE(r.ok()) << r.status();
  hashes.insert(hashes.end(), r->leaf_hashes.begin(), r->leaf_hashes.end());
  EXPECT_EQ(writer->state().root, testing::ReferenceRoot(hashes, 0, 38));
  EXPECT_EQ(writer->state().last_time_ms, 2004u);
  EXPECT_EQ(store->ReadLease()->signed_size, 38u);
}

TEST(PostgresStoreTest, ReadOnlyServesReadsAndRefusesEveryWrite) {
  std::string db;
  auto store = MakePostgresStore(&db);
  ASSERT_NE(store, nullptr);
  auto writer = LogWriter::Open(store.get(), kOrigin, Signer()).value();
  ASSERT_TRUE(writer->Append(Events(0, 4), 1).ok());
  auto replica = PostgresStore::Open({db}, Mode::kReadOnly).value();
  EXPECT_EQ(replica->ReadTreeState().value(), writer->state());
  EXPECT_EQ(replica->ReadLease()->holder, "test");
  replica->SetWriterEpoch(1);
  CommitBatch batch;
  batch.first_index = 4;
  batch.new_state = writer->state();
  for (const absl::Status& s :
       {replica->Commit(batch), replica->WriteMeta("k", "v"),
        replica->RewriteIndexRows({{"k", ""}}, {}),
        replica->TryAcquireLease("r", absl::Seconds(1)).status(),
        replica->RenewLease(1, absl::Seconds(1))}) {
    EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
    EXPECT_TRUE(Contains(s, "read-only")) << s;
  }
  EXPECT_EQ(replica->ReadMeta("k").value(), std::nullopt);
}

TEST(PostgresStoreTest, WritesNeedTheWriterLease) {
  std::string db;
  ASSERT_NE(MakePostgresStore(&db), nullptr);
  auto store = PostgresStore::Open({db}, Mode::kOpenExisting).value();
  CommitBatch batch;
  batch.leaves = {"x"};
  batch.new_state.size = 1;
  for (const absl::Status& s :
       {store->Commit(batch), store->WriteMeta("k", "v"),
        store->RewriteIndexRows({{"k", ""}}, {})}) {
    EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
    EXPECT_TRUE(Contains(s, "no writer lease")) << s;
  }
}

// Two stores on one database, as two ailedgerd: one writer at a time, by the
// database's clock, fenced by the epoch.
TEST(PostgresStoreTest, LeaseFencesTheWriterThatLostIt) {
  const std::string db = EmptyDatabase();
  ASSERT_FALSE(db.empty());
  auto a = PostgresStore::Open({db}, Mode::kCreate).value();
  auto b = PostgresStore::Open({db}, Mode::kOpenExisting).value();
  EXPECT_EQ(a->ReadLease()->epoch, 0u);
  EXPECT_EQ(a->TryAcquireLease("a", absl::ZeroDuration()).status().code(),
            absl::StatusCode::kInvalidArgument);
  const absl::Duration ttl = absl::Milliseconds(1500);
  auto la = a->TryAcquireLease("a", ttl).value();
  ASSERT_TRUE(la.has_value());
  EXPECT_EQ(la->epoch, 1u);
  EXPECT_EQ(la->holder, "a");
  EXPECT_GT(la->expires_in_ms, 1000);
  EXPECT_LE(la->expires_in_ms, 1500);
  // Live: refused to another holder, and to "a" itself.
  EXPECT_FALSE(b->TryAcquireLease("b", ttl)->has_value());
  EXPECT_FALSE(a->TryAcquireLease("a", ttl)->has_value());
  a->SetWriterEpoch(la->epoch);
  auto writer = LogWriter::Open(a.get(), kOrigin, Signer()).value();
  ASSERT_TRUE(writer->Append(Events(0, 3), 1).ok());
  ASSERT_TRUE(writer->Append(Events(3, 2), 2).ok());
  WriterLease now = b->ReadLease().value();
  EXPECT_EQ(now.signed_size, 5u);  // follows the commits
  EXPECT_LT(now.heartbeat_age_ms, 1000);
  EXPECT_GT(now.expires_in_ms, 0);
  ASSERT_TRUE(a->RenewLease(1, ttl).ok());
  // "a" stops renewing; once the database says the lease expired, "b" takes
  // it with the next epoch.
  std::optional<WriterLease> lb;
  for (int i = 0; i < 100 && !lb; ++i) {
    absl::SleepFor(absl::Milliseconds(50));
    lb = b->TryAcquireLease("b", absl::Seconds(30)).value();
  }
  ASSERT_TRUE(lb.has_value());
  EXPECT_EQ(lb->epoch, 2u);
  EXPECT_EQ(lb->signed_size, 5u);
  // "a" commits nothing any more.
  auto lost = writer->Append(Events(5, 1), 3);
  EXPECT_EQ(lost.status().code(), absl::StatusCode::kAborted);
  EXPECT_TRUE(Contains(lost.status(), "writer lease lost")) << lost.status();
  EXPECT_TRUE(Contains(lost.status(), "epoch 1")) << lost.status();
  EXPECT_TRUE(Contains(lost.status(), "the row holds 2")) << lost.status();
  EXPECT_EQ(a->WriteMeta("k", "v").code(), absl::StatusCode::kAborted);
  EXPECT_EQ(a->RenewLease(1, ttl).code(), absl::StatusCode::kAborted);
  EXPECT_EQ(b->ReadTreeState()->size, 5u);
  EXPECT_FALSE(b->ReadLeaf(5).ok());
  EXPECT_EQ(b->ReadMeta("k").value(), std::nullopt);
  EXPECT_EQ(b->ReadLease()->signed_size, 5u);
  // "b" goes on from the stored tree.
  b->SetWriterEpoch(lb->epoch);
  auto next = LogWriter::Open(b.get(), kOrigin, Signer()).value();
  ASSERT_TRUE(next->Append(Events(5, 4), 4).ok());
  EXPECT_EQ(a->ReadLease()->signed_size, 9u);
  EXPECT_EQ(a->ReadLease()->holder, "b");
}

// The server stops (as a crash would) while commits run: the commit in flight
// is UNAVAILABLE, Recover is UNAVAILABLE while the server is down and OK once
// it is back, and the writer goes on from what the store holds.
TEST(PostgresStoreTest, ServerStoppedMidCommitIsUnavailableUntilItIsBack) {
  std::string db;
  auto store = MakePostgresStore(&db);
  ASSERT_NE(store, nullptr);
  PgCluster* cluster = PgCluster::Shared().value();
  auto writer = LogWriter::Open(store.get(), kOrigin, Signer()).value();
  std::atomic<uint64_t> acknowledged{0};
  absl::Status failed;
  std::thread appender([&] {
    for (;;) {
      auto r = writer->Append(Events(writer->state().size, 20), 1);
      if (!r.ok()) {
        failed = r.status();
        return;
      }
      acknowledged = r->state.size;
    }
  });
  while (acknowledged < 200) absl::SleepFor(absl::Milliseconds(1));
  ASSERT_TRUE(cluster->Stop(PgCluster::StopMode::kImmediate).ok());
  appender.join();
  EXPECT_EQ(failed.code(), absl::StatusCode::kUnavailable) << failed;
  EXPECT_EQ(store->Recover().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(store->ReadTreeState().status().code(),
            absl::StatusCode::kUnavailable);
  ASSERT_TRUE(cluster->Start(200).ok());
  ASSERT_TRUE(store->Recover().ok());
  auto landed = writer->Recover();  // the failed batch is there, or not
  ASSERT_TRUE(landed.ok()) << landed.status();
  const TreeState state = store->ReadTreeState().value();
  EXPECT_GE(state.size, acknowledged.load());
  EXPECT_EQ(state, writer->state());
  ASSERT_TRUE(writer->Append(Events(state.size, 5), 2).ok());
  EXPECT_TRUE(CheckTreeState(*store, writer->state()).ok());
  // Connections killed between commits are replaced unnoticed.
  ASSERT_TRUE(PgQuery(db,
                      "SELECT pg_terminate_backend(pid) FROM "
                      "pg_stat_activity WHERE application_name = 'ailedgerd'")
                  .ok());
  for (int i = 0; i < 500; ++i) {  // until the backends are gone
    auto left = PgQuery(db,
                        "SELECT count(*) FROM pg_stat_activity WHERE "
                        "application_name = 'ailedgerd'");
    ASSERT_TRUE(left.ok()) << left.status();
    if ((*left)[0][0] == "0") break;
    absl::SleepFor(absl::Milliseconds(10));
  }
  auto after = writer->Append(Events(writer->state().size, 5), 3);
  EXPECT_TRUE(after.ok()) << after.status();
  EXPECT_TRUE(store->ReadTreeState().ok());
}

// 16 threads read and check proofs while commits land; the pool holds 4
// connections.
TEST(PostgresStoreTest, ConcurrentReadsDuringCommits) {
  std::string db;
  ASSERT_NE(MakePostgresStore(&db), nullptr);
  auto store = PostgresStore::Open({db, 4}, Mode::kOpenExisting).value();
  auto lease = store->ReadLease().value();
  store->SetWriterEpoch(lease.epoch);
  auto writer = LogWriter::Open(store.get(), kOrigin, Signer()).value();
  ASSERT_TRUE(writer->Append(Events(0, 10), 1).ok());
  std::atomic<bool> done{false};
  std::atomic<int> errors{0}, reads{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 16; ++t) {
    readers.emplace_back([&, t] {
      TreeReader reader(store.get());
      for (uint64_t i = t; !done; ++i) {
        auto state = store->ReadTreeState();
        if (!state.ok()) {
          ++errors;
          continue;
        }
        const uint64_t index = i % state->size;
        if (!reader.InclusionProof(index, state->size, *state).ok() ||
            !reader.Leaf(index, *state).ok()) {
          ++errors;
        }
        ++reads;
      }
    });
  }
  for (int b = 0; b < 100; ++b) {
    ASSERT_TRUE(
        writer->Append(Events(writer->state().size, 1 + b % 7), 2).ok());
  }
  done = true;
  for (auto& r : readers) r.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_GT(reads.load(), 16);
}

TEST(PostgresStoreTest, WrongLengthValuesAreDataLossNamingWhat) {
  std::string db;
  auto store = MakePostgresStore(&db);
  ASSERT_NE(store, nullptr);
  auto writer = LogWriter::Open(store.get(), kOrigin, Signer()).value();
  ASSERT_TRUE(writer->Append(Events(0, 3), 1).ok());
  ASSERT_TRUE(PgQuery(db, "UPDATE ailedger.strata SET hashes = '\\x00'").ok());
  auto nodes = store->ReadNodes({{NodeId{0, 1}}});
  EXPECT_EQ(nodes.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_TRUE(Contains(nodes.status(), "node (0,1)")) << nodes.status();
  // The next commit reads the stratum to extend it: it refuses too.
  EXPECT_EQ(writer->Append(Events(3, 1), 2).status().code(),
            absl::StatusCode::kDataLoss);
  ASSERT_TRUE(PgQuery(db, "UPDATE ailedger.tree_state SET size = 7").ok());
  EXPECT_EQ(store->ReadTreeState().status().code(),
            absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace ailedger
