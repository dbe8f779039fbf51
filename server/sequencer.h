// The sequencer: the one thread that orders appends (docs/ARCHITECTURE.md,
// "Write path").
//
// RPC handlers do the cheap checks and the author's signature, then Submit a
// group of events (one per Append, many per AppendBatch). The sequencer thread
// takes every queued group (up to max_batch_events), answers a copy of an
// event already logged with its receipt, and runs the rules of state
// (ledger/rules/engine.h) on the others in index order, against the state as of
// index - 1 including earlier events of the same batch. It
// commits the accepted events in one synced batch through LogWriter, with their
// index rows, the roster when it changed, and the checkpoint signed before the
// commit; raises the log key's high-water mark; and only then answers every
// event with a receipt (or its own error). A refused event is refused alone.
//
// A commit that fails (the disk refused a write or a sync) is answered with
// UNAVAILABLE and never acknowledged, and appends pause: every later batch is
// refused until the store recovers (LogWriter::Recover, which reopens it). It
// then holds either the state last committed, or exactly the failed batch
// (a write that failed only its sync may reach the disk), which is adopted
// with the checkpoint signed for it; any other state keeps appends refused
// until a restart. Reads go on: they only see what was committed.
//
// Thread-safe: Submit from any thread. The store, writer and signer must
// outlive it.
#ifndef AILEDGER_SERVER_SEQUENCER_H_
#define AILEDGER_SERVER_SEQUENCER_H_

#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "ailedger/event.pb.h"
#include "ledger/governance/roster.h"
#include "ledger/storage/log_writer.h"
#include "ledger/storage/meta_keys.h"
#include "server/log_signer.h"
#include "server/sealed_store.h"

namespace ailedger {

struct PendingAppend {
  SignedEvent event;  // author signature already verified
  v1::Event parsed;   // the canonical parse of event.event_bytes
  Hash event_id{};
  // The role table version CheckAppend validated the fields at.
  uint32_t fields_version = 0;
};

struct AppendReceipt {
  uint64_t index = 0;
  Hash event_id{};
  Hash leaf_hash{};
  bool duplicate = false;
  std::string tlog_proof;  // C2SP tlog-proof, leaf bytes in its extra line
};

using AppendOutcomes = std::vector<absl::StatusOr<AppendReceipt>>;

// What one batch did, for metrics (Options::on_batch).
struct BatchReport {
  size_t events = 0;     // events taken from the queue
  size_t committed = 0;  // of them, newly logged
  absl::Status commit;   // the commit's outcome (OK when nothing to commit)
  uint64_t tree_size = 0;
  size_t queued_events = 0;  // still waiting when the batch was answered
};

class Sequencer {
 public:
  struct Options {
    // Most events committed in one batch. Default: 1000.
    size_t max_batch_events = 1000;
    // Most event bytes waiting in the queue; Submit answers RESOURCE_EXHAUSTED
    // beyond it. Default: 64 MiB.
    size_t max_queue_bytes = 64 << 20;
    // Called from the sequencer thread after each batch is answered (metrics).
    std::function<void(const BatchReport&)> on_batch;
    // A read-only replica (serve --read-only): Submit refuses every group with
    // FAILED_PRECONDITION, no thread runs, `writer` and `signer` may be null,
    // and the roster follows the writer's through ReplaceRoster.
    bool read_only = false;
  };

  Sequencer(const LogStore* store, LogWriter* writer, LogSigner* signer,
            Roster roster, Options options, std::function<uint64_t()> now_ms);
  ~Sequencer();  // Stop()

  // Queues a group; `done` is called once, from the sequencer thread, with one
  // outcome per event in order. RESOURCE_EXHAUSTED (and `done` is not called)
  // when the queue is full; UNAVAILABLE when stopping.
  absl::Status Submit(std::vector<PendingAppend> group,
                      std::function<void(AppendOutcomes)> done);

  // Finishes the batch in flight and every queued group, then joins the thread.
  void Stop();

  // A replica's view of the roster, reloaded as replication brings commits.
  void ReplaceRoster(Roster roster);

  // Events waiting in the queue now.
  size_t queued_events() const;

  // The roster as of the last commit (a copy).
  Roster roster() const;
  // The role table version the log's genesis names (Roster), without a copy.
  uint32_t role_table_version() const;

  // Where Erasure events destroy sealed material (may stay null). Set before
  // traffic.
  void set_sealed_store(SealedStore* sealed) { sealed_ = sealed; }
  bool HasRole(const PublicKey& key, v1::Role role) const;

  // UNAUTHENTICATED unless `key` is an active roster key (any role may read).
  absl::Status CheckActiveKey(const PublicKey& key) const;

 private:
  struct Group {
    std::vector<PendingAppend> events;
    std::function<void(AppendOutcomes)> done;
    size_t bytes = 0;
  };
  class Batch;

  void Run();
  std::vector<Group> TakeGroups();
  void Process(std::vector<Group>& groups);
  // OK when appends may be committed. After a failed commit, refuses with
  // UNAVAILABLE; at most every kRecoveryInterval it asks the writer to recover
  // and goes on when the store holds exactly the last committed state.
  absl::Status CheckWritable();
  void Halt(const absl::Status& cause);
  absl::Status AdoptLandedBatch();

  const LogStore* const store_;
  LogWriter* const writer_;
  LogSigner* const signer_;
  const Options options_;
  const std::function<uint64_t()> now_ms_;

  mutable absl::Mutex mu_;
  std::deque<Group> queue_ ABSL_GUARDED_BY(mu_);
  size_t queued_bytes_ ABSL_GUARDED_BY(mu_) = 0;
  size_t queued_events_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  Roster roster_ ABSL_GUARDED_BY(mu_);
  SealedStore* sealed_ = nullptr;
  // Sequencer thread only: set by a failed commit until the store recovers;
  // uncertain_ when it came back holding a state this process did not commit.
  absl::Status halted_;
  bool uncertain_ = false;
  absl::Time next_recovery_ = absl::InfinitePast();
  std::thread thread_;
};

}  // namespace ailedger

#endif  // AILEDGER_SERVER_SEQUENCER_H_
