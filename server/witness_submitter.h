// Submits the log's checkpoints to its witnesses over C2SP tlog-witness v1.0.0
// (HTTP POST <url>/add-checkpoint) at a fixed cadence: every `active_interval`
// while the log grows, every `idle_interval` when it does not. Each witness is
// sent the consistency proof from the last size it cosigned (learnt from its
// 409 answer after a restart). Cosignatures that verify under the witness's key
// are merged into the latest cosigned checkpoint, stored under the meta key
// "cosigned" and served by GetCheckpoint(LATEST_COSIGNED).
//
// A witness is trusted for its cosignatures only, and only under its configured
// key. Nothing else it sends moves the log's state: a 409 claiming a size
// beyond the log's raises the high-water mark only when the witness proves it
// with a checkpoint at that size signed by this log's key and cosigned by the
// witness (witness/witness.h, kLatestCosignedPath); an unproven claim is logged
// and the witness skipped for a while, as is any other protocol abuse. Its
// answers are read with a bounded client (server/bounded_http_client.h): at
// most kMaxWitnessAnswer bytes of body, 8 KiB of status line and headers, and
// 30 s for all its requests in a round; only an escaped excerpt of what it
// sent reaches the log.
//
// Each witness is shown the log's key rotation proofs (POST
// kAddKeyRotationPath, with a consistency proof from the size it cosigned)
// before the first checkpoint after each LogKeyRotated, and again whenever it
// refuses a checkpoint (403) as not signed by a key it follows: it follows a
// LogKeyRotated only on that proof, and learns a declared compromise at once.
//
// Being configured here never makes a witness trusted by a verifier: readers
// name their own (--witness-policy). Runs one background thread; the store
// must outlive it.
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
#include "ledger/storage/log_store.h"
#include "ledger/storage/meta_keys.h"
#include "ledger/tlog/checkpoint.h"
#include "ledger/tlog/keys.h"

namespace ailedger {

// The most the submitter reads of one answer from a witness.
inline constexpr size_t kMaxWitnessAnswer = 64 * 1024;

struct WitnessEndpoint {
  std::string url;  // e.g. http://127.0.0.1:7421
  VerifierKey key;  // its cosigner (type 0x04) key
  uint64_t known_size = 0;
  // The log key rotations it has been shown (ShowRotations).
  size_t rotations_shown = 0;
  // After it misbehaved: skipped until then, and for twice as long next time.
  std::chrono::steady_clock::time_point skip_until{};
  std::chrono::milliseconds backoff{0};
};

// Parses "URL=VKEY".
absl::StatusOr<WitnessEndpoint> ParseWitnessFlag(const std::string& flag);

class WitnessSubmitter {
 public:
  struct Options {
    // Default: 2 s while growing.
    std::chrono::milliseconds active_interval{2000};
    // Default: hourly when idle.
    std::chrono::milliseconds idle_interval{3600000};
    // How long a misbehaving witness is first skipped; doubled at each
    // repeat, up to idle_interval. Default: 1 min.
    std::chrono::milliseconds misbehaving_backoff{60000};
    // Told a checkpoint beyond the log's size that a witness proved it has
    // cosigned (signed by the log's key, cosigned by the witness, both
    // verified): the log has been rolled back, and must not sign below it
    // (ARCHITECTURE "Operations"). May be empty.
    std::function<void(const Checkpoint&)> on_witness_ahead;
    // Told how each witness's turn in a round ended: OK when it cosigned and
    // the cosignature was stored (metrics). Called from the round's threads,
    // at once for several witnesses. May be empty.
    std::function<void(const WitnessEndpoint&, const absl::Status&)> on_answer;
  };
  // `log_key` verifies the checkpoints a witness offers as proof.
  WitnessSubmitter(const LogStore* store, LogStore* meta, VerifierKey log_key,
                   std::vector<WitnessEndpoint> witnesses, Options options);
  ~WitnessSubmitter();  // stops and joins

 private:
  void Loop();
  // One round for the latest checkpoint, every witness asked at once; true if
  // any witness cosigned.
  bool Round(const std::string& note);
  // One witness's turn: submits, logs a failure, stores the cosignature.
  absl::Status Ask(WitnessEndpoint& w, const std::string& note, uint64_t size);
  // Adds a witness's cosignature `lines` of `note` (of `size`) to the latest
  // cosigned checkpoint and stores it. Thread-safe. The store's error if the
  // write fails: the cosignature is then not served, and the round counts as
  // failed so that the next tick asks again.
  absl::Status Merge(const std::string& note, uint64_t size,
                     const std::string& lines);
  absl::StatusOr<std::string> Submit(WitnessEndpoint& w,
                                     const std::string& note, uint64_t size);
  // The witness answered 409 with `claimed` > `size`; its proof is read by
  // `deadline`.
  absl::Status WitnessAhead(WitnessEndpoint& w, uint64_t claimed, uint64_t size,
                            std::chrono::steady_clock::time_point deadline);
  // The checkpoint the witness offers for its claim, if it proves one beyond
  // `size`.
  absl::StatusOr<Checkpoint> ProveAhead(
      const WitnessEndpoint& w, uint64_t size,
      std::chrono::steady_clock::time_point deadline);
  // Shows `w` the log's key rotation proofs (server/log_key_reads.h); true
  // when it followed one it did not know.
  absl::StatusOr<bool> ShowRotations(
      WitnessEndpoint& w, std::chrono::steady_clock::time_point deadline);
  // Skips `w` for its back-off; `why` with the duration appended.
  absl::Status Misbehaving(WitnessEndpoint& w, const absl::Status& why);

  const LogStore* const store_;
  LogStore* const meta_;
  const VerifierKey log_key_;
  std::vector<WitnessEndpoint> witnesses_;
  const Options options_;
  std::mutex merge_mu_;  // guards the two below
  uint64_t cosigned_size_ = 0;
  // Witness key name -> its line.
  std::map<std::string, std::string> cosigned_lines_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace ailedger

#endif  // AILEDGER_SERVER_WITNESS_SUBMITTER_H_
