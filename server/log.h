// ailedgerd's diagnostics on stderr, in one of two formats (--log-format):
//
//   text (the default)  ailedgerd: witness http://w: HTTP 500: "oops"
//   json                {"time":"2025-01-02T03:04:05.678Z","level":"warning",
//                        "msg":"witness http://w: HTTP 500: \"oops\"",
//                        "witness":"http://w"}
//
// One line per message in both; a JSON line is one object with "time" (UTC,
// RFC 3339, milliseconds), "level" ("info", "warning" or "error"), "msg" (the
// text line without its "ailedgerd: " prefix) and the message's fields.
//
// What is logged: start, stop, witnesses' failures, store recovery, the sealed
// store's clean-up. Never key material, an event's bytes or body, sealed data
// or call credentials: messages name events by index or id, keys by name, and
// quote at most an escaped excerpt of what a witness sent. Callers keep to
// that; nothing here filters.
#ifndef AILEDGER_SERVER_LOG_H_
#define AILEDGER_SERVER_LOG_H_

#include <initializer_list>
#include <string>
#include <type_traits>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace ailedger {

enum class LogFormat { kText, kJson };
enum class LogLevel { kInfo, kWarning, kError };

// "text" or "json"; INVALID_ARGUMENT otherwise (the caller names the flag).
absl::StatusOr<LogFormat> ParseLogFormat(absl::string_view name);

// A field's value: a string, or an integer written as a JSON number.
class LogValue {
 public:
  LogValue(absl::string_view s) : text_(s) {}   // NOLINT: implicit on purpose
  LogValue(const char* s) : text_(s) {}         // NOLINT
  LogValue(const std::string& s) : text_(s) {}  // NOLINT
  template <typename T,
            std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>,
                             int> = 0>
  LogValue(T n) : text_(absl::StrCat(n)), number_(true) {}  // NOLINT

  const std::string& text() const { return text_; }
  bool number() const { return number_; }

 private:
  std::string text_;
  bool number_ = false;
};

// Keys other than "time", "level" and "msg".
using LogFields = std::initializer_list<std::pair<absl::string_view, LogValue>>;

// Sets the format for the rest of the process. kJson also turns every other
// line this process writes to stderr into a JSON object: lines written with
// fprintf(stderr, ...) anywhere (the sequencer's, a fatal error's and its
// usage text) become {"time", "level": "error", "msg"} with any "ailedgerd: "
// prefix dropped, and gRPC's own log lines keep their level, with "source":
// "grpc", "file" and "line". Call it before any thread that logs starts;
// setting kJson twice is harmless, and kJson cannot be undone.
void SetLogFormat(LogFormat format);
LogFormat CurrentLogFormat();

// Writes one line to stderr in the current format. Thread-safe: lines from
// several threads never interleave.
void Log(LogLevel level, absl::string_view msg, LogFields fields = {});

// The line Log writes at `time`, with its newline (for tests).
std::string FormatLogLine(LogFormat format, LogLevel level, absl::Time time,
                          absl::string_view msg, LogFields fields = {});

}  // namespace ailedger

#endif  // AILEDGER_SERVER_LOG_H_
