// ailedgerd: the ledger server. `ailedgerd help` lists the commands, and
// `ailedgerd help COMMAND` (or COMMAND --help) gives each one's options.
#include <iostream>

#include "cmdline/cli_args.h"
#include "cmdline/command.h"
#include "cmdline/run_main.h"
#include "cmdline/usage_error.h"
#include "ledger/base/file_util.h"
#include "server/daemon.h"

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
  auto data = a.Require("data");
  auto genesis = a.Require("genesis");
  auto key = a.Require("log-key");
  for (const auto* s : {&data, &genesis, &key}) {
    if (!s->ok()) return s->status();
  }
  if (auto s = CheckLogKey(*key); !s.ok()) return s;
  // Its inputs are all local: a genesis file it cannot read or use is usage.
  return LocalInputError(InitLog(*data, *genesis, *key, a.Get("test-clock")));
}

const Command<CliArgs> kInitCommand{
    .name = "init",
    .summary = "make a new log's store from its genesis event",
    .usage =
        "--data DIR --genesis FILE --log-key FILE\n"
        "[--test-clock FILE (example logs: the genesis leaf's time)]",
    .flags = "data genesis log-key test-clock",
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
  ServeOptions o;
  if (auto s = NoWords(a, "serve"); !s.ok()) return s;
  auto data = a.Require("data");
  auto key = a.Require("log-key");
  if (!data.ok()) return data.status();
  if (!key.ok()) return key.status();
  if (auto s = CheckLogKey(*key); !s.ok()) return s;
  o.data_dir = *data;
  o.log_key_file = *key;
  o.listen = a.Get("listen", o.listen);
  o.tls_cert_file = a.Get("tls-cert");
  o.tls_key_file = a.Get("tls-key");
  if (o.tls_cert_file.empty() != o.tls_key_file.empty()) {
    return UsageError("--tls-cert and --tls-key go together");
  }
  o.service.public_read = a.Has("public-read");
  // Every numeric flag in a range: a batch, queue or page of 0 would stall
  // the server, and an interval beyond a day would overflow the clock.
  auto batch = a.GetUint<size_t>("max-batch-events",
                                 o.sequencer.max_batch_events, 1, 1'000'000);
  auto queue = a.GetUint<size_t>("max-queue-bytes", o.sequencer.max_queue_bytes,
                                 1, 1ull << 40);
  auto per_key = a.GetUint("rate-per-key", 0, 0, 1'000'000'000);
  auto per_peer = a.GetUint("rate-per-peer", 0, 0, 1'000'000'000);
  auto page = a.GetUint<size_t>("max-page", o.max_page, 1, 1'000'000);
  // Streaming reads held at once (an auditor behind a shared address may
  // need more than 4; a reader that never reads holds its place).
  auto streams =
      a.GetUint<size_t>("max-streams", o.service.max_streams, 1, 100'000);
  auto streams_per_peer = a.GetUint<size_t>(
      "max-streams-per-peer", o.service.max_streams_per_peer, 1, 100'000);
  for (const auto* s : {&batch, &queue, &per_key, &per_peer, &page, &streams,
                        &streams_per_peer}) {
    if (!s->ok()) return s->status();
  }
  o.sequencer.max_batch_events = *batch;
  o.sequencer.max_queue_bytes = *queue;
  o.service.rate_per_key = static_cast<double>(*per_key);
  o.service.rate_per_peer = static_cast<double>(*per_peer);
  o.max_page = *page;
  o.service.max_streams = *streams;
  o.service.max_streams_per_peer = *streams_per_peer;
  o.witnesses = a.Values("witness");
  o.sealed_store_dir = a.Get("sealed-store");
  o.test_clock_file = a.Get("test-clock");
  auto interval =
      a.GetUint<int64_t>("witness-interval-ms", 2000, 1, 86'400'000);
  if (!interval.ok()) return interval.status();
  o.witness_interval_ms = *interval;
  // Serve refuses options it cannot use (a sealed store inside --data, a
  // witness URL of another scheme) with INVALID_ARGUMENT: usage errors.
  absl::Status s = Serve(o);
  return absl::IsInvalidArgument(s) ? AsUsageError(s) : s;
}

const Command<CliArgs> kServeCommand{
    .name = "serve",
    .summary = "serve the log over gRPC (until SIGTERM)",
    .usage =
        "--data DIR --log-key FILE [--listen ADDR (127.0.0.1:7420)]\n"
        "[--tls-cert FILE --tls-key FILE] [--public-read]\n"
        "[--max-batch-events N (1000)] [--max-queue-bytes N (64 MiB)]\n"
        "[--rate-per-key EVENTS/S] [--rate-per-peer CALLS/S] "
        "[--max-page N]\n"
        "[--max-streams N (32)] [--max-streams-per-peer N (4)]\n"
        "[--sealed-store DIR (outside --data)]\n"
        "[--witness URL=VKEY ...] [--witness-interval-ms N (2000)]\n"
        "[--test-clock FILE (example logs: leaf times read from FILE)]",
    .flags =
        "data log-key listen tls-cert tls-key max-batch-events "
        "max-queue-bytes rate-per-key rate-per-peer max-page max-streams "
        "max-streams-per-peer witness witness-interval-ms sealed-store "
        "test-clock",
    .switches = "public-read",
    .run = RunServe,
};

constexpr ProgramSpec kProgram{.name = "ailedgerd"};

constexpr const Command<CliArgs>* kCommands[] = {&kInitCommand, &kServeCommand,
                                                 &kCheckIndexesCommand};

absl::Status Run(const std::vector<std::string>& argv) {
  return RunCommandLine<CliArgs>(
      kProgram, kCommands, argv, std::cout,
      [](CliArgs args, std::vector<std::string>) { return args; });
}

}  // namespace
}  // namespace ailedger

int main(int argc, char** argv) {
  return ailedger::RunMain("ailedgerd", argc, argv, ailedger::Run);
}
