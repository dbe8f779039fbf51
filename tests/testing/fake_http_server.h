// An HTTP/1.1 server played by a test, for one connection on a free loopback
// port (over TLS when given a context): it reads the request, then the test's
// `answer` writes what it likes, well-formed or hostile. For the bounded HTTP
// client's tests (bounded_http_client_test.cc, bounded_https_client_test.cc).
#ifndef AILEDGER_TESTS_TESTING_FAKE_HTTP_SERVER_H_
#define AILEDGER_TESTS_TESTING_FAKE_HTTP_SERVER_H_

#include <openssl/ssl.h>
#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/bounded_http_client.h"

namespace ailedger::testing {

// The connection as the server sees it.
struct Peer {
  // Sends all of `data`; false once the client has gone.
  std::function<bool(absl::string_view data)> send;
  // Waits up to 10 s for the client to close; true if it did.
  std::function<bool()> wait_closed;
};

// A server for one connection on a free loopback port: it reads the request
// (head and Content-Length body), then `answer` writes what it likes.
class FakeServer {
 public:
  using Answer = std::function<void(Peer&)>;
  explicit FakeServer(Answer answer, SSL_CTX* tls = nullptr);
  ~FakeServer();
  int port() const { return port_; }
  HttpUrl url(bool tls = false, const std::string& host = "127.0.0.1") const {
    return HttpUrl{tls, host, port_, ""};
  }
  void Join() {
    if (thread_.joinable()) thread_.join();
  }
  // After Join().
  const std::string& request() const { return request_; }
  size_t sent() const { return sent_; }

 private:
  void Serve(const Answer& answer, SSL_CTX* tls);
  void ReadRequest(const std::function<ssize_t(char*, size_t)>& read);

  int listen_fd_ = -1;
  int port_ = 0;
  std::string request_;
  std::atomic<size_t> sent_{0};
  std::thread thread_;
};

// A server that answers `text` and closes.
FakeServer::Answer Says(std::string text);
// `start`, then up to 256 MiB of filler, until the client goes.
void SendEndless(Peer& peer, const std::string& start);

// GET /x from `url` within `time`.
absl::StatusOr<HttpAnswer> Get(const HttpUrl& url,
                               std::chrono::milliseconds time,
                               const HttpClientLimits& limits = {});
absl::StatusOr<HttpAnswer> Get(const FakeServer& server);

}  // namespace ailedger::testing

#endif  // AILEDGER_TESTS_TESTING_FAKE_HTTP_SERVER_H_
