// ailedgerd: the ledger server. `ailedgerd help` lists the commands, and
// `ailedgerd help COMMAND` (or COMMAND --help) gives each one's options.
#include <iostream>

#include "cmdline/cli_args.h"
#include "cmdline/command.h"
#include "cmdline/run_main.h"
#include "cmdline/usage_error.h"
#include "ledger/base/file_util.h"
#include "server/daemon.h"
#include "server/log.h"
#include "server/migrate.h"
#include "server/operator_commands.h"
#include "server/serve_flags.h"

namespace ailedger {
namespace {

// The log key signs every checkpoint: like ssh, refuse it when the group or
// others may read it ("log.key: permissions 0644 are too open; chmod 600
// log.key"): a failure (exit 1); a key that cannot be read is a usage error.
absl::Status CheckLogKey(const std::string& path) {
  return LocalInputError(ReadPrivateFile(path).status());
}

// ailedgerd's commands take no words besides their name.
absl::Status NoWords(const CliArgs& a, absl::string_view command) {
  if (a.positional().empty()) return absl::OkStatus();
  return UsageError(
      absl::StrCat(command, " takes no argument '", a.positional()[0], "'"));
}

absl::Status RunInit(const CliArgs& a) {
  if (auto s = NoWords(a, "init"); !s.ok()) return s;
  auto where = ReadStoreLocation(a.Get("data"), a.Get("store"));
  if (!where.ok()) return UsageError(where.status().message());
  auto genesis = a.Require("genesis");
  auto key = a.Require("log-key");
  for (const auto* s : {&genesis, &key}) {
    if (!s->ok()) return s->status();
  }
  if (auto s = CheckLogKey(*key); !s.ok()) return s;
  // Its inputs are all local: a genesis file it cannot read or use is usage.
  return LocalInputError(InitLog(*where, *genesis, *key, a.Get("test-clock")));
}

const Command<CliArgs> kInitCommand{
    .name = "init",
    .summary = "make a new log's store from its genesis event",
    .usage =
        "(--data DIR | --store CONNINFO) --genesis FILE --log-key FILE\n"
        "[--test-clock FILE (example logs: the genesis leaf's time)]\n"
        "--data DIR: RocksDB in a local folder (the default store);\n"
        "--store CONNINFO: PostgreSQL (libpq: "
        "postgres://HOST:PORT,HOST2:PORT/DB"
        "?target_session_attrs=read-write)",
    .flags = "data store genesis log-key test-clock",
    .run = RunInit,
};

absl::Status RunCheckIndexes(const CliArgs& a) {
  if (auto s = NoWords(a, "check-indexes"); !s.ok()) return s;
  auto data = a.Require("data");
  if (!data.ok()) return data.status();
  return CheckIndexesCommand(*data, a.Has("repair"));
}

const Command<CliArgs> kCheckIndexesCommand{
    .name = "check-indexes",
    .summary =
        "check the query indexes against the entries (--repair "
        "rebuilds them)",
    .usage = "--data DIR [--repair]",
    .flags = "data",
    .switches = "repair",
    .run = RunCheckIndexes,
};

absl::Status RunServe(const CliArgs& a) {
  if (auto s = NoWords(a, "serve"); !s.ok()) return s;
  auto command = ReadServeCommand(a);
  if (!command.ok()) return command.status();
  SetLogFormat(command->log_format);
  if (command->check_only) {
    std::cout << "ailedgerd: the configuration is valid\n";
    return absl::OkStatus();
  }
  if (!command->options.read_only) {
    if (auto s = CheckLogKey(command->options.log_key_file); !s.ok()) return s;
  }
  // Serve refuses options it cannot use (a sealed store inside --data, a
  // witness URL of another scheme) with INVALID_ARGUMENT: usage errors.
  absl::Status s = Serve(command->options);
  return absl::IsInvalidArgument(s) ? AsUsageError(s) : s;
}

const Command<CliArgs> kServeCommand{
    .name = "serve",
    .summary = "serve the log over gRPC (until SIGTERM)",
    .usage =
        "(--data DIR | --store CONNINFO) --log-key FILE "
        "[--listen ADDR (127.0.0.1:7420)]\n"
        "[--instance NAME (host:pid) --lease-ttl-ms N (5000)] (PostgreSQL: "
        "one writer holds the lease, others wait as standbys)\n"
        "[--read-only (a PostgreSQL replica: serves reads, never signs, no "
        "--log-key)]\n"
        "[--next-log-key FILE (a key the log may rotate to)]\n"
        "[--tls-cert FILE --tls-key FILE] [--public-read]\n"
        "[--max-batch-events N (1000)] [--max-queue-bytes N (64 MiB)]\n"
        "[--rate-per-key EVENTS/S] [--rate-per-peer CALLS/S] "
        "[--max-page N]\n"
        "[--max-streams N (32)] [--max-streams-per-peer N (4)]\n"
        "[--sealed-store DIR (outside --data)]\n"
        "[--witness URL=VKEY ...] [--witness-interval-ms N (2000)]\n"
        "[--metrics-addr HOST:PORT (loopback) [--metrics-allow-remote]]\n"
        "[--log-format text|json (text)]\n"
        "[--config FILE (key = value lines; flags override it)] "
        "[--check-config]\n"
        "[--test-clock FILE (example logs: leaf times read from FILE)]",
    .flags = kServeFlags,
    .switches = kServeSwitches,
    .run = RunServe,
};

constexpr ProgramSpec kProgram{.name = "ailedgerd"};

constexpr const Command<CliArgs>* kCommands[] = {
    &kInitCommand,    &kServeCommand,   &kCheckIndexesCommand, &kBackupCommand,
    &kRestoreCommand, &kUpgradeCommand, &kMigrateCommand};

// `--log-format json` on the command line applies before the line is read,
// so that its own errors are JSON too (RunServe applies the configuration's).
void LogFormatFromArgv(const std::vector<std::string>& argv) {
  for (size_t i = 0; i < argv.size(); ++i) {
    if (argv[i] == "--log-format=json" ||
        (argv[i] == "--log-format" && i + 1 < argv.size() &&
         argv[i + 1] == "json")) {
      SetLogFormat(LogFormat::kJson);
    }
  }
}

absl::Status Run(const std::vector<std::string>& argv) {
  LogFormatFromArgv(argv);
  return RunCommandLine<CliArgs>(
      kProgram, kCommands, argv, std::cout,
      [](CliArgs args, std::vector<std::string>) { return args; });
}

}  // namespace
}  // namespace ailedger

int main(int argc, char** argv) {
  return ailedger::RunMain("ailedgerd", argc, argv, ailedger::Run);
}
