// ailedger witness serve: a C2SP tlog-witness v1.0.0 HTTP server around
// witness/witness.h, on the bounded transport of witness/witness_http.h (it
// faces the network: the body, the request head, the time per request and the
// connections in all and per address are limited). Stops on SIGTERM or SIGINT.
#include <signal.h>

#include <chrono>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "client/cli.h"
#include "ledger/base/file_util.h"
#include "witness/witness.h"
#include "witness/witness_http.h"

namespace ailedger {
namespace {

HttpResponse FromWitness(const WitnessAnswer& a) {
  return {a.http_status, a.content_type, a.body};
}

HttpResponse Route(Witness& witness, const HttpRequest& req) {
  const bool post = req.method == "POST";
  if (req.path == "/add-checkpoint") {
    if (!post) return {405, "text/plain; charset=utf-8", "use POST\n"};
    return FromWitness(witness.AddCheckpoint(req.body));
  }
  absl::string_view id = req.path;
  if (absl::ConsumePrefix(&id, kLatestCosignedPath)) {
    if (req.method != "GET") {
      return {405, "text/plain; charset=utf-8", "use GET\n"};
    }
    return FromWitness(witness.LatestCosigned(id));
  }
  return {404, "text/plain; charset=utf-8", "not found\n"};
}

BoundedHttpServer::Limits WitnessLimits() {
  BoundedHttpServer::Limits limits;
  limits.max_body = kMaxAddCheckpointSize;
  return limits;
}

}  // namespace

absl::Status CmdWitnessServe(const Cli& cli) {
  auto key = cli.LoadKey();
  if (!key.ok()) return key.status();
  std::vector<VerifierKey> logs;
  for (const std::string& v : cli.args.Values("log-vkey")) {
    auto k = VerifierKey::Parse(v);
    if (!k.ok())
      return absl::InvalidArgumentError(
          absl::StrCat("--log-vkey: ", k.status().message()));
    logs.push_back(*std::move(k));
  }
  if (logs.empty()) return absl::InvalidArgumentError("--log-vkey is required");
  auto state = cli.args.Require("state");
  if (!state.ok()) return state.status();
  auto witness = Witness::Open(*std::move(key), logs, *state, [] {
    return static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::seconds>(
            std::chrono::system_clock::now().time_since_epoch())
            .count());
  });
  if (!witness.ok()) return witness.status();

  // Before any thread starts, so that only sigwait sees them.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  const std::string listen = cli.args.Get("listen", "127.0.0.1:7421");
  const std::string host = listen.substr(0, listen.rfind(':'));
  int port = 0;
  if (!absl::SimpleAtoi(listen.substr(listen.rfind(':') + 1), &port) ||
      port < 0 || port > 65535) {
    return absl::InvalidArgumentError("--listen: HOST:PORT");
  }
  Witness& w = **witness;
  auto server = BoundedHttpServer::Listen(
      host, port, WitnessLimits(),
      [&w](const HttpRequest& req) { return Route(w, req); });
  if (!server.ok()) return server.status();
  *cli.out << "ailedger witness: listening on " << host << ":"
           << (*server)->port() << std::endl;
  int sig = 0;
  sigwait(&stop, &sig);
  server->reset();
  return absl::OkStatus();
}

}  // namespace ailedger
