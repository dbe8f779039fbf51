// Plain TCP on loopback for tests that play a server or a hostile client by
// hand, below HTTP.
#ifndef AILEDGER_TESTS_TESTING_LOOPBACK_H_
#define AILEDGER_TESTS_TESTING_LOOPBACK_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace ailedger::testing {

// A socket listening on a free loopback port (close-on-exec), its port in
// `*port`; failures are test failures.
int ListenOnLoopback(int backlog, int* port);

// Sets the send and receive timeouts of `fd` to `seconds`.
void SetSocketTimeouts(int fd, int seconds);

// Sends `data` until the peer stops reading (the send timeout) or has gone;
// the bytes sent.
size_t SendSome(int fd, absl::string_view data);
// The same, true if all of `data` went.
inline bool SendAll(int fd, absl::string_view data) {
  return SendSome(fd, data) == data.size();
}

// Reads from `fd` until what was read holds `end`, or the peer stops or has
// gone (the receive timeout); what was read.
std::string ReadUntil(int fd, absl::string_view end);

}  // namespace ailedger::testing

#endif  // AILEDGER_TESTS_TESTING_LOOPBACK_H_
