// The storage seam, run over both implementations (RocksDB and in-memory), plus
// RocksDB's own durability: reopen, a crash between commits, format versions,
// tampered bytes.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <random>

#include "gtest/gtest.h"
#include "ledger/base/big_endian.h"
#include "ledger/governance/lifecycle.h"
#include "ledger/storage/event_index.h"
#include "ledger/storage/index_check.h"
#include "ledger/storage/log_writer.h"
#include "ledger/storage/memory_store.h"
#include "ledger/storage/meta_keys.h"
#include "ledger/storage/rocksdb_store.h"
#include "ledger/storage/tree_reader.h"
#include "ledger/tlog/checkpoint.h"
#include "ledger/tlog/contexts.h"
#include "server/ledger_reads.h"
#include "tests/testing/reference_tree.h"
#include "tests/testing/temp_dir.h"

namespace ailedger {
namespace {

constexpr char kOrigin[] = "example.com/test-log";

const SigningKey& LogKey() {
  static const SigningKey* key = [] {
    InitCrypto();
    return new SigningKey(
        SigningKey::Generate(kOrigin, kKeyTypeEd25519).value());
  }();
  return *key;
}

CheckpointSigner Signer() {
  return [](const Checkpoint& cp) { return SignCheckpoint(cp, LogKey()); };
}

std::vector<SignedEvent> Events(uint64_t first, size_t n) {
  std::vector<SignedEvent> out(n);
  for (size_t i = 0; i < n; ++i) {
    out[i].event_bytes = "event-" + std::to_string(first + i);
    out[i].signer[0] = static_cast<uint8_t>(i);
  }
  return out;
}

// A phase row's value.
std::string PhaseValue(Phase p) { return std::string(1, static_cast<char>(p)); }

std::string TempPath(const std::string& name) {
  return testing::FreshTempPath(name);
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

template <typename Factory>
class LogStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = factory_.Make();
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
                  testing::ReferenceInclusion(hashes_, i, r->state.size));
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

using Factories = ::testing::Types<MemoryFactory, RocksFactory>;
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
  EXPECT_NE(refused.status().message().find("ailedgerd check-indexes --data " +
                                            path + " --repair"),
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

namespace ailedger {
namespace {

// The indexes are rebuilt from the leaves: a dropped and a forged row are both
// found, and repaired.
TYPED_TEST(LogStoreTest, IndexCheckFindsAndRepairsMissingAndExtraRows) {
  for (int i = 0; i < 5; ++i) {
    v1::Event e;
    e.set_event_type("RiskAssessed");
    e.set_organisation("Acme AI");
    auto* s = e.add_subjects();
    s->set_kind("system");
    s->set_id("sys" + std::to_string(i % 2));
    SignedEvent signed_event;
    signed_event.event_bytes = e.SerializeAsString();
    BatchExtras extras;
    extras.index_rows = IndexRowsFor(e, this->writer_->state().size);
    ASSERT_TRUE(this->writer_->Append({signed_event}, 1, extras).ok());
  }
  auto clean = CheckIndexes(this->store_.get(), false);
  ASSERT_TRUE(clean.ok()) << clean.status();
  EXPECT_EQ(clean->missing + clean->extra, 0u);
  EXPECT_EQ(clean->rows,
            20u);  // subject, type, organisation and day of each of 5 events
  std::string dropped = SubjectPrefix("system", "sys1");
  PutBigEndian64(3, &dropped);
  std::string forged = TypePrefix("AuditClosed");
  PutBigEndian64(2, &forged);
  ASSERT_TRUE(this->store_->RewriteIndexRows({{forged, ""}}, {dropped}).ok());
  auto found = CheckIndexes(this->store_.get(), true);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->missing, 1u);
  EXPECT_EQ(found->extra, 1u);
  EXPECT_TRUE(found->repaired);
  auto after = CheckIndexes(this->store_.get(), false);
  EXPECT_EQ(after->missing + after->extra, 0u);
}

// Index keys length-prefix their components (store format version 2): no two
// subjects share a key prefix, whatever bytes their kinds and ids hold.
TEST(EventIndexTest, KeysOfDifferentSubjectsNeverShareAPrefix) {
  const std::string nul(1, '\0');
  const std::vector<std::pair<std::string, std::string>> subjects = {
      {"a" + nul + "b", "c"},
      {"a", "b" + nul + "c"},
      {"a", "b"},
      {"a" + nul, "b"},
      {"a", nul + "b"},
      {"", "a" + nul + "b"},
      {"system", "x"},
      {"system", "x" + nul + std::string(8, '\0')}};
  for (const auto& [k1, i1] : subjects) {
    for (const auto& [k2, i2] : subjects) {
      if (k1 == k2 && i1 == i2) continue;
      const std::string p1 = SubjectPrefix(k1, i1), p2 = SubjectPrefix(k2, i2);
      EXPECT_NE(p1, p2);
      EXPECT_NE(p2.rfind(p1, 0), 0u) << ToHex(p1) << " prefixes " << ToHex(p2);
    }
  }
  EXPECT_NE(TypePrefix("a" + nul + "b").rfind(TypePrefix("a"), 0), 0u);
  EXPECT_NE(OrganisationPrefix("a" + nul).rfind(OrganisationPrefix("a"), 0),
            0u);
  // The layout itself: 's', u32 length, kind, u32 length, id.
  const std::string len1("\0\0\0\x01", 4), len2("\0\0\0\x02", 4);
  EXPECT_EQ(SubjectPrefix("ab", "c"), "s" + len2 + "ab" + len1 + "c");
}

// A victim's query returns every one of its rows even when another subject's
// id was crafted with NUL bytes to sort inside the victim's range (validation
// now refuses such ids; the key layout must hold on its own). With NUL-ended
// components, 100 such rows filled the first page and moved its next index
// past all of the victim's entries: the query ended early with status OK.
TYPED_TEST(LogStoreTest,
           AQueryForOneSubjectReturnsAllItsRowsWhateverOthersHold) {
  auto append = [&](const v1::Event& e) {
    SignedEvent signed_event;
    signed_event.event_bytes = e.SerializeAsString();
    BatchExtras extras;
    extras.index_rows = IndexRowsFor(e, this->writer_->state().size);
    ASSERT_TRUE(this->writer_->Append({signed_event}, 1, extras).ok());
  };
  auto about = [](const std::string& id) {
    v1::Event e;
    e.set_event_type("RiskAssessed");
    auto* s = e.add_subjects();
    s->set_kind("system");
    s->set_id(id);
    return e;
  };
  append(about("other"));
  std::vector<uint64_t> victim;
  for (int i = 0; i < 3; ++i) {
    victim.push_back(this->writer_->state().size);
    append(about("credit-scoring"));
  }
  v1::Event attack;
  attack.set_event_type("RiskAssessed");
  for (int k = 0; k < 100; ++k) {
    auto* s = attack.add_subjects();
    s->set_kind("system");
    s->set_id("credit-scoring" + std::string(9, '\0') +
              std::string(1, static_cast<char>(k)));
  }
  append(attack);
  LedgerReads reads(this->store_.get(), 1000);
  QuerySpec spec{"system", "credit-scoring", "", "", 0, 0};
  std::vector<uint64_t> got;
  uint64_t next = 0;
  for (bool done = false; !done;) {
    auto page = reads.Query(spec, next, 100);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& e : page->entries) got.push_back(e.index);
    next = page->next_index;
    done = page->done;
  }
  EXPECT_EQ(got, victim);
}

// The sequencer's lifecycle phase rows are replayed from the leaves: a missing
// or wrong one is found and, with repair, rewritten.
TYPED_TEST(LogStoreTest, IndexCheckReplaysLifecyclePhaseRows) {
  for (const char* type : {"SystemRegistered", "SystemDecommissioned"}) {
    v1::Event e;
    e.set_event_type(type);
    auto* s = e.add_subjects();
    s->set_kind("system");
    s->set_id("sys");
    SignedEvent signed_event;
    signed_event.event_bytes = e.SerializeAsString();
    BatchExtras extras;
    extras.index_rows = IndexRowsFor(e, this->writer_->state().size);
    ASSERT_TRUE(this->writer_->Append({signed_event}, 1, extras).ok());
  }
  const std::string key = PhaseMetaKey(PhaseKey("system", "sys"));
  ASSERT_TRUE(this->store_->WriteMeta(key, PhaseValue(Phase::kActive)).ok());
  auto found = CheckIndexes(this->store_.get(), false);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->phases_wrong, 1u);  // it was decommissioned
  EXPECT_FALSE(found->repaired);
  ASSERT_TRUE(CheckIndexes(this->store_.get(), true).ok());
  EXPECT_EQ(**this->store_->ReadMeta(key), PhaseValue(Phase::kEnded));
  EXPECT_EQ(CheckIndexes(this->store_.get(), false)->phases_wrong, 0u);
  // A stray row (no leaf registered "ghost") would let the sequencer accept
  // events the verifier refuses: found, and reset to "none".
  const std::string stray = PhaseMetaKey(PhaseKey("system", "ghost"));
  ASSERT_TRUE(this->store_->WriteMeta(stray, PhaseValue(Phase::kActive)).ok());
  auto ghost = CheckIndexes(this->store_.get(), true);
  ASSERT_TRUE(ghost.ok()) << ghost.status();
  EXPECT_EQ(ghost->phases_wrong, 1u);
  EXPECT_EQ(**this->store_->ReadMeta(stray), PhaseValue(Phase::kNone));
  EXPECT_EQ(CheckIndexes(this->store_.get(), false)->phases_wrong, 0u);
}

}  // namespace
}  // namespace ailedger
