// Authentication of calls other than appends (docs/ARCHITECTURE.md, "Signing
// contexts": call): the caller signs method, time and a fresh nonce with its
// roster key. The server checks the time is within the skew window, the
// signature, and that the nonce was not seen before.
//
// The replay cache refuses calls when full rather than evict (an evicted nonce
// could be replayed). It does not survive a restart; instead, for one skew
// window after start-up only calls signed after start-up are accepted, so
// nothing signed before a restart can be replayed.
//
// Also here: the token-bucket rate limiter used per key and per peer. Both
// thread-safe.
#ifndef AILEDGER_SERVER_CALL_AUTH_H_
#define AILEDGER_SERVER_CALL_AUTH_H_

#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "ledger/keys.h"

namespace ailedger {

inline constexpr char kMetaKey[] = "ailedger-key";
inline constexpr char kMetaTime[] = "ailedger-time-ms";
inline constexpr char kMetaNonce[] = "ailedger-nonce";
inline constexpr char kMetaSignature[] = "ailedger-signature";

struct CallCredentials {
  PublicKey key{};
  int64_t time_ms = 0;
  std::string nonce;  // kCallNonceSize raw bytes
  Signature signature{};
};

class CallAuthenticator {
 public:
  struct Options {
    int64_t skew_ms = 60'000;          // Default: 60 s either way.
    size_t replay_capacity = 1 << 20;  // Default: about a million nonces.
  };
  CallAuthenticator(std::string origin, Options options, int64_t start_ms);

  // UNAUTHENTICATED when the time is outside the window, the signature does not
  // verify or the nonce was used; RESOURCE_EXHAUSTED when the replay cache is
  // full. The roster check (is the key on it, with a role) is the caller's.
  absl::Status Authenticate(absl::string_view method, const CallCredentials& c,
                            int64_t now_ms);

 private:
  absl::Status Remember(const std::string& nonce, int64_t expires_ms,
                        int64_t now_ms);

  const std::string origin_;
  const Options options_;
  const int64_t start_ms_;
  absl::Mutex mu_;
  absl::flat_hash_set<std::string> nonces_ ABSL_GUARDED_BY(mu_);
  std::deque<std::pair<int64_t, std::string>> expiry_ ABSL_GUARDED_BY(mu_);
};

// Token buckets by name (a key or a peer address): `rate` tokens per second, at
// most `burst`.
class RateLimiter {
 public:
  RateLimiter(double rate, double burst) : rate_(rate), burst_(burst) {}
  // Takes `cost` tokens if there are enough; false otherwise. A rate of 0
  // disables limiting.
  bool Allow(const std::string& name, double cost, int64_t now_ms);

 private:
  struct Bucket {
    double tokens;
    int64_t last_ms;
  };
  const double rate_, burst_;
  absl::Mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ailedger

#endif  // AILEDGER_SERVER_CALL_AUTH_H_
