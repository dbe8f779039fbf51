// `ailedgerd upgrade` (server/upgrade.h) on a store in the format before this
// one: the previous release's 400-event log (tests/data/release-1d5ff10,
// gen-history), its exact leaves appended into a store whose index rows and
// format version are written as format version 1 wrote them (NUL-ended
// components, before commit 80d23fe). Serve's open refuses it naming the
// command; a dry run changes nothing; the upgrade rebuilds the indexes,
// verifies the tree and raises the version; a damaged store is not raised.
#include "server/upgrade.h"

#include <filesystem>
#include <fstream>

#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "ledger/audit/bundle.h"
#include "ledger/base/big_endian.h"
#include "ledger/governance/canonical.h"
#include "ledger/storage/checked_append.h"
#include "ledger/storage/event_index.h"
#include "ledger/storage/index_check.h"
#include "ledger/storage/meta_keys.h"
#include "ledger/storage/rocksdb_store.h"
#include "ledger/tlog/checkpoint.h"
#include "ledger/tlog/leaf.h"
#include "tests/testing/temp_dir.h"
#include "tests/testing/test_data.h"

namespace ailedger {
namespace {

constexpr char kRelease[] = "release-1d5ff10/gen-history";

struct Bundle {
  std::vector<std::string> leaves;
  std::string checkpoint;
};

Bundle ReadBundle() {
  std::ifstream in(testing::DataPath(std::string(kRelease) + "/log.bundle"),
                   std::ios::binary);
  BundleReader reader(&in);
  EXPECT_TRUE(reader.ReadMagic().ok());
  Bundle b;
  for (;;) {
    auto r = reader.Next();
    if (!r.ok()) break;
    if (r->type == RecordType::kLeaf) b.leaves.push_back(r->payload);
    if (r->type == RecordType::kCheckpoint) b.checkpoint = r->payload;
  }
  return b;
}

// The release's leaves, appended through the rules at their own times (so
// each is made again byte for byte), with its signed checkpoint at the end;
// then rewritten as format version 1.
void WriteVersionOneStore(const std::string& path, const Bundle& b) {
  auto store = RocksDbStore::Open(path, RocksDbStore::Mode::kCreate).value();
  const Leaf genesis = DecodeLeaf(b.leaves[0]).value();
  const std::string origin =
      ParseCanonicalEvent(genesis.event_bytes).value().genesis().origin();
  const uint64_t n = b.leaves.size();
  auto writer =
      LogWriter::Open(store.get(), origin,
                      [&](const Checkpoint& cp) -> absl::StatusOr<std::string> {
                        return cp.size == n ? b.checkpoint : std::string();
                      })
          .value();
  Roster roster(origin);
  for (uint64_t i = 0; i < n;) {
    std::vector<SignedEvent> group;
    const Leaf first = DecodeLeaf(b.leaves[i]).value();
    uint64_t j = i;
    for (; j < n; ++j) {
      const Leaf l = DecodeLeaf(b.leaves[j]).value();
      if (l.integrated_time_ms != first.integrated_time_ms) break;
      group.push_back({l.signer, l.signature, l.event_bytes});
    }
    std::vector<std::pair<std::string, std::string>> meta;
    if (i == 0) meta.emplace_back(kOriginMetaKey, origin);
    auto r = AppendThroughRules(store.get(), writer.get(), roster, group,
                                first.integrated_time_ms, meta);
    ASSERT_TRUE(r.ok()) << "at " << i << ": " << r.status();
    for (uint64_t k = i; k < j; ++k) {
      ASSERT_EQ(r->result.leaves[k - i], b.leaves[k]) << "leaf " << k;
    }
    roster = r->roster;
    i = j;
  }
  // What format version 1 wrote for the subject, type and organisation rows.
  const std::string nul(1, '\0');
  std::vector<std::pair<std::string, std::string>> put;
  std::vector<std::string> erase;
  for (uint64_t i = 0; i < n; ++i) {
    v1::Event e;
    ASSERT_TRUE(e.ParseFromString(DecodeLeaf(b.leaves[i]).value().event_bytes));
    for (auto& [key, value] : IndexRowsFor(e, i)) {
      if (key[0] == 's' || key[0] == 't' || key[0] == 'o') erase.push_back(key);
    }
    std::vector<std::string> old = {"t" + e.event_type() + nul};
    if (!e.organisation().empty()) old.push_back("o" + e.organisation() + nul);
    for (const auto& s : e.subjects()) {
      old.push_back("s" + s.kind() + nul + s.id() + nul);
    }
    for (std::string& key : old) {
      PutBigEndian64(i, &key);
      put.emplace_back(key, "");
    }
  }
  ASSERT_TRUE(store->RewriteIndexRows(put, erase).ok());
  ASSERT_TRUE(store
                  ->PutRawForTesting("meta", "format_version",
                                     std::string("\0\0\0\x01", 4))
                  .ok());
}

uint32_t VersionOf(const std::string& path) {
  auto store = RocksDbStore::Open(path, RocksDbStore::Mode::kRebuildIndexes);
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? (*store)->ReadFormatVersion().value() : 0;
}

class UpgradeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    InitCrypto();
    bundle_ = ReadBundle();
    ASSERT_GT(bundle_.leaves.size(), 400u);
    path_ = testing::FreshTempPath("upgrade");
    ASSERT_NO_FATAL_FAILURE(WriteVersionOneStore(path_, bundle_));
  }
  void TearDown() override { std::filesystem::remove_all(path_); }

  Bundle bundle_;
  std::string path_;
};

TEST_F(UpgradeTest, ThePreviousFormatIsUpgradedOnlyByTheCommand) {
  auto refused = RocksDbStore::Open(path_, RocksDbStore::Mode::kOpenExisting);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("`ailedgerd upgrade --data " +
                                            path_ + "`"),
            absl::string_view::npos)
      << refused.status();

  auto dry = UpgradeStore(path_, /*dry_run=*/true);
  ASSERT_TRUE(dry.ok()) << dry.status();
  EXPECT_NE(dry->find("dry run: store format version 1 -> 2"),
            std::string::npos)
      << *dry;
  EXPECT_NE(dry->find("would rebuild the query indexes"), std::string::npos)
      << *dry;
  EXPECT_NE(dry->find(absl::StrCat("the root of all ", bundle_.leaves.size(),
                                   " leaves is the latest checkpoint's")),
            std::string::npos)
      << *dry;
  EXPECT_EQ(VersionOf(path_), 1u) << "a dry run writes nothing";
  {
    auto store =
        RocksDbStore::Open(path_, RocksDbStore::Mode::kRebuildIndexes).value();
    EXPECT_GT(CheckIndexes(store.get(), false)->missing, 0u)
        << "a dry run leaves the old rows";
  }

  auto done = UpgradeStore(path_, /*dry_run=*/false);
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_NE(done->find("store format version is now 2"), std::string::npos)
      << *done;
  auto store =
      RocksDbStore::Open(path_, RocksDbStore::Mode::kOpenExisting).value();
  EXPECT_EQ(store->ReadFormatVersion().value(), kStoreFormatVersion);
  auto clean = CheckIndexes(store.get(), false).value();
  EXPECT_EQ(clean.missing + clean.extra + clean.phases_wrong, 0u);
  // The release's log key still opens the store's checkpoint, at its root.
  auto vkey = VerifierKey::Parse(std::string(absl::StripAsciiWhitespace(
      testing::ReadDataFile(std::string(kRelease) + "/log.key.pub"))));
  ASSERT_TRUE(vkey.ok());
  auto cp = OpenCheckpoint(store->ReadLatestCheckpoint().value(), *vkey);
  ASSERT_TRUE(cp.ok()) << cp.status();
  EXPECT_EQ(cp->checkpoint.root, store->ReadTreeState().value().root);
  store.reset();
  auto again = UpgradeStore(path_, false);
  ASSERT_TRUE(again.ok());
  EXPECT_NE(again->find("nothing to upgrade"), std::string::npos) << *again;
}

// A leaf damaged on disk: the migration's verification fails and the store
// keeps its old version (serve goes on refusing it).
TEST_F(UpgradeTest, ADamagedStoreIsNotRaised) {
  {
    auto store =
        RocksDbStore::Open(path_, RocksDbStore::Mode::kRebuildIndexes).value();
    Leaf leaf = DecodeLeaf(bundle_.leaves[7]).value();
    leaf.integrated_time_ms += 1;
    ASSERT_TRUE(store
                    ->PutRawForTesting("leaves", RocksDbStore::LeafKey(7),
                                       EncodeLeaf(leaf).value())
                    .ok());
  }
  auto r = UpgradeStore(path_, false);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss) << r.status();
  EXPECT_EQ(VersionOf(path_), 1u);
}

}  // namespace
}  // namespace ailedger
