// Authentication of calls other than appends (docs/ARCHITECTURE.md, "Signing
// contexts": call): the caller signs method, time and a fresh nonce with its
// roster key. The server checks the time is within the skew window, then the
// signature with the key the caller names, then that the key is active on the
// roster, then that the nonce was not seen before.
//
// The signature is checked before the roster so that a caller who cannot sign
// learns nothing about a key: a bad signature, an unknown key and a revoked key
// get the same answer by the same path (issue 10, flaw 15).
//
// The replay cache refuses calls when full rather than evict (an evicted nonce
// could be replayed). Each key holds at most its own share of it, so one roster
// key cannot fill it and lock the others out. It does not survive a restart;
// instead, for one skew window after start-up only calls signed after start-up
// are accepted, so nothing signed before a restart can be replayed.
//
// Also here, the limits: the token-bucket rate limiter used per key and per
// peer address (a bounded LRU table), how a gRPC peer becomes a limiter name,
// and a gate bounding concurrent streams. All thread-safe.
#ifndef AILEDGER_SERVER_CALL_AUTH_H_
#define AILEDGER_SERVER_CALL_AUTH_H_

#include <cstdint>
#include <deque>
#include <list>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "ledger/tlog/keys.h"

namespace ailedger {

// The one answer for a signature that does not verify and for a key that is
// unknown or revoked: which of them it was is not told.
inline constexpr char kCallNotValid[] =
    "call signature: not valid for an active key";

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
    // Live nonces one key may hold. Default: 65,536, about 270 calls/s
    // sustained over the two skew windows a nonce is kept.
    size_t replay_per_key = 1 << 16;
  };
  CallAuthenticator(std::string origin, Options options, int64_t start_ms);

  // UNAUTHENTICATED when the time is outside the window, when the signature
  // does not verify or `active(key)` is false (kCallNotValid, the same for
  // both), or when the nonce was used; RESOURCE_EXHAUSTED when the replay cache
  // or this key's share of it is full.
  absl::Status Authenticate(absl::string_view method, const CallCredentials& c,
                            int64_t now_ms,
                            absl::FunctionRef<bool(const PublicKey&)> active);

 private:
  struct Seen {
    int64_t expires_ms;
    std::string nonce;
    PublicKey key;
  };
  absl::Status Remember(const CallCredentials& c, int64_t now_ms);

  const std::string origin_;
  const Options options_;
  const int64_t start_ms_;
  absl::Mutex mu_;
  absl::flat_hash_set<std::string> nonces_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<PublicKey, size_t> per_key_ ABSL_GUARDED_BY(mu_);
  std::deque<Seen> expiry_ ABSL_GUARDED_BY(mu_);
};

// The rate-limiter name of a gRPC peer: its address without the port, so that
// a new connection is not a new bucket. IPv6 addresses are cut to their /64
// (one host usually holds a whole /64); IPv4-mapped IPv6 addresses are IPv4.
// "ipv4:192.0.2.7:5555" -> "192.0.2.7", "ipv6:[2001:db8::1]:5555" (or the
// URI-escaped "ipv6:%5B2001:db8::1%5D:5555") -> "2001:db8::/64". Anything
// else (a Unix socket, an unparsable string) is its own name.
std::string PeerRateName(absl::string_view peer);

// Token buckets by name (a key or a peer address): `rate` tokens per second, at
// most `burst`. At most `capacity` names are tracked; beyond that the least
// recently used is forgotten. A bucket idle for burst/rate seconds is full,
// the same as a forgotten one, so eviction only loses state when `capacity`
// distinct names are seen within that time.
class RateLimiter {
 public:
  static constexpr size_t kDefaultCapacity = 100'000;
  RateLimiter(double rate, double burst, size_t capacity = kDefaultCapacity)
      : rate_(rate), burst_(burst), capacity_(capacity < 1 ? 1 : capacity) {}
  // Takes `cost` tokens if there are enough; false otherwise. A rate of 0
  // disables limiting.
  bool Allow(const std::string& name, double cost, int64_t now_ms);
  bool enabled() const { return rate_ > 0; }
  size_t size() const;

 private:
  struct Bucket {
    std::string name;
    double tokens;
    int64_t last_ms;
  };
  using Lru = std::list<Bucket>;  // most recently used first
  Lru::iterator Touch(const std::string& name, int64_t now_ms)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const double rate_, burst_;
  const size_t capacity_;
  mutable absl::Mutex mu_;
  Lru lru_ ABSL_GUARDED_BY(mu_);
  // Keys view the names held in lru_'s nodes, which never move.
  absl::flat_hash_map<absl::string_view, Lru::iterator> index_
      ABSL_GUARDED_BY(mu_);
};

// Bounds work in flight: at most `total` at once, and at most `per_name` for
// any one name (a peer address). Used for streaming reads, which hold a page in
// memory and run disk reads in gRPC's threads for as long as they last.
class ConcurrencyGate {
 public:
  ConcurrencyGate(size_t total, size_t per_name)
      : total_(total), per_name_(per_name) {}
  // RESOURCE_EXHAUSTED, naming which bound, when either is reached; otherwise
  // holds a place until Leave(name).
  absl::Status TryEnter(const std::string& name);
  void Leave(const std::string& name);

 private:
  const size_t total_, per_name_;
  absl::Mutex mu_;
  size_t in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  absl::flat_hash_map<std::string, size_t> by_name_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ailedger

#endif  // AILEDGER_SERVER_CALL_AUTH_H_
