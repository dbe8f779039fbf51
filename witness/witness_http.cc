#include "witness/witness_http.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "ledger/base/poll_util.h"

namespace ailedger {
namespace {

using Clock = std::chrono::steady_clock;
using Limits = BoundedHttpServer::Limits;

const char* Reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 411:
      return "Length Required";
    case 413:
      return "Payload Too Large";
    case 422:
      return "Unprocessable Entity";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Status";
  }
}

std::string Format(const HttpResponse& r) {
  return absl::StrCat("HTTP/1.1 ", r.status, " ", Reason(r.status),
                      "\r\nContent-Type: ", r.content_type,
                      "\r\nContent-Length: ", r.body.size(),
                      "\r\nConnection: close\r\n\r\n", r.body);
}

// No answer: the client has gone.
HttpResponse Gone() { return {0, "", ""}; }

HttpResponse Refusal(int status, absl::string_view why) {
  return {status, "text/plain; charset=utf-8", absl::StrCat(why, "\n")};
}

enum class Read { kData, kEnd, kTimeout };

// Appends at most `max` bytes that arrive before `deadline`.
Read ReadSome(int fd, std::string* out, size_t max,
              Clock::time_point deadline) {
  while (true) {
    if (!WaitForFd(fd, POLLIN, deadline)) return Read::kTimeout;
    char buf[4096];
    const ssize_t n = recv(fd, buf, std::min(sizeof(buf), max), MSG_DONTWAIT);
    if (n > 0) {
      out->append(buf, n);
      return Read::kData;
    }
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    return Read::kEnd;  // closed or reset
  }
}

bool WriteAll(int fd, absl::string_view data, Clock::time_point deadline) {
  while (!data.empty()) {
    if (!WaitForFd(fd, POLLOUT, deadline)) return false;
    const ssize_t n =
        send(fd, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (n <= 0) return false;
    data.remove_prefix(n);
  }
  return true;
}

// After the answer: stop sending, and read (and drop) what the client still
// sends for a moment, so that closing does not reset the connection before
// the client has read the answer.
void Linger(int fd) {
  shutdown(fd, SHUT_WR);
  const auto deadline = Clock::now() + std::chrono::milliseconds(500);
  std::string sink;
  while (sink.size() < 64 * 1024 &&
         ReadSome(fd, &sink, 4096, deadline) == Read::kData) {
  }
}

// The address a client is counted under: its IPv4 address, or its IPv6 /64
// (the block one subscriber usually holds).
std::string AddressKey(const sockaddr_storage& addr) {
  char text[INET6_ADDRSTRLEN] = "";
  if (addr.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(addr);
    inet_ntop(AF_INET, &v4.sin_addr, text, sizeof(text));
    return text;
  }
  if (addr.ss_family != AF_INET6) return "other";
  in6_addr a = reinterpret_cast<const sockaddr_in6&>(addr).sin6_addr;
  if (IN6_IS_ADDR_V4MAPPED(&a)) {
    inet_ntop(AF_INET, a.s6_addr + 12, text, sizeof(text));
    return text;
  }
  std::memset(a.s6_addr + 8, 0, 8);
  inet_ntop(AF_INET6, &a, text, sizeof(text));
  return absl::StrCat(text, "/64");
}

struct Head {
  std::string method, path;
  std::optional<uint64_t> content_length;
  bool transfer_encoding = false;
  bool expect_continue = false;
};

// The request line and headers (without the empty line that ends them).
std::optional<HttpResponse> ParseHead(absl::string_view text, Head* head) {
  const std::vector<absl::string_view> lines = absl::StrSplit(text, "\r\n");
  const std::vector<absl::string_view> first = absl::StrSplit(lines[0], ' ');
  if (first.size() != 3 || first[0].empty() || !absl::StartsWith(first[1], "/"))
    return Refusal(400, "malformed request line");
  if (!absl::StartsWith(first[2], "HTTP/1."))
    return Refusal(505, "HTTP/1.x only");
  head->method = std::string(first[0]);
  head->path = std::string(first[1].substr(0, first[1].find('?')));
  for (size_t i = 1; i < lines.size(); ++i) {
    const size_t colon = lines[i].find(':');
    if (colon == absl::string_view::npos || colon == 0)
      return Refusal(400, "malformed header line");
    const std::string name = absl::AsciiStrToLower(lines[i].substr(0, colon));
    const absl::string_view value =
        absl::StripAsciiWhitespace(lines[i].substr(colon + 1));
    if (name == "content-length") {
      uint64_t n = 0;
      if (value.empty() ||
          value.find_first_not_of("0123456789") != absl::string_view::npos ||
          !absl::SimpleAtoi(value, &n) ||
          (head->content_length && *head->content_length != n)) {
        return Refusal(400, "malformed Content-Length");
      }
      head->content_length = n;
    } else if (name == "transfer-encoding") {
      head->transfer_encoding = true;
    } else if (name == "expect") {
      head->expect_continue = absl::EqualsIgnoreCase(value, "100-continue");
    }
  }
  return std::nullopt;
}

}  // namespace

bool ReadHttpRequest(int fd, const Limits& limits, HttpRequest* req,
                     HttpResponse* refusal) {
  const auto deadline = Clock::now() + limits.read_time;
  const HttpResponse late =
      Refusal(408, absl::StrCat("the request took longer than ",
                                limits.read_time.count() / 1000, " s"));
  std::string buf;
  size_t end;
  while ((end = buf.find("\r\n\r\n")) == std::string::npos) {
    if (buf.size() >= limits.max_head + 4) {
      *refusal = Refusal(431, absl::StrCat("the request head is larger than ",
                                           limits.max_head, " bytes"));
      return false;
    }
    const Read r =
        ReadSome(fd, &buf, limits.max_head + 4 - buf.size(), deadline);
    if (r != Read::kData) {
      *refusal = r == Read::kTimeout ? late : Gone();
      return false;
    }
  }
  Head head;
  if (auto bad = ParseHead(absl::string_view(buf).substr(0, end), &head)) {
    *refusal = *std::move(bad);
    return false;
  }
  const uint64_t length = head.content_length.value_or(0);
  if (head.transfer_encoding) {
    *refusal = Refusal(
        501, "Transfer-Encoding is not supported: send a Content-Length");
    return false;
  }
  if (!head.content_length && head.method == "POST") {
    *refusal = Refusal(411, "a Content-Length is required");
    return false;
  }
  if (length > limits.max_body) {
    *refusal = Refusal(413, absl::StrCat("the body is larger than ",
                                         limits.max_body, " bytes"));
    return false;
  }
  if (head.expect_continue && length > 0 &&
      !WriteAll(fd, "HTTP/1.1 100 Continue\r\n\r\n", deadline)) {
    *refusal = Gone();
    return false;
  }
  // One request per connection: bytes beyond its body are never read.
  req->body = buf.substr(end + 4, length);
  while (req->body.size() < length) {
    const Read r =
        ReadSome(fd, &req->body, length - req->body.size(), deadline);
    if (r != Read::kData) {
      *refusal = r == Read::kTimeout ? late : Gone();
      return false;
    }
  }
  req->method = std::move(head.method);
  req->path = std::move(head.path);
  return true;
}

absl::StatusOr<std::unique_ptr<BoundedHttpServer>> BoundedHttpServer::Listen(
    const std::string& host, int port, Limits limits, Handler handler) {
  const std::string where = absl::StrCat(host, ":", port);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string name(absl::StripSuffix(absl::StripPrefix(host, "["), "]"));
  if (getaddrinfo(name.empty() ? nullptr : name.c_str(),
                  std::to_string(port).c_str(), &hints, &found) != 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", where, ": unknown host"));
  }
  int fd = -1, error = 0;
  for (addrinfo* a = found; a != nullptr && fd < 0; a = a->ai_next) {
    fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    const int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(fd, a->ai_addr, a->ai_addrlen) != 0 || listen(fd, 128) != 0) {
      error = errno;
      close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(found);
  if (fd < 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", where, ": ", std::strerror(error)));
  }
  sockaddr_storage bound{};
  socklen_t len = sizeof(bound);
  getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &len);
  const in_port_t net_port =
      bound.ss_family == AF_INET6
          ? reinterpret_cast<const sockaddr_in6&>(bound).sin6_port
          : reinterpret_cast<const sockaddr_in&>(bound).sin_port;
  std::unique_ptr<BoundedHttpServer> server(
      new BoundedHttpServer(fd, ntohs(net_port), limits, std::move(handler)));
  if (pipe2(server->stop_pipe_, O_CLOEXEC) != 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", where, ": ", std::strerror(errno)));
  }
  server->accept_thread_ = std::thread([s = server.get()] { s->AcceptLoop(); });
  return server;
}

BoundedHttpServer::BoundedHttpServer(int listen_fd, int port, Limits limits,
                                     Handler handler)
    : listen_fd_(listen_fd),
      port_(port),
      limits_(limits),
      handler_(std::move(handler)) {}

BoundedHttpServer::~BoundedHttpServer() {
  if (stop_pipe_[1] >= 0) (void)!write(stop_pipe_[1], "x", 1);
  if (accept_thread_.joinable()) accept_thread_.join();
  {
    std::unique_lock<std::mutex> lock(mu_);
    for (int fd : open_) shutdown(fd, SHUT_RDWR);  // wakes their threads
    idle_.wait(lock, [this] { return open_.empty(); });
  }
  close(listen_fd_);
  for (int fd : stop_pipe_) {
    if (fd >= 0) close(fd);
  }
}

void BoundedHttpServer::AcceptLoop() {
  while (true) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents != 0) return;
    sockaddr_storage addr{};
    socklen_t len = sizeof(addr);
    const int fd = accept4(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len,
                           SOCK_CLOEXEC);
    if (fd < 0) {
      // Out of descriptors, or the client gave up: try again shortly.
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    const std::string address = AddressKey(addr);
    if (!Admit(fd, address)) {
      const std::string busy =
          Format(Refusal(503, "too many connections; try again later"));
      (void)send(fd, busy.data(), busy.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      close(fd);
      continue;
    }
    std::thread([this, fd, address] {
      Serve(fd);
      Release(fd, address);
    }).detach();
  }
}

bool BoundedHttpServer::Admit(int fd, const std::string& address) {
  std::lock_guard<std::mutex> lock(mu_);
  auto [it, added] = per_address_.try_emplace(address, 0);
  if (open_.size() >= limits_.max_connections ||
      it->second >= limits_.max_per_address) {
    if (it->second == 0) per_address_.erase(it);
    return false;
  }
  ++it->second;
  open_.insert(fd);
  return true;
}

void BoundedHttpServer::Release(int fd, const std::string& address) {
  std::lock_guard<std::mutex> lock(mu_);
  // Closed under the lock, so that the destructor never shuts down a reused
  // descriptor.
  close(fd);
  open_.erase(fd);
  auto it = per_address_.find(address);
  if (it != per_address_.end() && --it->second == 0) per_address_.erase(it);
  idle_.notify_all();
}

void BoundedHttpServer::Serve(int fd) {
  HttpRequest req;
  HttpResponse res;
  if (ReadHttpRequest(fd, limits_, &req, &res)) res = handler_(req);
  if (res.status == 0) return;
  if (WriteAll(fd, Format(res), Clock::now() + limits_.write_time)) Linger(fd);
}

}  // namespace ailedger
