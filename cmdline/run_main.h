// The main() of every binary (ailedger, ailedgerd, gen-history, the
// benchmarks): run a function over the arguments, print its error as one
// line "NAME: message" on stderr (escaped for the terminal: messages quote
// servers, bundles and events), then the usage text a usage error carries,
// and exit with ExitCode (cmdline/usage_error.h).
#ifndef AILEDGER_CMDLINE_RUN_MAIN_H_
#define AILEDGER_CMDLINE_RUN_MAIN_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace ailedger {

// Prints `s` as above when it is an error; returns its exit code.
int ReportExit(absl::string_view program, const absl::Status& s);
// For a tool that picks its own exit code when it does not fail.
inline int ReportExit(absl::string_view program,
                      const absl::StatusOr<int>& code) {
  return code.ok() ? *code : ReportExit(program, code.status());
}

// `fn` takes the arguments after the program's name and returns absl::Status
// (exit 0 when OK) or absl::StatusOr<int> (its exit code when OK).
//
// Turns off absl::Mutex's deadlock detection first: Debian's absl is built
// with it on, and every lock taken (gRPC's included) then updates one global
// graph of lock orders under one global lock, which a profile of the proof
// server found on every call. The tests keep it on.
template <typename Fn>
int RunMain(absl::string_view program, int argc, char** argv, Fn fn) {
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  return ReportExit(program,
                    fn(std::vector<std::string>(argv + 1, argv + argc)));
}

}  // namespace ailedger

#endif  // AILEDGER_CMDLINE_RUN_MAIN_H_
