// Hostile clients against the real `ailedger witness serve` (issue 10, flaw
// 8): the witness server bounds the request head and body, the time a request
// may take, and the connections in all and per address, so one client cannot
// exhaust its memory or stall a legitimate cosigning request. Hostile
// witnesses against ailedgerd are in e2e_witness_security_test.cc.
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "ledger/tlog/checkpoint.h"
#include "ledger/tlog/note.h"
#include "tests/testing/e2e_fixture.h"
#include "tests/testing/loopback.h"
#include "witness/witness.h"

namespace ailedger {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;
using testing::SendSome;

// A TCP connection to the loopback port `port` from the loopback address
// `from`, with 2 s send and receive timeouts; -1 if refused.
int Connect(int port, const char* from = "127.0.0.1") {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  testing::SetSocketTimeouts(fd, 2);
  sockaddr_in local{};
  local.sin_family = AF_INET;
  inet_pton(AF_INET, from, &local.sin_addr);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof(local)) != 0 ||
      connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Sends `head`, then up to 64 MiB of `filler` while the peer reads it; the
// bytes of filler sent.
size_t SendFlood(int fd, const std::string& head, const std::string& filler) {
  SendSome(fd, head);
  size_t sent = 0;
  for (int i = 0; i < 64; ++i) {
    const size_t n = SendSome(fd, filler);
    sent += n;
    if (n < filler.size()) break;  // the peer stopped reading
  }
  return sent;
}

// The status line of the answer on `fd`, or "" after 2 s.
std::string StatusLine(int fd) {
  const std::string got = testing::ReadUntil(fd, "\r\n");
  return got.substr(0, got.find("\r\n"));
}

constexpr char kPostHead[] =
    "POST /add-checkpoint HTTP/1.1\r\nHost: w\r\nContent-Type: text/plain\r\n";

class WitnessServerSecurityTest : public testing::WitnessedE2eTest {
 protected:
  // A legitimate add-checkpoint of the log at `size` from 127.0.0.1, the
  // witness having cosigned nothing yet (the test's checkpoints are made up).
  httplib::Result Cosign(uint64_t size) {
    const Checkpoint cp{testing::kE2eOrigin, size, HashLeaf("tree")};
    AddCheckpointRequest req{0, {}, SignCheckpoint(cp, LoadKey("log")).value()};
    httplib::Client http("http://" + witness_->address());
    http.set_read_timeout(60);
    return http.Post("/add-checkpoint", FormatAddCheckpoint(req), "text/plain");
  }
};

TEST_F(WitnessServerSecurityTest, AnOversizeRequestIsRefusedBeforeItIsRead) {
  const std::string mib(1 << 20, 'x');
  // A 700 MB body announced.
  int fd = Connect(witness_->port());
  size_t sent = SendFlood(
      fd, absl::StrCat(kPostHead, "Content-Length: 734003200\r\n\r\n"), mib);
  EXPECT_EQ(StatusLine(fd), "HTTP/1.1 413 Payload Too Large");
  EXPECT_LT(sent, size_t{32} << 20);
  close(fd);
  // A body of no announced length.
  fd = Connect(witness_->port());
  sent = SendFlood(
      fd, absl::StrCat(kPostHead, "Transfer-Encoding: chunked\r\n\r\n"),
      absl::StrCat("100000\r\n", mib, "\r\n"));
  EXPECT_EQ(StatusLine(fd), "HTTP/1.1 501 Not Implemented");
  EXPECT_LT(sent, size_t{32} << 20);
  close(fd);
  // A request line that never ends.
  fd = Connect(witness_->port());
  sent = SendFlood(fd, "GET /", mib);
  EXPECT_EQ(StatusLine(fd), "HTTP/1.1 431 Request Header Fields Too Large");
  EXPECT_LT(sent, size_t{32} << 20);
  close(fd);
  EXPECT_LT(testing::ResidentKiB(Path("witness-state")), 100u * 1024);
  // And it still cosigns.
  auto res = Cosign(3);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
}

TEST_F(WitnessServerSecurityTest,
       ACosigningRequestIsServedWhileManyConnectionsIdle) {
  // From another address: it holds its 16 connections, and the rest are
  // refused at once.
  std::vector<int> idle;
  for (int i = 0; i < 100; ++i) {
    const int fd = Connect(witness_->port(), "127.0.0.2");
    ASSERT_GE(fd, 0);
    idle.push_back(fd);
  }
  const auto start = steady_clock::now();
  auto res = Cosign(3);
  const auto took = steady_clock::now() - start;
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_LT(took, std::chrono::seconds(5));
  for (int fd : idle) close(fd);
}

TEST_F(WitnessServerSecurityTest, ConnectionsPerAddressAreBounded) {
  std::vector<int> held;
  for (int i = 0; i < 16; ++i) {
    const int fd = Connect(witness_->port(), "127.0.0.2");
    ASSERT_GE(fd, 0);
    SendSome(fd, absl::StrCat(kPostHead, "Content-Length: 1000\r\n\r\n"));
    held.push_back(fd);
  }
  std::this_thread::sleep_for(milliseconds(300));
  const int refused = Connect(witness_->port(), "127.0.0.2");
  ASSERT_GE(refused, 0);
  EXPECT_EQ(StatusLine(refused), "HTTP/1.1 503 Service Unavailable");
  close(refused);
  // Another address is served meanwhile.
  auto res = Cosign(3);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  // A request whose body never comes is cut off when its 10 s are up.
  timeval tv{12, 0};
  setsockopt(held[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  EXPECT_EQ(StatusLine(held[0]), "HTTP/1.1 408 Request Timeout");
  for (int fd : held) close(fd);
  std::this_thread::sleep_for(milliseconds(300));
  const int again = Connect(witness_->port(), "127.0.0.2");
  SendSome(again, "GET /nothing HTTP/1.1\r\nHost: w\r\n\r\n");
  EXPECT_EQ(StatusLine(again), "HTTP/1.1 404 Not Found");
  close(again);
}

// The proof behind a 409: the latest cosigned checkpoint, with the log's
// signature and the witness's cosignature.
TEST_F(WitnessServerSecurityTest, TheWitnessServesItsLatestCosignedCheckpoint) {
  httplib::Client http("http://" + witness_->address());
  auto none = http.Get(LatestCosignedPath(testing::kE2eOrigin));
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 404);
  auto res = Cosign(7);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  auto proof = http.Get(LatestCosignedPath(testing::kE2eOrigin));
  ASSERT_TRUE(proof);
  ASSERT_EQ(proof->status, 200) << proof->body;
  auto cp = OpenCheckpoint(proof->body, VerifierKey::Parse(Vkey("log")).value(),
                           {VerifierKey::Parse(Vkey("w")).value()});
  ASSERT_TRUE(cp.ok()) << cp.status();
  EXPECT_EQ(cp->checkpoint.size, 7u);
  EXPECT_EQ(CountCosignatures(cp->note), 1u);
  auto unknown = http.Get(LatestCosignedPath("another.example/log"));
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
}

}  // namespace
}  // namespace ailedger
