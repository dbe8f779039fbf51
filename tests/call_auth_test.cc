// Call authentication: skew window, signature before roster, replay cache
// (refuses when full, never evicts a live nonce, bounded per key), the start-up
// window; the token-bucket rate limiter (a bounded LRU), peer names and the
// stream gate.
#include "server/call_auth.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "ledger/tlog/contexts.h"

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

bool AnyKey(const PublicKey&) { return true; }

class CallAuthTest : public ::testing::Test {
 protected:
  void SetUp() override { InitCrypto(); }
  absl::Status Auth(CallAuthenticator& auth, const CallCredentials& c,
                    int64_t now) {
    return auth.Authenticate(kMethod, c, now, AnyKey);
  }
  SigningKey key_ = SigningKey::Generate("reader", kKeyTypeEd25519).value();
};

TEST_F(CallAuthTest, FreshSignedCallsPassOnce) {
  CallAuthenticator auth(kOrigin, {}, kStart);
  const int64_t now = kStart + 120'000;
  EXPECT_TRUE(Auth(auth, Creds(key_, now, 1), now).ok());
  auto replay = Auth(auth, Creds(key_, now, 1), now);
  EXPECT_EQ(replay.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(replay.message().find("replay"), absl::string_view::npos);
}

TEST_F(CallAuthTest, TimeOutsideTheWindowOrWrongMethodIsRefused) {
  CallAuthenticator auth(kOrigin, {}, kStart);
  const int64_t now = kStart + 600'000;
  EXPECT_EQ(
      auth.Authenticate(kMethod, Creds(key_, now - 61'000, 2), now, AnyKey)
          .code(),
      absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(
      auth.Authenticate(kMethod, Creds(key_, now + 61'000, 3), now, AnyKey)
          .code(),
      absl::StatusCode::kUnauthenticated);
  // Signed for another method: the signature does not cover this one.
  EXPECT_EQ(auth.Authenticate(kMethod,
                              Creds(key_, now, 4, "/ailedger.v1.Ledger/Query"),
                              now, AnyKey)
                .code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(CallAuthTest, CallsSignedBeforeStartUpAreRefusedForOneSkewWindow) {
  CallAuthenticator auth(kOrigin, {}, kStart);
  EXPECT_EQ(auth.Authenticate(kMethod, Creds(key_, kStart - 1000, 5),
                              kStart + 1000, AnyKey)
                .code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(auth.Authenticate(kMethod, Creds(key_, kStart + 500, 6),
                                kStart + 1000, AnyKey)
                  .ok());
}

TEST_F(CallAuthTest, AFullReplayCacheRefusesRatherThanEvicts) {
  CallAuthenticator::Options o;
  o.replay_capacity = 2;
  CallAuthenticator auth(kOrigin, o, kStart);
  const int64_t now = kStart + 120'000;
  EXPECT_TRUE(
      auth.Authenticate(kMethod, Creds(key_, now, 7), now, AnyKey).ok());
  EXPECT_TRUE(
      auth.Authenticate(kMethod, Creds(key_, now, 8), now, AnyKey).ok());
  EXPECT_EQ(auth.Authenticate(kMethod, Creds(key_, now, 9), now, AnyKey).code(),
            absl::StatusCode::kResourceExhausted);
  // Once the first nonces have expired (one skew window later) there is room
  // again.
  const int64_t later = now + 61'000;
  EXPECT_TRUE(
      auth.Authenticate(kMethod, Creds(key_, later, 9), later, AnyKey).ok());
}

// Flaw 15: a caller who cannot sign for a key learns nothing about it. A bad
// signature is refused before the roster is consulted, and a key that is not
// active gets the very same answer.
TEST_F(CallAuthTest, BadSignatureIsRefusedBeforeTheRosterWithOneMessage) {
  CallAuthenticator auth(kOrigin, {}, kStart);
  const int64_t now = kStart + 120'000;
  int lookups = 0;
  auto roster = [&](bool active) {
    return [&lookups, active](const PublicKey&) {
      ++lookups;
      return active;
    };
  };
  CallCredentials forged = Creds(key_, now, 10);
  forged.signature[3] ^= 1;
  std::vector<absl::Status> answers;
  for (bool active : {true, false}) {
    answers.push_back(auth.Authenticate(kMethod, forged, now, roster(active)));
  }
  EXPECT_EQ(lookups, 0);  // no roster lookup for a bad signature
  // A good signature by a key that is not active (unknown or revoked).
  answers.push_back(
      auth.Authenticate(kMethod, Creds(key_, now, 11), now, roster(false)));
  EXPECT_EQ(lookups, 1);
  for (const absl::Status& s : answers) {
    EXPECT_EQ(s, absl::UnauthenticatedError(
                     "call signature: not valid for an active key"));
  }
}

TEST_F(CallAuthTest, KeysNotOnTheRosterDoNotFillTheReplayCache) {
  CallAuthenticator::Options o;
  o.replay_capacity = 2;
  CallAuthenticator auth(kOrigin, o, kStart);
  const int64_t now = kStart + 120'000;
  auto stranger = SigningKey::Generate("stranger", kKeyTypeEd25519).value();
  auto only_key = [this](const PublicKey& k) {
    return k == key_.verifier().public_key();
  };
  for (char n = 20; n < 30; ++n) {
    EXPECT_EQ(auth.Authenticate(kMethod, Creds(stranger, now, n), now, only_key)
                  .code(),
              absl::StatusCode::kUnauthenticated);
  }
  EXPECT_TRUE(
      auth.Authenticate(kMethod, Creds(key_, now, 30), now, only_key).ok());
}

// "Also reported": one roster key cannot fill the replay cache and so refuse
// every other key's reads; it only exhausts its own share.
TEST_F(CallAuthTest, OneKeyFillsOnlyItsShareOfTheReplayCache) {
  CallAuthenticator::Options o;
  o.replay_capacity = 4;
  o.replay_per_key = 2;
  CallAuthenticator auth(kOrigin, o, kStart);
  const int64_t now = kStart + 120'000;
  EXPECT_TRUE(Auth(auth, Creds(key_, now, 40), now).ok());
  EXPECT_TRUE(Auth(auth, Creds(key_, now, 41), now).ok());
  auto third = Auth(auth, Creds(key_, now, 42), now);
  EXPECT_EQ(third, absl::ResourceExhaustedError(
                       "ailedger-key: 2 calls by this key within the replay "
                       "window; retry shortly"));
  auto other = SigningKey::Generate("other", kKeyTypeEd25519).value();
  EXPECT_TRUE(Auth(auth, Creds(other, now, 43), now).ok());
  EXPECT_TRUE(Auth(auth, Creds(other, now, 44), now).ok());
  // Once its nonces expire, the key has its share back.
  const int64_t later = now + 61'000;
  EXPECT_TRUE(Auth(auth, Creds(key_, later, 45), later).ok());
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

// Flaw 6: a table full of names used to be wiped, giving every limited caller
// a full bucket. Now the least recently used name is forgotten, and a name in
// use keeps its state however many others pass through.
TEST(RateLimiterTest, AFullTableEvictsTheLeastRecentlyUsedNotTheHotName) {
  RateLimiter limiter(1, 1);  // no refill: the clock stays at 0
  EXPECT_TRUE(limiter.Allow("hot", 1, 0));
  EXPECT_FALSE(limiter.Allow("hot", 1, 0));
  const int kNames = RateLimiter::kDefaultCapacity + 1;
  for (int i = 0; i < kNames; ++i) {
    limiter.Allow(absl::StrCat("n", i), 1, 0);
    // The hot name keeps calling, and stays refused throughout.
    if (i % 50'000 == 0) {
      EXPECT_FALSE(limiter.Allow("hot", 1, 0)) << i;
    }
  }
  EXPECT_FALSE(limiter.Allow("hot", 1, 0));
  EXPECT_EQ(limiter.size(), RateLimiter::kDefaultCapacity);
  // The oldest names were forgotten (a fresh bucket); recent ones were not.
  EXPECT_TRUE(limiter.Allow("n0", 1, 0));
  EXPECT_FALSE(limiter.Allow(absl::StrCat("n", kNames - 1), 1, 0));
}

TEST(RateLimiterTest, SmallCapacityEvictsInLeastRecentlyUsedOrder) {
  RateLimiter limiter(1, 1, 2);
  EXPECT_TRUE(limiter.Allow("a", 1, 0));
  EXPECT_TRUE(limiter.Allow("b", 1, 0));
  EXPECT_FALSE(limiter.Allow("a", 1, 0));  // a is now the most recent
  EXPECT_TRUE(limiter.Allow("c", 1, 0));   // evicts b
  EXPECT_FALSE(limiter.Allow("a", 1, 0));
  EXPECT_TRUE(limiter.Allow("b", 1, 0));  // forgotten: a fresh bucket
  EXPECT_EQ(limiter.size(), 2u);
}

// Flaw 6: peers are limited by address, not by address and port.
TEST(PeerRateNameTest, AddressWithoutPortAndIpv6By64) {
  EXPECT_EQ(PeerRateName("ipv4:127.0.0.1:5555"), "127.0.0.1");
  EXPECT_EQ(PeerRateName("ipv4:127.0.0.1:6666"), "127.0.0.1");
  EXPECT_EQ(PeerRateName("ipv6:[::1]:5555"), "::/64");
  EXPECT_EQ(PeerRateName("ipv6:%5B::1%5D:5555"), "::/64");
  EXPECT_EQ(PeerRateName("ipv6:[2001:db8:1:2:aaaa::1]:443"),
            "2001:db8:1:2::/64");
  EXPECT_EQ(PeerRateName("ipv6:%5b2001:db8:1:2:ffff:1:2:3%5d:443"),
            "2001:db8:1:2::/64");
  EXPECT_NE(PeerRateName("ipv6:[2001:db8:1:3::1]:443"),
            PeerRateName("ipv6:[2001:db8:1:2::1]:443"));
  EXPECT_EQ(PeerRateName("ipv6:[::ffff:192.0.2.7]:80"), "192.0.2.7");
  EXPECT_EQ(PeerRateName("ipv6:[fe80::1%25eth0]:80"), "fe80::/64");
  // Anything else is its own name.
  EXPECT_EQ(PeerRateName("unix:/run/ailedger.sock"), "unix:/run/ailedger.sock");
  EXPECT_EQ(PeerRateName("ipv4:not-an-address:1"), "ipv4:not-an-address:1");
  EXPECT_EQ(PeerRateName("ipv6:[::1"), "ipv6:[::1");
  EXPECT_EQ(PeerRateName(""), "");
}

// "Also reported": streaming reads are bounded in all and per address.
TEST(ConcurrencyGateTest, BoundsPerNameAndInAll) {
  ConcurrencyGate gate(3, 2);
  EXPECT_TRUE(gate.TryEnter("a").ok());
  EXPECT_TRUE(gate.TryEnter("a").ok());
  EXPECT_EQ(gate.TryEnter("a"),
            absl::ResourceExhaustedError(
                "peer: 2 streams in flight from this address"));
  EXPECT_TRUE(gate.TryEnter("b").ok());
  EXPECT_EQ(gate.TryEnter("c"),
            absl::ResourceExhaustedError(
                "server: 3 streams in flight; retry shortly"));
  gate.Leave("a");
  EXPECT_TRUE(gate.TryEnter("c").ok());
  gate.Leave("zzz");  // never entered: no effect
  EXPECT_EQ(gate.TryEnter("d").code(), absl::StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace ailedger
