// One writer, always (issue 17), end to end: two real `ailedgerd serve`
// against one PostgreSQL store. The second waits as a hot standby; it takes
// the writer lease when the first dies (kill -9), stops cleanly (SIGTERM,
// which hands the lease over at once) or is paused past its lease (SIGSTOP: on
// waking it finds the lease taken, commits nothing and exits 75). Every
// acknowledged append is in the log with its receipt's leaf hash, and the log
// verifies offline.
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "ledger/base/file_util.h"
#include "ledger/merkle/hash.h"
#include "tests/testing/e2e_fixture.h"
#include "tests/testing/loopback.h"
#include "tests/testing/pg_cluster.h"

namespace ailedger {
namespace {

using Clock = std::chrono::steady_clock;
using testing::ServerProcess;

class WriterLeaseTest : public testing::E2eTest {
 protected:
  void SetUp() override {
    auto cluster = testing::PgCluster::Shared();
    ASSERT_TRUE(cluster.ok()) << cluster.status();
    auto db = (*cluster)->CreateDatabase();
    ASSERT_TRUE(db.ok()) << db.status();
    conninfo_ = *db;
    ASSERT_NO_FATAL_FAILURE(E2eTest::SetUp());
    // The fixture's server granted the publisher; it hands the lease over.
    ASSERT_EQ(server_->Stop(SIGTERM), 0);
    server_.reset();
  }
  std::vector<std::string> StoreFlags() const override {
    return {"--store", conninfo_};
  }

  // `ailedgerd serve` named `instance`, with its own copy of the log key (and
  // so its own high-water mark), as a machine of its own would have.
  std::vector<std::string> ServeArgs(const std::string& instance,
                                     int port = 0) {
    const std::string key = Path(instance + ".log.key");
    if (!std::filesystem::exists(key))
      std::filesystem::copy_file(Path("log.key"), key);
    return {AILEDGERD_PATH,   "serve",
            "--store",        conninfo_,
            "--log-key",      key,
            "--listen",       "127.0.0.1:" + std::to_string(port),
            "--instance",     instance,
            "--lease-ttl-ms", kTtlMs};
  }

  // Starts the standby in the background: it listens only once it holds the
  // lease.
  std::future<std::unique_ptr<ServerProcess>> StartStandby(int port = 0) {
    auto argv = ServeArgs("b", port);
    return std::async(std::launch::async,
                      [argv] { return std::make_unique<ServerProcess>(argv); });
  }

  // Appends `n` events numbered from `first`, each acknowledged, keeping its
  // receipt.
  void AppendRecorded(int first, int n) {
    auto client = Client(nullptr);
    for (int i = first; i < first + n; ++i) {
      auto r =
          client->Append(Signed(LoadKey("publisher"), "RiskAssessed", "s", i));
      ASSERT_TRUE(r.ok()) << r.status();
      receipts_.push_back(*r);
    }
  }

  // Every receipt's index holds its leaf, as `client`'s server reads it.
  void ExpectReceiptsServedBy(LedgerClient& client) {
    for (const v1::Receipt& r : receipts_) {
      v1::GetEntryRequest req;
      req.set_index(r.index());
      auto e = client.GetEntry(req);
      ASSERT_TRUE(e.ok()) << "entry " << r.index() << ": " << e.status();
      EXPECT_EQ(AsBytes(HashLeaf(e->leaf())), r.leaf_hash()) << r.index();
    }
  }

  // A client of the server at `address` signing its reads with `key`.
  static std::unique_ptr<LedgerClient> ClientOf(const std::string& address,
                                                const SigningKey* key) {
    LedgerClient::Options o;
    o.target = address;
    o.key = key;
    auto c = LedgerClient::Connect(o);
    EXPECT_TRUE(c.ok()) << c.status();
    return c.ok() ? *std::move(c) : nullptr;
  }

  // Every receipt's leaf is in the log as acknowledged, and the whole log
  // verifies offline (every checkpoint consistent with the ones before it).
  void ExpectEveryReceiptAndTheLogVerifies() {
    const SigningKey admin = LoadKey("admin");
    auto client = Client(&admin);
    ASSERT_NO_FATAL_FAILURE(ExpectReceiptsServedBy(*client));
    ExportBundle("all.bundle");
    auto v = Cli({"verify", Path("all.bundle"), "--vkey", Vkey("log"),
                  "--admin-vkey", Vkey("admin")});
    EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  }

  static constexpr char kTtlMs[] = "1500";
  std::string conninfo_;
  std::vector<v1::Receipt> receipts_;
};

TEST_F(WriterLeaseTest, StandbyWaitsThenTakesOverWhenTheWriterIsKilled) {
  server_ = std::make_unique<ServerProcess>(ServeArgs("a"));
  ASSERT_TRUE(server_->started()) << server_->output();
  ASSERT_NO_FATAL_FAILURE(AppendRecorded(1, 10));
  auto standby = StartStandby();
  // While the writer renews its lease, the standby does not serve.
  EXPECT_EQ(standby.wait_for(std::chrono::milliseconds(3000)),
            std::future_status::timeout);
  const auto killed = Clock::now();
  server_->Stop(SIGKILL);
  server_ = standby.get();
  ASSERT_TRUE(server_->started()) << server_->output();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
      Clock::now() - killed);
  std::printf("takeover after kill -9: %lld ms (lease ttl %s ms)\n",
              static_cast<long long>(ms.count()), kTtlMs);
  EXPECT_LT(ms.count(), 15000);
  ASSERT_NO_FATAL_FAILURE(AppendRecorded(11, 10));
  EXPECT_EQ(Size(), receipts_.back().index() + 1);
  ExpectEveryReceiptAndTheLogVerifies();
}

// A free loopback port (closed again: the server binds it).
int FreePort() {
  int port = 0;
  const int fd = testing::ListenOnLoopback(1, &port);
  close(fd);
  return port;
}

// A vendor's pipeline names both instances; gRPC's pick_first finds the one
// that listens, the writer, and after the failover the new one.
TEST_F(WriterLeaseTest, AClientNamingBothInstancesFollowsTheWriter) {
  const int pa = FreePort(), pb = FreePort();
  server_ = std::make_unique<ServerProcess>(ServeArgs("a", pa));
  ASSERT_TRUE(server_->started()) << server_->output();
  auto standby = StartStandby(pb);
  LedgerClient::Options o;
  o.target = absl::StrCat("ipv4:127.0.0.1:", pa, ",127.0.0.1:", pb);
  o.timeout_seconds = 5;
  auto both = LedgerClient::Connect(o);
  ASSERT_TRUE(both.ok()) << both.status();
  const SigningKey publisher = LoadKey("publisher");
  for (int i = 1; i <= 5; ++i) {
    auto r = (*both)->Append(Signed(publisher, "RiskAssessed", "s", i));
    ASSERT_TRUE(r.ok()) << r.status();
    receipts_.push_back(*r);
  }
  server_->Stop(SIGKILL);
  const auto killed = Clock::now();
  int refused = 0;
  for (int i = 6; i <= 10; ++i) {
    auto r = (*both)->Append(Signed(publisher, "RiskAssessed", "s", i));
    // Not acknowledged while no instance writes: the pipeline retries.
    while (!r.ok() && Clock::now() - killed < std::chrono::seconds(30)) {
      ASSERT_TRUE(absl::IsUnavailable(r.status()) ||
                  absl::IsDeadlineExceeded(r.status()))
          << r.status();
      ++refused;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      r = (*both)->Append(Signed(publisher, "RiskAssessed", "s", i));
    }
    ASSERT_TRUE(r.ok()) << r.status();
    receipts_.push_back(*r);
  }
  const auto resumed = Clock::now();
  std::printf(
      "the client's appends resumed %lld ms after the kill (%d refused "
      "meanwhile, none acknowledged)\n",
      static_cast<long long>(
          std::chrono::duration_cast<std::chrono::milliseconds>(resumed -
                                                                killed)
              .count()),
      refused);
  server_ = standby.get();
  ASSERT_TRUE(server_->started());
  EXPECT_EQ(server_->port(), pb);
  ExpectEveryReceiptAndTheLogVerifies();
}

TEST_F(WriterLeaseTest, ACleanStopHandsTheLeaseOverAtOnce) {
  server_ = std::make_unique<ServerProcess>(ServeArgs("a"));
  ASSERT_TRUE(server_->started()) << server_->output();
  ASSERT_NO_FATAL_FAILURE(AppendRecorded(1, 3));
  auto standby = StartStandby();
  EXPECT_EQ(standby.wait_for(std::chrono::milliseconds(2000)),
            std::future_status::timeout);
  EXPECT_EQ(server_->Stop(SIGTERM), 0);
  server_ = standby.get();
  ASSERT_TRUE(server_->started()) << server_->output();
  ASSERT_NO_FATAL_FAILURE(AppendRecorded(4, 3));
  ExpectEveryReceiptAndTheLogVerifies();
}

TEST_F(WriterLeaseTest, AWriterPausedPastItsLeaseCommitsNothingAndExits75) {
  auto a = std::make_unique<ServerProcess>(ServeArgs("a"));
  ASSERT_TRUE(a->started()) << a->output();
  const std::string a_addr = a->address();
  auto standby = StartStandby();
  ASSERT_EQ(standby.wait_for(std::chrono::milliseconds(2000)),
            std::future_status::timeout);
  ASSERT_EQ(kill(a->pid(), SIGSTOP), 0);
  server_ = standby.get();  // b took the expired lease
  ASSERT_TRUE(server_->started()) << server_->output();
  ASSERT_NO_FATAL_FAILURE(AppendRecorded(1, 3));
  const uint64_t size = Size();
  ASSERT_EQ(kill(a->pid(), SIGCONT), 0);
  // Woken, a's first renewal finds epoch + 1 in the row: it exits 75. An
  // append it takes before that is refused by the epoch check in the commit.
  LedgerClient::Options o;
  o.target = a_addr;
  o.timeout_seconds = 5;
  auto to_a = LedgerClient::Connect(o);
  ASSERT_TRUE(to_a.ok());
  EXPECT_FALSE(
      (*to_a)
          ->Append(Signed(LoadKey("publisher"), "RiskAssessed", "s", 99))
          .ok());
  EXPECT_EQ(a->Wait(std::chrono::milliseconds(10000)), 75) << a->output();
  EXPECT_EQ(Size(), size);
  ExpectEveryReceiptAndTheLogVerifies();
}

// Reads scale out: `serve --read-only` (here on the primary's database; on
// a hot standby in e2e_ha_test) serves reads without a log key, refuses
// appends, follows the roster the writer commits, and says its lag.
TEST_F(WriterLeaseTest, AReadOnlyInstanceServesReadsAndFollowsTheRoster) {
  server_ = std::make_unique<ServerProcess>(ServeArgs("a"));
  ASSERT_TRUE(server_->started()) << server_->output();
  ASSERT_NO_FATAL_FAILURE(AppendRecorded(1, 3));
  ServerProcess replica({AILEDGERD_PATH, "serve", "--read-only", "--store",
                         conninfo_, "--listen", "127.0.0.1:0"});
  ASSERT_TRUE(replica.started()) << replica.output();
  const SigningKey admin = LoadKey("admin");
  auto reader = ClientOf(replica.address(), &admin);
  ASSERT_NE(reader, nullptr);
  auto info = reader->LogInfo();
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_TRUE(info->read_only());
  EXPECT_GE(info->replica_lag_ms(), 0);
  EXPECT_LT(info->replica_lag_ms(), 60'000);
  EXPECT_EQ(info->size(), Size());
  EXPECT_EQ(info->log_verifier_key(), Vkey("log"));
  ASSERT_NO_FATAL_FAILURE(ExpectReceiptsServedBy(*reader));
  auto refused =
      reader->Append(Signed(LoadKey("publisher"), "RiskAssessed", "s", 9));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition)
      << refused.status();
  EXPECT_NE(refused.status().message().find("read-only replica"),
            std::string::npos);
  // A key the writer grants now may read from the replica once it follows.
  ASSERT_NO_FATAL_FAILURE(Grant("auditor", "auditor"));
  const SigningKey auditor = LoadKey("auditor");
  LedgerClient::Options o;
  o.target = replica.address();
  o.key = &auditor;
  auto as_auditor = LedgerClient::Connect(o);
  const auto until = Clock::now() + std::chrono::seconds(10);
  absl::Status read = absl::UnknownError("not tried");
  while (Clock::now() < until) {
    v1::GetEntryRequest first;
    first.set_index(0);
    read = as_auditor.ok() ? (*as_auditor)->GetEntry(first).status()
                           : as_auditor.status();
    if (read.ok()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    if (!as_auditor.ok()) as_auditor = LedgerClient::Connect(o);
  }
  EXPECT_TRUE(read.ok()) << read;
  auto cli = testing::RunProcess(
      {AILEDGER_CLI_PATH, "log-info", "--server", replica.address()});
  EXPECT_NE(cli.out.find("read-only replica"), std::string::npos)
      << cli.out << cli.err;
}

// The same on a real hot standby (streaming replication): the replica's copy
// follows the writer's, and it says how far behind it is.
TEST_F(WriterLeaseTest, AReadOnlyInstanceOnAHotStandbyFollowsTheWriter) {
  server_ = std::make_unique<ServerProcess>(ServeArgs("a"));
  ASSERT_TRUE(server_->started()) << server_->output();
  ASSERT_NO_FATAL_FAILURE(AppendRecorded(1, 3));
  auto primary = testing::PgCluster::Shared();
  ASSERT_TRUE(primary.ok());
  auto standby =
      testing::PgCluster::StandbyOf(**primary, Path("standby-cluster"));
  ASSERT_TRUE(standby.ok()) << standby.status();
  // A hot standby needs at least the primary's max_connections.
  auto started = (*standby)->Start(200);
  ASSERT_TRUE(started.ok()) << started;
  const std::string db = conninfo_.substr(conninfo_.rfind("dbname=") + 7);
  const std::string replica_conninfo =
      (*standby)->conninfo(db.substr(0, db.find(' ')));
  ServerProcess replica({AILEDGERD_PATH, "serve", "--read-only", "--store",
                         replica_conninfo, "--listen", "127.0.0.1:0"});
  ASSERT_TRUE(replica.started()) << replica.output();
  const SigningKey admin = LoadKey("admin");
  auto reader = ClientOf(replica.address(), &admin);
  ASSERT_NE(reader, nullptr);
  // Appends on the writer reach the replica's copy within seconds.
  ASSERT_NO_FATAL_FAILURE(AppendRecorded(4, 3));
  const uint64_t size = Size();
  absl::StatusOr<v1::GetLogInfoResponse> info;
  for (auto until = Clock::now() + std::chrono::seconds(20);
       Clock::now() < until;
       std::this_thread::sleep_for(std::chrono::milliseconds(100))) {
    info = reader->LogInfo();
    if (info.ok() && info->size() == size) break;
  }
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->size(), size);
  EXPECT_TRUE(info->read_only());
  EXPECT_GE(info->replica_lag_ms(), 0);
  std::printf("hot standby replica: %llu entries, %lld ms behind the writer\n",
              static_cast<unsigned long long>(info->size()),
              static_cast<long long>(info->replica_lag_ms()));
  ASSERT_NO_FATAL_FAILURE(ExpectReceiptsServedBy(*reader));
}

TEST_F(WriterLeaseTest, InitTwiceAndBadStoreFlagsAreRefused) {
  auto again = Daemon({"init", "--store", conninfo_, "--genesis",
                       Path("genesis.json"), "--log-key", Path("log.key")});
  EXPECT_NE(again.exit_code, 0);
  auto both = Daemon({"serve", "--store", conninfo_, "--data", Path("d"),
                      "--log-key", Path("log.key")});
  ExpectExit(both, 2, "exactly one of --data DIR");
  auto bad = Daemon(
      {"serve", "--store", "not-a-conninfo", "--log-key", Path("log.key")});
  ExpectExit(bad, 2, "is not a PostgreSQL connection string");
}

}  // namespace
}  // namespace ailedger
