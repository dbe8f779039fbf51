// SignEvent and VerifyEventSignature: the one way an event is signed and
// checked (ledger/governance/event_signature.h).
#include "ledger/governance/event_signature.h"

#include "gtest/gtest.h"
#include "ledger/base/crypto_init.h"
#include "ledger/governance/canonical.h"
#include "ledger/merkle/hash.h"
#include "ledger/tlog/contexts.h"

namespace ailedger {
namespace {

constexpr char kOrigin[] = "example.com/event-signature-test";

SigningKey Key(absl::string_view name) {
  const Hash seed = HashLeaf(name);
  return SigningKey::FromSeed(name, kKeyTypeEd25519, AsBytes(seed)).value();
}

v1::Event Sample() {
  v1::Event e;
  e.set_event_type("RiskAssessed");
  e.set_organisation("Example Org");
  e.set_occurred_at_ms(1700000000000);
  return e;
}

bool Verifies(absl::string_view origin, const SignedEvent& s) {
  return VerifyEventSignature(origin, s.event_bytes, s.signer,
                              AsBytes(s.signature));
}

class EventSignatureTest : public ::testing::Test {
 protected:
  void SetUp() override { InitCrypto(); }
  const SigningKey author_ = Key("author");
  const SigningKey other_ = Key("other");
};

TEST_F(EventSignatureTest, SignsTheCanonicalBytesForTheOrigin) {
  const SignedEvent s = SignEvent(Sample(), author_, kOrigin);
  EXPECT_EQ(s.event_bytes, CanonicalEncoding(Sample()));
  EXPECT_EQ(s.signer, author_.verifier().public_key());
  // The signature is over the event signing context (docs/FORMATS.md).
  EXPECT_TRUE(Ed25519Verify(s.signer,
                            EventSigningMessage(kOrigin, s.event_bytes),
                            AsBytes(s.signature)));
  EXPECT_TRUE(Verifies(kOrigin, s));
}

TEST_F(EventSignatureTest, AnotherOriginDoesNotVerify) {
  const SignedEvent s = SignEvent(Sample(), author_, kOrigin);
  EXPECT_FALSE(Verifies("example.com/another-log", s));
  EXPECT_FALSE(Verifies("", s));
}

TEST_F(EventSignatureTest, AFlippedByteDoesNotVerify) {
  const SignedEvent good = SignEvent(Sample(), author_, kOrigin);
  for (size_t i = 0; i < good.event_bytes.size(); ++i) {
    SignedEvent s = good;
    s.event_bytes[i] ^= 0x01;
    EXPECT_FALSE(Verifies(kOrigin, s)) << "event byte " << i;
  }
  for (size_t i = 0; i < good.signature.size(); ++i) {
    SignedEvent s = good;
    s.signature[i] ^= 0x01;
    EXPECT_FALSE(Verifies(kOrigin, s)) << "signature byte " << i;
  }
}

TEST_F(EventSignatureTest, AnotherKeyDoesNotVerify) {
  SignedEvent s = SignEvent(Sample(), author_, kOrigin);
  s.signer = other_.verifier().public_key();
  EXPECT_FALSE(Verifies(kOrigin, s));
  // Signed by the other key, claimed by the author.
  SignedEvent forged = SignEvent(Sample(), other_, kOrigin);
  forged.signer = author_.verifier().public_key();
  EXPECT_FALSE(Verifies(kOrigin, forged));
}

TEST_F(EventSignatureTest, ASignatureOfTheWrongSizeDoesNotVerify) {
  const SignedEvent s = SignEvent(Sample(), author_, kOrigin);
  const std::string sig(AsBytes(s.signature));
  EXPECT_FALSE(VerifyEventSignature(kOrigin, s.event_bytes, s.signer,
                                    sig.substr(0, 63)));
  EXPECT_FALSE(
      VerifyEventSignature(kOrigin, s.event_bytes, s.signer, sig + "x"));
  EXPECT_FALSE(VerifyEventSignature(kOrigin, s.event_bytes, s.signer, ""));
}

}  // namespace
}  // namespace ailedger
