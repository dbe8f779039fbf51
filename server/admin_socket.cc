#include "server/admin_socket.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace ailedger {
namespace {

constexpr size_t kMaxLine = 4096;
// A peer that connects and then says nothing is dropped after this long.
constexpr int kRequestTimeoutMs = 5000;

absl::Status Errno(absl::string_view what, const std::string& path) {
  return absl::InternalError(absl::StrCat("control socket ", path, ": ", what,
                                          ": ", std::strerror(errno)));
}

absl::StatusOr<sockaddr_un> Address(const std::string& path) {
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  if (path.size() >= sizeof(a.sun_path)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "control socket ", path, ": longer than a Unix socket path may be (",
        sizeof(a.sun_path) - 1, " bytes)"));
  }
  std::memcpy(a.sun_path, path.c_str(), path.size() + 1);
  return a;
}

// Reads up to LF, at most kMaxLine bytes, waiting at most `timeout_ms` in
// all. false on EOF, timeout or error.
bool ReadLine(int fd, int timeout_ms, std::string* line) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  line->clear();
  while (line->size() < kMaxLine) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    const int r = poll(&p, 1, static_cast<int>(left));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    char buf[512];
    const ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    line->append(buf, static_cast<size_t>(n));
    const size_t lf = line->find('\n');
    if (lf != std::string::npos) {
      line->resize(lf);
      return true;
    }
  }
  return false;
}

bool SendAll(int fd, absl::string_view data) {
  while (!data.empty()) {
    const ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// Messages travel on one line.
std::string OneLine(absl::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return out;
}

}  // namespace

std::string AdminSocketPath(const std::string& data_dir) {
  return data_dir + "/ailedgerd.sock";
}

AdminSocket::AdminSocket(std::string path, int fd, int stop_fd[2],
                         Handler handler)
    : path_(std::move(path)),
      fd_(fd),
      stop_read_(stop_fd[0]),
      stop_write_(stop_fd[1]),
      handler_(std::move(handler)) {
  thread_ = std::thread([this] { Loop(); });
}

absl::StatusOr<std::unique_ptr<AdminSocket>> AdminSocket::Listen(
    const std::string& path, Handler handler) {
  auto addr = Address(path);
  if (!addr.ok()) return addr.status();
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Errno("socket", path);
  // A file left by a server that crashed; only a socket is ever replaced.
  struct stat st;
  if (lstat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode)) {
    unlink(path.c_str());
  }
  // Mode 0600 (not by umask, which is the whole process's): the peer's uid is
  // checked on every connection anyway, before it is listened to.
  if (bind(fd, reinterpret_cast<const sockaddr*>(&*addr), sizeof(*addr)) != 0 ||
      chmod(path.c_str(), 0600) != 0 || listen(fd, 4) != 0) {
    absl::Status s = Errno("bind", path);
    close(fd);
    return s;
  }
  int stop[2];
  if (pipe2(stop, O_CLOEXEC) != 0) {
    absl::Status s = Errno("pipe", path);
    close(fd);
    unlink(path.c_str());
    return s;
  }
  return std::unique_ptr<AdminSocket>(
      new AdminSocket(path, fd, stop, std::move(handler)));
}

AdminSocket::~AdminSocket() {
  const char byte = 0;
  while (write(stop_write_, &byte, 1) < 0 && errno == EINTR) {
  }
  thread_.join();
  close(fd_);
  close(stop_read_);
  close(stop_write_);
  unlink(path_.c_str());
}

void AdminSocket::Loop() {
  for (;;) {
    pollfd p[2] = {{fd_, POLLIN, 0}, {stop_read_, POLLIN, 0}};
    const int r = poll(p, 2, -1);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0 || (p[1].revents & POLLIN)) return;
    if (!(p[0].revents & POLLIN)) continue;
    const int client = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    Answer(client);
    close(client);
  }
}

void AdminSocket::Answer(int client) {
  ucred peer{};
  socklen_t len = sizeof peer;
  if (getsockopt(client, SOL_SOCKET, SO_PEERCRED, &peer, &len) != 0 ||
      peer.uid != geteuid()) {
    SendAll(client, "error 7 only the server's own user may use this socket\n");
    return;
  }
  std::string line;
  if (!ReadLine(client, kRequestTimeoutMs, &line)) return;
  const size_t space = line.find(' ');
  const absl::string_view command = absl::string_view(line).substr(0, space);
  const absl::string_view argument =
      space == std::string::npos ? absl::string_view()
                                 : absl::string_view(line).substr(space + 1);
  const absl::Status s = handler_(command, argument);
  SendAll(client, s.ok() ? std::string("ok\n")
                         : absl::StrCat("error ", static_cast<int>(s.code()),
                                        " ", OneLine(s.message()), "\n"));
}

absl::Status AdminRequest(const std::string& path, absl::string_view command,
                          absl::string_view argument, int timeout_ms) {
  auto addr = Address(path);
  if (!addr.ok()) return addr.status();
  const std::string request = absl::StrCat(command, " ", argument, "\n");
  if (request.size() > kMaxLine ||
      argument.find('\n') != absl::string_view::npos) {
    return absl::InvalidArgumentError(
        "control socket: the request is too long or holds a line break");
  }
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Errno("socket", path);
  if (connect(fd, reinterpret_cast<const sockaddr*>(&*addr), sizeof(*addr)) !=
      0) {
    const int err = errno;
    close(fd);
    if (err == ENOENT || err == ECONNREFUSED) {
      return absl::NotFoundError(absl::StrCat("no server answers on ", path));
    }
    errno = err;
    return Errno("connect", path);
  }
  std::string answer;
  const bool sent = SendAll(fd, request);
  const bool read = sent && ReadLine(fd, timeout_ms, &answer);
  close(fd);
  if (!read) {
    return absl::DeadlineExceededError(absl::StrCat(
        "control socket ", path, ": no answer within ", timeout_ms, " ms"));
  }
  if (answer == "ok") return absl::OkStatus();
  absl::string_view rest = answer;
  int code = 0;
  if (absl::ConsumePrefix(&rest, "error ")) {
    const size_t space = rest.find(' ');
    if (space != absl::string_view::npos &&
        absl::SimpleAtoi(rest.substr(0, space), &code) && code > 0 &&
        code <= 16) {
      return absl::Status(static_cast<absl::StatusCode>(code),
                          rest.substr(space + 1));
    }
  }
  return absl::InternalError(
      absl::StrCat("control socket ", path, ": unreadable answer"));
}

}  // namespace ailedger
