// Independent time for old entries (issue 12, the review's §0.10): ailedgerd
// keeps every checkpoint its witness cosigned, `ailedger export` carries them
// with consistency proofs to the bundle's checkpoint, and `verify` says up to
// which entry each witness saw the log, and when. A cosigned record that was
// tampered with fails verification.
#include <nlohmann/json.hpp>

#include "ledger/audit/bundle.h"
#include "ledger/base/file_util.h"
#include "tests/testing/bundle_records.h"
#include "tests/testing/e2e_fixture.h"

namespace ailedger {
namespace {

class WitnessedTimesTest : public testing::WitnessedE2eTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(WitnessedE2eTest::SetUp());
    server_->Stop(SIGTERM);
    StartServer({"--witness", "http://" + witness_->address() + "=" + Vkey("w"),
                 "--witness-interval-ms", "100"});
    ASSERT_TRUE(WriteFileDurably(Path("policy"),
                                 "witness " + Vkey("w") + "\nquorum 1\n")
                    .ok());
  }
  testing::ProcessResult Verify(const std::string& bundle,
                                std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {
        "verify",       bundle,        "--vkey",           Vkey("log"),
        "--admin-vkey", Vkey("admin"), "--witness-policy", Path("policy")};
    args.insert(args.end(), extra.begin(), extra.end());
    return Cli(args);
  }
};

TEST_F(WitnessedTimesTest, OldCheckpointsAreKeptExportedAndTimeOldEntries) {
  const VerifierKey w = VerifierKey::Parse(Vkey("w")).value();
  const uint64_t first = Size();
  ASSERT_TRUE(WaitForCosigned(first, {w}).ok());
  AppendEvents(0, 2);
  ASSERT_TRUE(WaitForCosigned(first + 2, {w}).ok());
  AppendEvents(2, 2);
  ASSERT_TRUE(WaitForCosigned(first + 4, {w}).ok());
  ExportBundle("b");
  auto v = Verify(Path("b"), {"--json"});
  ASSERT_EQ(v.exit_code, 0) << v.out << v.err;
  const nlohmann::json witnessed = nlohmann::json::parse(v.out)["witnessed"];
  ASSERT_GE(witnessed.size(), 3u) << v.out;
  uint64_t previous = 0;
  for (const auto& c : witnessed) {
    EXPECT_GT(c["size"].get<uint64_t>(), previous);
    previous = c["size"].get<uint64_t>();
    ASSERT_EQ(c["times"].size(), 1u);
    EXPECT_EQ(c["times"][0]["witness"], w.name());
    EXPECT_GT(c["times"][0]["time"].get<uint64_t>(), 1700000000u);
  }
  EXPECT_EQ(previous, first + 4);  // the newest: the bundle's checkpoint
  auto text = Verify(Path("b"));
  EXPECT_NE(text.out.find("witnessed: entries [0, "), std::string::npos)
      << text.out;
  // A ranged bundle carries those above its start: from first + 1, the
  // checkpoints at first + 2 and first + 4 (and any the witness cosigned
  // between them).
  ExportBundle("ranged", {"--from", std::to_string(first + 1)});
  auto r = Verify(Path("ranged"), {"--json"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const nlohmann::json ranged = nlohmann::json::parse(r.out)["witnessed"];
  ASSERT_GE(ranged.size(), 2u) << r.out;
  EXPECT_GT(ranged[0]["size"].get<uint64_t>(), first + 1);
  EXPECT_LE(ranged[0]["size"].get<uint64_t>(), first + 2);
}

TEST_F(WitnessedTimesTest, ATamperedCosignedCheckpointFailsVerification) {
  const VerifierKey w = VerifierKey::Parse(Vkey("w")).value();
  AppendEvents(0, 1);
  ASSERT_TRUE(WaitForCosigned(Size(), {w}).ok());
  AppendEvents(1, 1);
  ASSERT_TRUE(WaitForCosigned(Size(), {w}).ok());
  ExportBundle("b");
  std::vector<BundleRecord> records = testing::ReadRecords(Path("b"));
  bool tampered = false;
  for (BundleRecord& r : records) {
    if (r.type != RecordType::kCosigned || tampered) continue;
    // A byte of the note's text (after the proto field tag and length).
    r.payload[4] ^= 0x01;
    tampered = true;
  }
  ASSERT_TRUE(tampered) << "the bundle carries no older cosigned checkpoint";
  testing::WriteRecords(Path("t"), records);
  auto v = Verify(Path("t"));
  EXPECT_EQ(v.exit_code, 1) << v.out << v.err;
  EXPECT_NE(v.out.find("cosigned checkpoint"), std::string::npos) << v.out;
}

}  // namespace
}  // namespace ailedger
