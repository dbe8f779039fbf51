// The cycles of tools/crash-test (crash_test.cc): the throwaway log, its
// server and witness, and what one cycle does: load, kill, the extra kill of
// its kind, restart, checks.
#ifndef AILEDGER_TOOLS_CRASH_RUN_H_
#define AILEDGER_TOOLS_CRASH_RUN_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "tools/bench_util.h"
#include "tools/crash_checks.h"
#include "tools/crash_harness.h"
#include "tools/crash_load.h"

namespace ailedger::crash {

// What a cycle does besides killing the server under load, in turn: the kill
// is made in a witness submission instead; or a second kill in an index
// repair, or in the next start-up, follows it; or nothing more.
enum class Extra { kWitness, kRepair, kStartup, kNone };

// A cycle's schedule, drawn from the seed.
struct Plan {
  Extra extra;
  int writers;      // 2-4
  int kill_ms;      // after the load starts
  WitnessCut cut;   // kWitness
  int delay_us;     // kWitness, kAfterAnswer
  double fraction;  // kStartup, kRepair: when to kill, of the last full run
  uint64_t seed;
};

struct Totals {
  uint64_t in_doubt_committed = 0, in_doubt_new = 0;
  int witness_cuts = 0, witness_missed = 0;
  int startups = 0, startups_cut = 0, repairs = 0, repairs_cut = 0;
  uint64_t log_size = 0, checkpoints = 0, lost = 0;
};

class CrashRun {
 public:
  // `inject`: "" or a violation to make after each crash (lost, checkpoint,
  // hwm), so that a test sees it reported.
  CrashRun(std::string dir, int max_kill_ms, uint64_t seed, std::string inject)
      : dir_(std::move(dir)),
        max_kill_ms_(max_kill_ms),
        inject_(std::move(inject)),
        rng_(seed) {}

  // The log, the witness, the server, and the events the load's need first.
  absl::Status Setup();
  // One cycle; prints its line. The first violation found.
  absl::Status Cycle(int cycle, int cycles);
  void Stop() { server_.reset(); }
  const Totals& totals() const { return totals_; }
  uint64_t acknowledged() const {
    return observed_ ? observed_->acknowledged() : 0;
  }

 private:
  Plan MakePlan(int cycle);
  absl::Status StartServer();
  // Kills the server under load; how, for the cycle's line.
  absl::StatusOr<std::string> KillUnderLoad(const Plan& p);
  absl::Status Inject(const LogSigner::Mark& mark);
  absl::Status KillAtStartup(const Plan& p);
  // What the repair after the killed one still found to mend, for the line.
  absl::StatusOr<std::string> KillDuringRepair(const Plan& p);
  // `marks`: KEY.hwm as the killed processes left it.
  absl::Status CheckAfterRestart(int cycle, const Plan& p,
                                 const std::vector<LogSigner::Mark>& marks,
                                 const std::vector<v1::AppendRequest>& doubt,
                                 uint64_t witness_size);

  const std::string dir_;
  const int max_kill_ms_;
  const std::string inject_;
  std::mt19937_64 rng_;
  std::optional<bench::BenchLog> log_;
  LogFiles files_;
  std::unique_ptr<Observed> observed_;
  std::unique_ptr<KillingWitness> witness_;
  std::unique_ptr<Child> server_;
  std::string address_;
  std::atomic<uint64_t> nonce_{0};
  std::vector<uint64_t> restarts_;  // the sizes served after each restart
  uint64_t restart_size_ = 0;       // the store at the last restart
  InDoubt resolved_;                // the last cycle's events in doubt
  double startup_ms_ = 100, repair_ms_ = 100;  // the last full runs
  Totals totals_;
};

}  // namespace ailedger::crash

#endif  // AILEDGER_TOOLS_CRASH_RUN_H_
