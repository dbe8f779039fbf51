// The tlog-witness logic: it cosigns only consistent checkpoints, answers each
// refusal with the status the spec names, and keeps its state across restarts.
#include "witness/witness.h"

#include <filesystem>

#include "gtest/gtest.h"
#include "ledger/base/file_util.h"
#include "ledger/governance/event_signature.h"
#include "ledger/governance/log_key_rotation.h"
#include "ledger/tlog/leaf.h"
#include "ledger/tlog/note.h"
#include "ledger/tlog/tlog_proof.h"
#include "tests/testing/reference_tree.h"
#include "tests/testing/temp_dir.h"

namespace ailedger {
namespace {

constexpr char kOrigin[] = "witnessed.example/log";

class WitnessTest : public testing::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    leaves_ = testing::MakeLeafHashes(20);
    Reopen();
  }
  void Reopen() {
    witness_ = Witness::Open(SigningKey::FromSeed("w1", kKeyTypeCosignature,
                                                  std::string(32, 'w'))
                                 .value(),
                             {log_.verifier()}, dir_,
                             [] { return uint64_t{1700000000}; })
                   .value();
  }
  std::string Note(uint64_t size, const std::vector<Hash>& leaves) {
    return SignCheckpoint(
               {kOrigin, size, testing::ReferenceRoot(leaves, 0, size)}, log_)
        .value();
  }
  WitnessAnswer Add(uint64_t old, uint64_t size,
                    const std::vector<Hash>& leaves) {
    AddCheckpointRequest r;
    r.old_size = old;
    if (old > 0 && old < size)
      r.proof = testing::ReferenceConsistency(leaves, old, size);
    r.checkpoint = Note(size, leaves);
    return witness_->AddCheckpoint(FormatAddCheckpoint(r));
  }

  SigningKey log_ = SigningKey::Generate(kOrigin, kKeyTypeEd25519).value();
  std::vector<Hash> leaves_;
  std::unique_ptr<Witness> witness_;
};

TEST_F(WitnessTest, CosignsAConsistentSequence) {
  auto first = Add(0, 5, leaves_);
  ASSERT_EQ(first.http_status, 200) << first.body;
  // The answer is a cosignature line that verifies over the checkpoint.
  auto w = SigningKey::FromSeed("w1", kKeyTypeCosignature, std::string(32, 'w'))
               .value();
  auto cp = OpenCheckpoint(Note(5, leaves_) + first.body, log_.verifier(),
                           {w.verifier()});
  ASSERT_TRUE(cp.ok()) << cp.status();
  EXPECT_EQ(cp->note.verified.size(), 2u);
  EXPECT_EQ(Add(5, 9, leaves_).http_status, 200);
  EXPECT_EQ(Add(9, 9, leaves_).http_status, 200);  // the same checkpoint again
}

TEST_F(WitnessTest, RefusesAnInconsistentCheckpoint) {
  ASSERT_EQ(Add(0, 5, leaves_).http_status, 200);
  std::vector<Hash> forked = leaves_;
  forked[2] = HashLeaf("rewritten");
  auto split =
      Add(5, 9,
          forked);  // proof from the forked tree cannot match the cosigned root
  EXPECT_EQ(split.http_status, 422) << split.body;
  auto same_size = Add(5, 5, forked);
  EXPECT_EQ(same_size.http_status, 409);
  // Nothing changed: the honest continuation is still accepted.
  EXPECT_EQ(Add(5, 9, leaves_).http_status, 200);
}

TEST_F(WitnessTest, StaleOldSizeIs409WithTheLatestSize) {
  ASSERT_EQ(Add(0, 7, leaves_).http_status, 200);
  auto stale = Add(3, 9, leaves_);
  EXPECT_EQ(stale.http_status, 409);
  EXPECT_EQ(stale.body, "7\n");
  EXPECT_EQ(stale.content_type, "text/x.tlog.size");
  Reopen();  // the state survives a restart
  EXPECT_EQ(Add(0, 9, leaves_).body, "7\n");
}

TEST_F(WitnessTest, UnknownOriginForeignKeyAndMalformedBodies) {
  auto other =
      SigningKey::Generate("other.example/log", kKeyTypeEd25519).value();
  AddCheckpointRequest r;
  r.checkpoint =
      SignCheckpoint({"other.example/log", 1, leaves_[0]}, other).value();
  EXPECT_EQ(witness_->AddCheckpoint(FormatAddCheckpoint(r)).http_status, 404);
  auto impostor = SigningKey::Generate(kOrigin, kKeyTypeEd25519).value();
  r.checkpoint = SignCheckpoint({kOrigin, 1, leaves_[0]}, impostor).value();
  EXPECT_EQ(witness_->AddCheckpoint(FormatAddCheckpoint(r)).http_status, 403);
  EXPECT_EQ(witness_->AddCheckpoint("old 01\n\n").http_status, 400);
  EXPECT_EQ(witness_->AddCheckpoint("garbage").http_status, 400);
  r.checkpoint = Note(3, leaves_);
  r.old_size = 5;
  EXPECT_EQ(witness_->AddCheckpoint(FormatAddCheckpoint(r)).http_status, 400);
}

}  // namespace
}  // namespace ailedger

namespace ailedger {
namespace {

// A log key rotation: the witness follows the log to a new key only on a
// rotation proof consistent with what it cosigned, keeps it across restarts,
// and refuses the old key alone after the overlap and a key never rotated to.
class WitnessRotationTest : public WitnessTest {
 protected:
  void SetUp() override {
    WitnessTest::SetUp();
    LogKeyRotationParams p;
    p.origin = kOrigin;
    p.organisation = "Acme AI";
    p.overlap_entries = 2;  // the old key signs up to size 7
    p.reason = "yearly rotation";
    const SignedEvent e =
        SignEvent(MakeLogKeyRotation(new_, p), admin_, kOrigin);
    Leaf leaf;
    leaf.index = 5;
    leaf.signer = e.signer;
    leaf.signature = e.signature;
    leaf.event_bytes = e.event_bytes;
    rotation_leaf_ = EncodeLeaf(leaf).value();
    leaves_[5] = HashLeaf(rotation_leaf_);
  }
  std::string Signed(uint64_t size, std::vector<const SigningKey*> keys) {
    const Checkpoint cp{kOrigin, size,
                        testing::ReferenceRoot(leaves_, 0, size)};
    return SignNote(cp.ToText(), keys).value();
  }
  WitnessAnswer AddSigned(uint64_t old, uint64_t size,
                          std::vector<const SigningKey*> keys) {
    AddCheckpointRequest r{old, {}, Signed(size, keys)};
    if (old > 0 && old < size)
      r.proof = testing::ReferenceConsistency(leaves_, old, size);
    return witness_->AddCheckpoint(FormatAddCheckpoint(r));
  }
  // The rotation proof in the handover of size 6, posted at witness size
  // `old`.
  WitnessAnswer ShowRotation(uint64_t old,
                             std::vector<const SigningKey*> keys) {
    const std::string proof = FormatTlogProof(
        {rotation_leaf_, 5, testing::ReferenceInclusion(leaves_, 5, 6),
         Signed(6, keys)});
    AddCheckpointRequest r{old, {}, proof};
    if (old > 0 && old != 6) {
      r.proof = testing::ReferenceConsistency(
          leaves_, std::min<uint64_t>(old, 6), std::max<uint64_t>(old, 6));
    }
    return witness_->AddKeyRotation(FormatAddCheckpoint(r));
  }

  SigningKey new_ = SigningKey::Generate(kOrigin, kKeyTypeEd25519).value();
  SigningKey admin_ = SigningKey::Generate("admin", kKeyTypeEd25519).value();
  std::string rotation_leaf_;
};

TEST_F(WitnessRotationTest, FollowsAProvenRotationOnly) {
  ASSERT_EQ(AddSigned(0, 4, {&log_}).http_status, 200);
  // The new key before the witness is shown the rotation: refused.
  EXPECT_EQ(AddSigned(4, 9, {&new_}).http_status, 403);
  // A handover the old key did not sign proves nothing.
  EXPECT_EQ(ShowRotation(4, {&new_}).http_status, 403);
  // Shown at a stale size: 409 with its size, as add-checkpoint.
  EXPECT_EQ(ShowRotation(3, {&log_, &new_}).http_status, 409);
  auto shown = ShowRotation(4, {&log_, &new_});
  ASSERT_EQ(shown.http_status, 200) << shown.body;
  EXPECT_EQ(ShowRotation(4, {&log_, &new_}).http_status, 200);  // known
  // In the overlap either key; after it the new key, never the old alone.
  EXPECT_EQ(AddSigned(4, 7, {&log_}).http_status, 200);
  EXPECT_EQ(AddSigned(7, 9, {&log_}).http_status, 403);
  SigningKey stranger = SigningKey::Generate(kOrigin, kKeyTypeEd25519).value();
  EXPECT_EQ(AddSigned(7, 9, {&stranger}).http_status, 403);
  // Kept across a restart.
  Reopen();
  auto answer = AddSigned(7, 9, {&new_});
  EXPECT_EQ(answer.http_status, 200) << answer.body;
  EXPECT_EQ(AddSigned(9, 12, {&log_}).http_status, 403);
}

// A witness restored from a backup taken before it cosigned under the new key
// catches up on those cosignatures: the backup keeps the rotations it was
// shown, and CatchUp opens the note under the keys it follows.
TEST_F(WitnessRotationTest, ARestoredWitnessCatchesUpUnderTheNewKey) {
  ASSERT_EQ(AddSigned(0, 4, {&log_}).http_status, 200);
  ASSERT_EQ(ShowRotation(4, {&log_, &new_}).http_status, 200);
  const std::string backup = dir_ + "-backup";
  std::filesystem::copy(dir_, backup);
  ASSERT_EQ(AddSigned(4, 9, {&new_}).http_status, 200);
  std::string note;
  for (const auto& f : std::filesystem::directory_iterator(dir_)) {
    if (f.path().extension() == ".rotations") continue;
    std::string text = ReadSmallFile(f.path().string()).value();
    note = text.substr(text.find('\n', text.find('\n') + 1) + 1);
  }
  auto restored =
      Witness::Open(
          SigningKey::FromSeed("w1", kKeyTypeCosignature, std::string(32, 'w'))
              .value(),
          {log_.verifier()}, backup, [] { return uint64_t{1700000000}; })
          .value();
  auto said = restored->CatchUp(note);
  ASSERT_TRUE(said.ok()) << said.status();
  EXPECT_NE(said->find("raised from size 4 to 9"), std::string::npos) << *said;
  std::filesystem::remove_all(backup);
}

TEST_F(WitnessRotationTest, RefusesAHandoverInconsistentWithItsState) {
  std::vector<Hash> honest = leaves_;
  leaves_[1] = HashLeaf("forked");
  ASSERT_EQ(AddSigned(0, 4, {&log_}).http_status, 200);  // the fork
  leaves_ = honest;
  auto shown = ShowRotation(4, {&log_, &new_});
  EXPECT_EQ(shown.http_status, 422) << shown.body;
}

}  // namespace
}  // namespace ailedger
