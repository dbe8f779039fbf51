// Backups and restores with the real ailedgerd (issue 16): `ailedgerd backup`
// while appends go on, `ailedgerd restore` of a copy the log key has signed
// beyond, and both ways on from there (replaying an export bundle to the mark,
// or a successor log naming the predecessor's checkpoint); the sealed store's
// round trip. Through all of it, no size is ever signed with two roots.
#include <atomic>
#include <filesystem>
#include <map>
#include <thread>

#include "absl/strings/str_cat.h"
#include "ledger/base/backup_files.h"
#include "ledger/base/base64.h"
#include "ledger/base/file_util.h"
#include "ledger/governance/canonical.h"
#include "ledger/storage/rocksdb_store.h"
#include "ledger/tlog/leaf.h"
#include "ledger/tlog/note.h"
#include "tests/testing/e2e_fixture.h"

namespace ailedger {
namespace {

namespace fs = std::filesystem;
using testing::E2eTest;
using testing::ServerProcess;

class BackupTest : public E2eTest {
 protected:
  VerifierKey LogVkey() { return VerifierKey::Parse(Vkey("log")).value(); }

  // Every checkpoint the running server stores, by size, added to `seen`:
  // a size already seen must come with the same root.
  void CollectCheckpoints(uint64_t up_to) {
    auto client = Client(nullptr);
    for (uint64_t size = 1; size <= up_to; ++size) {
      v1::GetCheckpointRequest req;
      req.set_which(v1::GetCheckpointRequest::AT_SIZE);
      req.set_size(size);
      auto note = client->GetCheckpoint(req);
      if (!note.ok()) continue;
      Note(*note);
    }
  }
  void Note(const std::string& note) {
    auto cp = OpenCheckpoint(note, LogVkey());
    ASSERT_TRUE(cp.ok()) << cp.status();
    auto [it, fresh] = seen_.emplace(cp->checkpoint.size, cp->checkpoint.root);
    EXPECT_EQ(it->second, cp->checkpoint.root)
        << "two roots signed for size " << cp->checkpoint.size;
  }

  BackupManifest Manifest(const std::string& backup) {
    auto m = ParseManifest(ReadSmallFile(Path(backup + "/manifest")).value());
    EXPECT_TRUE(m.ok()) << m.status();
    return m.ok() ? *m : BackupManifest();
  }

  // Appends by the publisher on another connection until stopped.
  class Load {
   public:
    explicit Load(BackupTest* t)
        : thread_([this, t] {
            auto client = t->Client(nullptr);
            const SigningKey key = t->LoadKey("publisher");
            for (int i = 1000; !stop_; ++i) {
              if (client->Append(t->Signed(key, "RiskAssessed", "load", i))
                      .ok()) {
                ++done_;
              }
            }
          }) {}
    ~Load() { Stop(); }
    void WaitFor(int more) {
      const int target = done_ + more;
      while (done_ < target) std::this_thread::yield();
    }
    void Stop() {
      stop_ = true;
      if (thread_.joinable()) thread_.join();
    }
    int done() const { return done_; }

   private:
    std::atomic<bool> stop_{false};
    std::atomic<int> done_{0};
    std::thread thread_;
  };

  // A backup made while appends go on, then more appends: the log key's mark
  // is then above the copy. Returns the copy's size.
  uint64_t BackUpUnderLoad(const std::string& name) {
    AppendEvents(0, 3);
    const uint64_t before = Size();
    Load load(this);
    load.WaitFor(5);
    auto b = Daemon({"backup", "--data", Path("data"), "--to", Path(name)});
    load.WaitFor(5);
    load.Stop();
    EXPECT_EQ(b.exit_code, 0) << b.out << b.err;
    EXPECT_NE(b.out.find("online"), std::string::npos) << b.out;
    const BackupManifest m = Manifest(name);
    EXPECT_GT(m.size, before) << "appends went on while it copied";
    EXPECT_LT(m.size, Size());
    // The checkpoint beside the copy is the copy's, signed by the log key.
    auto cp = OpenCheckpoint(
        ReadSmallFile(Path(name + "/checkpoint.note")).value(), LogVkey());
    EXPECT_TRUE(cp.ok()) << cp.status();
    if (cp.ok()) {
      EXPECT_EQ(cp->checkpoint.size, m.size);
      EXPECT_EQ(Base64Encode(AsBytes(cp->checkpoint.root)), m.root);
    }
    AppendEvents(100, 4);
    return m.size;
  }

  std::map<uint64_t, Hash> seen_;
};

// Under load, the server copies its store; the mark moves on past the copy.
// Restored without a choice, nothing is written and both ways are explained;
// a copy put back by hand is refused by serve with the same two ways; the
// replay of a later export reaches the mark (its size and root) and the log
// goes on from there, every size with one root.
TEST_F(BackupTest, ABackupUnderLoadIsRestoredAndReplayedToTheMark) {
  const uint64_t copy = BackUpUnderLoad("b1");
  const uint64_t mark = Size();
  ASSERT_GT(mark, copy);
  ASSERT_NO_FATAL_FAILURE(ExportBundle("full.bundle"));
  CollectCheckpoints(mark);
  ASSERT_EQ(server_->Stop(SIGTERM), 0);

  auto plain = Daemon({"restore", "--from", Path("b1"), "--data", Path("r0"),
                       "--log-key", Path("log.key")});
  EXPECT_EQ(plain.exit_code, 1);
  for (const char* says :
       {"this log key has signed size", "Nothing was written",
        "--replay BUNDLE", "--successor --genesis FILE --new-log-key KEY",
        "--predecessor-checkpoint"}) {
    EXPECT_NE(plain.err.find(says), std::string::npos) << plain.err;
  }
  EXPECT_FALSE(fs::exists(Path("r0")));
  EXPECT_FALSE(fs::exists(Path("r0.restoring")));

  fs::copy(Path("b1/store"), Path("by-hand"), fs::copy_options::recursive);
  ServerProcess refused({AILEDGERD_PATH, "serve", "--data", Path("by-hand"),
                         "--log-key", Path("log.key"), "--listen",
                         "127.0.0.1:0"});
  EXPECT_FALSE(refused.started());
  for (const char* says :
       {"restored older copy", "ailedgerd restore --from BACKUP --replay",
        "--successor"}) {
    EXPECT_NE(refused.output().find(says), std::string::npos)
        << refused.output();
  }

  auto replay =
      Daemon({"restore", "--from", Path("b1"), "--data", Path("replayed"),
              "--log-key", Path("log.key"), "--replay", Path("full.bundle")});
  ASSERT_EQ(replay.exit_code, 0) << replay.out << replay.err;
  EXPECT_NE(replay.out.find(
                absl::StrCat("replayed entries ", copy, " to ", mark - 1)),
            std::string::npos)
      << replay.out;
  fs::remove_all(Path("data"));
  fs::rename(Path("replayed"), Path("data"));
  // The replayed entries' index and lifecycle rows are the rules' own.
  auto indexes = Daemon({"check-indexes", "--data", Path("data")});
  EXPECT_EQ(indexes.exit_code, 0) << indexes.out << indexes.err;
  StartServer();
  EXPECT_EQ(Size(), mark);
  CollectCheckpoints(mark);  // the same root at every size both stored
  EXPECT_TRUE(seen_.count(mark));
  AppendEvents(200, 3);
  EXPECT_EQ(Size(), mark + 3);
  CollectCheckpoints(mark + 3);
  // The whole log, old entries, replayed ones and new ones, verifies.
  ASSERT_NO_FATAL_FAILURE(ExportBundle("after.bundle"));
  auto verify = Cli({"verify", Path("after.bundle"), "--vkey", Vkey("log"),
                     "--admin-vkey", Vkey("admin")});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

// A bundle that stops short of the mark, or a replay the copy does not need,
// is refused before anything is written.
TEST_F(BackupTest, AReplayThatCannotReachTheMarkIsRefused) {
  AppendEvents(0, 3);
  auto b = Daemon({"backup", "--data", Path("data"), "--to", Path("b1")});
  ASSERT_EQ(b.exit_code, 0) << b.err;
  AppendEvents(10, 2);
  ASSERT_NO_FATAL_FAILURE(ExportBundle("short.bundle"));
  AppendEvents(20, 2);
  const uint64_t mark = Size();
  ASSERT_EQ(server_->Stop(SIGTERM), 0);
  auto r =
      Daemon({"restore", "--from", Path("b1"), "--data", Path("r"), "--log-key",
              Path("log.key"), "--replay", Path("short.bundle")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(absl::StrCat("has signed size ", mark)),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(Path("r")));
  // A backup at the mark is restored as it is; a replay there is refused.
  StartServer();
  ASSERT_EQ(
      Daemon({"backup", "--data", Path("data"), "--to", Path("b2")}).exit_code,
      0);
  ASSERT_EQ(server_->Stop(SIGTERM), 0);
  // The stopped store is copied directly, to the same tree.
  auto stopped = Daemon({"backup", "--data", Path("data"), "--to", Path("b3")});
  ASSERT_EQ(stopped.exit_code, 0) << stopped.err;
  EXPECT_NE(stopped.out.find("from the stopped store"), std::string::npos)
      << stopped.out;
  EXPECT_EQ(Manifest("b3").size, Manifest("b2").size);
  EXPECT_EQ(Manifest("b3").root, Manifest("b2").root);
  EXPECT_FALSE(fs::exists(Path("data/ailedgerd.sock")))
      << "the server removes its control socket when it stops";
  auto needless =
      Daemon({"restore", "--from", Path("b2"), "--data", Path("r"), "--log-key",
              Path("log.key"), "--replay", Path("short.bundle")});
  EXPECT_EQ(needless.exit_code, 1);
  EXPECT_NE(needless.err.find("serve it as it is"), std::string::npos)
      << needless.err;
  auto same = Daemon({"restore", "--from", Path("b2"), "--data", Path("r"),
                      "--log-key", Path("log.key")});
  ASSERT_EQ(same.exit_code, 0) << same.err;
  // Without its mark the key cannot tell how far it signed: restore says so.
  fs::copy_file(Path("log.key.hwm"), Path("hwm.saved"));
  fs::remove(Path("log.key.hwm"));
  auto blind = Daemon({"restore", "--from", Path("b2"), "--data", Path("r3"),
                       "--log-key", Path("log.key")});
  EXPECT_EQ(blind.exit_code, 0) << blind.err;
  EXPECT_NE(blind.out.find(".hwm is missing"), std::string::npos) << blind.out;
  fs::rename(Path("hwm.saved"), Path("log.key.hwm"));
  // A backup altered after it was made is refused.
  auto files = Manifest("b2").files;
  ASSERT_FALSE(files.empty());
  ASSERT_TRUE(WriteFileDurably(Path("b2/" + files.back().first), "x").ok());
  auto altered = Daemon({"restore", "--from", Path("b2"), "--data", Path("r2"),
                         "--log-key", Path("log.key")});
  EXPECT_EQ(altered.exit_code, 1);
  EXPECT_NE(altered.err.find("does not have the SHA-256"), std::string::npos)
      << altered.err;
}

// The other way on: a successor log, with its own origin and key, whose
// genesis names the predecessor's last checkpoint (the backup's).
TEST_F(BackupTest, ASuccessorLogNamesThePredecessorsCheckpoint) {
  const uint64_t copy = BackUpUnderLoad("b1");
  ASSERT_EQ(server_->Stop(SIGTERM), 0);
  const std::string origin2 = "e2e.ailedger.example/log2";
  ASSERT_EQ(Keygen("log2", origin2), 0);
  auto genesis = [&](const std::string& out, const std::string& note) {
    std::vector<std::string> args = {
        "genesis",         "--origin",       origin2,      "--admin-key",
        Path("admin.key"), "--log-vkey",     Vkey("log2"), "--out",
        Path(out),         "--organisation", "Acme AI"};
    if (!note.empty()) {
      args.insert(args.end(), {"--predecessor-checkpoint", note});
    }
    return Cli(args).exit_code;
  };
  ASSERT_EQ(genesis("g2.json", Path("b1/checkpoint.note")), 0);
  const std::string old_mark = ReadSmallFile(Path("log.key.hwm")).value();
  ASSERT_EQ(genesis("plain.json", ""), 0);
  const std::vector<std::string> restore = {
      "restore",       "--from",         Path("b1"),      "--data",
      Path("succ"),    "--log-key",      Path("log.key"), "--successor",
      "--new-log-key", Path("log2.key"), "--genesis"};
  auto without = restore;
  without.push_back(Path("plain.json"));
  auto refused = Daemon(without);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("predecessor_origin"), std::string::npos)
      << refused.err;
  EXPECT_FALSE(fs::exists(Path("succ")));
  auto with = restore;
  with.push_back(Path("g2.json"));
  auto started = Daemon(with);
  ASSERT_EQ(started.exit_code, 0) << started.out << started.err;
  EXPECT_NE(started.out.find(absl::StrCat("checkpoint at size ", copy)),
            std::string::npos)
      << started.out;
  {  // Its genesis names the predecessor and the backup's checkpoint.
    auto store =
        RocksDbStore::Open(Path("succ"), RocksDbStore::Mode::kOpenExisting)
            .value();
    auto leaf = DecodeLeaf(store->ReadLeaf(0).value()).value();
    auto e = ParseCanonicalEvent(leaf.event_bytes).value();
    EXPECT_EQ(e.genesis().origin(), origin2);
    EXPECT_EQ(e.genesis().predecessor_origin(), testing::kE2eOrigin);
    EXPECT_EQ(e.genesis().predecessor_checkpoint(),
              ReadSmallFile(Path("b1/checkpoint.note")).value());
  }
  ServerProcess successor({AILEDGERD_PATH, "serve", "--data", Path("succ"),
                           "--log-key", Path("log2.key"), "--listen",
                           "127.0.0.1:0"});
  ASSERT_TRUE(successor.started()) << successor.output();
  EXPECT_NE(successor.output().find(origin2 + ", 1 entries"), std::string::npos)
      << successor.output();
  // The old key signed nothing more: its mark is where the old log left it;
  // the new key has signed its genesis only.
  EXPECT_EQ(ReadSmallFile(Path("log.key.hwm")).value(), old_mark);
  EXPECT_EQ(ReadSmallFile(Path("log2.key.hwm")).value().substr(0, 2), "1 ");
}

// The sealed store's backup round trip: material sealed, backed up while the
// server runs, the store lost, restored, and unsealed again.
TEST_F(BackupTest, TheSealedStoreIsBackedUpAndRestored) {
  ASSERT_EQ(server_->Stop(SIGTERM), 0);
  StartServer({"--sealed-store", Path("sealed")});
  std::string id;
  ASSERT_NO_FATAL_FAILURE(PushSealedFeedback("jane@example.com", &id));
  auto b =
      Daemon({"backup", "--sealed-store", Path("sealed"), "--to", Path("sb")});
  ASSERT_EQ(b.exit_code, 0) << b.out << b.err;
  EXPECT_NE(b.out.find("1 files"), std::string::npos) << b.out;
  ASSERT_EQ(server_->Stop(SIGTERM), 0);
  fs::remove_all(Path("sealed"));
  auto r = Daemon(
      {"restore", "--from", Path("sb"), "--sealed-store", Path("sealed")});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(fs::status(Path("sealed")).permissions() & fs::perms::all,
            fs::perms::owner_all);
  StartServer({"--sealed-store", Path("sealed")});
  auto unseal = Cli({"unseal", "--id", id, "--attachment", "0", "--out",
                     Path("back.txt"), "--key", Path("admin.key")});
  ASSERT_EQ(unseal.exit_code, 0) << unseal.err;
  EXPECT_EQ(ReadSmallFile(Path("back.txt")).value(), "jane@example.com");
  // A restore never lands on an existing sealed store.
  EXPECT_EQ(Daemon({"restore", "--from", Path("sb"), "--sealed-store",
                    Path("sealed")})
                .exit_code,
            1);
}

// The witness's state: backed up while it cosigns, then it cosigns more. A
// restore alone would put it behind what it vouched for, and says so; given
// the log's latest checkpoint it cosigned, the restored state is raised to it.
class WitnessBackupTest : public testing::WitnessedE2eTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(WitnessedE2eTest::SetUp());
    server_->Stop(SIGTERM);
    StartServer({"--witness", "http://" + witness_->address() + "=" + Vkey("w"),
                 "--witness-interval-ms", "100"});
  }
  uint64_t StateSize(const std::string& dir) {
    for (const auto& f : fs::directory_iterator(Path(dir))) {
      const std::string text = ReadSmallFile(f.path().string()).value();
      return std::stoull(text.substr(0, text.find('\n')));
    }
    return 0;
  }
};

TEST_F(WitnessBackupTest, ARestoredWitnessIsRaisedToWhatItCosigned) {
  const VerifierKey w = VerifierKey::Parse(Vkey("w")).value();
  const uint64_t first = Size();
  ASSERT_TRUE(WaitForCosigned(first, {w}).ok());
  auto b = Cli({"witness", "backup", "--state", Path("witness-state"), "--to",
                Path("wb")});
  ASSERT_EQ(b.exit_code, 0) << b.out << b.err;
  EXPECT_NE(b.out.find("1 logs"), std::string::npos) << b.out;
  AppendEvents(0, 3);
  const uint64_t later = Size();
  ASSERT_TRUE(WaitForCosigned(later, {w}).ok());
  v1::GetCheckpointRequest req;
  req.set_which(v1::GetCheckpointRequest::LATEST_COSIGNED);
  ASSERT_TRUE(WriteFileDurably(Path("cosigned.note"),
                               Client(nullptr)->GetCheckpoint(req).value())
                  .ok());
  witness_.reset();
  const std::vector<std::string> restore = {
      "witness",     "restore",    "--from",    Path("wb"), "--key",
      Path("w.key"), "--log-vkey", Vkey("log"), "--state"};
  auto alone = restore;
  alone.push_back(Path("ws-alone"));
  auto r1 = Cli(alone);
  ASSERT_EQ(r1.exit_code, 0) << r1.out << r1.err;
  EXPECT_NE(r1.out.find("warning: this witness may have cosigned more"),
            std::string::npos)
      << r1.out;
  EXPECT_EQ(StateSize("ws-alone"), first);
  auto raised = restore;
  raised.insert(raised.end(),
                {Path("ws-raised"), "--cosigned", Path("cosigned.note")});
  auto r2 = Cli(raised);
  ASSERT_EQ(r2.exit_code, 0) << r2.out << r2.err;
  EXPECT_NE(
      r2.out.find(absl::StrCat("raised from size ", first, " to ", later)),
      std::string::npos)
      << r2.out;
  EXPECT_EQ(StateSize("ws-raised"), later);
  // A checkpoint the log signed alone (as stored) raises nothing.
  v1::GetCheckpointRequest latest;
  ASSERT_TRUE(WriteFileDurably(Path("log-only.note"),
                               Client(nullptr)->GetCheckpoint(latest).value())
                  .ok());
  auto forged = restore;
  forged.insert(forged.end(),
                {Path("ws-forged"), "--cosigned", Path("log-only.note")});
  auto r3 = Cli(forged);
  EXPECT_EQ(r3.exit_code, 1) << r3.out;
  EXPECT_NE(r3.err.find("no cosignature by this witness"), std::string::npos)
      << r3.err;
  EXPECT_FALSE(fs::exists(Path("ws-forged")));
}

}  // namespace
}  // namespace ailedger
