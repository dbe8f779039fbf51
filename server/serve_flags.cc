#include "server/serve_flags.h"

#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "cmdline/usage_error.h"
#include "ledger/base/file_util.h"
#include "server/metrics.h"
#include "server/serve_store.h"
#include "server/witness_submitter.h"

namespace ailedger {
namespace {

// A value and where it was given: "--max-page" on the command line, or
// "FILE:LINE: max-page" in the configuration file.
struct Given {
  std::string value;
  std::string where;
};

bool IsServeOption(absl::string_view name) {
  for (const char* list : {kServeFlags, kServeSwitches}) {
    for (absl::string_view known : absl::StrSplit(list, ' ')) {
      if (known == name) return true;
    }
  }
  return false;
}

// serve's options with where each came from; the command line's replace the
// file's.
class ServeFlags {
 public:
  static absl::StatusOr<ServeFlags> Read(const CliArgs& args);

  bool Has(const std::string& name) const { return given_.count(name) > 0; }
  std::string Get(const std::string& name,
                  const std::string& fallback = "") const {
    return Has(name) ? Last(name).value : fallback;
  }
  const std::vector<Given>& All(const std::string& name) const {
    static const std::vector<Given> kNone;
    return Has(name) ? given_.at(name) : kNone;
  }
  absl::StatusOr<std::string> Require(const std::string& name) const {
    if (!Has(name) || Get(name).empty())
      return UsageError(absl::StrCat("--", name, " is required"));
    return Get(name);
  }
  // A whole number in [min, max], or `fallback` when not given.
  template <typename T>
  absl::StatusOr<T> Uint(const std::string& name, T fallback, T min,
                         T max) const;
  // A switch: true when given bare or "true", false when absent or "false".
  absl::StatusOr<bool> Switch(const std::string& name) const;
  // `s`, the check of `g`'s value by code whose messages start "--NAME: ", as
  // a usage error saying where the value was given.
  static absl::Status Located(const std::string& name, const Given& g,
                              const absl::Status& s);

 private:
  const Given& Last(const std::string& name) const {
    return given_.at(name).back();
  }
  absl::Status ReadFile(const CliArgs& args, const std::string& file);

  std::map<std::string, std::vector<Given>> given_;
};

absl::StatusOr<ServeFlags> ServeFlags::Read(const CliArgs& args) {
  ServeFlags f;
  for (const char* list : {kServeFlags, kServeSwitches}) {
    for (absl::string_view name : absl::StrSplit(list, ' ')) {
      for (std::string& v : args.Values(std::string(name)))
        f.given_[std::string(name)].push_back({v, absl::StrCat("--", name)});
    }
  }
  if (args.Has("config")) {
    if (auto s = f.ReadFile(args, args.Get("config")); !s.ok()) return s;
  }
  return f;
}

absl::Status ServeFlags::ReadFile(const CliArgs& args,
                                  const std::string& file) {
  auto text = ReadSmallFile(file);
  if (!text.ok()) {
    return LocalInputError(
        absl::Status(text.status().code(),
                     absl::StrCat("--config: ", text.status().message())));
  }
  auto lines = ParseConfigText(*text, file);
  if (!lines.ok()) return AsUsageError(lines.status());
  std::map<std::string, int> first_line;
  for (const ConfigLine& l : *lines) {
    const std::string at = absl::StrCat(file, ":", l.line, ": ");
    if (!IsServeOption(l.key) || l.key == "config" || l.key == "check-config") {
      return UsageError(absl::StrCat(
          at, "unknown key '", absl::CHexEscape(l.key),
          "' (the keys are serve's flags without --, but config and "
          "check-config)"));
    }
    auto [first, inserted] = first_line.emplace(l.key, l.line);
    if (!inserted && l.key != "witness") {
      return UsageError(
          absl::StrCat(at, l.key, ": already set on line ", first->second));
    }
    if (args.Has(l.key)) continue;  // the command line overrides
    given_[l.key].push_back({l.value, at + l.key});
  }
  return absl::OkStatus();
}

template <typename T>
absl::StatusOr<T> ServeFlags::Uint(const std::string& name, T fallback, T min,
                                   T max) const {
  if (!Has(name)) return fallback;
  const Given& g = Last(name);
  uint64_t v = 0;
  // SimpleAtoi into uint64_t refuses a minus sign and any overflow.
  if (!absl::SimpleAtoi(g.value, &v)) {
    return UsageError(absl::StrCat(g.where, ": '", absl::CHexEscape(g.value),
                                   "' is not a whole number"));
  }
  if (v < static_cast<uint64_t>(min) || v > static_cast<uint64_t>(max)) {
    return UsageError(absl::StrCat(g.where, ": ", v, " is out of range (",
                                   static_cast<uint64_t>(min), "..",
                                   static_cast<uint64_t>(max), ")"));
  }
  return static_cast<T>(v);
}

absl::StatusOr<bool> ServeFlags::Switch(const std::string& name) const {
  if (!Has(name)) return false;
  const Given& g = Last(name);
  const bool on_command_line = absl::StartsWith(g.where, "--");
  if (g.value == "true" || (g.value.empty() && on_command_line)) return true;
  if (g.value == "false") return false;
  return UsageError(absl::StrCat(g.where, ": '", absl::CHexEscape(g.value),
                                 "' is not true or false"));
}

absl::Status ServeFlags::Located(const std::string& name, const Given& g,
                                 const absl::Status& s) {
  if (s.ok()) return s;
  absl::string_view message = s.message();
  absl::ConsumePrefix(&message, absl::StrCat("--", name, ": "));
  return UsageError(absl::StrCat(g.where, ": ", message));
}

// host:pid, unique among the instances that share a database.
std::string DefaultInstanceName() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) std::strcpy(host, "ailedgerd");
  return absl::StrCat(host, ":", getpid());
}

// The limits: every number in a range, as a batch, queue or page of 0 would
// stall the server, and an interval beyond a day would overflow the clock.
absl::Status ReadLimits(const ServeFlags& f, ServeOptions* o) {
  auto batch = f.Uint<size_t>("max-batch-events", o->sequencer.max_batch_events,
                              1, 1'000'000);
  auto queue = f.Uint<size_t>("max-queue-bytes", o->sequencer.max_queue_bytes,
                              1, 1ull << 40);
  auto per_key = f.Uint<uint64_t>("rate-per-key", 0, 0, 1'000'000'000);
  auto per_peer = f.Uint<uint64_t>("rate-per-peer", 0, 0, 1'000'000'000);
  auto page = f.Uint<size_t>("max-page", o->max_page, 1, 1'000'000);
  // Streaming reads held at once (an auditor behind a shared address may
  // need more than 4; a reader that never reads holds its place).
  auto streams =
      f.Uint<size_t>("max-streams", o->service.max_streams, 1, 100'000);
  auto streams_per_peer = f.Uint<size_t>(
      "max-streams-per-peer", o->service.max_streams_per_peer, 1, 100'000);
  auto interval = f.Uint<int64_t>("witness-interval-ms", o->witness_interval_ms,
                                  1, 86'400'000);
  // Below 300 ms a renewal (every ttl/3) would race the database's own
  // round trips; beyond 10 minutes a dead writer stalls the log too long.
  auto ttl = f.Uint<int64_t>("lease-ttl-ms", o->lease_ttl_ms, 300, 600'000);
  for (const absl::Status& s :
       {batch.status(), queue.status(), per_key.status(), per_peer.status(),
        page.status(), streams.status(), streams_per_peer.status(),
        interval.status(), ttl.status()}) {
    if (!s.ok()) return s;
  }
  o->sequencer.max_batch_events = *batch;
  o->sequencer.max_queue_bytes = *queue;
  o->service.rate_per_key = static_cast<double>(*per_key);
  o->service.rate_per_peer = static_cast<double>(*per_peer);
  o->max_page = *page;
  o->service.max_streams = *streams;
  o->service.max_streams_per_peer = *streams_per_peer;
  o->witness_interval_ms = *interval;
  o->lease_ttl_ms = *ttl;
  return absl::OkStatus();
}

// The options naming files, addresses and witnesses.
absl::Status ReadEndpoints(const ServeFlags& f, ServeOptions* o) {
  auto where = ReadStoreLocation(f.Get("data"), f.Get("store"));
  if (!where.ok()) return UsageError(where.status().message());
  auto read_only = f.Switch("read-only");
  if (!read_only.ok()) return read_only.status();
  o->read_only = *read_only;
  if (o->read_only && where->conninfo.empty())
    return UsageError("--read-only serves a PostgreSQL replica: give --store");
  auto key = o->read_only ? absl::StatusOr<std::string>(f.Get("log-key"))
                          : f.Require("log-key");
  if (!key.ok()) return key.status();
  o->data_dir = where->data_dir;
  o->store = where->conninfo;
  o->instance = f.Get("instance", DefaultInstanceName());
  o->log_key_file = *key;
  o->next_log_key_file = f.Get("next-log-key");
  o->listen = f.Get("listen", o->listen);
  o->tls_cert_file = f.Get("tls-cert");
  o->tls_key_file = f.Get("tls-key");
  if (o->tls_cert_file.empty() != o->tls_key_file.empty())
    return UsageError("--tls-cert and --tls-key go together");
  auto public_read = f.Switch("public-read");
  if (!public_read.ok()) return public_read.status();
  o->service.public_read = *public_read;
  for (const Given& g : f.All("witness")) {
    auto parsed = ParseWitnessFlag(g.value);
    if (!parsed.ok()) return ServeFlags::Located("witness", g, parsed.status());
    o->witnesses.push_back(g.value);
  }
  o->sealed_store_dir = f.Get("sealed-store");
  o->test_clock_file = f.Get("test-clock");
  auto remote = f.Switch("metrics-allow-remote");
  if (!remote.ok()) return remote.status();
  o->metrics_allow_remote = *remote;
  if (f.Has("metrics-addr")) {
    o->metrics_addr = f.Get("metrics-addr");
    if (auto s = CheckMetricsAddress(o->metrics_addr, *remote); !s.ok())
      return ServeFlags::Located("metrics-addr", f.All("metrics-addr").back(),
                                 s);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<ConfigLine>> ParseConfigText(
    absl::string_view text, absl::string_view file) {
  std::vector<ConfigLine> out;
  int number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++number;
    const absl::string_view trimmed = absl::StripAsciiWhitespace(line);
    if (trimmed.empty() || trimmed.front() == '#') continue;
    const size_t eq = trimmed.find('=');
    const std::string at = absl::StrCat(file, ":", number, ": ");
    if (eq == absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat(at, "not `key = value`: '",
                       absl::CHexEscape(trimmed.substr(0, 80)), "'"));
    }
    ConfigLine c;
    c.key = std::string(absl::StripAsciiWhitespace(trimmed.substr(0, eq)));
    c.value = std::string(absl::StripAsciiWhitespace(trimmed.substr(eq + 1)));
    c.line = number;
    if (c.key.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(at, "a line starts with '=' (no key)"));
    }
    if (c.value.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(at, absl::CHexEscape(c.key), ": needs a value"));
    }
    out.push_back(std::move(c));
  }
  return out;
}

absl::StatusOr<ServeCommand> ReadServeCommand(const CliArgs& args) {
  auto flags = ServeFlags::Read(args);
  if (!flags.ok()) return flags.status();
  ServeCommand c;
  if (auto s = ReadEndpoints(*flags, &c.options); !s.ok()) return s;
  if (auto s = ReadLimits(*flags, &c.options); !s.ok()) return s;
  if (flags->Has("log-format")) {
    const Given& g = flags->All("log-format").back();
    auto format = ParseLogFormat(g.value);
    if (!format.ok())
      return ServeFlags::Located("log-format", g, format.status());
    c.log_format = *format;
  }
  auto check = flags->Switch("check-config");
  if (!check.ok()) return check.status();
  c.check_only = *check;
  return c;
}

}  // namespace ailedger
