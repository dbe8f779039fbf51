#include "tests/testing/ha_appenders.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "ledger/governance/event_signature.h"
#include "tests/testing/e2e_fixture.h"

namespace ailedger::testing {
namespace {

// Refusals that a retry of the same request cannot turn into an
// acknowledgement: the event, its signer or the receipt is wrong, not the
// cluster's state. Any other (UNAVAILABLE while no instance listens,
// DEADLINE_EXCEEDED while a commit waits for a synchronous standby,
// FAILED_PRECONDITION from an instance that lost its lease, ...) is retried.
bool RefusedForGood(const absl::Status& s) {
  switch (s.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kUnauthenticated:
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kOutOfRange:
    case absl::StatusCode::kUnimplemented:
    case absl::StatusCode::kDataLoss:  // a receipt not bound to the event
      return true;
    default:
      return false;
  }
}

}  // namespace

int64_t WallMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void Appenders::Start() {
  for (int t = 0; t < options_.threads; ++t) {
    threads_.emplace_back([this, t] { Run(t); });
  }
}

void Appenders::Join() {
  Stop();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

void Appenders::Fail(std::string why) {
  std::lock_guard<std::mutex> l(mu_);
  failures_.push_back(std::move(why));
}

void Appenders::Run(int thread) {
  LedgerClient::Options o;
  o.target = options_.target;
  o.timeout_seconds = options_.timeout_seconds;
  auto client = LedgerClient::Connect(o);  // no key: no call at Connect
  if (!client.ok()) {
    Fail(absl::StrCat("appender ", thread, ": ", client.status().ToString()));
    return;
  }
  // Distinct events: each thread its own system and nonces.
  const std::string system = absl::StrCat("ha-appender-", thread);
  for (int64_t seq = 1; !stop_; ++seq) {
    const int64_t n = (thread + 1) * int64_t{100'000'000} + seq;
    const v1::AppendRequest req = AppendRequestOf(
        SignEvent(MakeEvent("RiskAssessed", options_.organisation, system, n),
                  *options_.publisher, options_.origin));
    AckedAppend acked;
    if (!AppendUntilAcked(**client, req, &acked)) return;
    {
      std::lock_guard<std::mutex> l(mu_);
      acked_.push_back(std::move(acked));
    }
    std::this_thread::sleep_for(options_.pause);
  }
}

bool Appenders::AppendUntilAcked(LedgerClient& client,
                                 const v1::AppendRequest& req,
                                 AckedAppend* out) {
  const auto give_up = std::chrono::steady_clock::now() + options_.give_up;
  for (;;) {
    out->sent_ms = WallMs();
    absl::StatusOr<v1::Receipt> r = client.Append(req);
    if (r.ok()) {
      out->acked_ms = WallMs();
      out->receipt = *std::move(r);
      return true;
    }
    if (RefusedForGood(r.status())) {
      Fail(absl::StrCat("an event refused for good after ", out->retries,
                        " retries: ", r.status().ToString()));
      return false;
    }
    if (abort_) return false;
    if (std::chrono::steady_clock::now() > give_up) {
      Fail(absl::StrCat("an event not acknowledged within ",
                        options_.give_up.count(), " s (", out->retries,
                        " retries): ", r.status().ToString()));
      return false;
    }
    ++out->retries;
    ++retries_;
    {
      std::lock_guard<std::mutex> l(mu_);
      ++refusals_[absl::StatusCodeToString(r.status().code())];
    }
    std::this_thread::sleep_for(options_.retry_pause);
  }
}

std::vector<AckedAppend> Appenders::acked() const {
  std::lock_guard<std::mutex> l(mu_);
  return acked_;
}

size_t Appenders::count() const {
  std::lock_guard<std::mutex> l(mu_);
  return acked_.size();
}

std::vector<std::string> Appenders::failures() const {
  std::lock_guard<std::mutex> l(mu_);
  return failures_;
}

std::map<std::string, int> Appenders::refusals() const {
  std::lock_guard<std::mutex> l(mu_);
  return refusals_;
}

int64_t Appenders::FirstNewAckSentFrom(int64_t ms) const {
  std::lock_guard<std::mutex> l(mu_);
  int64_t first = 0;
  for (const AckedAppend& a : acked_) {
    if (a.sent_ms >= ms && !a.receipt.duplicate() &&
        (first == 0 || a.acked_ms < first)) {
      first = a.acked_ms;
    }
  }
  return first;
}

size_t Appenders::NewAcksSentFromAckedBefore(int64_t sent_from,
                                             int64_t before) const {
  std::lock_guard<std::mutex> l(mu_);
  size_t n = 0;
  for (const AckedAppend& a : acked_) {
    n +=
        a.sent_ms >= sent_from && a.acked_ms < before && !a.receipt.duplicate();
  }
  return n;
}

}  // namespace ailedger::testing
