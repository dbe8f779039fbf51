// `ailedgerd serve`'s options, from its command line and from the
// configuration file that --config names.
//
// The file holds one `key = value` per line, a key being a flag's name without
// its "--" (`max-page = 500`, `public-read = true`); `witness` may repeat, no
// other key may. Blank lines and lines whose first non-blank character is "#"
// are ignored; there are no trailing comments and no quoting: the value is
// the rest of the line, trimmed. A switch's value is true or false. A flag on
// the command line overrides the file's key (a switch too: --public-read=false;
// any --witness replaces all of the file's). An unknown key, a key repeated,
// a line that is not `key = value` and a bad value are refused with the file's
// name, the line and the key. Paths are read as on the command line, relative
// to the working directory: a service's file names them absolutely
// (examples/deploy/ailedgerd.conf).
#ifndef AILEDGER_SERVER_SERVE_FLAGS_H_
#define AILEDGER_SERVER_SERVE_FLAGS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cmdline/cli_args.h"
#include "server/daemon.h"
#include "server/log.h"

namespace ailedger {

// serve's options that take a value, and its switches (space-separated, for
// the command's record).
inline constexpr char kServeFlags[] =
    "config data store instance lease-ttl-ms log-key next-log-key listen "
    "tls-cert tls-key "
    "max-batch-events max-queue-bytes rate-per-key rate-per-peer max-page "
    "max-streams max-streams-per-peer witness witness-interval-ms sealed-store "
    "test-clock metrics-addr log-format";
inline constexpr char kServeSwitches[] =
    "public-read metrics-allow-remote check-config read-only";

struct ConfigLine {
  std::string key, value;
  int line = 0;  // 1-based
};

// The `key = value` lines of a configuration file's `text`, in order; errors
// (INVALID_ARGUMENT) start "FILE:LINE: ". Keys are not checked here.
absl::StatusOr<std::vector<ConfigLine>> ParseConfigText(absl::string_view text,
                                                        absl::string_view file);

struct ServeCommand {
  ServeOptions options;
  LogFormat log_format = LogFormat::kText;
  bool check_only = false;  // --check-config: validate, then exit 0
};

// serve's options from `args` and the file its --config names, every value
// checked (ranges, --witness URL=VKEY, --metrics-addr, the TLS pair, the log
// format) without reading any file but the configuration. Errors are usage
// errors naming the flag, or the file, line and key.
absl::StatusOr<ServeCommand> ReadServeCommand(const CliArgs& args);

}  // namespace ailedger

#endif  // AILEDGER_SERVER_SERVE_FLAGS_H_
