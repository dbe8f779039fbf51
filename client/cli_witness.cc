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
  if (req.path == kAddKeyRotationPath) {
    if (!post) return {405, "text/plain; charset=utf-8", "use POST\n"};
    return FromWitness(witness.AddKeyRotation(req.body));
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

struct ListenAddress {
  std::string host;
  int port = 0;
};

// --listen HOST:PORT (the port after the last ':', so an IPv6 host keeps its
// colons), checked: "127.0.0.1:abc" is refused naming the port.
absl::StatusOr<ListenAddress> ParseListen(const std::string& text) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos) {
    return UsageError(
        absl::StrCat("--listen: '", text, "' is not HOST:PORT (no port)"));
  }
  ListenAddress a{text.substr(0, colon)};
  const std::string port = text.substr(colon + 1);
  if (!absl::SimpleAtoi(port, &a.port) || a.port < 0 || a.port > 65535) {
    return UsageError(absl::StrCat("--listen: '", text, "': the port '", port,
                                   "' is not a number in 0..65535"));
  }
  return a;
}

uint64_t NowSeconds() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count());
}

}  // namespace

absl::Status CmdWitnessServe(const Cli& cli) {
  // The flags first, so a mistyped one is refused before any state is opened.
  auto listen = ParseListen(cli.args.Get("listen", "127.0.0.1:7421"));
  if (!listen.ok()) return listen.status();
  auto logs = VerifierKeysFromFlag(cli, "log-vkey");
  if (!logs.ok()) return logs.status();
  auto state = cli.args.Require("state");
  if (!state.ok()) return state.status();
  auto key = cli.LoadKey();
  if (!key.ok()) return key.status();
  // A key that is not a cosigner's, a state directory it cannot make: usage.
  auto witness = LocalInputError(
      Witness::Open(*std::move(key), *logs, *state, NowSeconds));
  if (!witness.ok()) return witness.status();

  // Before any thread starts, so that only sigwait sees them.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  Witness& w = **witness;
  auto server = BoundedHttpServer::Listen(
      listen->host, listen->port, WitnessLimits(),
      [&w](const HttpRequest& req) { return Route(w, req); });
  if (!server.ok()) return server.status();
  *cli.out << "ailedger witness: listening on " << listen->host << ":"
           << (*server)->port() << std::endl;
  int sig = 0;
  sigwait(&stop, &sig);
  server->reset();
  return absl::OkStatus();
}

const CliCommand kWitnessServeCommand{
    .name = "witness serve",
    .summary = "run a C2SP tlog-witness for other logs (until SIGTERM)",
    .usage =
        "--key COSIGNER --log-vkey VKEY... --state DIR "
        "[--listen HOST:PORT (127.0.0.1:7421)]",
    .flags = "log-vkey state listen",
    .run = CmdWitnessServe,
};

}  // namespace ailedger
