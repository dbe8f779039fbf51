// The load of tools/crash-test (crash_test.cc): concurrent unary and batched
// appends whose acknowledged receipts are all kept, and a reader that keeps
// every checkpoint the server publishes, until the server is killed.
#ifndef AILEDGER_TOOLS_CRASH_LOAD_H_
#define AILEDGER_TOOLS_CRASH_LOAD_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "ailedger/ledger.pb.h"
#include "ledger/merkle/hash.h"
#include "ledger/tlog/checkpoint.h"
#include "ledger/tlog/keys.h"
#include "tools/bench_util.h"

namespace ailedger::crash {

// An acknowledged entry: what the log promised in a receipt.
struct Ack {
  bool present = false;
  Hash leaf_hash{};
  Hash event_id{};
  int cycle = 0;
};

// Everything the server promised across the cycles: each acknowledged entry
// by index, and every signed checkpoint it published (in receipts, to
// readers, cosigned by the witness) by size. Thread-safe.
class Observed {
 public:
  explicit Observed(VerifierKey log_key) : log_key_(std::move(log_key)) {}

  // A receipt of an append: its tlog-proof must verify (the checkpoint under
  // the log key, the leaf's inclusion at the receipt's index); then the entry
  // and the checkpoint are recorded. The client library has already checked
  // that it is a receipt of the event sent (CheckReceiptBinding).
  absl::Status AddReceipt(const v1::Receipt& receipt, int cycle);
  // A published checkpoint: it must open under the log key, and no other
  // root may have been seen at its size (two would be a fork). `source` says
  // where it was seen, for the messages.
  absl::Status AddCheckpoint(const std::string& note,
                             const std::string& source);
  // Where the checkpoint of `size` was first seen.
  std::string SourceOf(uint64_t size) const;

  uint64_t acknowledged() const;
  // The largest checkpoint size in any receipt: the server answers only after
  // raising KEY.hwm to it.
  uint64_t max_receipt_size() const;
  // Copies, for the checks after a restart.
  std::vector<Ack> Acks() const;
  std::map<uint64_t, Hash> Checkpoints() const;
  // The sizes published since the last call.
  std::vector<uint64_t> TakeNewSizes();
  // For crash-test --inject lost: the newest acknowledged entry's leaf hash
  // changed, as if the store had lost it and taken another in its place.
  void CorruptNewestAck();

 private:
  absl::StatusOr<Checkpoint> Open(const std::string& note);
  // Requires mu_.
  absl::Status Record(const Checkpoint& cp, const std::string& source);

  const VerifierKey log_key_;
  mutable std::mutex mu_;
  std::vector<Ack> acks_;  // by index
  uint64_t acknowledged_ = 0;
  uint64_t max_receipt_size_ = 0;
  std::map<uint64_t, Hash> checkpoints_;
  std::map<uint64_t, std::string> sources_;
  std::vector<uint64_t> new_sizes_;
  std::string last_note_;  // the last note opened, and its checkpoint
  Checkpoint last_cp_;
};

// 2-4 writers, each making unary or batched appends (2-64 events) at random,
// and a reader polling the latest checkpoint, against `address`, until their
// first failed call (the server is gone). Events are BenchEvent(log, n) with
// n from `next_nonce`.
class Load {
 public:
  Load(const bench::BenchLog& log, Observed* observed,
       std::atomic<uint64_t>* next_nonce, const std::string& address,
       int writers, uint64_t seed, int cycle);
  ~Load();
  // Waits for every thread to stop. The events that were sent and not
  // answered (in doubt: committed or not); the first violation any thread
  // found, if any.
  absl::StatusOr<std::vector<v1::AppendRequest>> Join();

 private:
  void Write(uint64_t seed);
  void Read();
  void Fail(const absl::Status& violation);

  const bench::BenchLog& log_;
  Observed* const observed_;
  std::atomic<uint64_t>* const next_nonce_;
  const std::string address_;
  const int cycle_;
  std::atomic<bool> stop_{false};
  std::atomic<int> writing_{0};
  std::mutex mu_;
  std::vector<v1::AppendRequest> in_doubt_;  // guarded by mu_
  absl::Status violation_;                   // guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace ailedger::crash

#endif  // AILEDGER_TOOLS_CRASH_LOAD_H_
