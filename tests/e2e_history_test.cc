// tools/gen-history against the real ailedgerd: the generated history is
// accepted event by event (every rule of the sequencer), then exported and
// verified offline by `ailedger verify`; the rejected release is reported.
#include <csignal>

#include "gtest/gtest.h"
#include "ledger/base/big_endian.h"
#include "ledger/base/file_util.h"
#include "ledger/storage/event_index.h"
#include "ledger/storage/rocksdb_store.h"
#include "tests/testing/e2e_fixture.h"

namespace ailedger::testing {
namespace {

// The history is written in vocabulary v2, for role table version 3.
class HistoryTest : public E2eTest {
 protected:
  uint32_t RulesVersion() const override { return 3; }
};

TEST_F(HistoryTest, GeneratedHistoryLoadsAndVerifies) {
  server_->Stop(SIGTERM);
  StartServer({"--sealed-store", Path("sealed")});
  const uint64_t before = Size();
  auto gen = RunProcess({GEN_HISTORY_PATH, "--server", server_->address(),
                         "--admin-key", Path("admin.key"), "--events", "1500",
                         "--seed", "3", "--json"});
  ASSERT_EQ(gen.exit_code, 0) << gen.out << gen.err;
  EXPECT_NE(gen.out.find("\"events\":"), std::string::npos) << gen.out;
  EXPECT_TRUE(gen.err.empty()) << gen.err;  // quiet when piped; sealed stored
  EXPECT_GE(Size(), before + 1500);
  auto exp =
      Cli({"export", "--out", Path("h.bundle"), "--key", Path("admin.key")});
  ASSERT_EQ(exp.exit_code, 0) << exp.err;
  auto verify = Cli({"verify", Path("h.bundle"), "--vkey", Vkey("log"),
                     "--admin-vkey", Vkey("admin")});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_NE(verify.out.find("VERIFIED"), std::string::npos) << verify.out;
  EXPECT_NE(verify.out.find("pipeline-2"), std::string::npos);  // rotation
  EXPECT_NE(verify.out.find("rejected by an approver: index"),
            std::string::npos)
      << verify.out;  // the rejected release is not "awaiting approval"
  EXPECT_EQ(verify.out.find("awaiting approval"), std::string::npos);
  auto queries =
      Cli({"check-queries", Path("h.bundle"), "--key", Path("admin.key")});
  EXPECT_EQ(queries.exit_code, 0) << queries.out << queries.err;
  EXPECT_NE(queries.out.find("MATCH"), std::string::npos) << queries.out;
}

// An auditor's check-queries finds a query index that lost a row (a wrong extra
// row changes no answer: the server matches each row against its leaf);
// ailedgerd check-indexes --repair rebuilds the rows from the leaves.
TEST_F(HistoryTest, CheckQueriesFindsTamperedIndexes) {
  auto gen = RunProcess({GEN_HISTORY_PATH, "--server", server_->address(),
                         "--admin-key", Path("admin.key"), "--events", "300"});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  ASSERT_EQ(
      Cli({"export", "--out", Path("h.bundle"), "--key", Path("admin.key")})
          .exit_code,
      0);
  server_->Stop(SIGTERM);
  {
    auto store =
        RocksDbStore::Open(Path("data"), RocksDbStore::Mode::kOpenExisting);
    ASSERT_TRUE(store.ok()) << store.status();
    const std::string fair = TypePrefix("FairnessSnapshot");
    auto rows = (*store)->ScanIndex(fair, fair + std::string(9, '\xff'), 1);
    ASSERT_TRUE(rows.ok() && rows->size() == 1);
    std::string wrong = TypePrefix("AuditClosed");
    PutBigEndian64(IndexOfRow((*rows)[0].first), &wrong);
    ASSERT_TRUE(
        (*store)->RewriteIndexRows({{wrong, ""}}, {(*rows)[0].first}).ok());
  }
  StartServer();
  auto bad =
      Cli({"check-queries", Path("h.bundle"), "--key", Path("admin.key")});
  EXPECT_EQ(bad.exit_code, 1) << bad.out << bad.err;
  EXPECT_NE(bad.out.find("type FairnessSnapshot: missing"), std::string::npos)
      << bad.out;
  // The wrong row changes no answer: the server matches each row's leaf.
  EXPECT_EQ(bad.out.find("AuditClosed"), std::string::npos) << bad.out;
  server_->Stop(SIGTERM);
  auto repair = Daemon({"check-indexes", "--data", Path("data"), "--repair"});
  EXPECT_EQ(repair.exit_code, 0) << repair.out << repair.err;
  StartServer();
  auto good =
      Cli({"check-queries", Path("h.bundle"), "--key", Path("admin.key")});
  EXPECT_EQ(good.exit_code, 0) << good.out << good.err;
}

TEST_F(HistoryTest, DryRunIsDeterministic) {
  auto a = RunProcess(
      {GEN_HISTORY_PATH, "--dry-run", "--origin", "o", "--events", "700"});
  auto b = RunProcess(
      {GEN_HISTORY_PATH, "--dry-run", "--origin", "o", "--events", "700"});
  auto c = RunProcess({GEN_HISTORY_PATH, "--dry-run", "--origin", "o",
                       "--events", "700", "--seed", "9"});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
  EXPECT_NE(a.out, c.out);
  EXPECT_EQ(
      RunProcess({GEN_HISTORY_PATH, "--years", "0", "--dry-run"}).exit_code, 2);
}

}  // namespace
}  // namespace ailedger::testing
