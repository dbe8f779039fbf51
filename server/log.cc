#include "server/log.h"

#include <grpc/support/log.h>

#include <atomic>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "absl/base/const_init.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"

namespace ailedger {
namespace {

constexpr absl::string_view kPrefix = "ailedgerd: ";
// A line longer than this without a newline is written as it stands.
constexpr size_t kMaxForeignLine = 64 * 1024;

std::atomic<LogFormat> g_format{LogFormat::kText};
// Serialises whole lines on the real stderr.
ABSL_CONST_INIT absl::Mutex g_write_mu(absl::kConstInit);
// The process's stderr before SetLogFormat(kJson) replaced it.
FILE* g_real_stderr = nullptr;

FILE* RealStderr() { return g_real_stderr != nullptr ? g_real_stderr : stderr; }

void WriteLine(const std::string& line) {
  absl::MutexLock lock(&g_write_mu);
  FILE* out = RealStderr();
  std::fwrite(line.data(), 1, line.size(), out);
  std::fflush(out);
}

// A JSON string, invalid UTF-8 replaced by U+FFFD: a message may quote bytes
// from a peer.
std::string JsonString(absl::string_view s) {
  return nlohmann::json(std::string(s))
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      break;
  }
  return "error";
}

// A line another part of the process wrote to stderr: an error, as fprintf
// to stderr is used for nothing else.
void WriteForeignLine(absl::string_view line) {
  absl::ConsumeSuffix(&line, "\r");
  if (line.empty()) return;
  absl::ConsumePrefix(&line, kPrefix);
  WriteLine(
      FormatLogLine(LogFormat::kJson, LogLevel::kError, absl::Now(), line));
}

// The write function of the stream that replaces stderr in JSON mode. stdio
// holds the stream's lock around each call, so `pending` needs no other.
ssize_t CaptureWrite(void* cookie, const char* buf, size_t size) {
  auto* pending = static_cast<std::string*>(cookie);
  pending->append(buf, size);
  size_t start = 0;
  for (size_t nl; (nl = pending->find('\n', start)) != std::string::npos;
       start = nl + 1) {
    WriteForeignLine(absl::string_view(*pending).substr(start, nl - start));
  }
  pending->erase(0, start);
  if (pending->size() > kMaxForeignLine) {
    WriteForeignLine(*pending);
    pending->clear();
  }
  return static_cast<ssize_t>(size);
}

void GrpcLog(gpr_log_func_args* args) {
  const LogLevel level = args->severity == GPR_LOG_SEVERITY_ERROR
                             ? LogLevel::kError
                             : LogLevel::kInfo;
  Log(level, args->message,
      {{"source", "grpc"}, {"file", args->file}, {"line", args->line}});
}

}  // namespace

absl::StatusOr<LogFormat> ParseLogFormat(absl::string_view name) {
  if (name == "text") return LogFormat::kText;
  if (name == "json") return LogFormat::kJson;
  return absl::InvalidArgumentError(
      absl::StrCat("'", absl::CHexEscape(name), "' is not text or json"));
}

void SetLogFormat(LogFormat format) {
  if (format == LogFormat::kText || g_format == LogFormat::kJson) return;
  // glibc's stderr is an ordinary variable that may be assigned (glibc
  // manual, "Standard Streams"): every later fprintf(stderr, ...) goes through
  // CaptureWrite. Line-buffered, so each line arrives whole.
  // The partial line lives as long as the process (stderr may be written
  // until exit); a global holds it, so that LeakSanitizer sees it reachable.
  static std::string* const pending = new std::string;
  FILE* capture =
      fopencookie(pending, "w", {nullptr, CaptureWrite, nullptr, nullptr});
  if (capture != nullptr) {
    setvbuf(capture, nullptr, _IOLBF, 0);
    std::fflush(stderr);
    g_real_stderr = stderr;
    stderr = capture;
  }
  gpr_set_log_function(GrpcLog);
  g_format = LogFormat::kJson;
}

LogFormat CurrentLogFormat() { return g_format; }

void Log(LogLevel level, absl::string_view msg, LogFields fields) {
  WriteLine(FormatLogLine(g_format, level, absl::Now(), msg, fields));
}

std::string FormatLogLine(LogFormat format, LogLevel level, absl::Time time,
                          absl::string_view msg, LogFields fields) {
  if (format == LogFormat::kText) return absl::StrCat(kPrefix, msg, "\n");
  std::string line = absl::StrCat(
      "{\"time\":\"",
      absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", time, absl::UTCTimeZone()),
      "\",\"level\":\"", LevelName(level), "\",\"msg\":", JsonString(msg));
  for (const auto& [key, value] : fields) {
    absl::StrAppend(&line, ",", JsonString(key), ":",
                    value.number() ? value.text() : JsonString(value.text()));
  }
  line += "}\n";
  return line;
}

}  // namespace ailedger
