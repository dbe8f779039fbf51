// Log key rotation (docs/ARCHITECTURE.md, "Log key rotation"): the chain's
// windows, checkpoints opened along it, rotation proofs followed from the key
// a reader pinned, and the roster's rules for a LogKeyRotated.
#include "ledger/governance/log_key_rotation.h"

#include "gtest/gtest.h"
#include "ledger/base/crypto_init.h"
#include "ledger/governance/event_signature.h"
#include "ledger/governance/genesis.h"
#include "ledger/governance/roster.h"
#include "ledger/tlog/leaf.h"
#include "ledger/tlog/log_key_chain.h"
#include "ledger/tlog/note.h"
#include "ledger/tlog/tlog_proof.h"
#include "ledger/tlog/trust.h"
#include "tests/testing/reference_tree.h"

namespace ailedger {
namespace {

using ::ailedger::testing::MakeLeafHashes;
using ::ailedger::testing::ReferenceInclusion;
using ::ailedger::testing::ReferenceRoot;

constexpr char kOrigin[] = "rotation.example/log";

SigningKey LogKey() {
  return SigningKey::Generate(kOrigin, kKeyTypeEd25519).value();
}

class LogKeyRotationTest : public ::testing::Test {
 protected:
  void SetUp() override { InitCrypto(); }

  // The rotation at `index` to `to`, overlapping `overlap` entries.
  static LogKeyRotation Rotation(uint64_t index, const SigningKey& to,
                                 uint64_t overlap,
                                 std::optional<uint64_t> since = {}) {
    LogKeyRotation r{index, to.verifier(), overlap};
    r.compromised_since = since;
    return r;
  }
  // A checkpoint of `size` signed by `keys`.
  static std::string Note(uint64_t size, std::vector<const SigningKey*> keys) {
    const Checkpoint cp{kOrigin, size, HashLeaf(absl::StrCat("t", size))};
    return SignNote(cp.ToText(), keys).value();
  }
  absl::Status Open(const std::string& note,
                    std::vector<LogKeyRotation> rotations) {
    TrustAnchors a{{old_.verifier()}, {}};
    a.rotations = std::move(rotations);
    return OpenTrustedCheckpoint(note, a).status();
  }

  // A log of `size` leaves whose leaf `index` is a LogKeyRotated to `to`
  // signed by `author`, and the rotation proof of it in the checkpoint of
  // `size` signed by `signers`.
  std::string Proof(uint64_t index, uint64_t size, const SigningKey& to,
                    std::vector<const SigningKey*> signers,
                    const std::string& origin = kOrigin) {
    LogKeyRotationParams p;
    p.origin = origin;
    p.organisation = "Acme AI";
    p.overlap_entries = 4;
    p.reason = "yearly rotation";
    const SignedEvent signed_event =
        SignEvent(MakeLogKeyRotation(to, p), admin_, kOrigin);
    Leaf leaf;
    leaf.index = index;
    leaf.signer = signed_event.signer;
    leaf.signature = signed_event.signature;
    leaf.event_bytes = signed_event.event_bytes;
    const std::string bytes = EncodeLeaf(leaf).value();
    std::vector<Hash> hashes = MakeLeafHashes(size);
    hashes[index] = HashLeaf(bytes);
    const Checkpoint cp{kOrigin, size, ReferenceRoot(hashes, 0, size)};
    return FormatTlogProof({bytes, index,
                            ReferenceInclusion(hashes, index, size),
                            SignNote(cp.ToText(), signers).value()});
  }

  SigningKey old_ = LogKey();
  SigningKey new_ = LogKey();
  SigningKey admin_ = SigningKey::Generate("admin", kKeyTypeEd25519).value();
};

TEST_F(LogKeyRotationTest, TheChainGivesEachKeyItsWindow) {
  LogKeyChain chain({old_.verifier()});
  ASSERT_TRUE(chain.Rotate(Rotation(10, new_, 5)).ok());
  const VerifierKey &o = old_.verifier(), &n = new_.verifier();
  EXPECT_TRUE(chain.MaySign(o, 10));
  EXPECT_TRUE(chain.MaySign(o, 15));  // the overlap: 11 .. 15
  EXPECT_FALSE(chain.MaySign(o, 16));
  EXPECT_FALSE(chain.MaySign(n, 10));  // a tree without the rotation
  EXPECT_TRUE(chain.MaySign(n, 11));
  EXPECT_TRUE(chain.MaySign(n, 1000000));
  EXPECT_EQ(chain.KeysAt(12).size(), 2u);
  EXPECT_NE(chain.WhyNot(o, 16).find("signs sizes up to 15 only"),
            std::string::npos)
      << chain.WhyNot(o, 16);
  EXPECT_NE(chain.WhyNot(n, 3).find("signs sizes from 11 on only"),
            std::string::npos)
      << chain.WhyNot(n, 3);
}

TEST_F(LogKeyRotationTest, TheChainRefusesWhatNoLogMayDo) {
  LogKeyChain chain({old_.verifier()});
  // Back to the key the log left; an overlap of none; a compromise in the
  // future; a key named after another log; a cosigner key.
  EXPECT_TRUE(absl::IsInvalidArgument(chain.Rotate(Rotation(10, new_, 0))));
  EXPECT_TRUE(absl::IsInvalidArgument(chain.Rotate(Rotation(10, new_, 5, 11))));
  auto other = SigningKey::Generate("other.example/log", kKeyTypeEd25519);
  EXPECT_TRUE(absl::IsInvalidArgument(chain.Rotate(Rotation(10, *other, 5))));
  auto cosigner = SigningKey::Generate(kOrigin, kKeyTypeCosignature);
  EXPECT_TRUE(
      absl::IsInvalidArgument(chain.Rotate(Rotation(10, *cosigner, 5))));
  ASSERT_TRUE(chain.Rotate(Rotation(10, new_, 5)).ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(chain.Rotate(Rotation(20, old_, 5))));
  SigningKey third = LogKey();
  EXPECT_TRUE(absl::IsFailedPrecondition(chain.Rotate(Rotation(10, third, 5))));
  EXPECT_TRUE(chain.Rotate(Rotation(20, third, 5)).ok());
  EXPECT_EQ(chain.links().size(), 3u);
}

TEST_F(LogKeyRotationTest, CheckpointsAreOpenedAlongTheRotations) {
  const std::vector<LogKeyRotation> rotated = {Rotation(10, new_, 5)};
  // Before any rotation is known the pinned key is all there is.
  EXPECT_TRUE(Open(Note(100, {&old_}), {}).ok());
  EXPECT_TRUE(absl::IsUnauthenticated(Open(Note(100, {&new_}), {})));
  // During the overlap either key suffices; both sign.
  EXPECT_TRUE(Open(Note(13, {&old_, &new_}), rotated).ok());
  EXPECT_TRUE(Open(Note(13, {&old_}), rotated).ok());
  EXPECT_TRUE(Open(Note(13, {&new_}), rotated).ok());
  // After it, the old key alone is refused; the new key is followed.
  absl::Status late = Open(Note(16, {&old_}), rotated);
  EXPECT_TRUE(absl::IsUnauthenticated(late)) << late;
  EXPECT_TRUE(IsOutsideKeyWindow(late));
  EXPECT_NE(late.message().find("signs sizes up to 15 only"), std::string::npos)
      << late;
  EXPECT_TRUE(Open(Note(16, {&new_}), rotated).ok());
  EXPECT_TRUE(Open(Note(16, {&old_, &new_}), rotated).ok());
  // The new key on a tree without the rotation; a key never rotated to.
  EXPECT_TRUE(IsOutsideKeyWindow(Open(Note(10, {&new_}), rotated)));
  SigningKey stranger = LogKey();
  absl::Status s = Open(Note(16, {&stranger}), rotated);
  EXPECT_TRUE(absl::IsUnauthenticated(s)) << s;
  EXPECT_FALSE(IsOutsideKeyWindow(s));
}

TEST_F(LogKeyRotationTest, ACompromiseRefusesTheOldKeyAloneFromItsSize) {
  const std::vector<LogKeyRotation> rotated = {Rotation(10, new_, 5, 6)};
  EXPECT_TRUE(Open(Note(6, {&old_}), rotated).ok());
  absl::Status s = Open(Note(7, {&old_}), rotated);
  EXPECT_TRUE(IsOutsideKeyWindow(s)) << s;
  EXPECT_NE(s.message().find("declared compromised since size 6"),
            std::string::npos)
      << s;
  // Within what would have been the overlap, too.
  EXPECT_TRUE(IsOutsideKeyWindow(Open(Note(12, {&old_}), rotated)));
  EXPECT_TRUE(Open(Note(12, {&old_, &new_}), rotated).ok());
}

TEST_F(LogKeyRotationTest, ARotationProofIsFollowedFromThePinnedKey) {
  const TrustAnchors pinned{{old_.verifier()}, {}};
  const std::string proof = Proof(5, 6, new_, {&old_, &new_});
  auto proven = VerifyRotationProof(proof, pinned);
  ASSERT_TRUE(proven.ok()) << proven.status();
  EXPECT_EQ(proven->rotation.index, 5u);
  EXPECT_EQ(proven->rotation.new_key.ToString(), new_.verifier().ToString());
  EXPECT_EQ(proven->handover_size, 6u);
  auto followed = FollowRotationProofs({proof}, pinned);
  ASSERT_TRUE(followed.ok()) << followed.status();
  EXPECT_TRUE(OpenTrustedCheckpoint(Note(100, {&new_}), *followed).ok());
  // Following the same proof again changes nothing.
  auto again = FollowRotationProofs({proof, proof}, pinned);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->rotations.size(), 1u);
}

TEST_F(LogKeyRotationTest, ARotationProofNeedsBothKeysAndTheRightLog) {
  const TrustAnchors pinned{{old_.verifier()}, {}};
  // Without the old key's word: only the key the log rotates to signed.
  auto s = VerifyRotationProof(Proof(5, 6, new_, {&new_}), pinned).status();
  EXPECT_TRUE(absl::IsUnauthenticated(s)) << s;
  // Without the new key's: no handover.
  s = VerifyRotationProof(Proof(5, 6, new_, {&old_}), pinned).status();
  EXPECT_TRUE(absl::IsUnauthenticated(s)) << s;
  EXPECT_NE(s.message().find("no handover"), std::string::npos) << s;
  // A possession signature made for another log.
  s = VerifyRotationProof(
          Proof(5, 6, new_, {&old_, &new_}, "other.example/log"), pinned)
          .status();
  EXPECT_TRUE(absl::IsInvalidArgument(s)) << s;
  EXPECT_NE(s.message().find("possession_signature"), std::string::npos) << s;
  // A leaf moved: its inclusion proof fails.
  std::string proof = Proof(5, 8, new_, {&old_, &new_});
  auto parsed = ParseTlogProof(proof).value();
  parsed.hashes[0][0] ^= 1;
  s = VerifyRotationProof(FormatTlogProof(parsed), pinned).status();
  EXPECT_FALSE(s.ok());
}

TEST_F(LogKeyRotationTest, RotationProofsSplitFromOneFile) {
  const std::string a = Proof(5, 6, new_, {&old_, &new_});
  const std::string b = Proof(9, 12, new_, {&old_, &new_});
  auto split = SplitTlogProofs(a + b);
  ASSERT_TRUE(split.ok()) << split.status();
  ASSERT_EQ(split->size(), 2u);
  EXPECT_EQ((*split)[0], a);
  EXPECT_EQ((*split)[1], b);
  EXPECT_FALSE(SplitTlogProofs(a + b.substr(0, b.size() / 2)).ok());
  EXPECT_TRUE(SplitTlogProofs("").value().empty());
}

// The roster's rules: admin only (the role table), this origin, a key that
// never signed for this log, its possession signature.
class RosterRotationTest : public LogKeyRotationTest {
 protected:
  void SetUp() override {
    LogKeyRotationTest::SetUp();
    GenesisParams g;
    g.origin = kOrigin;
    g.organisation = "Acme AI";
    g.log_verifier_key = old_.verifier().ToString();
    g.admin_public_key = admin_.verifier().public_key();
    ASSERT_TRUE(roster_.Apply(Pk(admin_), MakeGenesis(g)).ok());
  }
  static const PublicKey& Pk(const SigningKey& k) {
    return k.verifier().public_key();
  }
  v1::Event Rotate(const SigningKey& to, const std::string& origin = kOrigin) {
    LogKeyRotationParams p;
    p.origin = origin;
    p.organisation = "Acme AI";
    p.overlap_entries = 3;
    p.reason = "yearly rotation";
    return MakeLogKeyRotation(to, p);
  }
  Roster roster_{kOrigin};
};

TEST_F(RosterRotationTest, AnAdminRotatesToANewKey) {
  ASSERT_TRUE(roster_.Apply(Pk(admin_), Rotate(new_)).ok());
  const LogKeyChain& chain = roster_.log_keys();
  ASSERT_EQ(chain.links().size(), 2u);
  EXPECT_EQ(*chain.links()[0].last_size, 4u);  // index 1, overlap 3
  EXPECT_EQ(chain.links()[1].first_size, 2u);
  // The snapshot keeps the chain.
  auto restored = Roster::FromSnapshot(roster_.ToSnapshot());
  ASSERT_TRUE(restored.ok()) << restored.status();
  EXPECT_EQ(restored->log_keys().rotations().size(), 1u);
  EXPECT_EQ(restored->log_keys().links().back().key.ToString(),
            new_.verifier().ToString());
}

TEST_F(RosterRotationTest, ARotationIsRefusedUnlessEveryRuleHolds) {
  // The genesis's own key, or any key the log had.
  absl::Status s = roster_.Check(Pk(admin_), Rotate(old_));
  EXPECT_TRUE(absl::IsFailedPrecondition(s)) << s;
  // Named for another log (its possession signature is for that log too).
  s = roster_.Check(Pk(admin_), Rotate(new_, "other.example/log"));
  EXPECT_TRUE(absl::IsInvalidArgument(s)) << s;
  // A possession signature by another key.
  v1::Event forged = Rotate(new_);
  SigningKey third = LogKey();
  forged.mutable_log_key_rotated()->set_possession_signature(
      Rotate(third).log_key_rotated().possession_signature());
  s = roster_.Check(Pk(admin_), forged);
  EXPECT_NE(s.message().find("possession_signature"), std::string::npos) << s;
  // A compromise declared beyond the rotation's index (1).
  v1::Event future = Rotate(new_);
  future.mutable_log_key_rotated()->set_compromised_since_size(2);
  s = roster_.Check(Pk(admin_), future);
  EXPECT_NE(s.message().find("compromised_since_size"), std::string::npos) << s;
  // Not an admin.
  s = roster_.Check(Pk(third), Rotate(new_));
  EXPECT_TRUE(absl::IsUnauthenticated(s)) << s;
  // Rotated once: never back, never to the same key again.
  ASSERT_TRUE(roster_.Apply(Pk(admin_), Rotate(new_)).ok());
  EXPECT_TRUE(
      absl::IsFailedPrecondition(roster_.Check(Pk(admin_), Rotate(new_))));
  EXPECT_TRUE(
      absl::IsFailedPrecondition(roster_.Check(Pk(admin_), Rotate(old_))));
  EXPECT_TRUE(roster_.Check(Pk(admin_), Rotate(third)).ok());
}

}  // namespace
}  // namespace ailedger
