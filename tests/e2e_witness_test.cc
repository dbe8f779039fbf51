// Witnesses end to end: `ailedger witness serve` cosigns what the real
// ailedgerd submits, the cosigned checkpoint is served and exported, `verify`
// enforces a reader's witness policy, and the witness refuses an inconsistent
// checkpoint over HTTP.
#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "ledger/base/file_util.h"
#include "ledger/tlog/checkpoint.h"
#include "tests/testing/e2e_fixture.h"
#include "witness/witness.h"

namespace ailedger {
namespace {

// ailedgerd submits to the witness every 100 ms.
class WitnessE2eTest : public testing::WitnessedE2eTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(WitnessedE2eTest::SetUp());
    server_->Stop(SIGTERM);
    StartServer({"--witness", "http://" + witness_->address() + "=" + Vkey("w"),
                 "--witness-interval-ms", "100"});
  }
};

TEST_F(WitnessE2eTest,
       CheckpointsAreCosignedServedExportedAndVerifiedUnderAPolicy) {
  ASSERT_TRUE(Client(nullptr)
                  ->Append(Signed(LoadKey("publisher"), "RiskAssessed"))
                  .ok());
  const VerifierKey w = VerifierKey::Parse(Vkey("w")).value();
  auto cp = WaitForCosigned(3, {w});
  ASSERT_TRUE(cp.ok()) << cp.status();
  EXPECT_EQ(cp->checkpoint.size, 3u);
  EXPECT_EQ(cp->note.verified.size(), 2u);  // the log and the witness
  ASSERT_TRUE(
      WriteFileDurably(Path("policy"), "witness " + Vkey("w") + "\nquorum 1\n")
          .ok());
  ASSERT_EQ(
      Cli({"export", "--out", Path("b"), "--key", Path("admin.key")}).exit_code,
      0);
  auto v = Cli({"verify", Path("b"), "--vkey", Vkey("log"), "--admin-vkey",
                Vkey("admin"), "--witness-policy", Path("policy")});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
}

TEST_F(WitnessE2eTest, TheWitnessRefusesAnInconsistentCheckpoint) {
  // Wait until the witness has cosigned the current size.
  for (int i = 0; i < 100 && Cli({"checkpoint", "--cosigned"}).exit_code != 0;
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const SigningKey log = LoadKey("log");
  const uint64_t size = Size();
  AddCheckpointRequest fork{
      size,
      {HashLeaf("made-up proof")},
      SignCheckpoint({testing::kE2eOrigin, size + 1, HashLeaf("fork")}, log)
          .value()};
  httplib::Client http("http://" + witness_->address());
  auto res =
      http.Post("/add-checkpoint", FormatAddCheckpoint(fork), "text/plain");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 422) << res->body;
  AddCheckpointRequest same_size{
      size,
      {},
      SignCheckpoint({testing::kE2eOrigin, size, HashLeaf("fork")}, log)
          .value()};
  res = http.Post("/add-checkpoint", FormatAddCheckpoint(same_size),
                  "text/plain");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 409) << res->body;
}

}  // namespace
}  // namespace ailedger

namespace ailedger {
namespace {

// An operator restores an old copy and removes the high-water mark; the
// witness, which has cosigned a larger size, answers 409 and the server stops
// signing below that size.
TEST_F(WitnessE2eTest, AWitnessAheadOfTheLogStopsSigning) {
  ASSERT_NO_FATAL_FAILURE(StopAndBackUpStore());
  StartServer({"--witness", "http://" + witness_->address() + "=" + Vkey("w"),
               "--witness-interval-ms", "100"});
  AppendEvents(0, 3);
  auto cosigned = WaitForCosigned(5);
  ASSERT_TRUE(cosigned.ok()) << cosigned.status();
  ASSERT_NO_FATAL_FAILURE(StopAndRestoreBackup());
  StartServer({"--witness", "http://" + witness_->address() + "=" + Vkey("w"),
               "--witness-interval-ms", "100"});
  std::this_thread::sleep_for(
      std::chrono::milliseconds(600));  // a submission round
  auto r = Client(nullptr)->Append(
      Signed(LoadKey("publisher"), "RiskAssessed", "s", 99));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition)
      << r.status();
  EXPECT_NE(r.status().message().find("high-water mark"),
            absl::string_view::npos)
      << r.status();
}

}  // namespace
}  // namespace ailedger

namespace ailedger {
namespace {

// `monitor` holds every checkpoint to the reader's witness quorum: it follows
// the checkpoints the witness cosigned, and under a policy naming a witness
// that never cosigned, the round fails without evidence (no split view).
TEST_F(WitnessE2eTest, MonitorHoldsCheckpointsToTheWitnessQuorum) {
  const uint64_t size = Size();
  auto cosigned = WaitForCosigned(size);
  ASSERT_TRUE(cosigned.ok()) << cosigned.status();
  ASSERT_EQ(Cli({"keygen", "--name", "witness.example/w9", "--out",
                 Path("w9.key"), "--cosigner"})
                .exit_code,
            0);
  for (const char* w : {"w", "w9"}) {
    ASSERT_TRUE(WriteFileDurably(Path(std::string(w) + ".policy"),
                                 "witness " + Vkey(w) + "\nquorum 1\n")
                    .ok());
  }
  auto monitor = [&](const std::string& witness) {
    return Cli({"monitor", "--once", "--state", Path(witness + ".state"),
                "--vkey", Vkey("log"), "--admin-vkey", Vkey("admin"),
                "--witness-policy", Path(witness + ".policy"), "--key",
                Path("admin.key")});
  };
  auto followed = monitor("w");
  EXPECT_EQ(followed.exit_code, 0) << followed.out << followed.err;
  EXPECT_NE(followed.out.find("up to size " + std::to_string(size)),
            std::string::npos)
      << followed.out;
  auto refused = monitor("w9");
  EXPECT_EQ(refused.exit_code, 1) << refused.out << refused.err;
  EXPECT_NE(
      refused.err.find("the served checkpoint: witness quorum: expected "
                       "1 cosignatures by the reader's witnesses, found 0"),
      std::string::npos)
      << refused.err;
  for (const auto& e : std::filesystem::directory_iterator(Path("w9.state"))) {
    EXPECT_NE(e.path().filename().string().rfind("evidence-", 0), 0u)
        << e.path();
  }
}

}  // namespace
}  // namespace ailedger
