// Appender threads for the failover test (issue 17, "Failover, shown"): each
// appends distinct signed events through a LedgerClient of its own, one at a
// time, and after any refusal it may retry sends THE SAME request again until
// it is acknowledged. A retry of an event the server already logged (its first
// answer was lost) is answered with the first copy's receipt
// (duplicate=true), so every event sent ends with exactly one recorded
// receipt, or the test fails: nothing is left unaccounted for.
//
// Times are the wall clock in ms since the epoch, as tools/ha-cluster prints
// them (date +%s%3N), so that an acknowledgement can be placed after a kill.
#ifndef AILEDGER_TESTS_TESTING_HA_APPENDERS_H_
#define AILEDGER_TESTS_TESTING_HA_APPENDERS_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "ailedger/ledger.pb.h"
#include "client/ledger_client.h"
#include "ledger/tlog/keys.h"

namespace ailedger::testing {

int64_t WallMs();

struct AckedAppend {
  v1::Receipt receipt;
  int64_t sent_ms = 0;   // when the attempt that was answered was sent
  int64_t acked_ms = 0;  // when its answer came
  int retries = 0;       // attempts refused before it
};

class Appenders {
 public:
  struct Options {
    std::string target;  // e.g. ipv4:127.0.0.1:A,127.0.0.1:B
    std::string origin;
    std::string organisation;
    const SigningKey* publisher = nullptr;  // outlives the appenders
    int threads = 4;
    double timeout_seconds = 5;  // per call
    // After an acknowledgement, before the next event: keeps 2 cores shared
    // with Patroni, PostgreSQL and two ailedgerd from being saturated.
    std::chrono::milliseconds pause{10};
    // A refused event is retried at this pace, for at most `give_up`.
    std::chrono::milliseconds retry_pause{150};
    std::chrono::seconds give_up{180};
  };

  explicit Appenders(Options options) : options_(std::move(options)) {}
  ~Appenders() {
    Abort();
    Join();
  }
  Appenders(const Appenders&) = delete;
  Appenders& operator=(const Appenders&) = delete;

  void Start();
  // No new event is sent; each one already sent is retried until acknowledged.
  void Stop() { stop_ = true; }
  // Stops and waits for the threads.
  void Join();
  // Stops the retries too (a failed test's teardown): an event may then be
  // left unacknowledged.
  void Abort() {
    stop_ = true;
    abort_ = true;
  }

  std::vector<AckedAppend> acked() const;
  size_t count() const;
  int64_t retries() const { return retries_.load(); }
  // Why an appender stopped early (an event refused for good, or not
  // acknowledged within give_up); empty when none did.
  std::vector<std::string> failures() const;
  // Refusals retried, by status code name.
  std::map<std::string, int> refusals() const;
  // The time of the first acknowledgement of a new event (not a duplicate)
  // whose answered attempt was sent at or after `ms`; 0 if none yet.
  int64_t FirstNewAckSentFrom(int64_t ms) const;
  // New events (not duplicates) whose answered attempt was sent at or after
  // `sent_from` and acknowledged before `before`.
  size_t NewAcksSentFromAckedBefore(int64_t sent_from, int64_t before) const;

 private:
  void Run(int thread);
  // Sends `req` until it is acknowledged; false (and a failure recorded) if
  // it is refused for good, not acknowledged in time, or aborted.
  bool AppendUntilAcked(LedgerClient& client, const v1::AppendRequest& req,
                        AckedAppend* out);
  void Fail(std::string why);

  const Options options_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> abort_{false};
  std::atomic<int64_t> retries_{0};
  std::vector<std::thread> threads_;
  mutable std::mutex mu_;
  std::vector<AckedAppend> acked_;       // guarded by mu_
  std::vector<std::string> failures_;    // guarded by mu_
  std::map<std::string, int> refusals_;  // guarded by mu_
};

}  // namespace ailedger::testing

#endif  // AILEDGER_TESTS_TESTING_HA_APPENDERS_H_
