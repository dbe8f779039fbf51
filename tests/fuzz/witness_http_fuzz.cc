// An HTTP request as `ailedger witness serve` reads it (witness/witness_http.h
// ReadHttpRequest), from one end of a socket pair whose other end sent the
// input and closed: the request head and its limits, Content-Length, Expect
// and Transfer-Encoding. A request read has a path and a body of its stated
// length within the limit; a refusal is one of the statuses the server sends,
// never a timeout (the input has all arrived). Input: the bytes a client sends.
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <set>

#include "tests/fuzz/fuzz_support.h"
#include "witness/witness_http.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ailedger;
  using namespace ailedger::fuzz;
  if (size > kMaxInput) return 0;  // fits the socket pair's buffer
  int fds[2];
  Check(socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0, "socketpair");
  for (size_t sent = 0; sent < size;) {
    const ssize_t n = send(fds[1], data + sent, size - sent, MSG_NOSIGNAL);
    Check(n > 0, "the socket pair did not take the input");
    sent += n;
  }
  shutdown(fds[1], SHUT_WR);
  BoundedHttpServer::Limits limits;
  limits.read_time = std::chrono::milliseconds(2000);
  HttpRequest req;
  HttpResponse refusal;
  if (ReadHttpRequest(fds[0], limits, &req, &refusal)) {
    Check(!req.path.empty() && req.path[0] == '/', "a path not from the root");
    Check(req.body.size() <= limits.max_body, "a body over the limit");
  } else {
    static const std::set<int> kStatuses = {0, 400, 411, 413, 431, 501, 505};
    Check(kStatuses.count(refusal.status) == 1, "an unexpected refusal");
  }
  close(fds[0]);
  close(fds[1]);
  return 0;
}
