// Waiting on a non-blocking socket with a deadline, for the two bounded HTTP
// ends (server/http_connection.cc, the client to witnesses; witness/
// witness_http.cc, the witness's server): each bounds a whole exchange by one
// deadline, not by a timeout per read or write.
#ifndef AILEDGER_LEDGER_BASE_POLL_UTIL_H_
#define AILEDGER_LEDGER_BASE_POLL_UTIL_H_

#include <chrono>

namespace ailedger {

// Waits until `fd` is ready for `events` (poll(2) flags such as POLLIN,
// POLLOUT); false at `deadline` or on an error. A hang-up counts as ready:
// the read or write that follows reports it. Retries on EINTR.
bool WaitForFd(int fd, short events,
               std::chrono::steady_clock::time_point deadline);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_BASE_POLL_UTIL_H_
