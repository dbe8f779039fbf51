// A hostile client's tools against the real ailedgerd, below the client
// library: gRPC calls whose request is any bytes and whose call metadata is
// any entries (duplicates included), calls opened and never sent or never
// read, and plain TCP connections that never speak HTTP/2. Used by
// e2e_hostile_input_test.cc.
#ifndef AILEDGER_TESTS_TESTING_HOSTILE_CALLS_H_
#define AILEDGER_TESTS_TESTING_HOSTILE_CALLS_H_

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "ledger/tlog/keys.h"

namespace ailedger::testing {

// Call metadata as a hostile client sends it: entries in order, any values,
// a key as many times as it likes.
using CallMetadata = std::vector<std::pair<std::string, std::string>>;

// 16 fresh random bytes: a call nonce.
std::string FreshNonce();

// The four entries of a call context for the Ledger RPC `rpc` ("GetEntry"),
// signed by `signer` over `origin`, `time_ms` and `nonce`, naming `signer`.
CallMetadata SignedCallMetadata(const SigningKey& signer, absl::string_view rpc,
                                absl::string_view origin, int64_t time_ms,
                                absl::string_view nonce);

// Replaces the value of every entry of `key` (adds one if there is none).
void SetEntry(CallMetadata& md, absl::string_view key, std::string value);

// One call of `method` ("/ailedger.v1.Ledger/Append") on a connection of its
// own, whose request is `request` exactly (a unary and a server-streaming
// method alike), with `md`; the messages answered in `*answers` when given.
// The call's status.
absl::Status RawCall(
    const std::string& target, const std::string& method,
    const std::string& request, const CallMetadata& md = {},
    std::vector<std::string>* answers = nullptr,
    std::chrono::milliseconds deadline = std::chrono::milliseconds(5000));

// A call held open by a client that misbehaves: cancelled when destroyed.
class HeldCall {
 public:
  virtual ~HeldCall() = default;
};

// `method` opened on a connection of its own, with `md`, and its request
// never sent.
std::unique_ptr<HeldCall> OpenWithoutRequest(const std::string& target,
                                             const std::string& method,
                                             const CallMetadata& md = {});

// `method` called with `request` on a connection of its own whose reader
// never reads: its flow-control window (64 KiB) never grows, so a stream
// longer than that cannot finish.
std::unique_ptr<HeldCall> OpenUnread(const std::string& target,
                                     const std::string& method,
                                     const std::string& request,
                                     const CallMetadata& md = {});

// `method` called with `request`: its first answer read, then the call
// cancelled by the client. CANCELLED, or how it ended otherwise.
absl::Status ReadOneThenCancel(const std::string& target,
                               const std::string& method,
                               const std::string& request,
                               const CallMetadata& md = {});

// A TCP connection to loopback `port` that has sent `bytes` and then sends
// nothing; closed when destroyed.
class IdleSocket {
 public:
  IdleSocket(int port, absl::string_view bytes);
  ~IdleSocket();
  IdleSocket(const IdleSocket&) = delete;
  IdleSocket& operator=(const IdleSocket&) = delete;
  bool connected() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

// Sends `bytes` on a new TCP connection to loopback `port` and waits up to
// `seconds` for the server to close it: OK when it did, DEADLINE_EXCEEDED
// when it was still open.
absl::Status SendAndAwaitClose(int port, absl::string_view bytes, int seconds);

}  // namespace ailedger::testing

#endif  // AILEDGER_TESTS_TESTING_HOSTILE_CALLS_H_
