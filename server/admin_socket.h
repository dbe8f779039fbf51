// The local control socket of a running ailedgerd: a Unix stream socket in the
// data directory (DIR/ailedgerd.sock) through which `ailedgerd backup` asks
// the server for a consistent copy of the store it holds open (a second
// process cannot open that RocksDB; server/backup.h says why this design).
//
// Access is the file system's: the socket is mode 0600 in the data directory,
// and a peer whose uid is not the server's is refused (SO_PEERCRED). One
// request per connection, one line each way, at most 4096 bytes:
//
// clang-format off
//   request   COMMAND SP ARGUMENT LF          e.g. "checkpoint /abs/dest/store"
//   answer    "ok" LF | "error" SP CODE SP MESSAGE LF     CODE: absl::StatusCode
// clang-format on
//
// Requests are handled one at a time on the socket's own thread.
#ifndef AILEDGER_SERVER_ADMIN_SOCKET_H_
#define AILEDGER_SERVER_ADMIN_SOCKET_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace ailedger {

// The socket's path for a data directory.
std::string AdminSocketPath(const std::string& data_dir);

class AdminSocket {
 public:
  using Handler = std::function<absl::Status(absl::string_view command,
                                             absl::string_view argument)>;

  // Binds `path` (a stale socket file left by a crash is replaced: the caller
  // holds the store's lock, so no other server uses it) and starts answering.
  // INVALID_ARGUMENT if the path is too long for a Unix socket.
  static absl::StatusOr<std::unique_ptr<AdminSocket>> Listen(
      const std::string& path, Handler handler);
  // Stops: the request in flight is finished, the socket file removed.
  ~AdminSocket();

 private:
  AdminSocket(std::string path, int fd, int stop_fd[2], Handler handler);
  void Loop();
  void Answer(int client);

  const std::string path_;
  const int fd_;
  const int stop_read_, stop_write_;
  const Handler handler_;
  std::thread thread_;
};

// Sends one request to the server at `path` and waits for its answer, at most
// `timeout_ms` (a large store's checkpoint flushes first). NOT_FOUND when no
// server listens there (no socket file, or a stale one left by a crash);
// DEADLINE_EXCEEDED after the timeout; the server's error, code and message,
// otherwise.
absl::Status AdminRequest(const std::string& path, absl::string_view command,
                          absl::string_view argument, int timeout_ms);

}  // namespace ailedger

#endif  // AILEDGER_SERVER_ADMIN_SOCKET_H_
