// The storage seam, run over the three implementations (in-memory, RocksDB and
// PostgreSQL; postgres_store_test.cc has PostgreSQL's own tests), plus
// RocksDB's own durability: reopen, a crash between commits, format versions,
// tampered bytes.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <random>

#include "gtest/gtest.h"
#include "ledger/base/big_endian.h"
#include "ledger/storage/event_index.h"
#include "ledger/storage/index_check.h"
#include "ledger/storage/log_writer.h"
#include "ledger/storage/rocksdb_store.h"
#include "ledger/storage/tree_reader.h"
#include "ledger/tlog/checkpoint.h"
#include "ledger/tlog/contexts.h"
#include "tests/testing/log_store_fixture.h"
#include "tests/testing/reference_tree.h"
#include "tests/testing/temp_dir.h"

namespace ailedger {
namespace {

using testing::Events;
using testing::Factories;
using testing::kOrigin;
using testing::LogKey;
using testing::LogStoreTest;
using testing::Signer;
using testing::TempPath;

TYPED_TEST_SUITE(LogStoreTest, Factories);

TYPED_TEST(LogStoreTest, AppendYieldsReferenceRootsProofsAndCheckpoints) {
  this->Append(100);
  const TreeState state = this->store_->ReadTreeState().value();
  ASSERT_EQ(state.size, 100u);
  EXPECT_EQ(state.root, testing::ReferenceRoot(this->hashes_, 0, 100));
  EXPECT_TRUE(CheckTreeState(*this->store_, state).ok());
  auto cp = OpenCheckpoint(this->store_->ReadLatestCheckpoint().value(),
                           LogKey().verifier());
  ASSERT_TRUE(cp.ok()) << cp.status();
  EXPECT_EQ(cp->checkpoint.size, 100u);
  EXPECT_EQ(cp->checkpoint.root, state.root);
  TreeReader reader(this->store_.get());
  std::mt19937_64 rng(1);
  for (int t = 0; t < 300; ++t) {
    uint64_t size = 1 + rng() % 100, index = rng() % size,
             first = 1 + rng() % size;
    EXPECT_EQ(reader.InclusionProof(index, size, state).value(),
              testing::ReferenceInclusion(this->hashes_, index, size));
    EXPECT_EQ(reader.ConsistencyProof(first, size, state).value(),
              testing::ReferenceConsistency(this->hashes_, first, size));
    EXPECT_EQ(reader.RootAt(size, state).value(),
              testing::ReferenceRoot(this->hashes_, 0, size));
  }
  auto leaf = reader.Leaf(42, state);
  ASSERT_TRUE(leaf.ok()) << leaf.status();
  EXPECT_EQ(HashLeaf(*leaf), this->hashes_[42]);
  auto found = this->store_->FindEvent(EventId(kOrigin, "event-42")).value();
  EXPECT_EQ(found, std::optional<uint64_t>(42));
  EXPECT_EQ(reader.InclusionProof(0, 101, state).status().code(),
            absl::StatusCode::kOutOfRange);
}

TYPED_TEST(LogStoreTest, FlippedLeafByteIsDataLossNamingTheIndex) {
  this->Append(20);
  const TreeState state = this->store_->ReadTreeState().value();
  std::string bytes = this->store_->ReadLeaf(13).value();
  bytes[bytes.size() - 1] ^= 0x01;
  this->factory_.Tamper(this->store_.get(), 13, bytes);
  auto leaf = TreeReader(this->store_.get()).Leaf(13, state);
  EXPECT_EQ(leaf.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(leaf.status().message().find("leaf 13"), absl::string_view::npos);
  EXPECT_TRUE(TreeReader(this->store_.get()).Leaf(12, state).ok());
}

TYPED_TEST(LogStoreTest, FlippedNodeIsDataLossForEveryProofThatUsesIt) {
  this->Append(20);
  const TreeState state = this->store_->ReadTreeState().value();
  Hash bad = this->store_->ReadNodes({{NodeId{1, 2}}}).value()[0];
  bad[0] ^= 0x80;
  this->factory_.TamperNode(this->store_.get(), NodeId{1, 2}, bad);
  TreeReader reader(this->store_.get());
  // Leaf 6's proof at size 20 uses node (1,2) = leaves 4..5.
  auto incl = reader.InclusionProof(6, 20, state);
  EXPECT_EQ(incl.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(incl.status().message().find("leaf 6"), absl::string_view::npos);
  // At an older size, the root itself is checked against the state.
  EXPECT_EQ(reader.InclusionProof(6, 7, state).status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(reader.RootAt(6, state).status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(reader.ConsistencyProof(6, 20, state).status().code(),
            absl::StatusCode::kDataLoss);
  // Reading leaf 7 proves it with (1,2) as a sibling; leaf 5, under (1,2),
  // never reads it.
  EXPECT_EQ(reader.Leaf(7, state).status().code(), absl::StatusCode::kDataLoss);
  EXPECT_TRUE(reader.Leaf(5, state).ok());
  // Leaf 17 at size 20 needs (4,0) = leaves 0..15, not (1,2) itself.
  EXPECT_TRUE(reader.InclusionProof(17, 20, state).ok());
}

TYPED_TEST(LogStoreTest, ScanCheckpointsListsEachSignedSizeInOrder) {
  this->Append(6);  // batches of 1, 2 and 3 leaves: signed at 1, 3 and 6
  auto all = this->store_->ScanCheckpoints(0, UINT64_MAX, 100);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].first, 1u);
  EXPECT_EQ((*all)[1].first, 3u);
  EXPECT_EQ((*all)[2].first, 6u);
  EXPECT_EQ((*all)[2].second, this->store_->ReadLatestCheckpoint().value());
  EXPECT_EQ((*all)[1].second, this->store_->ReadCheckpoint(3).value());
  auto window = this->store_->ScanCheckpoints(2, 6, 100).value();
  ASSERT_EQ(window.size(), 1u);
  EXPECT_EQ(window[0].first, 3u);
  EXPECT_EQ(this->store_->ScanCheckpoints(0, UINT64_MAX, 2)->size(), 2u);
}

TYPED_TEST(LogStoreTest, FindEventsAnswersEachIdInTheOrderAsked) {
  this->Append(10);
  const Hash absent = EventId(kOrigin, "never-logged");
  const std::vector<Hash> ids = {
      EventId(kOrigin, "event-7"), absent, EventId(kOrigin, "event-0"),
      EventId(kOrigin, "event-7"), EventId(kOrigin, "event-9")};
  auto found = this->store_->FindEvents(ids);
  ASSERT_TRUE(found.ok()) << found.status();
  const std::vector<std::optional<uint64_t>> want = {7, std::nullopt, 0, 7, 9};
  EXPECT_EQ(*found, want);
  for (size_t i = 0; i < ids.size(); ++i) {
    EXPECT_EQ((*found)[i], this->store_->FindEvent(ids[i]).value()) << i;
  }
  EXPECT_TRUE(this->store_->FindEvents({}).value().empty());
}

TYPED_TEST(LogStoreTest, CommitOutOfOrderChangesNothing) {
  this->Append(3);
  CommitBatch batch;
  batch.first_index = 7;
  batch.leaves = {"x"};
  batch.new_state.size = 8;
  EXPECT_EQ(this->store_->Commit(batch).code(),
            absl::StatusCode::kFailedPrecondition);
  batch.first_index = 3;
  batch.new_state.size = 9;
  EXPECT_EQ(this->store_->Commit(batch).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(this->store_->ReadTreeState()->size, 3u);
  EXPECT_FALSE(this->store_->ReadLeaf(3).ok());
}

TYPED_TEST(LogStoreTest, FailedCheckpointSigningCommitsNothing) {
  this->Append(4);
  auto failing =
      LogWriter::Open(this->store_.get(), kOrigin, [](const Checkpoint&) {
        return absl::StatusOr<std::string>(
            absl::FailedPreconditionError("hwm"));
      });
  ASSERT_TRUE(failing.ok());
  EXPECT_FALSE((*failing)->Append(Events(4, 2), 5).ok());
  EXPECT_EQ(this->store_->ReadTreeState()->size, 4u);
  EXPECT_EQ((*failing)->state().size, 4u);
}

// A row written twice in one batch keeps its last value, as in a RocksDB
// WriteBatch; keys compare bytewise (NUL and 0xff bytes included).
TYPED_TEST(LogStoreTest, RowsKeepTheLastValueAndScanInBytewiseOrder) {
  const std::string nul(1, '\0');
  BatchExtras extras;
  extras.meta_rows = {{"k", "1"},     {"k", "2"}, {"a" + nul + "b", "x"},
                      {"a\xff", "y"}, {"a", "z"}, {"b", "w"}};
  extras.index_rows = {{"i", "1"}, {"i", "2"}};
  ASSERT_TRUE(this->writer_->Append(Events(0, 1), 1, extras).ok());
  EXPECT_EQ(this->store_->ReadMeta("k").value(),
            std::optional<std::string>("2"));
  auto index = this->store_->ScanIndex("i", "j", 10).value();
  ASSERT_EQ(index.size(), 1u);
  EXPECT_EQ(index[0].second, "2");
  auto meta = this->store_->ScanMeta("a", "b", 10).value();
  ASSERT_EQ(meta.size(), 3u);
  EXPECT_EQ(meta[0].first, "a");
  EXPECT_EQ(meta[1].first, "a" + nul + "b");
  EXPECT_EQ(meta[2].first, "a\xff");
  EXPECT_EQ(this->store_->ScanMeta("a", "b", 2)->size(), 2u);
}

// RocksDB only from here.

TEST(RocksDbStoreTest, ReopenRestoresTheTreeAndAppendingContinues) {
  const std::string path = TempPath("reopen");
  std::vector<Hash> hashes;
  TreeState before;
  {
    auto store = RocksDbStore::Open(path, RocksDbStore::Mode::kCreate).value();
    auto writer = LogWriter::Open(store.get(), kOrigin, Signer()).value();
    for (int b = 0; b < 5; ++b) {
      auto r = writer->Append(Events(writer->state().size, 7), 2000 + b);
      ASSERT_TRUE(r.ok());
      hashes.insert(hashes.end(), r->leaf_hashes.begin(), r->leaf_hashes.end());
    }
    before = writer->state();
  }
  auto store =
      RocksDbStore::Open(path, RocksDbStore::Mode::kOpenExisting).value();
  EXPECT_EQ(store->ReadTreeState().value(), before);
  EXPECT_TRUE(CheckTreeState(*store, before).ok());
  auto writer = LogWriter::Open(store.get(), kOrigin, Signer()).value();
  auto r = writer->Append(Events(35, 3),
                          1);  // a clock behind: time must not decrease
  ASSERT_TRUE(r.ok());
  hashes.insert(hashes.end(), r->leaf_hashes.begin(), r->leaf_hashes.end());
  EXPECT_EQ(writer->state().root, testing::ReferenceRoot(hashes, 0, 38));
  EXPECT_EQ(writer->state().last_time_ms, 2004u);
  std::filesystem::remove_all(path);
}

TEST(RocksDbStoreTest, OpenRefusesMissingExistingAndUnknownVersions) {
  const std::string path = TempPath("versions");
  EXPECT_EQ(RocksDbStore::Open(path, RocksDbStore::Mode::kOpenExisting)
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  {
    auto store = RocksDbStore::Open(path, RocksDbStore::Mode::kCreate).value();
    EXPECT_EQ(store->ReadFormatVersion().value(), kStoreFormatVersion);
    ASSERT_TRUE(store
                    ->PutRawForTesting("meta", "format_version",
                                       std::string("\0\0\0\x09", 4))
                    .ok());
  }
  EXPECT_EQ(
      RocksDbStore::Open(path, RocksDbStore::Mode::kCreate).status().code(),
      absl::StatusCode::kAlreadyExists);
  auto reopened = RocksDbStore::Open(path, RocksDbStore::Mode::kOpenExisting);
  EXPECT_EQ(reopened.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(reopened.status().message().find("format version 9"),
            absl::string_view::npos);
  std::filesystem::remove_all(path);
}

// A store of format version 1 (NUL-ended index components) is refused by
// serve with the command that fixes it; that command rebuilds its indexes in
// the current layout and raises the version.
TEST(RocksDbStoreTest, AVersionOneStoreServesOnlyAfterItsIndexesAreRebuilt) {
  const std::string path = TempPath("v1");
  v1::Event e;
  e.set_event_type("RiskAssessed");
  e.set_organisation("Acme AI");
  auto* subject = e.add_subjects();
  subject->set_kind("system");
  subject->set_id("sys");
  const std::string nul(1, '\0');
  {
    auto store = RocksDbStore::Open(path, RocksDbStore::Mode::kCreate).value();
    auto writer = LogWriter::Open(store.get(), kOrigin, Signer()).value();
    SignedEvent signed_event;
    signed_event.event_bytes = e.SerializeAsString();
    BatchExtras day_only;  // its day row is the same in both layouts
    for (const auto& row : IndexRowsFor(e, 0)) {
      if (row.first[0] == 'm') day_only.index_rows.push_back(row);
    }
    ASSERT_TRUE(writer->Append({signed_event}, 1, day_only).ok());
    // What version 1 wrote for it.
    std::vector<std::pair<std::string, std::string>> old_rows;
    for (std::string key : {"ssystem" + nul + "sys" + nul,
                            "tRiskAssessed" + nul, "oAcme AI" + nul}) {
      PutBigEndian64(0, &key);
      old_rows.emplace_back(key, "");
    }
    ASSERT_TRUE(store->RewriteIndexRows(old_rows, {}).ok());
    ASSERT_TRUE(store
                    ->PutRawForTesting("meta", "format_version",
                                       std::string("\0\0\0\x01", 4))
                    .ok());
  }
  auto refused = RocksDbStore::Open(path, RocksDbStore::Mode::kOpenExisting);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find(
                "format version 1 has the old index key layout"),
            absl::string_view::npos)
      << refused.status();
  EXPECT_NE(
      refused.status().message().find("ailedgerd upgrade --data " + path + "`"),
      absl::string_view::npos)
      << refused.status();
  {
    auto store =
        RocksDbStore::Open(path, RocksDbStore::Mode::kRebuildIndexes).value();
    auto r = CheckIndexes(store.get(), true);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->extra, 3u);    // the old subject, type and organisation rows
    EXPECT_EQ(r->missing, 3u);  // ... in the new layout
    ASSERT_TRUE(store->MarkIndexesRebuilt().ok());
    auto rows = store->ScanIndex(SubjectPrefix("system", "sys"),
                                 SubjectPrefix("system", "sys") + "\xff", 10);
    ASSERT_TRUE(rows.ok());
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ(IndexOfRow(rows->front().first), 0u);
  }
  auto reopened = RocksDbStore::Open(path, RocksDbStore::Mode::kOpenExisting);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ((*reopened)->ReadFormatVersion().value(), kStoreFormatVersion);
  EXPECT_EQ(CheckIndexes(reopened->get(), false)->extra, 0u);
  std::filesystem::remove_all(path);
}

TEST(RocksDbStoreTest, AnEventIdRowOfTheWrongLengthIsDataLoss) {
  const std::string path = TempPath("dedup");
  auto store = RocksDbStore::Open(path, RocksDbStore::Mode::kCreate).value();
  auto writer = LogWriter::Open(store.get(), kOrigin, Signer()).value();
  ASSERT_TRUE(writer->Append(Events(0, 3), 1).ok());
  const Hash id = EventId(kOrigin, "event-1");
  ASSERT_TRUE(
      store->PutRawForTesting("dedup", std::string(AsBytes(id)), "bad").ok());
  EXPECT_EQ(store->FindEvent(id).status().code(), absl::StatusCode::kDataLoss);
  auto many = store->FindEvents({EventId(kOrigin, "event-0"), id});
  EXPECT_EQ(many.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(many.status().message().find("event id"), absl::string_view::npos)
      << many.status();
  std::filesystem::remove_all(path);
}

TEST(RocksDbStoreTest, CorruptTreeStateIsDataLoss) {
  const std::string path = TempPath("state");
  auto store = RocksDbStore::Open(path, RocksDbStore::Mode::kCreate).value();
  auto writer = LogWriter::Open(store.get(), kOrigin, Signer()).value();
  ASSERT_TRUE(writer->Append(Events(0, 5), 1).ok());
  TreeState bad = writer->state();
  bad.root[3] ^= 1;
  ASSERT_TRUE(
      store->PutRawForTesting("meta", "tree_state", EncodeTreeState(bad)).ok());
  EXPECT_EQ(LogWriter::Open(store.get(), kOrigin, Signer()).status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(CheckTreeState(*store, bad).code(), absl::StatusCode::kDataLoss);
  ASSERT_TRUE(store->PutRawForTesting("meta", "tree_state", "junk").ok());
  EXPECT_EQ(store->ReadTreeState().status().code(),
            absl::StatusCode::kDataLoss);
  std::filesystem::remove_all(path);
}

// A child process appends and reports each acknowledged size through a pipe;
// the parent kills it with SIGKILL mid-stream. Everything acknowledged must be
// there after reopening.
TEST(RocksDbStoreTest, CrashBetweenCommitsLosesNothingAcknowledged) {
  const std::string path = TempPath("crash");
  { RocksDbStore::Open(path, RocksDbStore::Mode::kCreate).value(); }
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(fds[0]);
    auto store = RocksDbStore::Open(path, RocksDbStore::Mode::kOpenExisting);
    if (!store.ok()) _exit(2);
    auto writer = LogWriter::Open(store->get(), kOrigin, Signer());
    if (!writer.ok()) _exit(3);
    for (;;) {
      if (!(*writer)->Append(Events((*writer)->state().size, 50), 1).ok())
        _exit(4);
      uint64_t size = (*writer)->state().size;
      if (write(fds[1], &size, sizeof(size)) != sizeof(size)) _exit(5);
    }
  }
  close(fds[1]);
  uint64_t acknowledged = 0, size = 0;
  for (int i = 0; i < 40 && read(fds[0], &size, sizeof(size)) == sizeof(size);
       ++i) {
    acknowledged = size;
  }
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  close(fds[0]);
  ASSERT_GE(acknowledged, 50u * 40);
  auto store =
      RocksDbStore::Open(path, RocksDbStore::Mode::kOpenExisting).value();
  TreeState state = store->ReadTreeState().value();
  EXPECT_GE(state.size, acknowledged);
  EXPECT_EQ(state.size % 50, 0u) << "a batch was committed in part";
  EXPECT_TRUE(CheckTreeState(*store, state).ok());
  auto leaves = store->ReadLeaves(0, state.size).value();
  std::vector<Hash> hashes;
  for (const auto& l : leaves) hashes.push_back(HashLeaf(l));
  EXPECT_EQ(testing::ReferenceRoot(hashes, 0, state.size), state.root);
  std::filesystem::remove_all(path);
}

}  // namespace
}  // namespace ailedger
