// The transport under HttpExchange (bounded_http_client.h): a TCP connection,
// with TLS for https, whose every wait ends at one deadline. Internal to
// bounded_http_client.cc; split out so each file has one job (the connection
// here, the HTTP answer there).
#ifndef AILEDGER_SERVER_HTTP_CONNECTION_H_
#define AILEDGER_SERVER_HTTP_CONNECTION_H_

#include <openssl/ssl.h>
#include <signal.h>

#include <chrono>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/bounded_http_client.h"

namespace ailedger {

// UNAVAILABLE: the peer closed the connection before its answer was complete.
absl::Status PeerClosedEarly();

// SSL_write and SSL_read write with write(2), which raises SIGPIPE on a
// connection the peer has closed, and ailedgerd does not ignore SIGPIPE.
// Blocked in this thread for the exchange; one raised meanwhile is discarded.
class SigpipeBlocked {
 public:
  SigpipeBlocked() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
    sigset_t pending;
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
  }
  ~SigpipeBlocked() {
    const timespec zero{0, 0};
    if (!was_pending_) {
      while (sigtimedwait(&pipe_, nullptr, &zero) > 0) {
      }
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }

 private:
  sigset_t pipe_, old_;
  bool was_pending_ = false;
};

// A TCP connection, with TLS for https, whose every wait ends at `deadline`.
class HttpConnection {
 public:
  using Clock = std::chrono::steady_clock;
  static absl::StatusOr<std::unique_ptr<HttpConnection>> Open(
      const HttpUrl& url, const HttpClientLimits& limits,
      Clock::time_point deadline);
  ~HttpConnection() {
    if (ssl_ != nullptr) SSL_free(ssl_);
    if (ctx_ != nullptr) SSL_CTX_free(ctx_);
    close(fd_);
  }
  absl::Status Write(absl::string_view data);
  // Appends at most `max` (> 0) bytes to `out`; false at the end of the
  // stream.
  absl::StatusOr<bool> Read(std::string* out, size_t max);

 private:
  HttpConnection(int fd, Clock::time_point deadline)
      : fd_(fd), deadline_(deadline) {}
  absl::Status StartTls(const HttpUrl& url, const HttpClientLimits& limits);
  // After an SSL call returned `n`: OK to call it again (once the socket is
  // ready), or why not.
  absl::Status TlsRetry(int n, absl::string_view what);

  const int fd_;
  const Clock::time_point deadline_;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
};

}  // namespace ailedger

#endif  // AILEDGER_SERVER_HTTP_CONNECTION_H_
