#include "server/bounded_http_client.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace ailedger {
namespace {

using Clock = std::chrono::steady_clock;

// The longest chunk-size line (the size and its extensions) read.
constexpr size_t kMaxChunkLine = 256;

absl::Status Late() {
  return absl::DeadlineExceededError(
      "the exchange did not complete by its deadline");
}
absl::Status Closed() {
  return absl::UnavailableError(
      "it closed the connection before its answer was complete");
}

// Waits until `fd` is ready for `events`; false at `deadline` or on an error.
// A hang-up counts as ready: the read or write that follows reports it.
bool WaitFor(int fd, short events, Clock::time_point deadline) {
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - Clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, events, 0};
    const int n = poll(&p, 1, static_cast<int>(left.count()));
    if (n > 0) return true;
    if (n < 0 && errno != EINTR) return false;
  }
}

bool IsIpLiteral(const std::string& host) {
  in6_addr addr;
  return inet_pton(AF_INET, host.c_str(), &addr) == 1 ||
         inet_pton(AF_INET6, host.c_str(), &addr) == 1;
}

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
class Connection {
 public:
  static absl::StatusOr<std::unique_ptr<Connection>> Open(
      const HttpUrl& url, const HttpClientLimits& limits,
      Clock::time_point deadline);
  ~Connection() {
    if (ssl_ != nullptr) SSL_free(ssl_);
    if (ctx_ != nullptr) SSL_CTX_free(ctx_);
    close(fd_);
  }
  absl::Status Write(absl::string_view data);
  // Appends at most `max` (> 0) bytes to `out`; false at the end of the
  // stream.
  absl::StatusOr<bool> Read(std::string* out, size_t max);

 private:
  Connection(int fd, Clock::time_point deadline)
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

// Waits for a non-blocking connect on `fd` to complete: 0 or its errno.
int AwaitConnect(int fd, Clock::time_point until) {
  if (!WaitFor(fd, POLLOUT, until)) return ETIMEDOUT;
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

absl::StatusOr<std::unique_ptr<Connection>> Connection::Open(
    const HttpUrl& url, const HttpClientLimits& limits,
    Clock::time_point deadline) {
  auto fd = ConnectTcp(url, limits, deadline);
  if (!fd.ok()) return fd.status();
  std::unique_ptr<Connection> conn(new Connection(*fd, deadline));
  if (url.tls) {
    if (auto s = conn->StartTls(url, limits); !s.ok()) return s;
  }
  return conn;
}

absl::Status Connection::StartTls(const HttpUrl& url,
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

absl::Status Connection::TlsRetry(int n, absl::string_view what) {
  const int error = SSL_get_error(ssl_, n);
  if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
    const short events = error == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
    return WaitFor(fd_, events, deadline_) ? absl::OkStatus() : Late();
  }
  const long verify = SSL_get_verify_result(ssl_);
  const char* reason = verify != X509_V_OK
                           ? X509_verify_cert_error_string(verify)
                           : ERR_reason_error_string(ERR_peek_last_error());
  return absl::UnavailableError(absl::StrCat(
      "TLS ", what, " failed (", reason != nullptr ? reason : "closed", ")"));
}

absl::Status Connection::Write(absl::string_view data) {
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
      if (!WaitFor(fd_, POLLOUT, deadline_)) return Late();
    } else if (n == 0 || errno != EINTR) {
      return absl::UnavailableError(absl::StrCat(
          "it did not take the request (", std::strerror(errno), ")"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> Connection::Read(std::string* out, size_t max) {
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
      if (!WaitFor(fd_, POLLIN, deadline_)) return Late();
    } else if (errno != EINTR) {
      return absl::UnavailableError(
          absl::StrCat("its connection failed (", std::strerror(errno), ")"));
    }
  }
}

// "HTTP/1.x NNN[ reason]".
bool ParseStatusLine(absl::string_view line, int* status) {
  if (line.size() < 12 || !absl::StartsWith(line, "HTTP/1.") ||
      !absl::ascii_isdigit(line[7]) || line[8] != ' ' ||
      (line.size() > 12 && line[12] != ' ')) {
    return false;
  }
  const absl::string_view code = line.substr(9, 3);
  return std::all_of(code.begin(), code.end(), absl::ascii_isdigit) &&
         absl::SimpleAtoi(code, status) && *status >= 100;
}

struct Head {
  int status = 0;
  std::string content_type;
  std::optional<uint64_t> content_length;
  bool chunked = false;
};

// One header line of the answer into `head`.
absl::Status ParseHeader(absl::string_view line, Head* head) {
  const size_t colon = line.find(':');
  const absl::string_view name = line.substr(0, colon);
  if (colon == absl::string_view::npos || name.empty() ||
      std::any_of(name.begin(), name.end(),
                  [](char c) { return c <= ' ' || c == 0x7f; }) ||
      line.find_first_of(absl::string_view("\r\0", 2)) !=
          absl::string_view::npos) {
    return absl::InvalidArgumentError("its answer has a malformed header line");
  }
  const absl::string_view value =
      absl::StripAsciiWhitespace(line.substr(colon + 1));
  if (absl::EqualsIgnoreCase(name, "Content-Length")) {
    uint64_t n = 0;
    if (value.empty() || value.size() > 19 ||
        !std::all_of(value.begin(), value.end(), absl::ascii_isdigit) ||
        !absl::SimpleAtoi(value, &n) ||
        (head->content_length && *head->content_length != n)) {
      return absl::InvalidArgumentError(
          "its answer has a malformed Content-Length");
    }
    head->content_length = n;
  } else if (absl::EqualsIgnoreCase(name, "Transfer-Encoding")) {
    // Never asked for (no TE, no Accept-Encoding): only chunked, once.
    if (head->chunked || !absl::EqualsIgnoreCase(value, "chunked")) {
      return absl::InvalidArgumentError(
          "its answer uses a transfer coding other than chunked");
    }
    head->chunked = true;
  } else if (absl::EqualsIgnoreCase(name, "Content-Type") &&
             head->content_type.empty()) {
    head->content_type = std::string(value);
  }
  return absl::OkStatus();
}

// Reads one answer from a connection, within the limits.
class AnswerReader {
 public:
  AnswerReader(Connection* conn, const HttpClientLimits& limits)
      : conn_(conn), limits_(limits) {}
  absl::StatusOr<HttpAnswer> Read(bool head_request);

 private:
  // The next line without its LF or CRLF, if it ends within `max` bytes (its
  // end included): otherwise `too_long`. `*used` grows by its bytes.
  absl::StatusOr<std::string> Line(size_t max, const absl::Status& too_long,
                                   size_t* used);
  // A line of the head (or trailers), within what is left of max_head.
  absl::StatusOr<std::string> HeadLine();
  // The header (or trailer) lines up to the empty line that ends them.
  absl::Status Headers(Head* head);
  // Exactly `n` more bytes, appended to `out`.
  absl::Status Take(uint64_t n, std::string* out);
  absl::Status ReadChunked(std::string* body);
  absl::Status ReadToClose(std::string* body);
  absl::Status TooLarge() const {
    return absl::ResourceExhaustedError(
        absl::StrCat("its answer is larger than ", limits_.max_body, " bytes"));
  }

  Connection* const conn_;
  const HttpClientLimits& limits_;
  std::string buf_;  // read, not yet consumed
  size_t head_used_ = 0;
  size_t header_lines_ = 0;
};

absl::StatusOr<std::string> AnswerReader::Line(size_t max,
                                               const absl::Status& too_long,
                                               size_t* used) {
  size_t scanned = 0;
  while (true) {
    const size_t lf = buf_.find('\n', scanned);
    if (lf != std::string::npos && lf < max) {
      std::string line = buf_.substr(0, lf);
      buf_.erase(0, lf + 1);
      *used += lf + 1;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return line;
    }
    if (buf_.size() >= max) return too_long;
    scanned = buf_.size();
    auto more = conn_->Read(&buf_, max - buf_.size());
    if (!more.ok()) return more.status();
    if (!*more) return Closed();
  }
}

absl::StatusOr<std::string> AnswerReader::HeadLine() {
  return Line(limits_.max_head - head_used_,
              absl::ResourceExhaustedError(absl::StrCat(
                  "its answer's status line and headers are larger than ",
                  limits_.max_head, " bytes")),
              &head_used_);
}

absl::Status AnswerReader::Headers(Head* head) {
  while (true) {
    auto line = HeadLine();
    if (!line.ok()) return line.status();
    if (line->empty()) return absl::OkStatus();
    if (++header_lines_ > limits_.max_headers) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "its answer has more than ", limits_.max_headers, " header lines"));
    }
    if (auto s = ParseHeader(*line, head); !s.ok()) return s;
  }
}

absl::Status AnswerReader::Take(uint64_t n, std::string* out) {
  const size_t buffered = std::min<uint64_t>(n, buf_.size());
  out->append(buf_, 0, buffered);
  buf_.erase(0, buffered);
  for (uint64_t left = n - buffered; left > 0;) {
    const size_t before = out->size();
    auto more = conn_->Read(out, left);
    if (!more.ok()) return more.status();
    if (!*more) return Closed();
    left -= out->size() - before;
  }
  return absl::OkStatus();
}

absl::Status AnswerReader::ReadChunked(std::string* body) {
  const absl::Status long_line = absl::ResourceExhaustedError(
      absl::StrCat("its answer has a chunk-size line longer than ",
                   kMaxChunkLine, " bytes"));
  const absl::Status malformed =
      absl::InvalidArgumentError("its answer has a malformed chunk");
  size_t used = 0;
  while (true) {
    auto line = Line(kMaxChunkLine, long_line, &used);
    if (!line.ok()) return line.status();
    const absl::string_view hex = absl::StripAsciiWhitespace(
        absl::string_view(*line).substr(0, line->find(';')));
    uint64_t size = 0;
    if (hex.empty() || hex.size() > 16 ||
        !std::all_of(hex.begin(), hex.end(), absl::ascii_isxdigit) ||
        !absl::SimpleHexAtoi(hex, &size)) {
      return malformed;
    }
    if (size == 0) break;
    if (size > limits_.max_body - body->size()) return TooLarge();
    if (auto s = Take(size, body); !s.ok()) return s;
    auto end = Line(2, malformed, &used);
    if (!end.ok()) return end.status();
    if (!end->empty()) return malformed;
  }
  Head trailers;  // read, and ignored
  return Headers(&trailers);
}

absl::Status AnswerReader::ReadToClose(std::string* body) {
  if (buf_.size() > limits_.max_body) return TooLarge();
  *body = std::move(buf_);
  buf_.clear();
  while (true) {
    // One byte beyond the cap tells an answer at the cap from a larger one.
    auto more = conn_->Read(body, limits_.max_body + 1 - body->size());
    if (!more.ok()) return more.status();
    if (!*more) return absl::OkStatus();
    if (body->size() > limits_.max_body) return TooLarge();
  }
}

absl::StatusOr<HttpAnswer> AnswerReader::Read(bool head_request) {
  auto status_line = HeadLine();
  if (!status_line.ok()) return status_line.status();
  Head head;
  if (!ParseStatusLine(*status_line, &head.status)) {
    return absl::InvalidArgumentError(
        "its answer does not begin with an HTTP/1.x status line");
  }
  if (auto s = Headers(&head); !s.ok()) return s;
  HttpAnswer answer;
  answer.status = head.status;
  answer.content_type = std::move(head.content_type);
  // RFC 9112 section 6.3: the answers that have no body.
  if (head_request || head.status < 200 || head.status == 204 ||
      head.status == 304) {
    return answer;
  }
  absl::Status read;
  if (head.chunked) {
    read = ReadChunked(&answer.body);
  } else if (head.content_length) {
    read = *head.content_length > limits_.max_body
               ? TooLarge()
               : Take(*head.content_length, &answer.body);
  } else {
    read = ReadToClose(&answer.body);
  }
  if (!read.ok()) return read;
  return answer;
}

std::string FormatRequest(const HttpUrl& url, absl::string_view method,
                          absl::string_view path,
                          absl::string_view content_type,
                          absl::string_view body) {
  std::string host = url.host.find(':') != std::string::npos
                         ? absl::StrCat("[", url.host, "]")
                         : url.host;
  if (url.port != (url.tls ? 443 : 80)) absl::StrAppend(&host, ":", url.port);
  std::string out =
      absl::StrCat(method, " ", url.prefix, path, " HTTP/1.1\r\nHost: ", host,
                   "\r\nUser-Agent: ailedgerd\r\nConnection: close\r\n");
  if (!body.empty() || method == "POST") {
    if (!content_type.empty()) {
      absl::StrAppend(&out, "Content-Type: ", content_type, "\r\n");
    }
    absl::StrAppend(&out, "Content-Length: ", body.size(), "\r\n");
  }
  absl::StrAppend(&out, "\r\n", body);
  return out;
}

}  // namespace

absl::StatusOr<HttpUrl> ParseHttpUrl(absl::string_view url) {
  const auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("URL: ", why, " (http[s]://HOST[:PORT][/PREFIX])"));
  };
  if (std::any_of(url.begin(), url.end(),
                  [](char c) { return c <= ' ' || c == 0x7f; })) {
    return bad("spaces or control characters");
  }
  HttpUrl out;
  if (const size_t sep = url.find("://"); sep != absl::string_view::npos) {
    const absl::string_view scheme = url.substr(0, sep);
    if (scheme != "http" && scheme != "https") {
      return bad("the scheme must be http or https");
    }
    out.tls = scheme == "https";
    out.port = out.tls ? 443 : 80;
    url.remove_prefix(sep + 3);
  }
  const size_t slash = url.find('/');
  absl::string_view authority = url.substr(0, slash);
  if (slash != absl::string_view::npos) {
    out.prefix = std::string(absl::StripSuffix(url.substr(slash), "/"));
  }
  if (url.find_first_of("?#") != absl::string_view::npos ||
      authority.find('@') != absl::string_view::npos) {
    return bad("no user information, query or fragment");
  }
  absl::string_view rest;                      // "" or ":PORT"
  if (absl::ConsumePrefix(&authority, "[")) {  // an IPv6 literal
    const size_t close = authority.find(']');
    if (close == absl::string_view::npos) return bad("unclosed '['");
    out.host = std::string(authority.substr(0, close));
    rest = authority.substr(close + 1);
  } else {
    const size_t colon = std::min(authority.find(':'), authority.size());
    out.host = std::string(authority.substr(0, colon));
    rest = authority.substr(colon);
  }
  absl::string_view port;
  if (!rest.empty()) {
    if (!absl::ConsumePrefix(&rest, ":")) return bad("text after ']'");
    if (rest.empty()) return bad("an empty port");
    port = rest;
  }
  if (out.host.empty()) return bad("no host");
  if (!port.empty() &&
      (port.size() > 5 ||
       !std::all_of(port.begin(), port.end(), absl::ascii_isdigit) ||
       !absl::SimpleAtoi(port, &out.port) || out.port < 1 ||
       out.port > 65535)) {
    return bad("the port must be 1 to 65535");
  }
  return out;
}

absl::StatusOr<HttpAnswer> HttpExchange(
    const HttpUrl& url, absl::string_view method, absl::string_view path,
    absl::string_view content_type, absl::string_view body,
    std::chrono::steady_clock::time_point deadline,
    const HttpClientLimits& limits) {
  std::optional<SigpipeBlocked> no_sigpipe;
  if (url.tls) no_sigpipe.emplace();
  auto conn = Connection::Open(url, limits, deadline);
  if (!conn.ok()) return conn.status();
  if (auto s =
          (*conn)->Write(FormatRequest(url, method, path, content_type, body));
      !s.ok()) {
    return s;
  }
  return AnswerReader(conn->get(), limits).Read(method == "HEAD");
}

}  // namespace ailedger
