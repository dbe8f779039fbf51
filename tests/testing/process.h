// Running the real binaries from tests: one-shot commands and a long-running
// ailedgerd.
#ifndef AILEDGER_TESTS_TESTING_PROCESS_H_
#define AILEDGER_TESTS_TESTING_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace ailedger::testing {

struct ProcessResult {
  int exit_code = -1;  // -1 if killed by a signal
  std::string out, err;
};

// Runs argv[0] with the rest as arguments and waits for it.
ProcessResult RunProcess(const std::vector<std::string>& argv,
                         const std::string& stdin_data = "");

// A server started in the background; its stdout is read until the "listening
// on" line, whose port it records. Killed (SIGKILL) on destruction if still
// running.
class ServerProcess {
 public:
  explicit ServerProcess(const std::vector<std::string>& argv);
  ~ServerProcess();
  bool started() const { return port_ > 0; }
  int port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  const std::string& output() const { return output_; }
  // Sends `sig` and waits; returns the exit code (-1 if it died by a signal).
  int Stop(int sig);
  // Waits up to `within` for the process to exit by itself; its exit code, or
  // -2 if it is still running.
  int Wait(std::chrono::milliseconds within);
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string output_;
};

// A memory figure (field "VmRSS:", resident now, or "VmHWM:", the peak) of
// the process whose command line contains `marker`, in KiB; 0 if none.
uint64_t ResidentKiB(const std::string& marker,
                     const std::string& field = "VmRSS:");

}  // namespace ailedger::testing

#endif  // AILEDGER_TESTS_TESTING_PROCESS_H_
