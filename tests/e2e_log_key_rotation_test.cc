// Log key rotation end to end (docs/ARCHITECTURE.md, "Log key rotation"): the
// real ailedgerd serving with --next-log-key, a witness and a monitor
// attached, an admin's `log-key rotate`; every reader, pinned to the old key
// only, follows the log to the new one (verify of a bundle and of tiles,
// verify-proof of receipts from before and after, monitor, the witness
// cosigning), and refuses a checkpoint signed by a key the log did not rotate
// to, by the old key alone after the overlap, or after a declared compromise.
#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "ledger/base/file_util.h"
#include "ledger/tlog/checkpoint.h"
#include "ledger/tlog/tlog_proof.h"
#include "ledger/tlog/witness_protocol.h"
#include "tests/testing/bundle_records.h"
#include "tests/testing/e2e_fixture.h"

namespace ailedger {
namespace {

using testing::ProcessResult;

constexpr int kOverlap = 3;

class LogKeyRotationE2eTest : public testing::WitnessedE2eTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(WitnessedE2eTest::SetUp());
    ASSERT_EQ(Keygen("log2", testing::kE2eOrigin), 0);
    ASSERT_TRUE(WriteFileDurably(Path("policy"),
                                 "witness " + Vkey("w") + "\nquorum 1\n")
                    .ok());
    server_->Stop(SIGTERM);
    Serve({"--next-log-key", Path("log2.key")});
  }
  // ailedgerd with the witness (every 100 ms) and `extra`.
  void Serve(std::vector<std::string> extra) {
    extra.insert(
        extra.end(),
        {"--witness", "http://" + witness_->address() + "=" + Vkey("w"),
         "--witness-interval-ms", "100"});
    StartServer(extra);
  }
  // Appends a RiskAssessed numbered `n`; its receipt is written to NAME.
  void AppendWithReceipt(int n, const std::string& name) {
    auto r = Client(nullptr)->Append(
        Signed(LoadKey("publisher"), "RiskAssessed", "s", n));
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_TRUE(WriteFileDurably(Path(name), r->tlog_proof()).ok());
  }
  // `log-key rotate` by the admin to log2 with `extra` flags.
  ProcessResult Rotate(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"log-key",        "rotate",
                                     "--key",          Path("admin.key"),
                                     "--new-log-key",  Path("log2.key"),
                                     "--overlap",      std::to_string(kOverlap),
                                     "--reason",       "yearly rotation",
                                     "--organisation", "Acme AI",
                                     "--vkey",         Vkey("log"),
                                     "--receipt",      Path("rotation.proof")};
    args.insert(args.end(), extra.begin(), extra.end());
    return Cli(args);
  }
  ProcessResult VerifyProof(const std::string& receipt,
                            std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"verify-proof", Path(receipt), "--vkey",
                                     Vkey("log"), "--no-witness-policy"};
    args.insert(args.end(), extra.begin(), extra.end());
    return Cli(args);
  }
  ProcessResult Monitor() {
    return Cli({"monitor", "--once", "--state", Path("monitor"), "--vkey",
                Vkey("log"), "--admin-vkey", Vkey("admin"), "--key",
                Path("admin.key")});
  }
  // Whether `note` opens under the key in NAME.key.pub alone.
  bool SignedBy(const std::string& note, const std::string& name) {
    return OpenCheckpoint(note, VerifierKey::Parse(Vkey(name)).value()).ok();
  }
  std::string Latest() { return Cli({"checkpoint"}).out; }
  // Waits for the witness to cosign a checkpoint of `size` signed by NAME.
  bool WaitForCosignedBy(uint64_t size, const std::string& name) {
    const VerifierKey log = VerifierKey::Parse(Vkey(name)).value();
    const VerifierKey w = VerifierKey::Parse(Vkey("w")).value();
    for (int i = 0; i < 100; ++i) {
      auto note = Cli({"checkpoint", "--cosigned"});
      auto cp = OpenCheckpoint(note.out, log, {w});
      if (cp.ok() && cp->checkpoint.size == size &&
          CountCosignatures(cp->note) == 1)
        return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }
  // The receipt NAME with its checkpoint replaced by one of the same tree
  // signed by `key` alone.
  void Resign(const std::string& name, const SigningKey& key,
              const std::string& out) {
    auto proof = ParseTlogProof(ReadSmallFile(Path(name)).value()).value();
    auto cp = ParseCheckpoint(ParseNote(proof.checkpoint)->text).value();
    proof.checkpoint = SignCheckpoint(cp, key).value();
    ASSERT_TRUE(WriteFileDurably(Path(out), FormatTlogProof(proof)).ok());
  }
};

TEST_F(LogKeyRotationE2eTest, EveryReaderFollowsTheRotationFromTheOldKey) {
  AppendEvents(0, 2);
  ASSERT_NO_FATAL_FAILURE(AppendWithReceipt(2, "before.proof"));
  const uint64_t r = Size();  // the rotation's index
  ASSERT_TRUE(WaitForCosignedBy(r, "log"));
  auto round = Monitor();
  ASSERT_EQ(round.exit_code, 0) << round.err;

  // The rotation; its receipt is the rotation proof: both keys signed it.
  auto rotated = Rotate();
  ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
  const std::string handover =
      ParseTlogProof(ReadSmallFile(Path("rotation.proof")).value())->checkpoint;
  EXPECT_TRUE(SignedBy(handover, "log"));
  EXPECT_TRUE(SignedBy(handover, "log2"));
  // In the overlap both keys sign; after it, the new key alone.
  ASSERT_NO_FATAL_FAILURE(AppendWithReceipt(10, "overlap.proof"));
  EXPECT_TRUE(SignedBy(Latest(), "log") && SignedBy(Latest(), "log2"));
  AppendEvents(11, kOverlap);
  ASSERT_NO_FATAL_FAILURE(AppendWithReceipt(20, "after.proof"));
  const uint64_t n = Size();
  EXPECT_GT(n, r + 1 + kOverlap);
  EXPECT_FALSE(SignedBy(Latest(), "log"));
  EXPECT_TRUE(SignedBy(Latest(), "log2"));
  // The new key's high-water mark moved with the log.
  uint64_t mark = 0;
  auto hwm = ReadSmallFile(Path("log2.key.hwm"));
  ASSERT_TRUE(hwm.ok());
  ASSERT_TRUE(absl::SimpleAtoi(hwm->substr(0, hwm->find(' ')), &mark));
  EXPECT_EQ(mark, n);

  // verify-proof: receipts from before and in the overlap with the old key
  // alone; one from after, along the rotation proofs the log serves.
  EXPECT_EQ(VerifyProof("before.proof").exit_code, 0);
  EXPECT_EQ(VerifyProof("overlap.proof").exit_code, 0);
  ExpectExit(VerifyProof("after.proof"), 1,
             "not signed by any of the reader's log keys");
  auto chain = Cli({"log-key", "chain", "--vkey", Vkey("log"), "--out",
                    Path("chain.proofs")});
  ASSERT_EQ(chain.exit_code, 0) << chain.err;
  EXPECT_NE(chain.out.find(Vkey("log2")), std::string::npos) << chain.out;
  auto after =
      VerifyProof("after.proof", {"--key-rotations", Path("chain.proofs")});
  EXPECT_EQ(after.exit_code, 0) << after.out << after.err;
  // `push --vkey OLD` checks its receipt along the log's rotations too.
  auto event = Cli({"template", "RiskAssessed", "--organisation", "Acme AI"});
  ASSERT_EQ(event.exit_code, 0) << event.err;
  ASSERT_TRUE(WriteFileDurably(Path("risk.json"), event.out).ok());
  auto pushed = Cli({"push", Path("risk.json"), "--key", Path("publisher.key"),
                     "--vkey", Vkey("log"), "--receipt", Path("pushed.proof")});
  EXPECT_EQ(pushed.exit_code, 0) << pushed.err;
  auto pushed_receipt =
      ParseTlogProof(ReadSmallFile(Path("pushed.proof")).value());
  ASSERT_TRUE(pushed_receipt.ok());
  EXPECT_FALSE(SignedBy(pushed_receipt->checkpoint, "log"));
  const uint64_t n_pushed = Size();

  // verify of an export bundle and of tiles, pinned to the old key.
  ExportBundle("full.bundle");
  auto v = Cli({"verify", Path("full.bundle"), "--vkey", Vkey("log"),
                "--admin-vkey", Vkey("admin")});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_NE(v.out.find(absl::StrCat("log key rotated at index ", r)),
            std::string::npos)
      << v.out;
  ASSERT_EQ(Cli({"export-tiles", Path("tiles"), "--key", Path("admin.key")})
                .exit_code,
            0);
  auto t = Cli({"verify", Path("tiles"), "--vkey", Vkey("log"), "--admin-vkey",
                Vkey("admin")});
  EXPECT_EQ(t.exit_code, 0) << t.out << t.err;
  auto tree =
      Cli({"verify", Path("tiles"), "--tree-only", "--vkey", Vkey("log")});
  EXPECT_EQ(tree.exit_code, 0) << tree.out << tree.err;

  // The monitor follows, and keeps the rotation it verified.
  round = Monitor();
  EXPECT_EQ(round.exit_code, 0) << round.err;
  EXPECT_NE(round.out.find(absl::StrCat("up to size ", n_pushed)),
            std::string::npos)
      << round.out;
  EXPECT_TRUE(std::filesystem::exists(Path("monitor/log-key-rotations")));
  AppendEvents(30, 1);
  round = Monitor();
  EXPECT_EQ(round.exit_code, 0) << round.err;

  // The witness was shown the rotation and cosigns the new key's checkpoints,
  // which a reader's witness policy then accepts.
  ASSERT_TRUE(WaitForCosignedBy(n_pushed + 1, "log2"));
  ExportBundle("witnessed.bundle");
  v = Cli({"verify", Path("witnessed.bundle"), "--vkey", Vkey("log"),
           "--admin-vkey", Vkey("admin"), "--witness-policy", Path("policy")});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
}

TEST_F(LogKeyRotationE2eTest, ReadersRefuseKeysTheLogDidNotRotateTo) {
  AppendEvents(0, 1);
  ASSERT_EQ(Rotate().exit_code, 0);
  AppendEvents(10, kOverlap + 1);
  ASSERT_NO_FATAL_FAILURE(AppendWithReceipt(20, "after.proof"));
  ASSERT_EQ(Cli({"log-key", "chain", "--vkey", Vkey("log"), "--out",
                 Path("chain.proofs")})
                .exit_code,
            0);
  const std::vector<std::string> follow = {"--key-rotations",
                                           Path("chain.proofs")};
  // The old key alone, after the overlap: refused.
  ASSERT_NO_FATAL_FAILURE(Resign("after.proof", LoadKey("log"), "old.proof"));
  ExpectExit(VerifyProof("old.proof", follow), 1, "its overlap ended");
  // A key named after the log that it never rotated to: refused.
  ASSERT_EQ(Keygen("stranger", testing::kE2eOrigin), 0);
  ASSERT_NO_FATAL_FAILURE(
      Resign("after.proof", LoadKey("stranger"), "stranger.proof"));
  ExpectExit(VerifyProof("stranger.proof", follow), 1,
             "not signed by any of the reader's log keys");
  // The witness refuses both, and cosigns the log's own.
  const uint64_t n = Size();
  ASSERT_TRUE(WaitForCosignedBy(n, "log2"));
  httplib::Client http("http://" + witness_->address());
  for (const char* name : {"log", "stranger"}) {
    auto proof = ParseTlogProof(ReadSmallFile(Path("after.proof")).value());
    auto cp = ParseCheckpoint(ParseNote(proof->checkpoint)->text).value();
    AddCheckpointRequest req{n, {}, SignCheckpoint(cp, LoadKey(name)).value()};
    auto res =
        http.Post("/add-checkpoint", FormatAddCheckpoint(req), "text/plain");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 403) << name << ": " << res->body;
  }
  // A bundle whose rotation record is left out fails; so does one whose
  // handover is signed by the new key alone.
  ExportBundle("full.bundle");
  std::vector<BundleRecord> records = testing::ReadRecords(Path("full.bundle"));
  std::vector<BundleRecord> without;
  for (const BundleRecord& rec : records) {
    if (rec.type != RecordType::kRotation) without.push_back(rec);
  }
  ASSERT_EQ(without.size() + 1, records.size());
  testing::WriteRecords(Path("no-rotation.bundle"), without);
  auto v = Cli({"verify", Path("no-rotation.bundle"), "--vkey", Vkey("log"),
                "--admin-vkey", Vkey("admin")});
  EXPECT_EQ(v.exit_code, 1) << v.out << v.err;
  EXPECT_NE(v.err.find("key rotation"), std::string::npos) << v.err;
  // The server will not go back to the old key alone.
  server_->Stop(SIGTERM);
  auto back = testing::RunProcess({AILEDGERD_PATH, "serve", "--data",
                                   Path("data"), "--log-key", Path("log.key"),
                                   "--listen", "127.0.0.1:0"});
  EXPECT_NE(back.exit_code, 0);
  EXPECT_NE(back.err.find("not by a log key given to the server"),
            std::string::npos)
      << back.err;
  // The new key alone serves on.
  server_.reset();
  std::vector<std::string> argv = {
      AILEDGERD_PATH, "serve",          "--data",   Path("data"),
      "--log-key",    Path("log2.key"), "--listen", "127.0.0.1:0"};
  server_ = std::make_unique<testing::ServerProcess>(argv);
  ASSERT_TRUE(server_->started()) << server_->output();
  AppendEvents(40, 1);
  EXPECT_TRUE(SignedBy(Latest(), "log2"));
}

TEST_F(LogKeyRotationE2eTest, ACompromisedOldKeyIsRefusedFromItsSize) {
  AppendEvents(0, 1);
  ASSERT_NO_FATAL_FAILURE(AppendWithReceipt(1, "trusted.proof"));
  const uint64_t c = Size();  // the old key is compromised after this size
  AppendEvents(2, 2);
  ASSERT_NO_FATAL_FAILURE(AppendWithReceipt(4, "suspect.proof"));
  ASSERT_TRUE(WaitForCosignedBy(Size(), "log"));
  auto round = Monitor();  // verifies a checkpoint of the old key above c
  ASSERT_EQ(round.exit_code, 0) << round.err;
  auto rotated = Rotate({"--compromised-since", std::to_string(c)});
  ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
  ASSERT_NO_FATAL_FAILURE(AppendWithReceipt(5, "new.proof"));
  ASSERT_EQ(Cli({"log-key", "chain", "--vkey", Vkey("log"), "--out",
                 Path("chain.proofs")})
                .exit_code,
            0);
  const std::vector<std::string> follow = {"--key-rotations",
                                           Path("chain.proofs")};
  EXPECT_EQ(VerifyProof("trusted.proof", follow).exit_code, 0);
  ExpectExit(VerifyProof("suspect.proof", follow), 1,
             absl::StrCat("declared compromised since size ", c));
  // In the overlap the server still signs with both, but the old key's word
  // counts for nothing: the new key's carries the receipt.
  EXPECT_EQ(VerifyProof("new.proof", follow).exit_code, 0);
  ASSERT_NO_FATAL_FAILURE(Resign("new.proof", LoadKey("log"), "old.proof"));
  ExpectExit(VerifyProof("old.proof", follow), 1, "declared compromised");
  // The witness follows at once; the bundle verifies, the witnessed times of
  // checkpoints signed by the old key alone after `c` are not used.
  ASSERT_TRUE(WaitForCosignedBy(Size(), "log2"));
  ExportBundle("full.bundle");
  auto v =
      Cli({"verify", Path("full.bundle"), "--vkey", Vkey("log"), "--admin-vkey",
           Vkey("admin"), "--witness-policy", Path("policy")});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_NE(v.out.find("declared compromised"), std::string::npos) << v.out;
  // The monitor no longer builds on what it verified under the old key
  // alone above c: it verifies the log again from genesis.
  round = Monitor();
  EXPECT_EQ(round.exit_code, 0) << round.err;
  EXPECT_NE(round.err.find("verifying from genesis"), std::string::npos)
      << round.err;
  EXPECT_NE(round.out.find("(+" + std::to_string(Size()) + " entries)"),
            std::string::npos)
      << round.out;
}

TEST_F(LogKeyRotationE2eTest, ARotationToAKeyTheServerDoesNotHoldIsRefused) {
  ASSERT_EQ(Keygen("log3", testing::kE2eOrigin), 0);
  const uint64_t before = Size();
  auto r =
      Cli({"log-key", "rotate", "--key", Path("admin.key"), "--new-log-key",
           Path("log3.key"), "--reason", "oops", "--organisation", "Acme AI"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("which this server does not hold"), std::string::npos)
      << r.err;
  EXPECT_EQ(Size(), before);
  // Only an admin rotates.
  r = Cli({"log-key", "rotate", "--key", Path("publisher.key"), "--new-log-key",
           Path("log2.key"), "--reason", "mine now", "--organisation",
           "Acme AI"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("needs the admin role"), std::string::npos) << r.err;
  EXPECT_EQ(Size(), before);
}

}  // namespace
}  // namespace ailedger
