#include "server/call_auth.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "ledger/contexts.h"

namespace ailedger {

CallAuthenticator::CallAuthenticator(std::string origin, Options options,
                                     int64_t start_ms)
    : origin_(std::move(origin)), options_(options), start_ms_(start_ms) {}

absl::Status CallAuthenticator::Authenticate(absl::string_view method,
                                             const CallCredentials& c,
                                             int64_t now_ms) {
  if (c.time_ms < now_ms - options_.skew_ms ||
      c.time_ms > now_ms + options_.skew_ms) {
    return absl::UnauthenticatedError(
        absl::StrCat("ailedger-time-ms: ", c.time_ms, " is more than ",
                     options_.skew_ms / 1000, " s from the server's clock"));
  }
  if (now_ms < start_ms_ + options_.skew_ms && c.time_ms < start_ms_) {
    return absl::UnauthenticatedError(
        "ailedger-time-ms: signed before the server started; sign a new call");
  }
  auto message = CallSigningMessage(origin_, method, c.time_ms, c.nonce);
  if (!message.ok())
    return absl::UnauthenticatedError(message.status().message());
  if (!Ed25519Verify(c.key, *message, AsBytes(c.signature))) {
    return absl::UnauthenticatedError("ailedger-signature: does not verify");
  }
  return Remember(c.nonce, c.time_ms + options_.skew_ms, now_ms);
}

absl::Status CallAuthenticator::Remember(const std::string& nonce,
                                         int64_t expires_ms, int64_t now_ms) {
  absl::MutexLock lock(&mu_);
  while (!expiry_.empty() && expiry_.front().first < now_ms) {
    nonces_.erase(expiry_.front().second);
    expiry_.pop_front();
  }
  if (nonces_.contains(nonce)) {
    return absl::UnauthenticatedError(
        "ailedger-nonce: already used (a replay)");
  }
  if (nonces_.size() >= options_.replay_capacity) {
    return absl::ResourceExhaustedError("replay cache is full; retry shortly");
  }
  nonces_.insert(nonce);
  // Expiry is kept in insertion order; a later-expiring entry may sit ahead of
  // an earlier one, which only delays its removal by at most one skew window.
  expiry_.emplace_back(std::max(expires_ms, now_ms), nonce);
  return absl::OkStatus();
}

bool RateLimiter::Allow(const std::string& name, double cost, int64_t now_ms) {
  if (rate_ <= 0) return true;
  absl::MutexLock lock(&mu_);
  if (buckets_.size() > 100'000)
    buckets_.clear();  // bounded memory; forgets idle callers
  auto [it, fresh] = buckets_.try_emplace(name, Bucket{burst_, now_ms});
  Bucket& b = it->second;
  b.tokens = std::min(burst_, b.tokens + (now_ms - b.last_ms) * rate_ / 1000.0);
  b.last_ms = now_ms;
  if (b.tokens < cost) return false;
  b.tokens -= cost;
  return true;
}

}  // namespace ailedger
