#include "tests/testing/fake_http_server.h"

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "tests/testing/loopback.h"

namespace ailedger::testing {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

FakeServer::FakeServer(Answer answer, SSL_CTX* tls) {
  listen_fd_ = ListenOnLoopback(4, &port_);
  thread_ = std::thread([this, answer, tls] { Serve(answer, tls); });
}

FakeServer::~FakeServer() {
  Join();
  close(listen_fd_);
}

void FakeServer::Serve(const Answer& answer, SSL_CTX* tls) {
  // Writes to a client that has gone must not kill the test.
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
  pollfd p{listen_fd_, POLLIN, 0};
  if (poll(&p, 1, 10000) != 1) return;
  const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
  SetSocketTimeouts(fd, 2);
  SSL* ssl = nullptr;
  if (tls != nullptr) {
    ssl = SSL_new(tls);
    SSL_set_fd(ssl, fd);
    if (SSL_accept(ssl) != 1) {
      SSL_free(ssl);
      close(fd);
      return;
    }
  }
  const auto read = [&](char* buf, size_t n) -> ssize_t {
    return ssl ? SSL_read(ssl, buf, static_cast<int>(n)) : recv(fd, buf, n, 0);
  };
  Peer peer;
  peer.send = [&](absl::string_view data) {
    while (!data.empty()) {
      const ssize_t n =
          ssl ? SSL_write(ssl, data.data(), static_cast<int>(data.size()))
              : send(fd, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(n);
      sent_ += n;
    }
    return true;
  };
  peer.wait_closed = [&] {
    char buf[256];
    for (int i = 0; i < 5; ++i) {
      const ssize_t n = read(buf, sizeof(buf));
      if (n == 0 || (n < 0 && errno != EAGAIN)) return true;
    }
    return false;
  };
  ReadRequest(read);
  answer(peer);
  if (ssl != nullptr) SSL_free(ssl);
  close(fd);
}
void FakeServer::ReadRequest(
    const std::function<ssize_t(char*, size_t)>& read) {
  char buf[4096];
  size_t end;
  while ((end = request_.find("\r\n\r\n")) == std::string::npos) {
    const ssize_t n = read(buf, sizeof(buf));
    if (n <= 0) return;
    request_.append(buf, n);
  }
  size_t length = 0;
  for (absl::string_view line :
       absl::StrSplit(request_.substr(0, end), "\r\n")) {
    if (absl::ConsumePrefix(&line, "Content-Length: ")) {
      ASSERT_TRUE(absl::SimpleAtoi(line, &length));
    }
  }
  while (request_.size() < end + 4 + length) {
    const ssize_t n = read(buf, sizeof(buf));
    if (n <= 0) return;
    request_.append(buf, n);
  }
}

// A server that answers `text` and closes.
FakeServer::Answer Says(std::string text) {
  return [text](Peer& peer) { peer.send(text); };
}

absl::StatusOr<HttpAnswer> Get(const HttpUrl& url, milliseconds time,
                               const HttpClientLimits& limits) {
  return HttpExchange(url, "GET", "/x", "", "", steady_clock::now() + time,
                      limits);
}
absl::StatusOr<HttpAnswer> Get(const FakeServer& server) {
  return Get(server.url(), milliseconds(5000));
}

// `start`, then an endless line: 256 MiB offered, as much sent as the client
// reads.
void SendEndless(Peer& peer, const std::string& start) {
  const std::string mib(1 << 20, 'x');
  if (!peer.send(start)) return;
  for (int i = 0; i < 256 && peer.send(mib); ++i) {
  }
}

}  // namespace ailedger::testing
