// One writer, always (issue 17): the lease that lets exactly one ailedgerd
// sequence a log kept in PostgreSQL.
//
// The lease is a row in the store (postgres_store.h): holder, fencing epoch,
// expiry in the database's clock. An instance started against a database whose
// lease another holder keeps live waits here as a hot standby, retrying every
// ttl/4, and takes the lease (epoch + 1) once it expires. The holder renews it
// every ttl/3. Every commit checks the epoch in its own transaction, so a
// writer that lost the lease (paused past its expiry, cut off from the
// database while another took over) can commit nothing: safety comes from the
// epoch, never from timing. Timing only decides how fast a standby takes over.
//
// A holder that finds its lease taken stops at once (exit status 75,
// EX_TEMPFAIL): nothing it has not acknowledged is lost, and its supervisor
// (systemd's Restart=, tools/ha-cluster's loop) starts it again as a standby.
#ifndef AILEDGER_SERVER_WRITER_LEASE_H_
#define AILEDGER_SERVER_WRITER_LEASE_H_

#include <signal.h>

#include <functional>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "ledger/storage/postgres_store.h"

namespace ailedger {

// The exit status of an instance whose lease was taken by another.
inline constexpr int kLeaseLostExitCode = 75;

struct LeaseOptions {
  std::string holder;  // this instance's name, shown to the standby
  absl::Duration ttl = absl::Seconds(5);
};

// Waits until this instance holds the writer lease, then sets the store's
// writer epoch and returns the lease. CANCELLED when one of `stop_signals`
// (blocked in every thread) arrives first. Other errors (a database that
// stays unreachable is not one: it is retried) are returned.
absl::StatusOr<WriterLease> WaitForLease(PostgresStore* store,
                                         const LeaseOptions& options,
                                         const sigset_t& stop_signals);

// Renews the lease held at `epoch` every ttl/3 from its own thread. When the
// row names another epoch, calls `on_lost` once with the ABORTED status (a
// database that cannot be reached is retried; the epoch check in every commit
// keeps that safe). The destructor stops renewing and, when `release` was
// called, expires the lease at once so that a standby takes over without
// waiting for the ttl.
class LeaseKeeper {
 public:
  LeaseKeeper(PostgresStore* store, uint64_t epoch, absl::Duration ttl,
              std::function<void(const absl::Status&)> on_lost);
  ~LeaseKeeper();
  LeaseKeeper(const LeaseKeeper&) = delete;
  LeaseKeeper& operator=(const LeaseKeeper&) = delete;

  // At a clean shutdown: hand the lease over now.
  void Release();

 private:
  void Run();

  PostgresStore* const store_;
  const uint64_t epoch_;
  const absl::Duration ttl_;
  std::function<void(const absl::Status&)> on_lost_;
  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  bool release_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

// The default for on_lost: logs the loss and exits kLeaseLostExitCode.
void ExitOnLeaseLost(const absl::Status& lost);

}  // namespace ailedger

#endif  // AILEDGER_SERVER_WRITER_LEASE_H_
