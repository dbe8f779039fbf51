// The processes of tools/crash-test (crash_test.cc): ailedgerd and the other
// binaries as children that can be killed with SIGKILL at any moment, and a
// C2SP tlog-witness run in this process that kills ailedgerd in the middle of
// a witness submission.
#ifndef AILEDGER_TOOLS_CRASH_HARNESS_H_
#define AILEDGER_TOOLS_CRASH_HARNESS_H_

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ledger/tlog/keys.h"
#include "witness/witness.h"
#include "witness/witness_http.h"

namespace ailedger::crash {

// A child process whose stdout and stderr are appended to a file. Killed
// (SIGKILL) and reaped on destruction if still running.
class Child {
 public:
  static absl::StatusOr<std::unique_ptr<Child>> Spawn(
      const std::vector<std::string>& argv, const std::string& output_file);
  ~Child();

  pid_t pid() const { return pid_; }
  // Waits up to `timeout` for the child to print a line with "listening on
  // HOST:PORT"; that address. UNAVAILABLE with its output if it exits first.
  absl::StatusOr<std::string> WaitListening(std::chrono::milliseconds timeout);
  // True until the child has exited (reaping it when it has).
  bool Running();
  // SIGKILL, then waits for it. Returns false if it had already exited.
  bool Kill();
  // Waits for it to exit: its exit code, or -1 when a signal ended it.
  int Wait();
  // What it printed since it was started (at most the last 4 KiB).
  std::string Output() const;

 private:
  Child(pid_t pid, std::string file, off_t offset)
      : pid_(pid), file_(std::move(file)), offset_(offset) {}
  pid_t pid_;
  std::string file_;
  off_t offset_;
  bool reaped_ = false;
  int status_ = 0;
};

// Runs a command to its end; its exit code (-1 when killed by a signal) and
// output.
struct ToolResult {
  int exit_code = -1;
  std::string output;
};
absl::StatusOr<ToolResult> RunTool(const std::vector<std::string>& argv,
                                   const std::string& output_file);

// A hard link to (or, across file systems, a copy of) the binary at `path`
// in `dir`: a rebuild of the build tree during a long run then neither
// changes nor removes the binaries under the test. Its path.
absl::StatusOr<std::string> PinBinary(const std::string& path,
                                      const std::string& dir);

// Where a witness submission is cut by the kill.
enum class WitnessCut {
  kOnArrival,       // the request has arrived; the witness has not answered
  kAfterCosigning,  // the witness stored its new state; no answer sent yet
  kAfterAnswer,     // 0-3 ms after the answer: ailedgerd storing it
};
const char* WitnessCutName(WitnessCut cut);

// `ailedger witness serve`'s witness (witness/witness.h) on its bounded HTTP
// transport, on a free loopback port, with a key made here. Armed, it sends
// SIGKILL to a process at a chosen point of the next add-checkpoint request.
class KillingWitness {
 public:
  static absl::StatusOr<std::unique_ptr<KillingWitness>> Start(
      const std::string& state_dir, const VerifierKey& log_key);

  // The value of ailedgerd's --witness flag: URL=VKEY.
  std::string Flag() const;
  const VerifierKey& key() const { return cosigner_; }
  // At the next add-checkpoint request, kills `pid` at `cut`; for
  // kAfterAnswer, `delay_us` after the answer is handed to the transport.
  void Arm(pid_t pid, WitnessCut cut, int delay_us);
  // Disarms; false if the kill was already taken by a request (wait for
  // Fired() then).
  bool Disarm();
  bool Fired() const { return fired_->load(); }
  // The latest checkpoint it cosigned, as its state says ("" if none).
  std::string LatestCosigned();

 private:
  KillingWitness(std::unique_ptr<Witness> witness, VerifierKey cosigner,
                 std::string origin_id)
      : witness_(std::move(witness)),
        cosigner_(std::move(cosigner)),
        origin_id_(std::move(origin_id)) {}
  HttpResponse Handle(const HttpRequest& req);

  std::unique_ptr<Witness> witness_;
  const VerifierKey cosigner_;
  const std::string origin_id_;  // hex SHA-256 of the log's origin
  std::unique_ptr<BoundedHttpServer> http_;
  std::mutex mu_;
  pid_t armed_pid_ = 0;  // guarded by mu_
  WitnessCut cut_ = WitnessCut::kOnArrival;
  int delay_us_ = 0;
  // Shared with the thread that kills after an answer.
  std::shared_ptr<std::atomic<bool>> fired_ =
      std::make_shared<std::atomic<bool>>(false);
};

}  // namespace ailedger::crash

#endif  // AILEDGER_TOOLS_CRASH_HARNESS_H_
