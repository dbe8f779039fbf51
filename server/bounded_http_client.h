// One HTTP/1.1 request to a server that may be hostile (a witness), with every
// resource the answer can take bounded: the status line and headers together
// (max_head), their number (max_headers), the body (max_body) and the time for
// the whole exchange, from connecting to the last byte (one deadline; a peer
// that sends a byte now and then does not extend it). cpp-httplib 0.11 (Debian
// 12) cannot be bounded so: it reads a status or header line of any length,
// and any number of them, before a caller sees anything, and its read timeout
// restarts at every byte (witness/witness_http.h is the server-side
// counterpart).
//
// The request carries Connection: close and, with a body, a Content-Length.
// The answer's body is delimited by its Content-Length, by chunked
// transfer-coding (decoded, under the same caps) or by the end of the
// connection. http:// and https:// URLs are accepted; https verifies the
// server's certificate against the system's trusted CAs (or `ca_file`) and its
// name against the URL's host, as the httplib client this replaces did.
//
// Error messages are written to follow the peer's name ("witness URL: its
// answer is larger than 65536 bytes") and never quote what the peer sent:
//   INVALID_ARGUMENT    the URL, or a malformed or unsupported answer
//   UNAVAILABLE         unknown host, no connection, TLS failure, or the peer
//                       closed the connection before its answer was complete
//   RESOURCE_EXHAUSTED  a cap was reached
//   DEADLINE_EXCEEDED   the deadline passed
// Name resolution (getaddrinfo) is the one step the deadline cannot cut short;
// it is bounded by the resolver's own timeouts (resolv.conf).
#ifndef AILEDGER_SERVER_BOUNDED_HTTP_CLIENT_H_
#define AILEDGER_SERVER_BOUNDED_HTTP_CLIENT_H_

#include <chrono>
#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace ailedger {

// A parsed "[http://|https://]host[:port][/prefix]"; no scheme means http.
struct HttpUrl {
  bool tls = false;
  std::string host;  // without the brackets of an IPv6 literal
  int port = 80;
  std::string prefix;  // "" or "/a/b", without a trailing '/'
};

// INVALID_ARGUMENT for another scheme, user information, a query or fragment,
// an empty host or a port outside 1..65535.
absl::StatusOr<HttpUrl> ParseHttpUrl(absl::string_view url);

struct HttpClientLimits {
  size_t max_head = 8192;       // status line and headers. Default: 8 KiB
  size_t max_headers = 64;      // header lines (and trailers). Default: 64
  size_t max_body = 64 * 1024;  // decoded. Default: 64 KiB
  // For one connection attempt (one address), within the deadline. Default:
  // 5 s.
  std::chrono::milliseconds connect_time{5000};
  // https: a PEM file of trusted CAs instead of the system's. Default: none.
  std::string ca_file;
};

struct HttpAnswer {
  int status = 0;
  std::string content_type;  // its Content-Type, trimmed; "" if none
  std::string body;
};

// Sends `method` `url.prefix + path` (with `body` and `content_type` if the
// body is not empty or the method is POST) and reads the answer by
// `deadline`.
absl::StatusOr<HttpAnswer> HttpExchange(
    const HttpUrl& url, absl::string_view method, absl::string_view path,
    absl::string_view content_type, absl::string_view body,
    std::chrono::steady_clock::time_point deadline,
    const HttpClientLimits& limits = {});

}  // namespace ailedger

#endif  // AILEDGER_SERVER_BOUNDED_HTTP_CLIENT_H_
