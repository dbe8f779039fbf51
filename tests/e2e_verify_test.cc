// Export bundles from a real server verify offline; each kind of tampering
// fails with the right index and reason (exit code 1), unusable input exits 2.
#include <fstream>
#include <sstream>

#include "ailedger/bundle.pb.h"
#include "ledger/audit/bundle.h"
#include "ledger/base/file_util.h"
#include "ledger/governance/canonical.h"
#include "ledger/governance/examples.h"
#include "ledger/tlog/checkpoint.h"
#include "ledger/tlog/contexts.h"
#include "ledger/tlog/leaf.h"
#include "ledger/tlog/note.h"
#include "tests/testing/bundle_records.h"
#include "tests/testing/e2e_fixture.h"

namespace ailedger {
namespace {

using testing::kE2eOrigin;
using testing::ReadRecords;
using testing::WriteRecords;

class VerifyTest : public testing::E2eTest {
 protected:
  void SetUp() override {
    E2eTest::SetUp();
    AppendEvents(0, 6);
    ExportBundle("full.bundle");
  }
  testing::ProcessResult Verify(const std::string& bundle,
                                std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {
        "verify", bundle, "--vkey", Vkey("log"), "--admin-vkey", Vkey("admin")};
    args.insert(args.end(), extra.begin(), extra.end());
    return Cli(args);
  }
  // Runs verify on a tampered copy and expects failure naming `fragment`.
  void ExpectFails(const std::vector<BundleRecord>& records,
                   const std::string& fragment,
                   std::vector<std::string> extra = {}) {
    WriteRecords(Path("t.bundle"), records);
    auto r = Verify(Path("t.bundle"), extra);
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.err.find(fragment), std::string::npos) << r.err;
  }
  // Index of the first LEAF record.
  static size_t FirstLeaf(const std::vector<BundleRecord>& r) {
    for (size_t i = 0; i < r.size(); ++i) {
      if (r[i].type == RecordType::kLeaf) return i;
    }
    return r.size();
  }
};

TEST_F(VerifyTest, AFullExportVerifiesAndListsItsSigners) {
  auto r = Verify(Path("full.bundle"), {"--json"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("\"verified\":true"), std::string::npos);
  EXPECT_NE(r.out.find("\"entries\":6"), std::string::npos)
      << r.out;  // the publisher
}

TEST_F(VerifyTest, ARangedExportWithATrustedCheckpointVerifies) {
  ASSERT_TRUE(WriteFileDurably(Path("old.cp"), Cli({"checkpoint"}).out).ok());
  ASSERT_TRUE(
      Client(nullptr)
          ->Append(Signed(LoadKey("publisher"), "RiskAssessed", "s", 99))
          .ok());
  auto e = Cli({"export", "--out", Path("part.bundle"), "--from", "5",
                "--trusted", Path("old.cp"), "--key", Path("admin.key")});
  ASSERT_EQ(e.exit_code, 0) << e.err;
  auto r = Verify(Path("part.bundle"), {"--trusted", Path("old.cp")});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  // Without --trusted the bundle's trusted proof cannot be checked: that fails,
  // it is not skipped.
  EXPECT_EQ(Verify(Path("part.bundle")).exit_code, 1);
}

TEST_F(VerifyTest, FlippedDroppedDuplicatedAndSwappedLeavesFailAtTheirIndex) {
  auto records = ReadRecords(Path("full.bundle"));
  const size_t l = FirstLeaf(records);
  auto flipped = records;
  flipped[l + 4].payload[100] ^= 1;  // inside the author's signature
  ExpectFails(flipped, "index 4: signature");
  flipped = records;
  flipped[l + 1].payload[20] ^= 1;  // inside prev_leaf_hash
  ExpectFails(flipped, "index 1: chain");
  auto dropped = records;
  dropped.erase(dropped.begin() + l + 3);
  ExpectFails(dropped, "index 3: chain");
  auto duplicated = records;
  duplicated.insert(duplicated.begin() + l + 3, records[l + 3]);
  ExpectFails(duplicated, "index 4: chain");
  auto swapped = records;
  std::swap(swapped[l + 2], swapped[l + 5]);
  ExpectFails(swapped, "index 2: chain");
}

TEST_F(VerifyTest, TruncationTrailingBytesAndBadHeadersFail) {
  std::string bytes = ReadSmallFile(Path("full.bundle")).value();
  ASSERT_TRUE(
      WriteFileDurably(Path("cut.bundle"), bytes.substr(0, bytes.size() - 7))
          .ok());
  auto cut = Verify(Path("cut.bundle"));
  EXPECT_EQ(cut.exit_code, 1);
  EXPECT_NE(cut.err.find("truncated"), std::string::npos) << cut.err;
  ASSERT_TRUE(WriteFileDurably(Path("long.bundle"), bytes + "x").ok());
  auto longer = Verify(Path("long.bundle"));
  EXPECT_EQ(longer.exit_code, 1);
  EXPECT_NE(longer.err.find("trailing bytes"), std::string::npos) << longer.err;
  auto records = ReadRecords(Path("full.bundle"));
  records.push_back({RecordType::kLeaf, "extra"});  // a record after END
  ExpectFails(records, "trailing bytes");
  records = ReadRecords(Path("full.bundle"));
  v1::BundleHeader h;
  ASSERT_TRUE(h.ParseFromString(records[0].payload));
  h.set_to(h.to() - 1);  // the header disagrees with the content
  records[0].payload = CanonicalEncoding(h);
  ExpectFails(records, "");
  ASSERT_TRUE(WriteFileDurably(Path("junk.bundle"), "not a bundle").ok());
  EXPECT_EQ(Verify(Path("junk.bundle")).exit_code, 2);
}

TEST_F(VerifyTest, AnEventByAKeyWithoutTheRoleFails) {
  Grant("reader", "reader");
  ASSERT_EQ(
      Cli({"export", "--out", Path("full.bundle"), "--key", Path("admin.key")})
          .exit_code,
      0);
  auto records = ReadRecords(Path("full.bundle"));
  const size_t l = FirstLeaf(records);
  // Re-sign leaf 3's event with the reader key, as a rogue operator might slip
  // it in.
  Leaf leaf = DecodeLeaf(records[l + 3].payload).value();
  const SigningKey reader = LoadKey("reader");
  leaf.signer = reader.verifier().public_key();
  leaf.signature =
      reader.Sign(EventSigningMessage(kE2eOrigin, leaf.event_bytes));
  records[l + 3].payload = EncodeLeaf(leaf).value();
  ExpectFails(records, "index 3: role");
}

TEST_F(VerifyTest, AnAuditorKeyTheReaderDidNotExpectFails) {
  Grant("auditor", "auditor");
  ASSERT_EQ(
      Cli({"export", "--out", Path("full.bundle"), "--key", Path("admin.key")})
          .exit_code,
      0);
  auto other = SigningKey::Generate("real-auditor", kKeyTypeEd25519).value();
  ExpectFails(ReadRecords(Path("full.bundle")), "unexpected key",
              {"--expect", "auditor=" + other.verifier().ToString()});
  // Expected, it passes; not named at all, it passes but is marked.
  EXPECT_EQ(
      Verify(Path("full.bundle"), {"--expect", "auditor=" + Vkey("auditor")})
          .exit_code,
      0);
  auto marked = Verify(Path("full.bundle"));
  EXPECT_EQ(marked.exit_code, 0);
  EXPECT_NE(marked.out.find("NOT EXPECTED"), std::string::npos) << marked.out;
}

// The operator holds the log key, rewrites leaf 3 with another properly signed
// event, re-chains the rest and re-signs a checkpoint. The bundle is
// self-consistent; the reader's trusted checkpoint catches it.
TEST_F(VerifyTest, ACheckpointResignedOverARewrittenHistoryFails) {
  const std::string trusted = Cli({"checkpoint"}).out;
  ASSERT_TRUE(WriteFileDurably(Path("trusted.cp"), trusted).ok());
  auto records = ReadRecords(Path("full.bundle"));
  ASSERT_NO_FATAL_FAILURE(testing::ReplaceLeafAndResign(
      records, 3, Signed(LoadKey("publisher"), "RiskAssessed", "s", 4242),
      LoadKey("log")));
  WriteRecords(Path("rewritten.bundle"), records);
  EXPECT_EQ(Verify(Path("rewritten.bundle")).exit_code,
            0);  // alone, it looks fine
  ExpectFails(records, "trusted", {"--trusted", Path("trusted.cp")});
}

TEST_F(VerifyTest, WitnessQuorumForgedAndUnknownCosignatures) {
  auto witness =
      SigningKey::Generate("witness.example/w1", kKeyTypeCosignature).value();
  ASSERT_TRUE(WriteFileDurably(
                  Path("policy"),
                  "witness " + witness.verifier().ToString() + "\nquorum 1\n")
                  .ok());
  auto records = ReadRecords(Path("full.bundle"));
  size_t cp_at = 0;
  while (records[cp_at].type != RecordType::kCheckpoint) ++cp_at;
  const std::string note = records[cp_at].payload;
  const std::string text = ParseNote(note).value().text;
  // No cosignature: the quorum is not met.
  ExpectFails(records, "witness quorum", {"--witness-policy", Path("policy")});
  // A real cosignature meets it.
  records[cp_at].payload = note + SignatureLine(witness, text, 1700000000);
  WriteRecords(Path("cosigned.bundle"), records);
  EXPECT_EQ(
      Verify(Path("cosigned.bundle"), {"--witness-policy", Path("policy")})
          .exit_code,
      0);
  // An unknown witness's cosignature does not count.
  auto stranger =
      SigningKey::Generate("witness.example/w2", kKeyTypeCosignature).value();
  records[cp_at].payload = note + SignatureLine(stranger, text, 1700000000);
  ExpectFails(records, "witness quorum", {"--witness-policy", Path("policy")});
  // A forged cosignature under the witness's name and key ID fails outright.
  std::string forged = SignatureLine(witness, "other text\n", 1700000000);
  records[cp_at].payload = note + forged;
  ExpectFails(records, "checkpoint signature",
              {"--witness-policy", Path("policy")});
}

TEST_F(VerifyTest, ExportedTilesVerifyAsALedgerAndTamperingFails) {
  auto e = Cli({"export-tiles", Path("tiles"), "--key", Path("admin.key")});
  ASSERT_EQ(e.exit_code, 0) << e.err;
  auto tree =
      Cli({"verify", Path("tiles"), "--tree-only", "--vkey", Vkey("log")});
  EXPECT_EQ(tree.exit_code, 0) << tree.out << tree.err;
  auto full = Verify(Path("tiles"));
  EXPECT_EQ(full.exit_code, 0) << full.out << full.err;
  EXPECT_NE(full.out.find("VERIFIED"), std::string::npos);
  const std::string entries = Path("tiles") + "/tile/entries/000.p/8";
  std::string bytes = ReadSmallFile(entries).value();
  bytes[bytes.size() - 3] ^= 1;
  ASSERT_TRUE(WriteFileDurably(entries, bytes).ok());
  auto broken = Verify(Path("tiles"));
  EXPECT_EQ(broken.exit_code, 1);
  EXPECT_NE(broken.err.find("differs"), std::string::npos) << broken.err;
}

TEST_F(VerifyTest, AReceiptVerifiesOffline) {
  ASSERT_TRUE(
      WriteFileDurably(Path("ev.json"),
                       R"({"event_type":"RiskAssessed","organisation":"Acme AI",
                  "riskAssessed":{"description":"drift in approval rates",
                  "likelihood":"possible","severity":"major"}})")
          .ok());
  auto push = Cli({"push", Path("ev.json"), "--key", Path("publisher.key"),
                   "--receipt", Path("r.tlog-proof")});
  ASSERT_EQ(push.exit_code, 0) << push.err;
  auto ok = Cli({"verify-proof", Path("r.tlog-proof"), "--vkey", Vkey("log"),
                 "--no-witness-policy"});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  // Without a witness policy, or the explicit choice to go without, it refuses
  // to judge.
  EXPECT_EQ(Cli({"verify-proof", Path("r.tlog-proof"), "--vkey", Vkey("log")})
                .exit_code,
            2);
  auto other = SigningKey::Generate(kE2eOrigin, kKeyTypeEd25519).value();
  EXPECT_EQ(Cli({"verify-proof", Path("r.tlog-proof"), "--vkey",
                 other.verifier().ToString(), "--no-witness-policy"})
                .exit_code,
            1);
}

TEST_F(VerifyTest, AGenesisNotSignedByTheGivenAdminFails) {
  auto other = SigningKey::Generate("someone", kKeyTypeEd25519).value();
  auto r = Cli({"verify", Path("full.bundle"), "--vkey", Vkey("log"),
                "--admin-vkey", other.verifier().ToString()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("index 0: genesis"), std::string::npos) << r.err;
  // The report says it in the core's words; the CLI names its flags after.
  EXPECT_NE(r.out.find("first failure: index 0: genesis: not signed by the "
                       "admin key the reader named\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.err.find("the reader named (see --admin-vkey, --vkey)"),
            std::string::npos)
      << r.err;
}

// A trusted checkpoint the log keys did not sign is unusable input (exit 2),
// named by the flag that gave it.
TEST_F(VerifyTest, ATrustedCheckpointNotSignedByTheLogKeyIsUnusable) {
  auto other = SigningKey::Generate(kE2eOrigin, kKeyTypeEd25519).value();
  ASSERT_TRUE(WriteFileDurably(
                  Path("forged.cp"),
                  SignCheckpoint({kE2eOrigin, 1, HashLeaf("x")}, other).value())
                  .ok());
  auto r = Verify(Path("full.bundle"), {"--trusted", Path("forged.cp")});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("--trusted: not signed by any of the reader's log keys"),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace ailedger

namespace ailedger {
namespace {

TEST_F(VerifyTest, PendingApprovalsAreListedAndAnApprovalByTheAuthorFails) {
  Grant("author", "publisher");  // a person; Grant() gives no function
  ASSERT_TRUE(Client(nullptr)
                  ->Append(Signed(LoadKey("author"), "SystemRegistered"))
                  .ok());
  auto release = Client(nullptr)->Append(
      Signed(LoadKey("author"), "ModelVersionReleased"));
  ASSERT_TRUE(release.ok());
  ASSERT_TRUE(
      Client(nullptr)
          ->Append(Signed(LoadKey("publisher"), "RiskAssessed", "s", 77))
          .ok());
  ASSERT_EQ(
      Cli({"export", "--out", Path("full.bundle"), "--key", Path("admin.key")})
          .exit_code,
      0);
  auto listed = Verify(Path("full.bundle"));
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("awaiting approval: index " +
                            std::to_string(release->index())),
            std::string::npos)
      << listed.out;
  // A rogue operator slips in the author's own approval in place of the last
  // leaf.
  auto records = ReadRecords(Path("full.bundle"));
  size_t last = FirstLeaf(records);
  while (records[last + 1].type == RecordType::kLeaf) ++last;
  Leaf leaf = DecodeLeaf(records[last].payload).value();
  v1::Event approval;
  approval.set_event_type("Approval");
  approval.set_organisation("Acme AI");  // the author's own
  approval.mutable_approval()->set_approves(release->event_id());
  approval.mutable_approval()->set_decision(v1::DECISION_APPROVE);
  approval.mutable_approval()->set_authority("release board");
  const SigningKey author = LoadKey("author");
  leaf.event_bytes = CanonicalEncoding(approval);
  leaf.signer = author.verifier().public_key();
  leaf.signature =
      author.Sign(EventSigningMessage(kE2eOrigin, leaf.event_bytes));
  records[last].payload = EncodeLeaf(leaf).value();
  ExpectFails(records, ": approval: the approver wrote event");
}

}  // namespace
}  // namespace ailedger

namespace ailedger {
namespace {

TEST_F(VerifyTest, ProveJsonOutputVerifiesOfflineAgainstCheckpoints) {
  const std::string admin = Path("admin.key");
  ASSERT_TRUE(WriteFileDurably(Path("old.cp"), Cli({"checkpoint"}).out).ok());
  const std::string old_size = std::to_string(Size());
  ASSERT_TRUE(
      Client(nullptr)
          ->Append(Signed(LoadKey("publisher"), "RiskAssessed", "s", 50))
          .ok());
  ASSERT_TRUE(WriteFileDurably(Path("new.cp"), Cli({"checkpoint"}).out).ok());
  auto incl =
      Cli({"prove", "inclusion", "--index", "3", "--json", "--key", admin});
  ASSERT_TRUE(WriteFileDurably(Path("incl.json"), incl.out).ok());
  auto ok = Cli({"verify-proof", Path("incl.json"), "--vkey", Vkey("log"),
                 "--checkpoint", Path("new.cp"), "--no-witness-policy"});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  // Against the older checkpoint the sizes differ: refused.
  EXPECT_EQ(Cli({"verify-proof", Path("incl.json"), "--vkey", Vkey("log"),
                 "--checkpoint", Path("old.cp"), "--no-witness-policy"})
                .exit_code,
            1);
  auto cons = Cli(
      {"prove", "consistency", "--from", old_size, "--json", "--key", admin});
  ASSERT_TRUE(WriteFileDurably(Path("cons.json"), cons.out).ok());
  auto c = Cli({"verify-proof", Path("cons.json"), "--vkey", Vkey("log"),
                "--trusted", Path("old.cp"), "--checkpoint", Path("new.cp"),
                "--no-witness-policy"});
  EXPECT_EQ(c.exit_code, 0) << c.out << c.err;
  EXPECT_NE(c.out.find("extends size " + old_size), std::string::npos) << c.out;
}

}  // namespace
}  // namespace ailedger

namespace ailedger {
namespace {

// Corrections name earlier events the verifier reads again in a second pass: a
// correction of another type, a second supersession and an erasure of an event
// without attachments fail offline, as the sequencer would have refused them.
TEST_F(VerifyTest, ForgedCorrectionsFailOffline) {
  auto records = ReadRecords(Path("full.bundle"));
  size_t last = FirstLeaf(records);
  while (records[last + 1].type == RecordType::kLeaf) ++last;
  const Leaf original = DecodeLeaf(records[last].payload).value();
  // The first RiskAssessed (index 2; 0 is genesis, 1 the publisher's grant).
  const Leaf first =
      DecodeLeaf(records[FirstLeaf(records) + 2].payload).value();
  const std::string target =
      std::string(AsBytes(EventId(kE2eOrigin, first.event_bytes)));
  auto forge = [&](v1::Event e, const std::string& signer) {
    Leaf leaf = original;
    const SigningKey key = LoadKey(signer);
    leaf.event_bytes = CanonicalEncoding(e);
    leaf.signer = key.verifier().public_key();
    leaf.signature =
        key.Sign(EventSigningMessage(kE2eOrigin, leaf.event_bytes));
    auto copy = records;
    copy[last].payload = EncodeLeaf(leaf).value();
    return copy;
  };
  v1::Event wrong_type;
  wrong_type.set_event_type("PolicyPublished");
  wrong_type.set_organisation("Acme AI");
  FillExampleBody(&wrong_type);
  wrong_type.set_supersedes(target);
  wrong_type.set_supersedes_reason("typo");
  ExpectFails(forge(wrong_type, "publisher"),
              "correction: supersedes: a correction of a RiskAssessed");
  v1::Event missing = wrong_type;
  missing.set_supersedes(std::string(32, 'm'));
  ExpectFails(forge(missing, "publisher"), "correction: supersedes: no event");
  v1::Event erase;
  erase.set_event_type("Erasure");
  erase.set_organisation("Acme AI");
  erase.mutable_erasure()->set_event_id(target);
  erase.mutable_erasure()->set_legal_basis("GDPR Art. 17");
  ExpectFails(
      forge(erase, "admin"),
      ": erasure.event_id: no logged event with that sealed attachment");
}

}  // namespace
}  // namespace ailedger

namespace ailedger {
namespace {

// The verifier reads, checks and replays leaves in batches of 1024 in a
// pipeline: failures are still named at their index across batches, and a
// bundle that ends right at a batch boundary fails instead of waiting.
TEST_F(VerifyTest, FailuresAcrossThePipelinesBatchesKeepTheirIndex) {
  AppendEvents(6, 2100);
  ExportBundle("big.bundle");
  auto records = ReadRecords(Path("big.bundle"));
  const size_t l = FirstLeaf(records);
  ASSERT_GT(records.size(), l + 2100);
  WriteRecords(Path("ok.bundle"), records);
  EXPECT_EQ(Verify(Path("ok.bundle")).exit_code, 0);
  auto flipped = records;
  flipped[l + 1500].payload[100] ^= 1;
  ExpectFails(flipped, "index 1500: signature");
  auto swapped = records;
  std::swap(swapped[l + 1023], swapped[l + 1024]);
  ExpectFails(swapped, "index 1023: chain");
  auto cut = records;
  cut.resize(l + 2048);  // leaves 0..2047: two whole batches, then nothing
  ExpectFails(cut, "");
}

}  // namespace
}  // namespace ailedger
