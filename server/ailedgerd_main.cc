// ailedgerd: the ledger server.
//
//   ailedgerd init  --data DIR --genesis FILE --log-key FILE
//   ailedgerd check-indexes --data DIR [--repair]
//   ailedgerd serve --data DIR --log-key FILE [--listen ADDR] [--tls-cert F
//   --tls-key F]
//                   [--public-read] [--max-batch-events N] [--max-queue-bytes
//                   N]
//                   [--rate-per-key R] [--rate-per-peer R] [--max-page N]
//                   [--max-streams N] [--max-streams-per-peer N]
//                   [--witness URL=VKEY ...] [--witness-interval-ms N]
#include <cstdio>

#include "cmdline/cli_args.h"
#include "ledger/base/file_util.h"
#include "server/daemon.h"

namespace ailedger {
namespace {

constexpr char kUsage[] =
    "usage: ailedgerd init  --data DIR --genesis FILE --log-key FILE\n"
    "       ailedgerd check-indexes --data DIR [--repair]\n"
    "       ailedgerd serve --data DIR --log-key FILE [--listen ADDR "
    "(127.0.0.1:7420)]\n"
    "                       [--tls-cert FILE --tls-key FILE] [--public-read]\n"
    "                       [--max-batch-events N (1000)] [--max-queue-bytes N "
    "(64 MiB)]\n"
    "                       [--rate-per-key EVENTS/S] [--rate-per-peer "
    "CALLS/S] [--max-page N]\n"
    "                       [--max-streams N (32)] [--max-streams-per-peer N "
    "(4)]\n"
    "                       [--sealed-store DIR (outside --data)]\n"
    "                       [--witness URL=VKEY ...] [--witness-interval-ms N "
    "(2000)]\n";

// The log key signs every checkpoint: like ssh, refuse it when the group or
// others may read it ("log.key: permissions 0644 are too open; chmod 600
// log.key").
absl::Status CheckLogKey(const std::string& path) {
  return ReadPrivateFile(path).status();
}

absl::Status RunServe(const CliArgs& a) {
  ServeOptions o;
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
    return absl::InvalidArgumentError("--tls-cert and --tls-key go together");
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
  auto interval =
      a.GetUint<int64_t>("witness-interval-ms", 2000, 1, 86'400'000);
  if (!interval.ok()) return interval.status();
  o.witness_interval_ms = *interval;
  return Serve(o);
}

absl::Status Run(const std::vector<std::string>& argv) {
  auto a = CliArgs::Parse(
      argv,
      {"data", "genesis", "log-key", "listen", "tls-cert", "tls-key",
       "max-batch-events", "max-queue-bytes", "rate-per-key", "rate-per-peer",
       "max-page", "max-streams", "max-streams-per-peer", "witness",
       "witness-interval-ms", "sealed-store"},
      {"public-read", "help", "repair"});
  if (!a.ok()) return a.status();
  if (a->positional().size() != 1 || a->Has("help")) {
    return absl::InvalidArgumentError("expected one command: init or serve");
  }
  const std::string& cmd = a->positional()[0];
  if (cmd == "init") {
    auto data = a->Require("data");
    auto genesis = a->Require("genesis");
    auto key = a->Require("log-key");
    for (const auto* s : {&data, &genesis, &key}) {
      if (!s->ok()) return s->status();
    }
    if (auto s = CheckLogKey(*key); !s.ok()) return s;
    return InitLog(*data, *genesis, *key);
  }
  if (cmd == "serve") return RunServe(*a);
  if (cmd == "check-indexes") {
    auto data = a->Require("data");
    if (!data.ok()) return data.status();
    return CheckIndexesCommand(*data, a->Has("repair"));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown command '", cmd, "'"));
}

}  // namespace
}  // namespace ailedger

int main(int argc, char** argv) {
  absl::Status s =
      ailedger::Run(std::vector<std::string>(argv + 1, argv + argc));
  if (!s.ok()) {
    std::fprintf(stderr, "ailedgerd: %s\n", std::string(s.message()).c_str());
    if (s.code() == absl::StatusCode::kInvalidArgument)
      std::fprintf(stderr, "%s", ailedger::kUsage);
    return s.code() == absl::StatusCode::kInvalidArgument ? 2 : 1;
  }
  return 0;
}
