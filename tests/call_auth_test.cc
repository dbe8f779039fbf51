// Call authentication: skew window, signature, replay cache (refuses when full,
// never evicts a live nonce), the start-up window, and the token-bucket rate
// limiter.
#include "server/call_auth.h"

#include "gtest/gtest.h"
#include "ledger/contexts.h"

namespace ailedger {
namespace {

constexpr char kOrigin[] = "auth.example/log";
constexpr char kMethod[] = "/ailedger.v1.Ledger/GetEntry";
constexpr int64_t kStart = 1'700'000'000'000;

CallCredentials Creds(const SigningKey& key, int64_t time_ms, char nonce_byte,
                      const std::string& method = kMethod) {
  CallCredentials c;
  c.key = key.verifier().public_key();
  c.time_ms = time_ms;
  c.nonce = std::string(kCallNonceSize, nonce_byte);
  c.signature =
      key.Sign(CallSigningMessage(kOrigin, method, time_ms, c.nonce).value());
  return c;
}

class CallAuthTest : public ::testing::Test {
 protected:
  void SetUp() override { InitCrypto(); }
  SigningKey key_ = SigningKey::Generate("reader", kKeyTypeEd25519).value();
};

TEST_F(CallAuthTest, FreshSignedCallsPassOnce) {
  CallAuthenticator auth(kOrigin, {}, kStart);
  const int64_t now = kStart + 120'000;
  EXPECT_TRUE(auth.Authenticate(kMethod, Creds(key_, now, 1), now).ok());
  auto replay = auth.Authenticate(kMethod, Creds(key_, now, 1), now);
  EXPECT_EQ(replay.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(replay.message().find("replay"), absl::string_view::npos);
}

TEST_F(CallAuthTest, TimeOutsideTheWindowOrWrongMethodIsRefused) {
  CallAuthenticator auth(kOrigin, {}, kStart);
  const int64_t now = kStart + 600'000;
  EXPECT_EQ(
      auth.Authenticate(kMethod, Creds(key_, now - 61'000, 2), now).code(),
      absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(
      auth.Authenticate(kMethod, Creds(key_, now + 61'000, 3), now).code(),
      absl::StatusCode::kUnauthenticated);
  // Signed for another method: the signature does not cover this one.
  EXPECT_EQ(
      auth.Authenticate(kMethod,
                        Creds(key_, now, 4, "/ailedger.v1.Ledger/Query"), now)
          .code(),
      absl::StatusCode::kUnauthenticated);
}

TEST_F(CallAuthTest, CallsSignedBeforeStartUpAreRefusedForOneSkewWindow) {
  CallAuthenticator auth(kOrigin, {}, kStart);
  EXPECT_EQ(
      auth.Authenticate(kMethod, Creds(key_, kStart - 1000, 5), kStart + 1000)
          .code(),
      absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(
      auth.Authenticate(kMethod, Creds(key_, kStart + 500, 6), kStart + 1000)
          .ok());
}

TEST_F(CallAuthTest, AFullReplayCacheRefusesRatherThanEvicts) {
  CallAuthenticator::Options o;
  o.replay_capacity = 2;
  CallAuthenticator auth(kOrigin, o, kStart);
  const int64_t now = kStart + 120'000;
  EXPECT_TRUE(auth.Authenticate(kMethod, Creds(key_, now, 7), now).ok());
  EXPECT_TRUE(auth.Authenticate(kMethod, Creds(key_, now, 8), now).ok());
  EXPECT_EQ(auth.Authenticate(kMethod, Creds(key_, now, 9), now).code(),
            absl::StatusCode::kResourceExhausted);
  // Once the first nonces have expired (one skew window later) there is room
  // again.
  const int64_t later = now + 61'000;
  EXPECT_TRUE(auth.Authenticate(kMethod, Creds(key_, later, 9), later).ok());
}

TEST(RateLimiterTest, TokenBucket) {
  RateLimiter limiter(2, 2);  // 2 per second, burst 2
  EXPECT_TRUE(limiter.Allow("k", 1, 0));
  EXPECT_TRUE(limiter.Allow("k", 1, 0));
  EXPECT_FALSE(limiter.Allow("k", 1, 0));
  EXPECT_TRUE(limiter.Allow("other", 1, 0));
  EXPECT_TRUE(
      limiter.Allow("k", 1, 500));  // one token back after half a second
  RateLimiter off(0, 0);
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(off.Allow("k", 1, 0));
}

}  // namespace
}  // namespace ailedger
