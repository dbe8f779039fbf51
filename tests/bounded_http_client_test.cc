// The bounded HTTP client against servers played by the test: well-formed
// answers in each framing, and hostile ones (an endless status or header line,
// too many headers, an oversize body, a trickle, a peer that never answers).
// Over https: bounded_https_client_test.cc.
#include "server/bounded_http_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "absl/strings/str_cat.h"
#include "tests/testing/fake_http_server.h"

// In the helpers' namespace (tests/testing/fake_http_server.h).
namespace ailedger::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(BoundedHttpClientTest, ReadsAnAnswerWithAContentLength) {
  FakeServer server(
      Says("HTTP/1.1 200 OK\r\nContent-Type:  text/x.tlog.size \r\n"
           "Content-Length: 5\r\n\r\nhello and bytes beyond its length"));
  HttpUrl url = server.url();
  url.prefix = "/w";
  auto answer =
      HttpExchange(url, "POST", "/add-checkpoint", "text/plain",
                   "old 0\n\nnote", steady_clock::now() + milliseconds(5000));
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(answer->status, 200);
  EXPECT_EQ(answer->content_type, "text/x.tlog.size");
  EXPECT_EQ(answer->body, "hello");
  server.Join();
  EXPECT_EQ(server.request(),
            absl::StrCat("POST /w/add-checkpoint HTTP/1.1\r\nHost: 127.0.0.1:",
                         server.port(),
                         "\r\nUser-Agent: ailedgerd\r\nConnection: close\r\n"
                         "Content-Type: text/plain\r\nContent-Length: 11\r\n"
                         "\r\nold 0\n\nnote"));
}

TEST(BoundedHttpClientTest, ReadsABodyThatEndsAtTheClose) {
  FakeServer server(Says("HTTP/1.0 404 Not Found\nX-A: 1\n\nno such log\n"));
  auto answer = Get(server);
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(answer->status, 404);
  EXPECT_EQ(answer->content_type, "");
  EXPECT_EQ(answer->body, "no such log\n");
  server.Join();
  EXPECT_THAT(server.request(), HasSubstr("GET /x HTTP/1.1\r\n"));
  EXPECT_THAT(server.request(), Not(HasSubstr("Content-Length")));
}

TEST(BoundedHttpClientTest, DecodesAChunkedBody) {
  FakeServer server(
      Says("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
           "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n"));
  auto answer = Get(server);
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(answer->body, "hello world");
}

TEST(BoundedHttpClientTest, AnAnswerWithoutABodyEndsAtItsHead) {
  FakeServer server([](Peer& peer) {
    peer.send("HTTP/1.1 204 No Content\r\n\r\n");
    peer.wait_closed();
  });
  auto answer = Get(server);
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(answer->status, 204);
}

TEST(BoundedHttpClientTest, AnEndlessStatusLineIsCutAtTheHeadCap) {
  for (const std::string start :
       {"HTTP/1.1 200 ", "HTTP/1.1 200 OK\r\nX-Filler: "}) {
    SCOPED_TRACE(start);
    FakeServer server([&](Peer& peer) { SendEndless(peer, start); });
    auto answer = Get(server);
    EXPECT_EQ(answer.status().code(), absl::StatusCode::kResourceExhausted);
    EXPECT_EQ(answer.status().message(),
              "its answer's status line and headers are larger than 8192 "
              "bytes");
    server.Join();
    // What the socket buffers absorbed, not the 256 MiB offered.
    EXPECT_LT(server.sent(), size_t{32} << 20);
  }
}

std::string Headers(int n) {
  std::string out = "HTTP/1.1 200 OK\r\n";
  for (int i = 0; i < n; ++i) absl::StrAppend(&out, "X-", i, ": y\r\n");
  return absl::StrCat(out, "Content-Length: 2\r\n\r\nok");
}

TEST(BoundedHttpClientTest, TooManyHeaderLinesAreRefused) {
  FakeServer at_cap(Says(Headers(63)));  // and Content-Length
  auto answer = Get(at_cap);
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(answer->body, "ok");
  FakeServer beyond(Says(Headers(64)));
  answer = Get(beyond);
  EXPECT_EQ(answer.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(answer.status().message(),
            "its answer has more than 64 header lines");
  // Trailers count too.
  std::string chunked =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n";
  for (int i = 0; i < 70; ++i) absl::StrAppend(&chunked, "T-", i, ": y\r\n");
  FakeServer trailers(Says(chunked + "\r\n"));
  answer = Get(trailers);
  EXPECT_EQ(answer.status().code(), absl::StatusCode::kResourceExhausted);
}

TEST(BoundedHttpClientTest, ABodyLargerThanTheCapIsRefused) {
  const std::string cap(64 * 1024, 'b');
  FakeServer at_cap(Says("HTTP/1.1 200 OK\r\n\r\n" + cap));
  auto answer = Get(at_cap);
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(answer->body.size(), cap.size());
  const std::string head = "HTTP/1.1 200 OK\r\n";
  const std::vector<FakeServer::Answer> beyond = {
      // Announced: refused before reading, however long the peer waits.
      [&](Peer& peer) {
        peer.send(head + "Content-Length: 65537\r\n\r\n");
        peer.wait_closed();
      },
      [&](Peer& peer) { SendEndless(peer, head + "\r\n"); },
      [&](Peer& peer) {
        peer.send(head + "Transfer-Encoding: chunked\r\n\r\n");
        while (peer.send("8000\r\n" + std::string(0x8000, 'c') + "\r\n")) {
        }
      },
  };
  for (size_t i = 0; i < beyond.size(); ++i) {
    SCOPED_TRACE(i);
    FakeServer server(beyond[i]);
    const auto start = steady_clock::now();
    answer = Get(server);
    EXPECT_EQ(answer.status().code(), absl::StatusCode::kResourceExhausted);
    EXPECT_EQ(answer.status().message(),
              "its answer is larger than 65536 bytes");
    EXPECT_LT(steady_clock::now() - start, milliseconds(1000));
  }
}

TEST(BoundedHttpClientTest, TheDeadlineEndsATrickle) {
  const std::vector<std::string> heads = {
      "HTTP/1.1 200 OK\r\nX-Slow: ", "HTTP/1.1 200 OK\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"};
  for (const std::string& head : heads) {
    SCOPED_TRACE(head);
    // A byte every 100 ms: each read waits less than any per-read timeout.
    FakeServer server([&](Peer& peer) {
      if (!peer.send(head)) return;
      for (int i = 0; i < 100 && peer.send("x"); ++i) {
        std::this_thread::sleep_for(milliseconds(100));
      }
    });
    const auto start = steady_clock::now();
    auto answer = Get(server.url(), milliseconds(1000));
    const auto took = steady_clock::now() - start;
    EXPECT_EQ(answer.status().code(), absl::StatusCode::kDeadlineExceeded);
    EXPECT_EQ(answer.status().message(),
              "the exchange did not complete by its deadline");
    EXPECT_GE(took, milliseconds(950));
    EXPECT_LT(took, milliseconds(1500));
  }
}

TEST(BoundedHttpClientTest, TheDeadlineEndsASilence) {
  FakeServer server([](Peer& peer) { peer.wait_closed(); });
  const auto start = steady_clock::now();
  auto answer = Get(server.url(), milliseconds(500));
  EXPECT_EQ(answer.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_LT(steady_clock::now() - start, milliseconds(1000));
}

TEST(BoundedHttpClientTest, MalformedAnswersAreRefused) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"HTTP/2 200 OK\r\n\r\n", "does not begin with an HTTP/1.x status line"},
      {"200 OK\r\n\r\n", "does not begin with an HTTP/1.x status line"},
      {"HTTP/1.1 20x OK\r\n\r\n",
       "does not begin with an HTTP/1.x status line"},
      {"HTTP/1.1 200 OK\r\nNo colon\r\n\r\n", "malformed header line"},
      {"HTTP/1.1 200 OK\r\nA: 1\r\n folded\r\n\r\n", "malformed header line"},
      {"HTTP/1.1 200 OK\r\nA: 1\r2\r\n\r\n", "malformed header line"},
      {"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
       "malformed Content-Length"},
      {"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
       "malformed Content-Length"},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
       "a transfer coding other than chunked"},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
       "malformed chunk"},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n",
       "malformed chunk"},
  };
  for (const auto& [text, refusal] : cases) {
    SCOPED_TRACE(text);
    FakeServer server(Says(text));
    auto answer = Get(server);
    EXPECT_EQ(answer.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(answer.status().message(), HasSubstr(refusal));
  }
}

TEST(BoundedHttpClientTest, AnAnswerCutShortIsUnavailable) {
  for (const std::string text :
       {"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", "HTTP/1.1 200",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab"}) {
    SCOPED_TRACE(text);
    FakeServer server(Says(text));
    auto answer = Get(server);
    EXPECT_EQ(answer.status().code(), absl::StatusCode::kUnavailable);
    EXPECT_EQ(answer.status().message(),
              "it closed the connection before its answer was complete");
  }
}

TEST(BoundedHttpClientTest, AClosedPortIsUnreachable) {
  int port = 0;
  {
    FakeServer server([](Peer&) {});
    port = server.port();
    // Connected to, so that the server's thread ends.
    (void)Get(server.url(), milliseconds(200));
  }
  auto answer = Get(HttpUrl{false, "127.0.0.1", port, ""}, milliseconds(2000));
  EXPECT_EQ(answer.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(answer.status().message(), "unreachable (Connection refused)");
}

TEST(BoundedHttpClientTest, ParsesUrls) {
  struct Case {
    std::string text;
    bool tls;
    std::string host;
    int port;
    std::string prefix;
  };
  for (const Case& c : std::vector<Case>{
           {"http://127.0.0.1:7421", false, "127.0.0.1", 7421, ""},
           {"127.0.0.1:7421", false, "127.0.0.1", 7421, ""},
           {"http://w.example", false, "w.example", 80, ""},
           {"https://w.example/tlog/", true, "w.example", 443, "/tlog"},
           {"https://[::1]:8443/a/b", true, "::1", 8443, "/a/b"},
           {"http://[::1]", false, "::1", 80, ""},
       }) {
    SCOPED_TRACE(c.text);
    auto url = ParseHttpUrl(c.text);
    ASSERT_TRUE(url.ok()) << url.status();
    EXPECT_EQ(url->tls, c.tls);
    EXPECT_EQ(url->host, c.host);
    EXPECT_EQ(url->port, c.port);
    EXPECT_EQ(url->prefix, c.prefix);
  }
  for (const std::string bad :
       {"ftp://w", "http://", "http://:80", "http://w:", "http://w:0",
        "http://w:65536", "http://w:8a", "http://u@w", "http://w/?q",
        "http://w/#f", "http://[::1", "http://[::1]x", "http://w w",
        "http://w\r\nX: 1"}) {
    SCOPED_TRACE(bad);
    auto url = ParseHttpUrl(bad);
    EXPECT_EQ(url.status().code(), absl::StatusCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace ailedger::testing
