// The HTTP/1.1 transport of `ailedger witness serve`, written for a hostile
// network. cpp-httplib 0.11 (Debian 12) cannot be bounded there: it buffers a
// request line or header line of any length before checking it (a 200 MiB
// request line took it to 126 MB), idle connections hold its few workers, and
// it has no hook to count connections per address.
//
// One request per connection (every answer says Connection: close), and every
// resource a client can take is bounded by Limits: connections in all and per
// client address (an IPv6 /64), beyond which a new connection is answered 503
// and closed at once; the request head; the body (Content-Length required:
// 411 without, 413 above the limit, 501 for a Transfer-Encoding); the time to
// read a whole request (408) and to write its answer. Each admitted connection
// has its own thread, so idle connections never delay another client's
// request.
#ifndef AILEDGER_WITNESS_WITNESS_HTTP_H_
#define AILEDGER_WITNESS_WITNESS_HTTP_H_

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "absl/status/statusor.h"

namespace ailedger {

struct HttpRequest {
  std::string method;
  std::string path;  // the request target without its query
  std::string body;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};

class BoundedHttpServer {
 public:
  struct Limits {
    size_t max_connections = 256;  // Default: 256 in all
    size_t max_per_address = 16;   // Default: 16 per address or IPv6 /64
    size_t max_head = 8192;        // request line and headers. Default: 8 KiB
    size_t max_body = 64 * 1024;   // Default: 64 KiB
    // To read a whole request, from its connection. Default: 10 s.
    std::chrono::milliseconds read_time{10000};
    // To write the whole answer. Default: 10 s.
    std::chrono::milliseconds write_time{10000};
  };
  // Called on the connection's thread, concurrently.
  using Handler = std::function<HttpResponse(const HttpRequest&)>;

  // Listens on host:port (port 0: a free port). UNAVAILABLE if it cannot.
  static absl::StatusOr<std::unique_ptr<BoundedHttpServer>> Listen(
      const std::string& host, int port, Limits limits, Handler handler);
  // Stops accepting, aborts the connections in progress and waits for them.
  ~BoundedHttpServer();

  int port() const { return port_; }

 private:
  BoundedHttpServer(int listen_fd, int port, Limits limits, Handler handler);
  void AcceptLoop();
  // Counts the connection in; false if a limit is reached.
  bool Admit(int fd, const std::string& address);
  void Release(int fd, const std::string& address);
  void Serve(int fd);

  const int listen_fd_;
  const int port_;
  const Limits limits_;
  const Handler handler_;
  int stop_pipe_[2] = {-1, -1};
  std::mutex mu_;
  std::condition_variable idle_;
  std::set<int> open_;  // connections in progress
  std::map<std::string, size_t> per_address_;
  std::thread accept_thread_;
};

// Reads one request from `fd` as the server does, within `limits`: true with
// `req` filled; otherwise false, with the refusal to send in `refusal` (status
// 0: none, the client has gone). Declared for tests/fuzz/witness_http_fuzz.cc.
bool ReadHttpRequest(int fd, const BoundedHttpServer::Limits& limits,
                     HttpRequest* req, HttpResponse* refusal);

}  // namespace ailedger

#endif  // AILEDGER_WITNESS_WITNESS_HTTP_H_
