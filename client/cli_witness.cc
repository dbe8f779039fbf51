// ailedger witness serve: a C2SP tlog-witness v1.0.0 HTTP server (cpp-httplib)
// around ledger/witness.h. Stops on SIGTERM or SIGINT.
#include <httplib.h>
#include <signal.h>

#include <chrono>
#include <thread>

#include "absl/strings/str_cat.h"
#include "client/cli.h"
#include "ledger/file_util.h"
#include "ledger/witness.h"

namespace ailedger {

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

  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  httplib::Server server;
  server.Post("/add-checkpoint",
              [&](const httplib::Request& req, httplib::Response& res) {
                WitnessAnswer a = (*witness)->AddCheckpoint(req.body);
                res.status = a.http_status;
                res.set_content(a.body, a.content_type.c_str());
              });
  const std::string listen = cli.args.Get("listen", "127.0.0.1:7421");
  const std::string host = listen.substr(0, listen.rfind(':'));
  int port = std::stoi(listen.substr(listen.rfind(':') + 1));
  port = port == 0 ? server.bind_to_any_port(host.c_str())
                   : (server.bind_to_port(host.c_str(), port) ? port : -1);
  if (port <= 0)
    return absl::UnavailableError(absl::StrCat("cannot listen on ", listen));
  std::thread loop([&] { server.listen_after_bind(); });
  *cli.out << "ailedger witness: listening on " << host << ":" << port
           << std::endl;
  int sig = 0;
  sigwait(&stop, &sig);
  server.stop();
  loop.join();
  return absl::OkStatus();
}

}  // namespace ailedger
