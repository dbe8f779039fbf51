// CopyLog (ledger/storage/copy_log.h): a log written through the rules
// (genesis, grants, lifecycle events, index rows, the roster, cosigned rows)
// copied RocksDB -> memory -> RocksDB is the same log, byte for byte; a
// destination that is not empty is refused untouched; a source whose leaf,
// node or checkpoint was altered, or whose checkpoints the key did not sign,
// is refused naming what differs, and the copy is never made servable.
#include "ledger/storage/copy_log.h"

#include <filesystem>
#include <map>
#include <set>

#include "gtest/gtest.h"
#include "ledger/governance/envelope.h"
#include "ledger/governance/event_signature.h"
#include "ledger/governance/examples.h"
#include "ledger/governance/genesis.h"
#include "ledger/storage/checked_append.h"
#include "ledger/storage/memory_store.h"
#include "ledger/storage/meta_keys.h"
#include "ledger/storage/postgres_store.h"
#include "ledger/storage/rocksdb_store.h"
#include "ledger/storage/row_pager.h"
#include "ledger/storage/tree_reader.h"
#include "ledger/tlog/contexts.h"
#include "ledger/tlog/leaf.h"
#include "tests/testing/forwarding_store.h"
#include "tests/testing/log_store_fixture.h"
#include "tests/testing/temp_dir.h"

namespace ailedger {
namespace {

constexpr char kOrigin[] = "copy.example/log";

// The keys of a log and the events they sign (as `ailedger genesis`, `key
// grant` and `push` make them).
class Keys {
 public:
  Keys()
      : admin_(SigningKey::Generate("admin", kKeyTypeEd25519).value()),
        log_(SigningKey::Generate(kOrigin, kKeyTypeEd25519).value()) {}
  const SigningKey& log_key() const { return log_; }
  SignedEvent Sign(const v1::Event& e, const SigningKey& author) const {
    return SignEvent(e, author, kOrigin);
  }
  SignedEvent Genesis() const {
    GenesisParams p;
    p.origin = kOrigin;
    p.log_verifier_key = log_.verifier().ToString();
    p.admin_public_key = admin_.verifier().public_key();
    p.admin_name = "admin";
    p.organisation = "Acme AI";
    p.role_table_version = 2;
    return Sign(MakeGenesis(p), admin_);
  }
  SignedEvent GrantPublisher(const SigningKey& key) const {
    const PublicKey pub = key.verifier().public_key();
    v1::Event e = NewEvent("KeyGranted", "Acme AI");
    e.set_nonce(key.verifier().name());
    v1::KeyGranted* g = e.mutable_key_granted();
    g->set_public_key(std::string(AsBytes(pub)));
    g->set_display_name(key.verifier().name());
    g->set_organisation("Acme AI");
    g->set_kind(v1::KEY_KIND_PERSON);
    g->add_roles(v1::ROLE_PUBLISHER);
    const Signature possession = key.Sign(KeyPossessionMessage(kOrigin, pub));
    g->set_possession_signature(std::string(
        reinterpret_cast<const char*>(possession.data()), possession.size()));
    return Sign(e, admin_);
  }

 private:
  SigningKey admin_, log_;
};

v1::Event ExampleAbout(const std::string& type, const std::string& kind,
                       const std::string& id, const std::string& nonce) {
  v1::Event e = NewEvent(type, "Acme AI");
  auto* s = e.add_subjects();
  s->set_kind(kind);
  s->set_id(id);
  e.set_nonce(nonce);
  FillExampleBody(&e);
  return e;
}

using Rows = std::map<std::string, std::string>;

// A destination that loses or alters what it is given: a MemoryStore whose
// commits pass through `fault` first.
class FaultyStore final : public testing::ForwardingStore {
 public:
  explicit FaultyStore(std::function<void(CommitBatch*)> fault)
      : ForwardingStore(&m_), fault_(std::move(fault)) {}

 protected:
  absl::Status DoCommit(const CommitBatch& batch) override {
    CommitBatch altered = batch;
    fault_(&altered);
    return m_.Commit(altered);
  }

 private:
  std::function<void(CommitBatch*)> fault_;
  MemoryStore m_;
};

// Every row a pager yields, as a map.
Rows All(RowPager pager) {
  Rows out;
  for (;;) {
    auto page = pager.Next(7);  // small pages: the paging is exercised too
    EXPECT_TRUE(page.ok()) << page.status();
    if (!page.ok() || page->empty()) return out;
    for (auto& [k, v] : *page) out[k] = v;
  }
}

bool NotStoreOwn(const std::string& key) {
  return key != "format_version" && key != "tree_state";
}

std::map<uint64_t, std::string> Checkpoints(const LogStore& s) {
  std::map<uint64_t, std::string> out;
  auto rows = s.ScanCheckpoints(0, UINT64_MAX, 1 << 20);
  EXPECT_TRUE(rows.ok()) << rows.status();
  if (rows.ok()) out.insert(rows->begin(), rows->end());
  return out;
}

class CopyLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    InitCrypto();
    publisher_ = std::make_unique<SigningKey>(
        SigningKey::Generate("publisher", kKeyTypeEd25519).value());
  }
  void TearDown() override {
    for (const auto& p : paths_) std::filesystem::remove_all(p);
  }

  std::unique_ptr<RocksDbStore> NewRocks() {
    paths_.push_back(testing::FreshTempPath("copy-log"));
    return RocksDbStore::Open(paths_.back(), RocksDbStore::Mode::kCreate)
        .value();
  }

  CopyOptions Options() {
    CopyOptions o;
    o.log_key = h_.log_key().verifier();
    return o;
  }

  // Signs every checkpoint except those at sizes `unsigned_sizes`.
  CheckpointSigner Signer(std::set<uint64_t> unsigned_sizes = {}) {
    return [this, unsigned_sizes](
               const Checkpoint& cp) -> absl::StatusOr<std::string> {
      if (unsigned_sizes.count(cp.size)) return std::string();
      return SignCheckpoint(cp, h_.log_key());
    };
  }

  // A log of 10 batches through the rules: genesis and grant (with the
  // origin row), systems registered and decommissioned, risk assessments,
  // an incident; the roster and phase rows the rules write; cosigned rows.
  void Build(LogStore* store, CheckpointSigner signer) {
    auto writer = LogWriter::Open(store, kOrigin, signer).value();
    Roster roster(kOrigin);
    int64_t now = 1'800'000'000'000;
    int nonce = 0;
    auto about = [&](const std::string& type, const std::string& kind,
                     const std::string& id) {
      return h_.Sign(
          ExampleAbout(type, kind, id, "n" + std::to_string(nonce++)),
          *publisher_);
    };
    std::vector<std::vector<SignedEvent>> batches = {
        {h_.Genesis(), h_.GrantPublisher(*publisher_)},
        {about("SystemRegistered", "system", "s1")},
        {about("SystemRegistered", "system", "s2"),
         about("RiskAssessed", "system", "s1")}};
    for (int b = 0; b < 5; ++b) {
      std::vector<SignedEvent> batch;
      for (int i = 0; i <= b; ++i) {
        batch.push_back(
            about("RiskAssessed", "system", (b + i) % 2 ? "s1" : "s2"));
      }
      batches.push_back(batch);
    }
    batches.push_back({about("SystemDecommissioned", "system", "s2")});
    batches.push_back({about("IncidentReported", "incident", "INC-1"),
                       about("RiskAssessed", "system", "s1")});
    for (size_t b = 0; b < batches.size(); ++b) {
      std::vector<std::pair<std::string, std::string>> meta;
      if (b == 0) meta.emplace_back(kOriginMetaKey, kOrigin);
      auto r = AppendThroughRules(store, writer.get(), roster, batches[b],
                                  now += 1000, meta);
      ASSERT_TRUE(r.ok()) << "batch " << b << ": " << r.status();
      roster = r->roster;
    }
    const TreeState state = store->ReadTreeState().value();
    const std::string note = store->ReadLatestCheckpoint().value();
    ASSERT_TRUE(store->WriteMeta(kCosignedMetaKey, note).ok());
    ASSERT_TRUE(store->WriteMeta(CosignedAtKey(state.size), note).ok());
  }

  // `copy` holds exactly `source`'s log.
  void ExpectSameLog(const LogStore& source, const LogStore& copy) {
    const TreeState state = source.ReadTreeState().value();
    ASSERT_EQ(copy.ReadTreeState().value(), state);
    EXPECT_EQ(copy.ReadLeaves(0, state.size).value(),
              source.ReadLeaves(0, state.size).value());
    EXPECT_EQ(Checkpoints(copy), Checkpoints(source));
    EXPECT_EQ(All(RowPager::Index(copy)), All(RowPager::Index(source)));
    const Rows meta = All(RowPager::Meta(source, NotStoreOwn));
    EXPECT_EQ(All(RowPager::Meta(copy, NotStoreOwn)), meta);
    EXPECT_TRUE(meta.count(kRosterMetaKey));
    EXPECT_TRUE(meta.count(kOriginMetaKey));
    EXPECT_TRUE(meta.count(PhaseMetaKey(std::string("system\0s2", 9))))
        << "the lifecycle wrote phase rows";
    const TreeReader a(&source), b(&copy);
    for (uint64_t i = 0; i < state.size; ++i) {
      const Leaf leaf = DecodeLeaf(copy.ReadLeaf(i).value()).value();
      EXPECT_EQ(copy.FindEvent(EventId(kOrigin, leaf.event_bytes)).value(),
                std::optional<uint64_t>(i));
      for (uint64_t size : {i + 1, state.size}) {
        EXPECT_EQ(b.InclusionProof(i, size, state).value(),
                  a.InclusionProof(i, size, state).value());
      }
    }
  }

  Keys h_;
  std::unique_ptr<SigningKey> publisher_;
  std::vector<std::string> paths_;
};

// RocksDB -> memory -> RocksDB, in batches cut at 2 leaves and at the sizes
// that were signed (two sizes were not): the same log at each step.
TEST_F(CopyLogTest, RocksToMemoryToRocksIsTheSameLogByteForByte) {
  auto source = NewRocks();
  ASSERT_NO_FATAL_FAILURE(Build(source.get(), Signer({3, 11})));
  const uint64_t size = source->ReadTreeState()->size;
  ASSERT_EQ(Checkpoints(*source).size(), 8u);
  CopyOptions o = Options();
  o.max_batch_leaves = 2;
  std::vector<std::string> stages;
  o.progress = [&](absl::string_view stage, uint64_t done, uint64_t total) {
    EXPECT_LE(done, total);
    EXPECT_EQ(total, size);
    if (stages.empty() || stages.back() != stage) stages.emplace_back(stage);
  };
  MemoryStore middle;
  auto r = CopyLog(*source, &middle, o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->checkpoints, 8u);
  EXPECT_GT(r->commits, r->checkpoints);  // batches cut at 2 leaves
  EXPECT_EQ(r->event_ids_checked, size);
  EXPECT_EQ(r->verified_size, size);
  EXPECT_EQ(r->verified_root, source->ReadTreeState()->root);
  EXPECT_EQ(r->index_rows, All(RowPager::Index(*source)).size());
  EXPECT_EQ(r->meta_rows + 1,  // and the origin row, written last
            All(RowPager::Meta(*source, NotStoreOwn)).size());
  EXPECT_EQ(stages,
            (std::vector<std::string>{"copying", "reading the copy back",
                                      "checking the copy's indexes"}));
  ASSERT_NO_FATAL_FAILURE(ExpectSameLog(*source, middle));

  auto back = NewRocks();
  o.max_batch_leaves = 10000;
  o.check_event_ids_every = 4;
  auto r2 = CopyLog(middle, back.get(), o);
  ASSERT_TRUE(r2.ok()) << r2.status();
  EXPECT_EQ(r2->commits, r2->checkpoints);  // one batch per signed size
  EXPECT_EQ(r2->event_ids_checked, (size + 3) / 4 + ((size - 1) % 4 != 0));
  ASSERT_NO_FATAL_FAILURE(ExpectSameLog(*source, *back));
}

// RocksDB -> PostgreSQL (holding the writer lease) -> RocksDB, the source
// read from a read-only open: the same log at each step.
TEST_F(CopyLogTest, RocksToPostgresToRocksIsTheSameLogByteForByte) {
  auto source = NewRocks();
  ASSERT_NO_FATAL_FAILURE(Build(source.get(), Signer({5})));
  std::string conninfo;
  auto pg = testing::MakePostgresStore(&conninfo, "migrate");
  ASSERT_NE(pg, nullptr);
  CopyOptions o = Options();
  o.max_batch_leaves = 3;
  auto r = CopyLog(*source, pg.get(), o);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_NO_FATAL_FAILURE(ExpectSameLog(*source, *pg));
  EXPECT_EQ(pg->ReadLease()->signed_size, source->ReadTreeState()->size);

  auto read_only =
      PostgresStore::Open({conninfo}, PostgresStore::Mode::kReadOnly).value();
  auto back = NewRocks();
  auto r2 = CopyLog(*read_only, back.get(), Options());
  ASSERT_TRUE(r2.ok()) << r2.status();
  EXPECT_EQ(r2->checkpoints, r->checkpoints);
  ASSERT_NO_FATAL_FAILURE(ExpectSameLog(*source, *back));
}

// A destination that holds anything of a log is refused, and left as it was.
TEST_F(CopyLogTest, ANonEmptyDestinationIsRefusedUnchanged) {
  MemoryStore source;
  ASSERT_NO_FATAL_FAILURE(Build(&source, Signer()));
  auto full = NewRocks();
  ASSERT_NO_FATAL_FAILURE(Build(full.get(), Signer()));
  const TreeState before = full->ReadTreeState().value();
  auto r = CopyLog(source, full.get(), Options());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("already holds a log of"),
            std::string::npos)
      << r.status();
  EXPECT_EQ(full->ReadTreeState().value(), before);

  MemoryStore meta_only;
  ASSERT_TRUE(meta_only.WriteMeta(kCosignedMetaKey, "x").ok());
  r = CopyLog(source, &meta_only, Options());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("'cosigned'"), std::string::npos);
  EXPECT_TRUE(absl::IsNotFound(meta_only.ReadTreeState().status()));

  MemoryStore index_only;
  ASSERT_TRUE(index_only.RewriteIndexRows({{"t-row", ""}}, {}).ok());
  r = CopyLog(source, &index_only, Options());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
}

// A source leaf altered (it still decodes, at its index) or a stored node
// altered: DATA_LOSS naming it, and the copy has no origin row, which
// `ailedgerd serve` requires.
TEST_F(CopyLogTest, AnAlteredSourceLeafOrNodeIsDataLossNamingIt) {
  MemoryStore source;
  ASSERT_NO_FATAL_FAILURE(Build(&source, Signer()));
  std::string leaf = source.ReadLeaf(5).value();
  leaf.back() ^= 1;
  source.OverwriteLeafForTesting(5, leaf);
  MemoryStore copy;
  auto r = CopyLog(source, &copy, Options());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(r.status().message().find("source: leaf 5 does not hash to the "
                                      "stored node (0, 5)"),
            std::string::npos)
      << r.status();
  EXPECT_FALSE(copy.ReadMeta(kOriginMetaKey).value().has_value());

  MemoryStore source2;
  ASSERT_NO_FATAL_FAILURE(Build(&source2, Signer()));
  source2.OverwriteNodeForTesting({2, 1}, Hash{});
  MemoryStore copy2;
  r = CopyLog(source2, &copy2, Options());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(
      r.status().message().find("source: stored node (2, 1) (0000000000000000"),
      std::string::npos)
      << r.status();
  EXPECT_NE(r.status().message().find("is not the hash of leaves 4 to 7"),
            std::string::npos);
  EXPECT_FALSE(copy2.ReadMeta(kOriginMetaKey).value().has_value());
}

// A source whose checkpoints another key of the same name signed: the copy is
// refused when its latest checkpoint does not open with the log key. A
// checkpoint signed for another root is refused where it is stored.
TEST_F(CopyLogTest, ACheckpointTheKeyDidNotSignIsRefused) {
  const SigningKey other =
      SigningKey::Generate(kOrigin, kKeyTypeEd25519).value();
  MemoryStore source;
  ASSERT_NO_FATAL_FAILURE(Build(&source, [&other](const Checkpoint& cp) {
    return SignCheckpoint(cp, other);
  }));
  MemoryStore copy;
  auto r = CopyLog(source, &copy, Options());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(r.status().message().find(
                "the latest checkpoint is not signed by the log key"),
            std::string::npos)
      << r.status();
  EXPECT_FALSE(copy.ReadMeta(kOriginMetaKey).value().has_value());

  MemoryStore forged;
  ASSERT_NO_FATAL_FAILURE(Build(&forged, [this](const Checkpoint& cp) {
    Checkpoint lie = cp;
    if (cp.size == 5) lie.root[0] ^= 1;
    return SignCheckpoint(lie, h_.log_key());
  }));
  MemoryStore copy2;
  r = CopyLog(forged, &copy2, Options());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(
      r.status().message().find("source: the checkpoint stored at size 5"),
      std::string::npos)
      << r.status();

  CopyOptions wrong_name = Options();
  wrong_name.log_key =
      SigningKey::Generate("another.example/log", kKeyTypeEd25519)
          .value()
          .verifier();
  MemoryStore copy3;
  r = CopyLog(source, &copy3, wrong_name);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("the log key is named"),
            std::string::npos);
}

// A destination that does not keep what it was given is caught by the checks
// of the copy, naming what differs, and is never made servable.
TEST_F(CopyLogTest, ACopyThatDiffersFromTheSourceIsRefused) {
  MemoryStore source;
  ASSERT_NO_FATAL_FAILURE(Build(&source, Signer()));
  const struct {
    std::function<void(CommitBatch*)> fault;
    std::string says;
  } cases[] = {
      {[](CommitBatch* b) {
         if (b->first_index == 3) b->leaves[1].back() ^= 1;
       },
       "copy: leaf 4 does not hash to the stored node (0, 4)"},
      {[](CommitBatch* b) {
         if (b->first_index == 3) b->event_ids[0].second = 7;
       },
       "copy: leaf 3's event id"},
      {[](CommitBatch* b) {
         if (b->first_index == 5) b->checkpoint.clear();
       },
       "the copy's checkpoints differ from the source's after size 5"},
      {[](CommitBatch* b) {
         if (!b->index_rows.empty()) b->index_rows.pop_back();
       },
       "the copy's index rows differ from the source's at key"},
      {[](CommitBatch* b) {
         for (auto& [k, v] : b->meta_rows) {
           if (k == kRosterMetaKey) v += "x";
         }
       },
       "the copy's meta rows differ from the source's at key " +
           ToHex(std::string(kRosterMetaKey))},
  };
  for (const auto& c : cases) {
    FaultyStore copy(c.fault);
    auto r = CopyLog(source, &copy, Options());
    EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss) << c.says;
    EXPECT_NE(r.status().message().find(c.says), std::string::npos)
        << r.status();
    EXPECT_FALSE(copy.ReadMeta(kOriginMetaKey).value().has_value());
  }
}

}  // namespace
}  // namespace ailedger
