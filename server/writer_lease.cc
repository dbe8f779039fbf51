#include "server/writer_lease.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "absl/strings/str_cat.h"
#include "server/log.h"

namespace ailedger {
namespace {

// Sleeps `d` unless a stop signal comes first; true when one came.
bool StopSignalWithin(const sigset_t& stop_signals, absl::Duration d) {
  const timespec ts = absl::ToTimespec(d);
  return sigtimedwait(&stop_signals, nullptr, &ts) > 0;
}

absl::Duration RetryInterval(absl::Duration ttl) {
  return std::max(absl::Milliseconds(100), ttl / 4);
}

}  // namespace

absl::StatusOr<WriterLease> WaitForLease(PostgresStore* store,
                                         const LeaseOptions& options,
                                         const sigset_t& stop_signals) {
  std::string last_said;
  for (;;) {
    auto taken = store->TryAcquireLease(options.holder, options.ttl);
    std::string say;
    if (taken.ok() && taken->has_value()) {
      store->SetWriterEpoch((*taken)->epoch);
      Log(LogLevel::kInfo,
          absl::StrCat("writer lease taken: epoch ", (*taken)->epoch,
                       ", holder ", options.holder),
          {{"epoch", (*taken)->epoch}, {"holder", options.holder}});
      return **taken;
    }
    if (taken.ok()) {
      auto held = store->ReadLease();
      say = held.ok() ? absl::StrCat("standby: the writer lease is held by '",
                                     held->holder, "' (epoch ", held->epoch,
                                     "); waiting for it to expire")
                      : absl::StrCat("standby: ", held.status().message());
    } else if (absl::IsUnavailable(taken.status())) {
      say = absl::StrCat("standby: the database cannot be reached (",
                         taken.status().message(), "); retrying");
    } else {
      return taken.status();
    }
    if (say != last_said) Log(LogLevel::kInfo, say);
    last_said = std::move(say);
    if (StopSignalWithin(stop_signals, RetryInterval(options.ttl))) {
      return absl::CancelledError("stopped while waiting as a standby");
    }
  }
}

LeaseKeeper::LeaseKeeper(PostgresStore* store, uint64_t epoch,
                         absl::Duration ttl,
                         std::function<void(const absl::Status&)> on_lost)
    : store_(store), epoch_(epoch), ttl_(ttl), on_lost_(std::move(on_lost)) {
  thread_ = std::thread([this] { Run(); });
}

LeaseKeeper::~LeaseKeeper() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  thread_.join();
  bool release;
  {
    absl::MutexLock lock(&mu_);
    release = release_;
  }
  // Expires the row now; the epoch stays, so nothing of ours can commit after
  // a standby takes it.
  if (release) (void)store_->ReleaseLease(epoch_);
}

void LeaseKeeper::Release() {
  absl::MutexLock lock(&mu_);
  release_ = true;
}

void LeaseKeeper::Run() {
  const absl::Duration period = std::max(absl::Milliseconds(50), ttl_ / 3);
  bool unreachable = false;
  absl::MutexLock lock(&mu_);
  while (!mu_.AwaitWithTimeout(absl::Condition(&stop_), period)) {
    mu_.Unlock();
    absl::Status s = store_->RenewLease(epoch_, ttl_);
    mu_.Lock();
    if (absl::IsAborted(s)) {
      mu_.Unlock();
      on_lost_(s);
      mu_.Lock();
      return;
    }
    if (!s.ok() && !unreachable) {
      Log(LogLevel::kWarning, absl::StrCat("writer lease not renewed (",
                                           s.message(), "); retrying"));
    }
    unreachable = !s.ok();
  }
}

void ExitOnLeaseLost(const absl::Status& lost) {
  Log(LogLevel::kError,
      absl::StrCat(lost.message(),
                   ": another instance is the writer now; exiting (status ",
                   kLeaseLostExitCode, ") to come back as a standby"));
  std::fflush(nullptr);
  std::_Exit(kLeaseLostExitCode);
}

}  // namespace ailedger
