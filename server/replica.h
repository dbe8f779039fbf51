// Reads scale out (issue 17): `ailedgerd serve --read-only --store CONNINFO`
// serves entries, queries, checkpoints and proofs from a PostgreSQL hot
// standby. It never signs and holds no log key: everything it serves was
// committed, and the checkpoints signed, by the writer; a reader checks them
// against the log's key as it would the writer's answers. Appends are refused
// (FAILED_PRECONDITION naming the writer). The roster that authenticates
// reads follows the writer's as replication brings its commits.
//
// How far behind: the writer touches the lease row in every commit and every
// ttl/3 (writer_lease.h); on the replica, now() minus that time (both the
// primary's clock, as replayed) is how stale its copy is, to within ttl/3.
// GetLogInfo reports it (read_only, replica_lag_ms), as does the
// ailedger_replica_lag_seconds metric.
#ifndef AILEDGER_SERVER_REPLICA_H_
#define AILEDGER_SERVER_REPLICA_H_

#include <signal.h>

#include <atomic>
#include <thread>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "ledger/storage/postgres_store.h"
#include "server/daemon.h"
#include "server/sequencer.h"

namespace ailedger {

absl::Status ServeReplica(const ServeOptions& o, sigset_t* stop_signals);

// Every `interval`: reloads the roster into `sequencer` when the replicated
// tree grew, and measures the lag. Stops with the destructor.
class ReplicaFollower {
 public:
  ReplicaFollower(const PostgresStore* store, Sequencer* sequencer,
                  uint64_t size, absl::Duration interval);
  ~ReplicaFollower();

  // The writer's last touch of the lease row, as replayed here, in ms ago;
  // -1 until first measured.
  int64_t lag_ms() const { return lag_ms_.load(); }
  uint64_t size() const { return size_.load(); }

  // One round (also run by the thread).
  void Follow();

 private:
  const PostgresStore* const store_;
  Sequencer* const sequencer_;
  const absl::Duration interval_;
  std::atomic<int64_t> lag_ms_{-1};
  std::atomic<uint64_t> size_;
  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace ailedger

#endif  // AILEDGER_SERVER_REPLICA_H_
