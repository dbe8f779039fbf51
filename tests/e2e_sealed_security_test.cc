// Erased personal data is never served again, whatever is on disk (issue 10,
// flaw 3), and the sealed store must lie outside --data by path, not by
// spelling (flaw 10): attacks against the real ailedgerd and ailedger.
#include <atomic>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "ledger/governance/examples.h"
#include "ledger/governance/seal.h"
#include "tests/testing/e2e_fixture.h"

namespace ailedger {
namespace {

using testing::E2eTest;
using testing::kE2eOrigin;
using testing::ProcessResult;
using testing::RunProcess;
using testing::ServerProcess;
namespace fs = std::filesystem;

constexpr char kSecret[] = "Jane Doe <jane.doe@example.com>, +44 20 7946 0000";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteAll(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// A server with a sealed store whose stderr is kept in server.log (the fixture
// reads the server's output only until it listens).
class SealedSecurityTest : public E2eTest {
 protected:
  void SetUp() override {
    E2eTest::SetUp();
    if (HasFatalFailure()) return;
    publisher_key_ = LoadKey("publisher");
    admin_key_ = LoadKey("admin");
    Restart();
  }

  void Restart() {
    server_->Stop(SIGTERM);
    server_ = std::make_unique<ServerProcess>(std::vector<std::string>{
        "/bin/sh", "-c",
        absl::StrCat("exec '", AILEDGERD_PATH, "' serve --data '", Path("data"),
                     "' --log-key '", Path("log.key"),
                     "' --listen 127.0.0.1:0 --sealed-store '", Path("sealed"),
                     "' 2>>'", Path("server.log"), "'")});
    ASSERT_TRUE(server_->started()) << server_->output() << Log();
    publisher_ = Client(&*publisher_key_);
    admin_ = Client(&*admin_key_);
  }
  std::string Log() { return ReadAll(Path("server.log")); }

  // An event of the publisher's with one sealed attachment; logged, its
  // material not yet put.
  std::string LogSealedEvent(const Sealed& s, int n) {
    v1::Event e;
    e.set_event_type("StakeholderFeedbackReceived");
    e.set_schema_version(1);
    e.set_organisation("Acme AI");
    e.set_occurred_at_ms(1700000000000 + n);
    e.set_nonce(absl::StrCat("sealed-", n));
    FillExampleBody(&e);
    auto* a = e.add_sealed();
    a->set_commitment(std::string(AsBytes(s.commitment)));
    a->set_label("complainant");
    auto r = publisher_->Append(
        AppendRequestOf(SignEvent(e, *publisher_key_, kE2eOrigin)));
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? r->event_id() : "";
  }
  static v1::PutSealedRequest PutOf(const std::string& id, const Sealed& s) {
    v1::PutSealedRequest put;
    put.set_event_id(id);
    put.set_attachment(0);
    put.set_key(s.key);
    put.set_salt(s.salt);
    put.set_ciphertext(s.ciphertext);
    return put;
  }
  v1::AppendRequest ErasureOf(const std::string& id) {
    v1::Event e;
    e.set_event_type("Erasure");
    e.set_schema_version(1);
    e.set_organisation("Acme AI");
    e.set_occurred_at_ms(absl::ToUnixMillis(absl::Now()));
    e.mutable_erasure()->set_event_id(id);
    e.mutable_erasure()->set_attachment(0);
    e.mutable_erasure()->set_legal_basis("GDPR Art. 17(1)(a)");
    return AppendRequestOf(SignEvent(e, *admin_key_, kE2eOrigin));
  }
  absl::StatusOr<v1::GetSealedResponse> GetByAdmin(const std::string& id) {
    v1::GetSealedRequest get;
    get.set_event_id(id);
    get.set_attachment(0);
    return admin_->GetSealed(get);
  }
  std::string FileOf(const std::string& id) {
    return Path("sealed/" + ToHex(id) + ".0");
  }
  // The refusal of a read or put of an attachment erased at `index`.
  static std::string ErasedAt(uint64_t index) {
    return absl::StrCat("attachment: erased by the Erasure at index ", index);
  }
  void ExpectErased(const absl::Status& s, uint64_t index) {
    EXPECT_TRUE(absl::IsFailedPrecondition(s)) << s;
    EXPECT_NE(s.message().find(ErasedAt(index)), absl::string_view::npos) << s;
  }
  // `ailedger push --seal` of a feedback record; its event id in hex.
  std::string PushWithSeal() {
    std::string hex_id;
    PushSealedFeedback(kSecret, &hex_id);
    return hex_id;
  }
  // `ailedger erase`; the Erasure's index.
  uint64_t EraseWithCli(const std::string& hex_id) {
    auto erase = Cli({"erase", "--id", hex_id, "--attachment", "0", "--basis",
                      "GDPR Art. 17(1)(a)", "--organisation", "Acme AI",
                      "--key", Path("admin.key"), "--json"});
    EXPECT_EQ(erase.exit_code, 0) << erase.err;
    const size_t at = erase.out.find("\"index\":");
    return at == std::string::npos ? 0 : std::stoull(erase.out.substr(at + 8));
  }
  ProcessResult Unseal(const std::string& hex_id, const std::string& out) {
    return Cli({"unseal", "--id", hex_id, "--attachment", "0", "--out",
                Path(out), "--key", Path("admin.key")});
  }

  std::optional<SigningKey> publisher_key_, admin_key_;  // loaded in SetUp
  std::unique_ptr<LedgerClient> publisher_, admin_;
};

// A backup of the sealed store restored after an erasure brings the file back;
// the server refuses it anyway, destroys it on that read, and again at start.
TEST_F(SealedSecurityTest, RestoredMaterialOfAnErasedAttachmentIsNeverServed) {
  const std::string hex_id = PushWithSeal();
  const std::string file = Path("sealed/" + hex_id + ".0");
  const std::string backup = ReadAll(file);
  ASSERT_FALSE(backup.empty());
  const uint64_t erased_at = EraseWithCli(hex_id);
  ASSERT_GT(erased_at, 0u);
  ASSERT_FALSE(fs::exists(file));

  WriteAll(file, backup);  // the restore
  auto read = Unseal(hex_id, "restored.txt");
  EXPECT_EQ(read.exit_code, 1);
  EXPECT_NE(read.err.find(ErasedAt(erased_at)), std::string::npos) << read.err;
  EXPECT_FALSE(fs::exists(Path("restored.txt")));
  EXPECT_FALSE(fs::exists(file)) << "destroyed when it was found";
  EXPECT_NE(Log().find("sealed material of erased attachment " + hex_id +
                       ".0 was on disk: destroyed"),
            std::string::npos)
      << Log();

  WriteAll(file, backup);  // restored again, while the server is down
  Restart();
  EXPECT_FALSE(fs::exists(file)) << "destroyed at start";
  EXPECT_NE(Log().find("destroyed 1 files of erased attachments"),
            std::string::npos)
      << Log();
  read = Unseal(hex_id, "restored.txt");
  EXPECT_EQ(read.exit_code, 1);
  EXPECT_NE(read.err.find(ErasedAt(erased_at)), std::string::npos) << read.err;
}

// The author's put and an admin's Erasure of the same attachment, sent at the
// same instant, many times: once the Erasure is answered, no file is left and
// every read is refused (before the fix: the file stayed in most runs and was
// served).
TEST_F(SealedSecurityTest, PutRacingAnErasureNeverLeavesReadableMaterial) {
  constexpr int kRounds = 50;
  int put_first = 0;
  for (int round = 0; round < kRounds; ++round) {
    const Sealed s = Seal(kSecret);
    const std::string id = LogSealedEvent(s, round);
    ASSERT_FALSE(id.empty());
    const v1::PutSealedRequest put = PutOf(id, s);
    const v1::AppendRequest erasure = ErasureOf(id);
    std::atomic<int> ready{0};
    absl::Status put_status;
    std::thread putter([&] {
      ++ready;
      while (ready < 2) {
      }
      put_status = publisher_->PutSealed(put);
    });
    ++ready;
    while (ready < 2) {
    }
    auto erased = admin_->Append(erasure);
    putter.join();
    ASSERT_TRUE(erased.ok()) << erased.status();
    if (put_status.ok()) {
      ++put_first;
    } else {
      ExpectErased(put_status, erased->index());
    }
    EXPECT_FALSE(fs::exists(FileOf(id))) << "round " << round;
    ExpectErased(GetByAdmin(id).status(), erased->index());
  }
  std::printf("the put landed before the erasure in %d of %d rounds\n",
              put_first, kRounds);
}

// The file is replaced by a directory, so the erasure cannot destroy it: the
// Erasure is logged (it is on the log and in force), the failure is reported,
// reads are refused, and the deletion is retried at the next start.
TEST_F(SealedSecurityTest, ErasureThatCannotDestroyTheFileIsReportedNotOk) {
  const Sealed s = Seal(kSecret);
  const std::string id = LogSealedEvent(s, 1);
  ASSERT_TRUE(publisher_->PutSealed(PutOf(id, s)).ok());
  ASSERT_TRUE(GetByAdmin(id).ok());
  fs::rename(FileOf(id), Path("kept"));
  fs::create_directories(FileOf(id) + "/in-the-way");

  const uint64_t erased_at = EraseWithCli(ToHex(id));
  ASSERT_GT(erased_at, 0u);
  EXPECT_NE(Log().find("erasure of " + ToHex(id) +
                       ".0 is logged and in force, but its material is not "
                       "destroyed yet: sealed store: cannot open for erasure " +
                       FileOf(id) + ": Is a directory"),
            std::string::npos)
      << Log();
  ExpectErased(GetByAdmin(id).status(), erased_at);

  // The obstacle is gone and the material is back: destroyed at start.
  fs::remove_all(FileOf(id));
  fs::rename(Path("kept"), FileOf(id));
  Restart();
  EXPECT_FALSE(fs::exists(FileOf(id)));
  ExpectErased(GetByAdmin(id).status(), erased_at);
  ExpectErased(publisher_->PutSealed(PutOf(id, s)), erased_at);
  EXPECT_FALSE(fs::exists(FileOf(id)));
}

// Puts of one attachment at once (the author retrying, say): every one is
// answered OK; none fails on a shared temporary file name.
TEST_F(SealedSecurityTest, ConcurrentPutsOfOneAttachmentAllSucceed) {
  const Sealed first = Seal(kSecret);
  const std::string id = LogSealedEvent(first, 1);
  std::vector<std::thread> threads;
  std::vector<absl::Status> results(8 * 5);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        // Same salt and clear text (the commitment), a fresh key each time.
        results[t * 5 + i] =
            publisher_->PutSealed(PutOf(id, SealWithSalt(kSecret, first.salt)));
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const absl::Status& s : results) EXPECT_TRUE(s.ok()) << s;
  auto got = GetByAdmin(id);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->plaintext(), kSecret);
  for (const auto& f : fs::directory_iterator(Path("sealed")))
    EXPECT_EQ(f.path().filename().string(), ToHex(id) + ".0");
}

// --sealed-store inside --data, spelled so that a string-prefix test misses
// it, is refused before anything is created; a sibling directory whose name
// begins with the data directory's is accepted.
class SealedStorePathTest : public E2eTest {
 protected:
  // `ailedgerd serve` from the test's directory (relative paths), stopped
  // after 20 s if it does not refuse.
  ProcessResult ServeFromTestDir(const std::string& data,
                                 const std::string& sealed) {
    return RunProcess({"/bin/sh", "-c",
                       absl::StrCat("cd '", dir_, "' && exec timeout 20 '",
                                    AILEDGERD_PATH, "' serve --data '", data,
                                    "' --log-key log.key --listen 127.0.0.1:0 "
                                    "--sealed-store '",
                                    sealed, "'")});
  }
};

TEST_F(SealedStorePathTest, SealedStoreInsideDataIsRefusedHoweverSpelled) {
  server_->Stop(SIGTERM);
  fs::create_directory_symlink(Path("data"), Path("link"));
  const std::string data = fs::weakly_canonical(Path("data")).string();
  const std::string cases[][3] = {
      // --data, --sealed-store, the canonical --sealed-store
      {"data", "./data/sealed", data + "/sealed"},
      {"./data", Path("data/sealed"), data + "/sealed"},
      {"data", "link/sealed", data + "/sealed"},
      {"data/", "data", data},
  };
  for (const auto& [data_flag, sealed, canonical] : cases) {
    auto r = ServeFromTestDir(data_flag, sealed);
    EXPECT_EQ(r.exit_code, 2) << sealed << ": " << r.out << r.err;
    EXPECT_NE(
        r.err.find(absl::StrCat("--sealed-store ", sealed, " (", canonical,
                                ") is inside --data ", data_flag, " (", data,
                                "): it must lie outside")),
        std::string::npos)
        << r.err;
  }
  EXPECT_FALSE(fs::exists(Path("data/sealed")));
}

TEST_F(SealedStorePathTest, SealedStoreBesideDataIsAccepted) {
  server_->Stop(SIGTERM);
  StartServer({"--sealed-store", Path("data-sealed")});
  EXPECT_TRUE(server_->started()) << server_->output();
  EXPECT_TRUE(fs::is_directory(Path("data-sealed")));
}

}  // namespace
}  // namespace ailedger
