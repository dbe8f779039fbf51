#include "server/http_connection.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <openssl/err.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "ledger/base/poll_util.h"

namespace ailedger {

absl::Status PeerClosedEarly() {
  return absl::UnavailableError(
      "it closed the connection before its answer was complete");
}

namespace {

using Clock = std::chrono::steady_clock;

absl::Status Late() {
  return absl::DeadlineExceededError(
      "the exchange did not complete by its deadline");
}

bool IsIpLiteral(const std::string& host) {
  in6_addr addr;
  return inet_pton(AF_INET, host.c_str(), &addr) == 1 ||
         inet_pton(AF_INET6, host.c_str(), &addr) == 1;
}

// Waits for a non-blocking connect on `fd` to complete: 0 or its errno.
int AwaitConnect(int fd, Clock::time_point until) {
  if (!WaitForFd(fd, POLLOUT, until)) return ETIMEDOUT;
  int error = 0;
  socklen_t len = sizeof(error);
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) != 0) return errno;
  return error;
}

// A connected non-blocking socket to the first of the host's addresses that
// answers, each tried for at most connect_time.
absl::StatusOr<int> ConnectTcp(const HttpUrl& url,
                               const HttpClientLimits& limits,
                               Clock::time_point deadline) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const int rc = getaddrinfo(url.host.c_str(), std::to_string(url.port).c_str(),
                             &hints, &found);
  if (rc != 0) {
    return absl::UnavailableError(
        absl::StrCat("unreachable (unknown host: ", gai_strerror(rc), ")"));
  }
  int fd = -1, error = EADDRNOTAVAIL;
  for (addrinfo* a = found; a != nullptr && fd < 0; a = a->ai_next) {
    fd = socket(a->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
                a->ai_protocol);
    if (fd < 0) continue;
    error = connect(fd, a->ai_addr, a->ai_addrlen) == 0 ? 0 : errno;
    if (error == EINPROGRESS) {
      error = AwaitConnect(
          fd, std::min(deadline, Clock::now() + limits.connect_time));
    }
    if (error != 0) {
      close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(found);
  if (fd < 0) {
    return absl::UnavailableError(
        absl::StrCat("unreachable (", std::strerror(error), ")"));
  }
  return fd;
}

}  // namespace

absl::StatusOr<std::unique_ptr<HttpConnection>> HttpConnection::Open(
    const HttpUrl& url, const HttpClientLimits& limits,
    Clock::time_point deadline) {
  auto fd = ConnectTcp(url, limits, deadline);
  if (!fd.ok()) return fd.status();
  std::unique_ptr<HttpConnection> conn(new HttpConnection(*fd, deadline));
  if (url.tls) {
    if (auto s = conn->StartTls(url, limits); !s.ok()) return s;
  }
  return conn;
}

absl::Status HttpConnection::StartTls(const HttpUrl& url,
                                      const HttpClientLimits& limits) {
  ctx_ = SSL_CTX_new(TLS_client_method());
  if (ctx_ == nullptr) return absl::InternalError("TLS: no context");
  SSL_CTX_set_min_proto_version(ctx_, TLS1_2_VERSION);
  SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
  // A body that ends at the close may end without a TLS close_notify; what
  // it says is checked by its signatures, not by TLS.
  SSL_CTX_set_options(ctx_, SSL_OP_IGNORE_UNEXPECTED_EOF);
  const int loaded = limits.ca_file.empty()
                         ? SSL_CTX_set_default_verify_paths(ctx_)
                         : SSL_CTX_load_verify_locations(
                               ctx_, limits.ca_file.c_str(), nullptr);
  ssl_ = SSL_new(ctx_);
  if (loaded != 1 || ssl_ == nullptr || SSL_set_fd(ssl_, fd_) != 1) {
    return absl::InternalError("TLS: cannot load the trusted certificates");
  }
  if (IsIpLiteral(url.host)) {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_), url.host.c_str());
  } else {
    SSL_set_tlsext_host_name(ssl_, url.host.c_str());
    SSL_set1_host(ssl_, url.host.c_str());
  }
  while (true) {
    ERR_clear_error();
    const int n = SSL_connect(ssl_);
    if (n == 1) return absl::OkStatus();
    if (auto s = TlsRetry(n, "handshake"); !s.ok()) return s;
  }
}

absl::Status HttpConnection::TlsRetry(int n, absl::string_view what) {
  const int error = SSL_get_error(ssl_, n);
  if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
    const short events = error == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
    return WaitForFd(fd_, events, deadline_) ? absl::OkStatus() : Late();
  }
  const long verify = SSL_get_verify_result(ssl_);
  const char* reason = verify != X509_V_OK
                           ? X509_verify_cert_error_string(verify)
                           : ERR_reason_error_string(ERR_peek_last_error());
  return absl::UnavailableError(absl::StrCat(
      "TLS ", what, " failed (", reason != nullptr ? reason : "closed", ")"));
}

absl::Status HttpConnection::Write(absl::string_view data) {
  while (!data.empty()) {
    if (Clock::now() >= deadline_) return Late();
    if (ssl_ != nullptr) {
      ERR_clear_error();
      const int n = SSL_write(ssl_, data.data(), static_cast<int>(data.size()));
      if (n > 0) {
        data.remove_prefix(n);
      } else if (auto s = TlsRetry(n, "write"); !s.ok()) {
        return s;
      }
      continue;
    }
    const ssize_t n =
        send(fd_, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      data.remove_prefix(n);
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!WaitForFd(fd_, POLLOUT, deadline_)) return Late();
    } else if (n == 0 || errno != EINTR) {
      return absl::UnavailableError(absl::StrCat(
          "it did not take the request (", std::strerror(errno), ")"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> HttpConnection::Read(std::string* out, size_t max) {
  char buf[4096];
  const size_t want = std::min(sizeof(buf), max);
  while (true) {
    // Checked before every read, so that a peer that never stops sending
    // cannot extend the exchange either.
    if (Clock::now() >= deadline_) return Late();
    if (ssl_ != nullptr) {
      ERR_clear_error();
      const int n = SSL_read(ssl_, buf, static_cast<int>(want));
      if (n > 0) {
        out->append(buf, n);
        return true;
      }
      if (SSL_get_error(ssl_, n) == SSL_ERROR_ZERO_RETURN) return false;
      if (auto s = TlsRetry(n, "read"); !s.ok()) return s;
      continue;
    }
    const ssize_t n = recv(fd_, buf, want, MSG_DONTWAIT);
    if (n > 0) {
      out->append(buf, n);
      return true;
    }
    if (n == 0) return false;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (!WaitForFd(fd_, POLLIN, deadline_)) return Late();
    } else if (errno != EINTR) {
      return absl::UnavailableError(
          absl::StrCat("its connection failed (", std::strerror(errno), ")"));
    }
  }
}

}  // namespace ailedger
