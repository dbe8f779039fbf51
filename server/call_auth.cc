#include "server/call_auth.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "ledger/tlog/contexts.h"

namespace ailedger {

CallAuthenticator::CallAuthenticator(std::string origin, Options options,
                                     int64_t start_ms)
    : origin_(std::move(origin)), options_(options), start_ms_(start_ms) {}

absl::Status CallAuthenticator::Authenticate(
    absl::string_view method, const CallCredentials& c, int64_t now_ms,
    absl::FunctionRef<bool(const PublicKey&)> active) {
  // The time checks depend only on what the caller sent, not on the key.
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
  // Signature first, roster second: whatever the key's state, a caller who
  // cannot sign for it gets kCallNotValid from here, without a roster lookup.
  if (!Ed25519Verify(c.key, *message, AsBytes(c.signature)) || !active(c.key)) {
    return absl::UnauthenticatedError(kCallNotValid);
  }
  // Only active keys reach the replay cache: strangers cannot fill it.
  return Remember(c, now_ms);
}

absl::Status CallAuthenticator::Remember(const CallCredentials& c,
                                         int64_t now_ms) {
  absl::MutexLock lock(&mu_);
  while (!expiry_.empty() && expiry_.front().expires_ms < now_ms) {
    nonces_.erase(expiry_.front().nonce);
    auto it = per_key_.find(expiry_.front().key);
    if (--it->second == 0) per_key_.erase(it);
    expiry_.pop_front();
  }
  if (nonces_.contains(c.nonce)) {
    return absl::UnauthenticatedError(
        "ailedger-nonce: already used (a replay)");
  }
  auto held = per_key_.find(c.key);
  if (held != per_key_.end() && held->second >= options_.replay_per_key) {
    return absl::ResourceExhaustedError(
        absl::StrCat("ailedger-key: ", options_.replay_per_key,
                     " calls by this key within the replay window; retry "
                     "shortly"));
  }
  if (nonces_.size() >= options_.replay_capacity) {
    return absl::ResourceExhaustedError("replay cache is full; retry shortly");
  }
  nonces_.insert(c.nonce);
  ++per_key_[c.key];
  // Expiry is kept in insertion order; a later-expiring entry may sit ahead of
  // an earlier one, which only delays its removal by at most one skew window.
  expiry_.push_back(
      {std::max(c.time_ms + options_.skew_ms, now_ms), c.nonce, c.key});
  return absl::OkStatus();
}

namespace {

// "%5B" / "%5b" or "[" at `s`'s front: consumed.
bool ConsumeBracket(absl::string_view* s, char bracket, const char* escaped) {
  if (absl::ConsumePrefix(s, absl::string_view(&bracket, 1))) return true;
  if (!absl::StartsWithIgnoreCase(*s, escaped)) return false;
  s->remove_prefix(3);
  return true;
}

// The address of "[ADDR]:PORT" (brackets plain or %-escaped), or "".
std::string BracketedHost(absl::string_view s) {
  if (!ConsumeBracket(&s, '[', "%5B")) return "";
  for (size_t i = 0; i < s.size(); ++i) {
    absl::string_view rest = s.substr(i);
    if (ConsumeBracket(&rest, ']', "%5D") && absl::StartsWith(rest, ":")) {
      return std::string(s.substr(0, i));
    }
  }
  return "";
}

std::string Ipv6Name(const std::string& host) {
  in6_addr a;
  // A zone ("fe80::1%eth0", escaped "%25eth0") does not change the host.
  if (inet_pton(AF_INET6, host.substr(0, host.find('%')).c_str(), &a) != 1)
    return "";
  static constexpr uint8_t kV4Mapped[12] = {0, 0, 0, 0, 0,    0,
                                            0, 0, 0, 0, 0xff, 0xff};
  char text[INET6_ADDRSTRLEN];
  if (std::memcmp(a.s6_addr, kV4Mapped, 12) == 0) {
    in_addr v4;
    std::memcpy(&v4, a.s6_addr + 12, 4);
    return inet_ntop(AF_INET, &v4, text, sizeof(text)) ? text : "";
  }
  std::memset(a.s6_addr + 8, 0, 8);
  if (!inet_ntop(AF_INET6, &a, text, sizeof(text))) return "";
  return absl::StrCat(text, "/64");
}

}  // namespace

std::string PeerRateName(absl::string_view peer) {
  absl::string_view rest = peer;
  if (absl::ConsumePrefix(&rest, "ipv4:")) {
    const std::string host(rest.substr(0, rest.rfind(':')));
    in_addr a;
    if (rest.find(':') != absl::string_view::npos &&
        inet_pton(AF_INET, host.c_str(), &a) == 1) {
      return host;
    }
  } else if (absl::ConsumePrefix(&rest, "ipv6:")) {
    std::string name = Ipv6Name(BracketedHost(rest));
    if (!name.empty()) return name;
  }
  return std::string(peer);
}

RateLimiter::Lru::iterator RateLimiter::Touch(const std::string& name,
                                              int64_t now_ms) {
  auto found = index_.find(name);
  if (found != index_.end()) {
    lru_.splice(lru_.begin(), lru_, found->second);
    return found->second;
  }
  if (lru_.size() >= capacity_) {  // forget the least recently used
    index_.erase(lru_.back().name);
    lru_.pop_back();
  }
  lru_.push_front(Bucket{name, burst_, now_ms});
  index_.emplace(lru_.front().name, lru_.begin());
  return lru_.begin();
}

bool RateLimiter::Allow(const std::string& name, double cost, int64_t now_ms) {
  if (rate_ <= 0) return true;
  absl::MutexLock lock(&mu_);
  Bucket& b = *Touch(name, now_ms);
  b.tokens =
      std::min(burst_, b.tokens + std::max<int64_t>(0, now_ms - b.last_ms) *
                                      rate_ / 1000.0);
  b.last_ms = std::max(b.last_ms, now_ms);
  if (b.tokens < cost) return false;
  b.tokens -= cost;
  return true;
}

size_t RateLimiter::size() const {
  absl::MutexLock lock(&mu_);
  return lru_.size();
}

absl::Status ConcurrencyGate::TryEnter(const std::string& name) {
  absl::MutexLock lock(&mu_);
  if (in_flight_ >= total_) {
    return absl::ResourceExhaustedError(
        absl::StrCat("server: ", total_, " streams in flight; retry shortly"));
  }
  auto it = by_name_.find(name);
  if (it != by_name_.end() ? it->second >= per_name_ : per_name_ == 0) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "peer: ", per_name_, " streams in flight from this address"));
  }
  ++by_name_[name];
  ++in_flight_;
  return absl::OkStatus();
}

void ConcurrencyGate::Leave(const std::string& name) {
  absl::MutexLock lock(&mu_);
  auto it = by_name_.find(name);
  if (it == by_name_.end()) return;
  if (--it->second == 0) by_name_.erase(it);
  --in_flight_;
}

}  // namespace ailedger
