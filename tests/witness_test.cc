// The tlog-witness logic: it cosigns only consistent checkpoints, answers each
// refusal with the status the spec names, and keeps its state across restarts.
#include "witness/witness.h"

#include <filesystem>

#include "gtest/gtest.h"
#include "ledger/tlog/note.h"
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
