// OpenTrustedCheckpoint: a checkpoint under the reader's log keys (across a
// rotation) and witness policy, with the most specific code for each failure.
#include "ledger/tlog/trust.h"

#include "gtest/gtest.h"
#include "ledger/base/crypto_init.h"
#include "ledger/tlog/note.h"

namespace ailedger {
namespace {

constexpr char kOrigin[] = "trust.example/log";
constexpr uint64_t kTime = 1700000000;

class TrustTest : public ::testing::Test {
 protected:
  void SetUp() override { InitCrypto(); }

  static SigningKey Key(const std::string& name, uint8_t type) {
    return SigningKey::Generate(name, type).value();
  }
  // The checkpoint at size 7, signed by `log_key`.
  std::string Signed(const SigningKey& log_key) const {
    return SignCheckpoint(cp_, log_key).value();
  }
  // `note` with a cosignature by `witness` appended.
  std::string Cosigned(const std::string& note,
                       const SigningKey& witness) const {
    return note + SignatureLine(witness, cp_.ToText(), kTime);
  }
  TrustAnchors Anchors(std::vector<VerifierKey> log_keys,
                       std::vector<VerifierKey> witnesses = {},
                       size_t quorum = 0) const {
    return {std::move(log_keys), {std::move(witnesses), quorum}};
  }

  Checkpoint cp_{kOrigin, 7, HashLeaf("seven")};
  SigningKey log_ = Key(kOrigin, kKeyTypeEd25519);
  SigningKey w1_ = Key("witness.example/w1", kKeyTypeCosignature);
  SigningKey w2_ = Key("witness.example/w2", kKeyTypeCosignature);
};

TEST_F(TrustTest, TheLogKeyOpensItsCheckpoint) {
  auto t = OpenTrustedCheckpoint(Signed(log_), Anchors({log_.verifier()}));
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->checkpoint, cp_);
  EXPECT_EQ(t->cosignatures, 0u);
  EXPECT_TRUE(t->unknown_signers.empty());
}

TEST_F(TrustTest, AnotherKeyOfTheSameNameIsUnauthenticated) {
  SigningKey impostor = Key(kOrigin, kKeyTypeEd25519);
  auto t = OpenTrustedCheckpoint(Signed(impostor), Anchors({log_.verifier()}));
  EXPECT_EQ(t.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(t.status().message(),
            "checkpoint: not signed by any of the reader's log keys");
}

TEST_F(TrustTest, ABadSignatureUnderTheLogKeysNameAndIdIsUnauthenticated) {
  std::string note = Signed(log_);
  const std::string other =
      SignCheckpoint({kOrigin, 8, cp_.root}, log_).value();
  // The size-7 text with the size-8 signature line.
  note = cp_.ToText() + "\n" + other.substr(other.find("\n\n") + 2);
  auto t = OpenTrustedCheckpoint(note, Anchors({log_.verifier()}));
  EXPECT_EQ(t.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(t.status().message().find("does not verify"),
            absl::string_view::npos)
      << t.status();
}

TEST_F(TrustTest, EitherKeyOfARotationOpensIt) {
  SigningKey next = Key(kOrigin, kKeyTypeEd25519);
  const TrustAnchors both = Anchors({log_.verifier(), next.verifier()});
  auto by_second = OpenTrustedCheckpoint(Signed(next), both);
  ASSERT_TRUE(by_second.ok()) << by_second.status();
  EXPECT_EQ(by_second->checkpoint, cp_);
  EXPECT_TRUE(OpenTrustedCheckpoint(Signed(log_), both).ok());
  // The old key alone does not open the new key's checkpoint.
  EXPECT_EQ(OpenTrustedCheckpoint(Signed(next), Anchors({log_.verifier()}))
                .status()
                .code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(TrustTest, TheQuorumCountsDistinctWitnessesOfThePolicy) {
  const TrustAnchors two_of_two =
      Anchors({log_.verifier()}, {w1_.verifier(), w2_.verifier()}, 2);
  const std::string one = Cosigned(Signed(log_), w1_);
  auto short_one = OpenTrustedCheckpoint(one, two_of_two);
  EXPECT_EQ(short_one.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(short_one.status().message(),
            "witness quorum: expected 2 cosignatures by the reader's "
            "witnesses, found 1");
  // The same witness twice is one cosignature.
  EXPECT_EQ(
      OpenTrustedCheckpoint(Cosigned(one, w1_), two_of_two).status().code(),
      absl::StatusCode::kFailedPrecondition);
  auto met = OpenTrustedCheckpoint(Cosigned(one, w2_), two_of_two);
  ASSERT_TRUE(met.ok()) << met.status();
  EXPECT_EQ(met->cosignatures, 2u);
}

TEST_F(TrustTest, AnUnknownCosignerIsReportedAndDoesNotCount) {
  SigningKey stranger = Key("witness.example/stranger", kKeyTypeCosignature);
  const std::string note = Cosigned(Signed(log_), stranger);
  auto no_policy = OpenTrustedCheckpoint(note, Anchors({log_.verifier()}));
  ASSERT_TRUE(no_policy.ok()) << no_policy.status();
  EXPECT_EQ(no_policy->cosignatures, 0u);
  EXPECT_EQ(no_policy->unknown_signers,
            std::vector<std::string>{"witness.example/stranger"});
  EXPECT_EQ(OpenTrustedCheckpoint(
                note, Anchors({log_.verifier()}, {w1_.verifier()}, 1))
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(TrustTest, AForgedCosignatureByAPolicyWitnessIsUnauthenticated) {
  const std::string forged =
      Signed(log_) + SignatureLine(w1_, "other text\n", kTime);
  auto t = OpenTrustedCheckpoint(
      forged, Anchors({log_.verifier()}, {w1_.verifier()}, 0));
  EXPECT_EQ(t.status().code(), absl::StatusCode::kUnauthenticated);
}

TEST_F(TrustTest, ANoteOverTheSizeLimitIsInvalid) {
  std::string note = Signed(log_);
  while (note.size() <= kMaxNoteSize)
    note += SignatureLine(w1_, cp_.ToText(), kTime);
  auto t = OpenTrustedCheckpoint(note, Anchors({log_.verifier()}));
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(t.status().message().find("larger than"), absl::string_view::npos)
      << t.status();
}

TEST_F(TrustTest, UnusableAnchorsAndAnOriginNotTheKeysNameAreInvalid) {
  EXPECT_EQ(OpenTrustedCheckpoint(Signed(log_), Anchors({})).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenTrustedCheckpoint(Cosigned(Signed(log_), w1_),
                                  Anchors({w1_.verifier()}))
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);  // a cosigner as log key
  SigningKey elsewhere = Key("elsewhere.example/log", kKeyTypeEd25519);
  const SigningKey* keys[] = {&elsewhere};
  const std::string note = SignNote(cp_.ToText(), keys).value();
  auto t = OpenTrustedCheckpoint(note, Anchors({elsewhere.verifier()}));
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(t.status().message().find("origin"), absl::string_view::npos);
}

}  // namespace
}  // namespace ailedger
