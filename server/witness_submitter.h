// Submits the log's checkpoints to its witnesses over C2SP tlog-witness v1.0.0
// (HTTP POST <url>/add-checkpoint) at a fixed cadence: every `active_interval`
// while the log grows, every `idle_interval` when it does not. Each witness is
// sent the consistency proof from the last size it cosigned (learnt from its
// 409 answer after a restart). Cosignatures that verify under the witness's key
// are merged into the latest cosigned checkpoint, stored under the meta key
// "cosigned" and served by GetCheckpoint(LATEST_COSIGNED).
//
// Being configured here never makes a witness trusted by a verifier: readers
// name their own
// (--witness-policy). Runs one background thread; the store must outlive it.
#ifndef AILEDGER_SERVER_WITNESS_SUBMITTER_H_
#define AILEDGER_SERVER_WITNESS_SUBMITTER_H_

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "ledger/keys.h"
#include "ledger/storage/log_store.h"

namespace ailedger {

inline constexpr char kCosignedMetaKey[] = "cosigned";

struct WitnessEndpoint {
  std::string url;  // e.g. http://127.0.0.1:7421
  VerifierKey key;  // its cosigner (type 0x04) key
  uint64_t known_size = 0;
};

// Parses "URL=VKEY".
absl::StatusOr<WitnessEndpoint> ParseWitnessFlag(const std::string& flag);

class WitnessSubmitter {
 public:
  struct Options {
    std::chrono::milliseconds active_interval{
        2000};  // Default: 2 s while growing.
    std::chrono::milliseconds idle_interval{
        3600000};  // Default: hourly when idle.
    // Told the largest size a witness has cosigned when it is beyond the log's:
    // the log has been rolled back, and must not sign below it (ARCHITECTURE
    // "Operations"). May be empty.
    std::function<void(uint64_t)> on_witness_ahead;
  };
  WitnessSubmitter(const LogStore* store, LogStore* meta,
                   std::vector<WitnessEndpoint> witnesses, Options options);
  ~WitnessSubmitter();  // stops and joins

 private:
  void Loop();
  // One round for the latest checkpoint; true if any witness cosigned.
  bool Round(const std::string& note);
  absl::StatusOr<std::string> Submit(WitnessEndpoint& w,
                                     const std::string& note, uint64_t size);

  const LogStore* const store_;
  LogStore* const meta_;
  std::vector<WitnessEndpoint> witnesses_;
  const Options options_;
  uint64_t cosigned_size_ = 0;
  std::string cosigned_note_;
  std::map<std::string, std::string>
      cosigned_lines_;  // witness key name -> its line
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace ailedger

#endif  // AILEDGER_SERVER_WITNESS_SUBMITTER_H_
