// `ailedgerd migrate` with the real binaries (issue 17): a log made by
// `ailedgerd init` and appended to through the client is copied to a new
// directory, and to PostgreSQL and back; each copy is served in its place and
// goes on, and the whole log verifies offline. A running server's store, a
// destination that exists or holds a log, and a source below the log key's
// high-water mark are refused, and nothing is written.
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "ledger/storage/rocksdb_store.h"
#include "nlohmann/json.hpp"
#include "tests/testing/e2e_fixture.h"
#include "tests/testing/pg_cluster.h"

namespace ailedger {
namespace {

namespace fs = std::filesystem;
using testing::E2eTest;

class MigrateTest : public E2eTest {
 protected:
  // The store StartServer serves: the fixture's directory until a test moves
  // the log.
  std::vector<std::string> StoreFlags() const override {
    return store_.empty() ? E2eTest::StoreFlags() : store_;
  }
  void ExpectVerifies(const std::string& bundle) {
    ASSERT_NO_FATAL_FAILURE(ExportBundle(bundle));
    auto verify = Cli({"verify", Path(bundle), "--vkey", Vkey("log"),
                       "--admin-vkey", Vkey("admin")});
    EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  }

  testing::ProcessResult Migrate(const std::string& from, const std::string& to,
                                 std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {
        "migrate", "--from", from, "--to", to, "--log-key", Path("log.key")};
    args.insert(args.end(), extra.begin(), extra.end());
    return Daemon(args);
  }

  std::vector<std::string> store_;
};

TEST_F(MigrateTest, ACopyInANewDirectoryIsServedAndVerifies) {
  AppendEvents(0, 12);
  const uint64_t size = Size();
  auto busy = Migrate(Path("data"), Path("copy"));
  ExpectExit(busy, 1, "holds its lock: a running ailedgerd?");
  EXPECT_FALSE(fs::exists(Path("copy")));
  EXPECT_FALSE(fs::exists(Path("copy.migrating")));
  ASSERT_EQ(server_->Stop(SIGTERM), 0);

  auto json = Migrate(Path("data"), Path("copy"), {"--json"});
  ASSERT_EQ(json.exit_code, 0) << json.out << json.err;
  const auto j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["origin"], testing::kE2eOrigin);
  EXPECT_EQ(j["entries"], size);
  EXPECT_EQ(j["verified_checkpoint_size"], size);
  EXPECT_GE(j["checkpoints"].get<uint64_t>(), 12u);  // one per append at least
  EXPECT_GT(j["index_rows"].get<uint64_t>(), 4 * 12u);
  EXPECT_FALSE(fs::exists(Path("copy.migrating")));

  auto again = Migrate(Path("data"), Path("copy"));
  ExpectExit(again, 1, "exists: migrate copies into a new directory");
  auto text = Migrate(Path("copy"), Path("copy2"));
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find(absl::StrCat(
                "root verified against the signed checkpoint at size ", size)),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find(absl::StrCat(size, " entries")), std::string::npos);

  auto indexes = Daemon({"check-indexes", "--data", Path("copy2")});
  EXPECT_EQ(indexes.exit_code, 0) << indexes.out << indexes.err;
  // The copy of the copy is served in the log's place, and goes on.
  fs::rename(Path("data"), Path("original"));
  fs::rename(Path("copy2"), Path("data"));
  StartServer();
  EXPECT_EQ(Size(), size);
  AppendEvents(100, 3);
  EXPECT_EQ(Size(), size + 3);
  ExpectVerifies("after.bundle");
}

// RocksDB -> PostgreSQL, served there (migrate let its writer lease go) and
// appended to; refused as a source while served; PostgreSQL -> RocksDB,
// served and appended to; the whole log verifies at each step.
TEST_F(MigrateTest, ALogMovesToPostgreSQLAndBack) {
  AppendEvents(0, 8);
  const uint64_t size = Size();
  ASSERT_EQ(server_->Stop(SIGTERM), 0);
  auto cluster = testing::PgCluster::Shared();
  ASSERT_TRUE(cluster.ok()) << cluster.status();
  auto db = (*cluster)->CreateDatabase();
  ASSERT_TRUE(db.ok()) << db.status();

  auto to_pg = Migrate(Path("data"), *db);
  ASSERT_EQ(to_pg.exit_code, 0) << to_pg.out << to_pg.err;
  EXPECT_NE(to_pg.out.find(absl::StrCat(
                "root verified against the signed checkpoint at size ", size)),
            std::string::npos)
      << to_pg.out;
  store_ = {"--store", *db};
  StartServer();
  EXPECT_EQ(Size(), size);
  // Into a database a server is running on: refused.
  auto served = Migrate(Path("data"), *db);
  ExpectExit(served, 1, "its writer lease is held by");
  AppendEvents(100, 3);
  ExpectVerifies("pg.bundle");
  auto busy = Migrate(*db, Path("back"));
  ExpectExit(busy, 1, "holds its writer lease");
  EXPECT_FALSE(fs::exists(Path("back")));
  ASSERT_EQ(server_->Stop(SIGTERM), 0);

  auto back = Migrate(*db, Path("back"), {"--json"});
  ASSERT_EQ(back.exit_code, 0) << back.out << back.err;
  EXPECT_EQ(nlohmann::json::parse(back.out)["entries"], size + 3);
  store_ = {"--data", Path("back")};
  StartServer();
  EXPECT_EQ(Size(), size + 3);
  AppendEvents(200, 2);
  EXPECT_EQ(Size(), size + 5);
  ExpectVerifies("back.bundle");
  // Into a database that holds a log: refused.
  ASSERT_EQ(server_->Stop(SIGTERM), 0);
  auto full = Migrate(Path("back"), *db);
  ExpectExit(full, 1, absl::StrCat("already holds a log of ", size + 3));
  EXPECT_EQ(full.err.find("partial copy"), std::string::npos) << full.err;
}

// A source leaf altered on the disk: DATA_LOSS naming it; the rows already
// copied into PostgreSQL have no origin row, and serve refuses them.
TEST_F(MigrateTest, AnAlteredSourceIsRefusedAndItsPartialCopyNotServed) {
  AppendEvents(0, 8);
  ASSERT_EQ(server_->Stop(SIGTERM), 0);
  {
    auto store =
        RocksDbStore::Open(Path("data"), RocksDbStore::Mode::kOpenExisting);
    ASSERT_TRUE(store.ok()) << store.status();
    std::string leaf = (*store)->ReadLeaf(6).value();
    leaf.back() ^= 1;
    ASSERT_TRUE((*store)
                    ->PutRawForTesting("leaves", RocksDbStore::LeafKey(6), leaf)
                    .ok());
  }
  auto db = testing::PgCluster::Shared().value()->CreateDatabase();
  ASSERT_TRUE(db.ok()) << db.status();
  auto r = Migrate(Path("data"), *db);
  ExpectExit(r, 1, "source: leaf 6 does not hash to the stored node (0, 6)");
  EXPECT_NE(r.err.find("now holds a partial copy without an origin row"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.out, "");
  testing::ServerProcess refused({AILEDGERD_PATH, "serve", "--store", *db,
                                  "--log-key", Path("log.key"), "--listen",
                                  "127.0.0.1:0"});
  EXPECT_FALSE(refused.started()) << refused.output();

  auto dir = Migrate(Path("data"), Path("copy"));
  ExpectExit(dir, 1, "source: leaf 6");
  EXPECT_FALSE(fs::exists(Path("copy")));
  EXPECT_FALSE(fs::exists(Path("copy.migrating")));
}

// A store the key has signed beyond is a restored older copy: not copied.
TEST_F(MigrateTest, ASourceBelowTheKeysMarkIsRefused) {
  AppendEvents(0, 3);
  ASSERT_NO_FATAL_FAILURE(StopAndBackUpStore());  // old/: 4 entries
  StartServer();
  AppendEvents(10, 2);
  const uint64_t mark = Size();
  ASSERT_EQ(server_->Stop(SIGTERM), 0);
  auto r = Migrate(Path("old"), Path("copy"));
  ExpectExit(r, 1,
             absl::StrCat("this log key has signed size ", mark, " (",
                          Path("log.key"), ".hwm)"));
  for (const char* says : {"(a fork)", "Nothing was written"}) {
    EXPECT_NE(r.err.find(says), std::string::npos) << r.err;
  }
  EXPECT_FALSE(fs::exists(Path("copy")));
  EXPECT_FALSE(fs::exists(Path("copy.migrating")));
}

}  // namespace
}  // namespace ailedger
