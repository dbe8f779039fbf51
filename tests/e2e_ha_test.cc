// Failover, shown (issue 17): tools/ha-cluster starts one etcd and two
// PostgreSQL 15 nodes under Patroni in strict synchronous mode.
//
// - NoAcknowledgedCommitIsLostWhenThePrimaryIsKilled: concurrent libpq writers
//   commit rows through the multi-host conninfo
//   (target_session_attrs=read-write) while the primary is killed -9 (Patroni
//   and PostgreSQL both, as a lost machine) and the old primary revived; every
//   row whose COMMIT was acknowledged must be there afterwards.
// - NoAcknowledgedAppendIsLostThroughFailovers: the same with two ailedgerd
//   (writer and hot standby) on the cluster and appenders recording receipts;
//   each round kills the primary, revives it, then kills the ailedgerd holding
//   the writer lease. Every receipt's leaf is at its index, the exported log
//   verifies offline, and every receipt's checkpoint is the log's at its size.
//
// AILEDGER_HA_FAILOVERS=N repeats the rounds N times (1 by default, 20 for the
// note's long run); AILEDGER_HA_NODES=3 runs three nodes; AILEDGER_HA_BIN=DIR
// runs copies of ailedgerd and ailedger from DIR. Needs root and the
// Debian packages patroni, etcd-server, etcd-client and postgresql-15
// (tools/setup.sh installs them).
#include <libpq-fe.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "client/ledger_client.h"
#include "gtest/gtest.h"
#include "ledger/base/file_util.h"
#include "ledger/merkle/hash.h"
#include "ledger/tlog/checkpoint.h"
#include "ledger/tlog/keys.h"
#include "tests/testing/bundle_records.h"
#include "tests/testing/ha_appenders.h"
#include "tests/testing/ha_receipt_checks.h"
#include "tests/testing/ha_sql_writers.h"
#include "tests/testing/process.h"
#include "tests/testing/temp_dir.h"

namespace ailedger {
namespace {

using testing::NowMs;
using testing::ProcessResult;
using testing::Query;
using testing::RunProcess;
using testing::SqlWriters;

// The value of `key` in the output's first line "key: value" or "... key=value
// ...", or "" if there is none.
std::string Field(const std::string& out, const std::string& key) {
  for (absl::string_view line : absl::StrSplit(out, '\n')) {
    if (absl::StartsWith(line, key + ": ")) {
      return std::string(line.substr(key.size() + 2));
    }
    for (absl::string_view word : absl::StrSplit(line, ' ')) {
      if (absl::StartsWith(word, key + "=")) {
        return std::string(word.substr(key.size() + 1));
      }
    }
  }
  return "";
}

// The binaries under test: the build's, or copies named by AILEDGER_HA_BIN
// (a directory holding ailedgerd and ailedger), so that a long run is not
// switched to another build halfway (the restart loops exec the file anew).
std::string Ailedgerd() {
  const char* dir = std::getenv("AILEDGER_HA_BIN");
  return dir != nullptr ? std::string(dir) + "/ailedgerd" : AILEDGERD_PATH;
}
std::string AiledgerCli() {
  const char* dir = std::getenv("AILEDGER_HA_BIN");
  return dir != nullptr ? std::string(dir) + "/ailedger" : AILEDGER_CLI_PATH;
}

class HaClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "tools/ha-cluster runs as root";
    for (const char* bin : {"/usr/bin/patroni", "/usr/bin/etcd",
                            "/usr/lib/postgresql/15/bin/postgres"}) {
      if (access(bin, X_OK) != 0) {
        GTEST_SKIP() << bin << " is not installed (tools/setup.sh installs it)";
      }
    }
    dir_ = testing::FreshTempPath("ha");
  }
  void TearDown() override {
    if (writers_) writers_->Stop();
    if (!dir_.empty()) {  // always, so no cluster outlives the test
      ProcessResult r = Ha({"down", "--purge"});
      EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    }
    writers_.reset();  // joins: `down` ended any commit still waiting
  }

  ProcessResult Ha(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {
        "/usr/bin/env", "AILEDGER_HA_DIR=" + dir_, "AILEDGERD=" + Ailedgerd(),
        "AILEDGER=" + AiledgerCli(), AILEDGER_HA_CLUSTER};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunProcess(argv);
  }

  std::string dir_;
  std::unique_ptr<SqlWriters> writers_;
};

// A positive integer from the environment, or `otherwise`.
int EnvInt(const char* name, int otherwise) {
  const char* env = std::getenv(name);
  int n = 0;
  return env != nullptr && absl::SimpleAtoi(env, &n) && n > 0 ? n : otherwise;
}

TEST_F(HaClusterTest, NoAcknowledgedCommitIsLostWhenThePrimaryIsKilled) {
  // AILEDGER_HA_NODES=3: a third node, so writes resume without a revive.
  const int nodes = EnvInt("AILEDGER_HA_NODES", 2);
  ProcessResult up = Ha({"up", "--nodes", std::to_string(nodes)});
  ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
  std::cout << up.out;
  const std::string writer = Field(up.out, "writer");
  ASSERT_TRUE(absl::StrContains(writer, "target_session_attrs=read-write"))
      << up.out;
  ASSERT_FALSE(Field(up.out, "replica").empty()) << up.out;
  // A commit returns only once the standby has flushed it.
  EXPECT_EQ(Query(writer, "SHOW synchronous_commit"), "on");
  EXPECT_FALSE(Query(writer, "SHOW synchronous_standby_names").empty());
  Query(writer,
        "CREATE TABLE acks (writer int, seq int, PRIMARY KEY (writer, seq))");

  writers_ = std::make_unique<SqlWriters>(writer);
  writers_->Start();
  const int n = EnvInt("AILEDGER_HA_FAILOVERS", 1);
  for (int i = 1; i <= n; ++i) {
    const size_t before = writers_->count();
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    ASSERT_GT(writers_->count(), before) << "no commit before failover " << i;
    const int64_t kill_ms = NowMs();
    ProcessResult kill = Ha({"kill-primary"});
    ASSERT_EQ(kill.exit_code, 0) << kill.out << kill.err;
    int failover_ms = 0;
    ASSERT_TRUE(absl::SimpleAtoi(Field(kill.out, "failover_ms"), &failover_ms))
        << kill.out;
    EXPECT_GT(failover_ms, 0);
    // Any commit acknowledged from here on is the new primary's.
    const int64_t promoted_ms = kill_ms + failover_ms;
    const std::string killed = Field(kill.out, "killed");
    ProcessResult revive;
    if (nodes == 2) {
      // Strict synchronous mode: the new primary acknowledges no commit until
      // it has a synchronous standby again, i.e. until the revive.
      const int64_t revive_ms = NowMs();
      revive = Ha({"revive", killed});
      ASSERT_EQ(revive.exit_code, 0) << revive.out << revive.err;
      EXPECT_EQ(writers_->AcksBetween(promoted_ms, revive_ms), 0u)
          << "a commit was acknowledged with no synchronous standby";
    }
    int64_t resumed = 0;
    for (int t = 0; t < 300 && resumed == 0; ++t) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      resumed = writers_->FirstAckAfter(promoted_ms);
    }
    ASSERT_GT(resumed, 0) << "no commit after failover " << i;
    if (nodes > 2) {  // commits resumed without it
      revive = Ha({"revive", killed});
      ASSERT_EQ(revive.exit_code, 0) << revive.out << revive.err;
    }
    std::cout << "[ha] failover " << i << "/" << n << ": killed " << killed
              << ", " << Field(kill.out, "leader") << " leader after "
              << failover_ms << " ms; commits resumed " << resumed - kill_ms
              << " ms after the kill"
              << (nodes == 2 ? " (after the revive)" : "") << "\n";
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  writers_->Join();

  const auto acked = writers_->acked();
  std::set<std::pair<int, int>> present;
  PGconn* c = PQconnectdb(writer.c_str());
  ASSERT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
  PGresult* r = PQexec(c, "SELECT writer, seq FROM acks");
  ASSERT_EQ(PQresultStatus(r), PGRES_TUPLES_OK) << PQresultErrorMessage(r);
  for (int row = 0; row < PQntuples(r); ++row) {
    present.emplace(std::atoi(PQgetvalue(r, row, 0)),
                    std::atoi(PQgetvalue(r, row, 1)));
  }
  PQclear(r);
  PQfinish(c);
  size_t lost = 0;
  for (const auto& a : acked) lost += present.count(a) == 0;
  std::cout << "[ha] " << acked.size() << " commits acknowledged, "
            << present.size() << " rows present, " << lost << " lost\n";
  EXPECT_EQ(lost, 0u);
  EXPECT_EQ(writers_->sync_rep_cancels(), 0);
  EXPECT_GT(acked.size(), 0u);
}

// `ailedger --server target --timeout S ARGS`, retried every 200 ms for up to
// 30 s while it fails (an instance between losing and retaking the lease); the
// last run.
ProcessResult CliUntilOk(const std::string& target,
                         const std::vector<std::string>& args,
                         int timeout_s = 5) {
  std::vector<std::string> argv = {AiledgerCli(), "--server", target,
                                   "--timeout", std::to_string(timeout_s)};
  argv.insert(argv.end(), args.begin(), args.end());
  ProcessResult r;
  for (int t = 0; t < 150; ++t) {
    r = RunProcess(argv);
    if (r.exit_code == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return r;
}

// A file's text without its trailing newlines.
std::string ReadChomped(const std::string& path) {
  auto text = ReadSmallFile(path);
  EXPECT_TRUE(text.ok()) << path << ": " << text.status();
  return text.ok() ? testing::Chomp(*text) : "";
}

// "min/median/max a/b/c ms", or "none".
std::string MinMedianMax(std::vector<int64_t> v) {
  if (v.empty()) return "none";
  std::sort(v.begin(), v.end());
  return absl::StrCat(v.front(), "/", v[v.size() / 2], "/", v.back(), " ms");
}

// What one failover took (ms): PostgreSQL's promotion and the revive of the
// killed node, the ailedgerd takeover, and, after each kill, until an append
// sent after it was acknowledged.
struct FailoverTimes {
  int64_t promotion = 0, revive = 0, pg_resume = 0;
  int64_t takeover = 0, ailedgerd_resume = 0;
};

// An integer field of a tools/ha-cluster answer, or a test failure.
int64_t IntField(const ProcessResult& r, const std::string& key) {
  int64_t v = 0;
  EXPECT_TRUE(absl::SimpleAtoi(Field(r.out, key), &v))
      << key << " missing: " << r.out << r.err;
  return v;
}

class HaLedgerTest : public HaClusterTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(HaClusterTest::SetUp());
    if (IsSkipped()) return;
    ProcessResult help = RunProcess({Ailedgerd(), "help", "serve"});
    if (!absl::StrContains(help.out + help.err, "--store")) {
      GTEST_SKIP() << "ailedgerd has no --store yet";
    }
    InitCrypto();
  }
  void TearDown() override {
    if (appenders_) appenders_->Abort();  // no retry outlives the cluster
    HaClusterTest::TearDown();
    appenders_.reset();
  }

  // The publisher key `name`, made with keygen, requested and granted by the
  // admin through whichever instance holds the lease.
  void GrantPublisher(const std::string& name) {
    const std::string keys = Keys();
    ASSERT_EQ(RunProcess({AiledgerCli(), "keygen", "--name", name, "--out",
                          keys + name + ".key"})
                  .exit_code,
              0);
    const std::vector<std::string> what = {"--organisation", "HA Demo",
                                           "--role",         "publisher",
                                           "--kind",         "service"};
    std::vector<std::string> req = {"key",   "request",
                                    "--key", keys + name + ".key",
                                    "--out", keys + name + ".request"};
    req.insert(req.end(), what.begin(), what.end());
    ProcessResult r = CliUntilOk(target_, req);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::vector<std::string> grant = {"key", "grant", keys + name + ".request",
                                      "--key", keys + "admin.key"};
    grant.insert(grant.end(), what.begin(), what.end());
    ProcessResult g = CliUntilOk(target_, grant);
    ASSERT_EQ(g.exit_code, 0) << g.out << g.err;
    EXPECT_TRUE(absl::StrContains(g.out, "leaf_hash")) << g.out;
  }

  std::string Keys() const { return dir_ + "/ailedgerd/keys/"; }

  // Waits up to 180 s for a new event sent at or after `ms` to be
  // acknowledged; its acknowledgement time, or 0.
  int64_t WaitForNewAck(int64_t ms) {
    for (int t = 0; t < 1800; ++t) {
      if (int64_t at = appenders_->FirstNewAckSentFrom(ms)) return at;
      if (!appenders_->failures().empty()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return 0;
  }

  // kill -9 of the PostgreSQL primary, the revive of the killed node, then
  // kill -9 of the ailedgerd holding the lease; the times into `*t`.
  void Failover(int i, int n, int nodes, FailoverTimes* t);

  std::string target_;
  std::unique_ptr<testing::Appenders> appenders_;
};

void HaLedgerTest::Failover(int i, int n, int nodes, FailoverTimes* t) {
  ASSERT_GT(WaitForNewAck(testing::WallMs()), 0)
      << "no append acknowledged before failover " << i;
  ProcessResult kill = Ha({"kill-primary"});
  ASSERT_EQ(kill.exit_code, 0) << kill.out << kill.err;
  t->promotion = IntField(kill, "failover_ms");
  const int64_t killed_at = IntField(kill, "killed_at_ms");
  const std::string killed = Field(kill.out, "killed");
  const int64_t revive_from = testing::WallMs();
  ProcessResult revive = Ha({"revive", killed});
  ASSERT_EQ(revive.exit_code, 0) << revive.out << revive.err;
  t->revive = testing::WallMs() - revive_from;
  if (nodes == 2) {
    // Strict synchronous mode: with no synchronous standby until the revive,
    // no new event sent after the promotion may be acknowledged before it (a
    // retry answered as a duplicate is a read, and may).
    EXPECT_EQ(appenders_->NewAcksSentFromAckedBefore(killed_at + t->promotion,
                                                     revive_from),
              0u)
        << "an append was acknowledged with no synchronous standby";
  }
  const int64_t pg_resumed = WaitForNewAck(killed_at);
  ASSERT_GT(pg_resumed, 0) << "no append acknowledged after failover " << i
                           << appenders_->failures().size();
  t->pg_resume = pg_resumed - killed_at;

  ProcessResult ad = Ha({"kill-ailedgerd"});
  ASSERT_EQ(ad.exit_code, 0) << ad.out << ad.err;
  t->takeover = IntField(ad, "takeover_ms");
  const int64_t ad_killed_at = IntField(ad, "killed_at_ms");
  const int64_t ad_resumed = WaitForNewAck(ad_killed_at);
  ASSERT_GT(ad_resumed, 0) << "no append acknowledged after the kill of "
                           << Field(ad.out, "killed") << " (failover " << i
                           << ")";
  t->ailedgerd_resume = ad_resumed - ad_killed_at;
  std::cout << "[ha] failover " << i << "/" << n << ": PostgreSQL " << killed
            << " killed, " << Field(kill.out, "leader") << " promoted after "
            << t->promotion << " ms, " << killed << " revived in " << t->revive
            << " ms, appends acknowledged again " << t->pg_resume
            << " ms after the kill; ailedgerd " << Field(ad.out, "killed")
            << " killed, " << Field(ad.out, "holder")
            << " holds the lease after " << t->takeover
            << " ms, appends acknowledged again " << t->ailedgerd_resume
            << " ms after the kill (" << appenders_->count() << " so far)"
            << std::endl;
}

// Failover, shown (issue 17): appenders through both ailedgerd (one holds the
// writer lease, the other waits) record every receipt while, AILEDGER_HA_
// FAILOVERS times, the PostgreSQL primary is killed -9 (Patroni promotes the
// standby) and revived, then the ailedgerd holding the lease is killed -9 (the
// standby takes it). Afterwards every acknowledged append is in the log with
// its leaf, the log verifies offline, and every receipt's checkpoint is the
// exported log's at its size: no size signed with two roots.
TEST_F(HaLedgerTest, NoAcknowledgedAppendIsLostThroughFailovers) {
  const int nodes = EnvInt("AILEDGER_HA_NODES", 2);
  ProcessResult up =
      Ha({"up", "--nodes", std::to_string(nodes), "--ailedgerd"});
  ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
  target_ = Field(up.out, "grpc target");
  ASSERT_TRUE(absl::StartsWith(target_, "ipv4:127.0.0.1:")) << up.out;
  ASSERT_NO_FATAL_FAILURE(GrantPublisher("publisher"));
  auto publisher = LoadSigningKey(Keys() + "publisher.key");
  ASSERT_TRUE(publisher.ok()) << publisher.status();
  auto admin = LoadSigningKey(Keys() + "admin.key");
  ASSERT_TRUE(admin.ok()) << admin.status();
  auto log_key = VerifierKey::Parse(ReadChomped(Keys() + "log.key.pub"));
  ASSERT_TRUE(log_key.ok()) << log_key.status();

  testing::Appenders::Options o;
  o.target = target_;
  o.origin = log_key->name();
  o.organisation = "HA Demo";
  o.publisher = &*publisher;
  appenders_ = std::make_unique<testing::Appenders>(o);
  appenders_->Start();
  const int n = EnvInt("AILEDGER_HA_FAILOVERS", 1);
  std::vector<FailoverTimes> times(n);
  for (int i = 1; i <= n; ++i) {
    ASSERT_NO_FATAL_FAILURE(Failover(i, n, nodes, &times[i - 1]));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  appenders_->Join();  // each event sent is acknowledged first
  for (const std::string& f : appenders_->failures()) ADD_FAILURE() << f;
  ASSERT_TRUE(appenders_->failures().empty());
  const std::vector<testing::AckedAppend> acked = appenders_->acked();
  ASSERT_FALSE(acked.empty());

  LedgerClient::Options ro;
  ro.target = target_;
  ro.key = &*admin;
  ro.timeout_seconds = 30;
  auto reader = LedgerClient::Connect(ro);
  ASSERT_TRUE(reader.ok()) << reader.status();
  std::set<uint64_t> indexes;
  std::set<std::string> events;
  size_t duplicates = 0;
  for (const testing::AckedAppend& a : acked) {
    indexes.insert(a.receipt.index());
    events.insert(a.receipt.event_id());
    duplicates += a.receipt.duplicate();
  }
  // Each event was recorded once, and distinct events sit at distinct indexes.
  EXPECT_EQ(events.size(), acked.size());
  EXPECT_EQ(indexes.size(), events.size());

  // The whole log, exported with the CLI, verifies offline.
  const std::string bundle = dir_ + "/all.bundle";
  ProcessResult ex = CliUntilOk(
      target_, {"export", "--out", bundle, "--key", Keys() + "admin.key"}, 300);
  ASSERT_EQ(ex.exit_code, 0) << ex.out << ex.err;
  ProcessResult v = RunProcess({AiledgerCli(), "verify", bundle, "--vkey",
                                log_key->ToString(), "--admin-vkey",
                                ReadChomped(Keys() + "admin.key.pub")});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  Checkpoint exported;
  const std::vector<Hash> leaves =
      testing::BundleLeafHashes(bundle, *log_key, &exported);
  ASSERT_EQ(exported.size, leaves.size());
  // Every receipt's index holds exactly its leaf, served and exported.
  const size_t lost = testing::LostAppends(**reader, acked, leaves).size();
  // Nothing else is logged but the genesis and the grant: no event twice, none
  // that was not acknowledged.
  std::set<std::string> acked_leaves;
  for (const testing::AckedAppend& a : acked) {
    acked_leaves.insert(a.receipt.leaf_hash());
  }
  size_t others = 0;
  for (const Hash& h : leaves)
    others += acked_leaves.count(std::string(AsBytes(h))) == 0;
  EXPECT_EQ(others, 2u) << "leaves that no receipt names besides the genesis "
                           "and the grant";
  const size_t sizes =
      testing::ExpectReceiptCheckpointsAgree(acked, leaves, *log_key);

  std::vector<int64_t> promotion, revive, pg_resume, takeover, ad_resume;
  for (const FailoverTimes& t : times) {
    promotion.push_back(t.promotion);
    revive.push_back(t.revive);
    pg_resume.push_back(t.pg_resume);
    takeover.push_back(t.takeover);
    ad_resume.push_back(t.ailedgerd_resume);
  }
  std::string refusals;
  for (const auto& [code, count] : appenders_->refusals()) {
    absl::StrAppend(&refusals, refusals.empty() ? "" : ", ", code, " ", count);
  }
  std::cout << "[ha] summary: " << n << " failovers (" << nodes
            << " PostgreSQL nodes, " << o.threads << " appenders); "
            << acked.size() << " appends acknowledged (" << duplicates
            << " answered as duplicates of a lost answer), "
            << appenders_->retries() << " retries (" << refusals
            << "), appends lost " << lost << "; log of " << leaves.size()
            << " entries verified offline, " << sizes
            << " checkpoint sizes in receipts, one root each; min/median/max: "
            << "promotion " << MinMedianMax(promotion) << ", revive "
            << MinMedianMax(revive) << ", appends resumed after the primary's "
            << "kill " << MinMedianMax(pg_resume) << ", ailedgerd takeover "
            << MinMedianMax(takeover) << ", appends resumed after its kill "
            << MinMedianMax(ad_resume) << std::endl;
  EXPECT_EQ(lost, 0u);
}

}  // namespace
}  // namespace ailedger
