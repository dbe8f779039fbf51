// How a command line ends: exit 0 when it did what it was asked, 1 when it
// failed (a refusal by the server, a verification that failed, an I/O error),
// 2 when it was asked wrongly: a flag or argument that is wrong, or a local
// input it names that cannot be used (a file it cannot read or parse).
//
// The exit code is decided where the error is made, never derived from the
// status code: a server that answers INVALID_ARGUMENT has refused the request
// (1), which is not the same as a mistyped flag (2). A usage error is a status
// that carries the payload kUsageErrorPayload; its value is the usage text to
// print after the message (may be empty).
#ifndef AILEDGER_CMDLINE_USAGE_ERROR_H_
#define AILEDGER_CMDLINE_USAGE_ERROR_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace ailedger {

inline constexpr char kUsageErrorPayload[] = "ailedger/usage-error";

// INVALID_ARGUMENT with the usage marker: the command line is wrong. `usage`,
// when given, is printed after the message (e.g. the command's synopsis).
absl::Status UsageError(absl::string_view message,
                        absl::string_view usage = "");

// `s` (same code and message) with the usage marker; OK stays OK. For an error
// about a local input the command line named, e.g. a bundle that is not one.
absl::Status AsUsageError(absl::Status s);

// For the status of reading or parsing a local input the command line named
// (a file, a key): NOT_FOUND (cannot open), INVALID_ARGUMENT (malformed) and
// OUT_OF_RANGE (too large) become usage errors; anything else (a key file
// refused for its permissions, an I/O error) stays a failure.
absl::Status LocalInputError(absl::Status s);
template <typename T>
absl::StatusOr<T> LocalInputError(absl::StatusOr<T> v) {
  if (v.ok()) return v;
  return LocalInputError(v.status());
}

bool IsUsageError(const absl::Status& s);
// The usage text carried by a usage error ("" if none).
std::string UsageText(const absl::Status& s);

// 0 for OK, 2 for a usage error, 1 for anything else.
int ExitCode(const absl::Status& s);

}  // namespace ailedger

#endif  // AILEDGER_CMDLINE_USAGE_ERROR_H_
