#include "server/bounded_http_client.h"

#include <algorithm>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "server/http_connection.h"

namespace ailedger {
namespace {

// The longest chunk-size line (the size and its extensions) read.
constexpr size_t kMaxChunkLine = 256;

// "HTTP/1.x NNN[ reason]".
bool ParseStatusLine(absl::string_view line, int* status) {
  if (line.size() < 12 || !absl::StartsWith(line, "HTTP/1.") ||
      !absl::ascii_isdigit(line[7]) || line[8] != ' ' ||
      (line.size() > 12 && line[12] != ' ')) {
    return false;
  }
  const absl::string_view code = line.substr(9, 3);
  return std::all_of(code.begin(), code.end(), absl::ascii_isdigit) &&
         absl::SimpleAtoi(code, status) && *status >= 100;
}

struct Head {
  int status = 0;
  std::string content_type;
  std::optional<uint64_t> content_length;
  bool chunked = false;
};

// One header line of the answer into `head`.
absl::Status ParseHeader(absl::string_view line, Head* head) {
  const size_t colon = line.find(':');
  const absl::string_view name = line.substr(0, colon);
  if (colon == absl::string_view::npos || name.empty() ||
      std::any_of(name.begin(), name.end(),
                  [](char c) { return c <= ' ' || c == 0x7f; }) ||
      line.find_first_of(absl::string_view("\r\0", 2)) !=
          absl::string_view::npos) {
    return absl::InvalidArgumentError("its answer has a malformed header line");
  }
  const absl::string_view value =
      absl::StripAsciiWhitespace(line.substr(colon + 1));
  if (absl::EqualsIgnoreCase(name, "Content-Length")) {
    uint64_t n = 0;
    if (value.empty() || value.size() > 19 ||
        !std::all_of(value.begin(), value.end(), absl::ascii_isdigit) ||
        !absl::SimpleAtoi(value, &n) ||
        (head->content_length && *head->content_length != n)) {
      return absl::InvalidArgumentError(
          "its answer has a malformed Content-Length");
    }
    head->content_length = n;
  } else if (absl::EqualsIgnoreCase(name, "Transfer-Encoding")) {
    // Never asked for (no TE, no Accept-Encoding): only chunked, once.
    if (head->chunked || !absl::EqualsIgnoreCase(value, "chunked")) {
      return absl::InvalidArgumentError(
          "its answer uses a transfer coding other than chunked");
    }
    head->chunked = true;
  } else if (absl::EqualsIgnoreCase(name, "Content-Type") &&
             head->content_type.empty()) {
    head->content_type = std::string(value);
  }
  return absl::OkStatus();
}

// Reads one answer from a connection, within the limits.
class AnswerReader {
 public:
  AnswerReader(HttpConnection* conn, const HttpClientLimits& limits)
      : conn_(conn), limits_(limits) {}
  absl::StatusOr<HttpAnswer> Read(bool head_request);

 private:
  // The next line without its LF or CRLF, if it ends within `max` bytes (its
  // end included): otherwise `too_long`. `*used` grows by its bytes.
  absl::StatusOr<std::string> Line(size_t max, const absl::Status& too_long,
                                   size_t* used);
  // A line of the head (or trailers), within what is left of max_head.
  absl::StatusOr<std::string> HeadLine();
  // The header (or trailer) lines up to the empty line that ends them.
  absl::Status Headers(Head* head);
  // Exactly `n` more bytes, appended to `out`.
  absl::Status Take(uint64_t n, std::string* out);
  absl::Status ReadChunked(std::string* body);
  absl::Status ReadToClose(std::string* body);
  absl::Status TooLarge() const {
    return absl::ResourceExhaustedError(
        absl::StrCat("its answer is larger than ", limits_.max_body, " bytes"));
  }

  HttpConnection* const conn_;
  const HttpClientLimits& limits_;
  std::string buf_;  // read, not yet consumed
  size_t head_used_ = 0;
  size_t header_lines_ = 0;
};

absl::StatusOr<std::string> AnswerReader::Line(size_t max,
                                               const absl::Status& too_long,
                                               size_t* used) {
  size_t scanned = 0;
  while (true) {
    const size_t lf = buf_.find('\n', scanned);
    if (lf != std::string::npos && lf < max) {
      std::string line = buf_.substr(0, lf);
      buf_.erase(0, lf + 1);
      *used += lf + 1;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return line;
    }
    if (buf_.size() >= max) return too_long;
    scanned = buf_.size();
    auto more = conn_->Read(&buf_, max - buf_.size());
    if (!more.ok()) return more.status();
    if (!*more) return PeerClosedEarly();
  }
}

absl::StatusOr<std::string> AnswerReader::HeadLine() {
  return Line(limits_.max_head - head_used_,
              absl::ResourceExhaustedError(absl::StrCat(
                  "its answer's status line and headers are larger than ",
                  limits_.max_head, " bytes")),
              &head_used_);
}

absl::Status AnswerReader::Headers(Head* head) {
  while (true) {
    auto line = HeadLine();
    if (!line.ok()) return line.status();
    if (line->empty()) return absl::OkStatus();
    if (++header_lines_ > limits_.max_headers) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "its answer has more than ", limits_.max_headers, " header lines"));
    }
    if (auto s = ParseHeader(*line, head); !s.ok()) return s;
  }
}

absl::Status AnswerReader::Take(uint64_t n, std::string* out) {
  const size_t buffered = std::min<uint64_t>(n, buf_.size());
  out->append(buf_, 0, buffered);
  buf_.erase(0, buffered);
  for (uint64_t left = n - buffered; left > 0;) {
    const size_t before = out->size();
    auto more = conn_->Read(out, left);
    if (!more.ok()) return more.status();
    if (!*more) return PeerClosedEarly();
    left -= out->size() - before;
  }
  return absl::OkStatus();
}

absl::Status AnswerReader::ReadChunked(std::string* body) {
  const absl::Status long_line = absl::ResourceExhaustedError(
      absl::StrCat("its answer has a chunk-size line longer than ",
                   kMaxChunkLine, " bytes"));
  const absl::Status malformed =
      absl::InvalidArgumentError("its answer has a malformed chunk");
  size_t used = 0;
  while (true) {
    auto line = Line(kMaxChunkLine, long_line, &used);
    if (!line.ok()) return line.status();
    const absl::string_view hex = absl::StripAsciiWhitespace(
        absl::string_view(*line).substr(0, line->find(';')));
    uint64_t size = 0;
    if (hex.empty() || hex.size() > 16 ||
        !std::all_of(hex.begin(), hex.end(), absl::ascii_isxdigit) ||
        !absl::SimpleHexAtoi(hex, &size)) {
      return malformed;
    }
    if (size == 0) break;
    if (size > limits_.max_body - body->size()) return TooLarge();
    if (auto s = Take(size, body); !s.ok()) return s;
    auto end = Line(2, malformed, &used);
    if (!end.ok()) return end.status();
    if (!end->empty()) return malformed;
  }
  Head trailers;  // read, and ignored
  return Headers(&trailers);
}

absl::Status AnswerReader::ReadToClose(std::string* body) {
  if (buf_.size() > limits_.max_body) return TooLarge();
  *body = std::move(buf_);
  buf_.clear();
  while (true) {
    // One byte beyond the cap tells an answer at the cap from a larger one.
    auto more = conn_->Read(body, limits_.max_body + 1 - body->size());
    if (!more.ok()) return more.status();
    if (!*more) return absl::OkStatus();
    if (body->size() > limits_.max_body) return TooLarge();
  }
}

absl::StatusOr<HttpAnswer> AnswerReader::Read(bool head_request) {
  auto status_line = HeadLine();
  if (!status_line.ok()) return status_line.status();
  Head head;
  if (!ParseStatusLine(*status_line, &head.status)) {
    return absl::InvalidArgumentError(
        "its answer does not begin with an HTTP/1.x status line");
  }
  if (auto s = Headers(&head); !s.ok()) return s;
  HttpAnswer answer;
  answer.status = head.status;
  answer.content_type = std::move(head.content_type);
  // RFC 9112 section 6.3: the answers that have no body.
  if (head_request || head.status < 200 || head.status == 204 ||
      head.status == 304) {
    return answer;
  }
  absl::Status read;
  if (head.chunked) {
    read = ReadChunked(&answer.body);
  } else if (head.content_length) {
    read = *head.content_length > limits_.max_body
               ? TooLarge()
               : Take(*head.content_length, &answer.body);
  } else {
    read = ReadToClose(&answer.body);
  }
  if (!read.ok()) return read;
  return answer;
}

std::string FormatRequest(const HttpUrl& url, absl::string_view method,
                          absl::string_view path,
                          absl::string_view content_type,
                          absl::string_view body) {
  std::string host = url.host.find(':') != std::string::npos
                         ? absl::StrCat("[", url.host, "]")
                         : url.host;
  if (url.port != (url.tls ? 443 : 80)) absl::StrAppend(&host, ":", url.port);
  std::string out =
      absl::StrCat(method, " ", url.prefix, path, " HTTP/1.1\r\nHost: ", host,
                   "\r\nUser-Agent: ailedgerd\r\nConnection: close\r\n");
  if (!body.empty() || method == "POST") {
    if (!content_type.empty()) {
      absl::StrAppend(&out, "Content-Type: ", content_type, "\r\n");
    }
    absl::StrAppend(&out, "Content-Length: ", body.size(), "\r\n");
  }
  absl::StrAppend(&out, "\r\n", body);
  return out;
}

}  // namespace

absl::StatusOr<HttpUrl> ParseHttpUrl(absl::string_view url) {
  const auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("URL: ", why, " (http[s]://HOST[:PORT][/PREFIX])"));
  };
  if (std::any_of(url.begin(), url.end(),
                  [](char c) { return c <= ' ' || c == 0x7f; })) {
    return bad("spaces or control characters");
  }
  HttpUrl out;
  if (const size_t sep = url.find("://"); sep != absl::string_view::npos) {
    const absl::string_view scheme = url.substr(0, sep);
    if (scheme != "http" && scheme != "https") {
      return bad("the scheme must be http or https");
    }
    out.tls = scheme == "https";
    out.port = out.tls ? 443 : 80;
    url.remove_prefix(sep + 3);
  }
  const size_t slash = url.find('/');
  absl::string_view authority = url.substr(0, slash);
  if (slash != absl::string_view::npos) {
    out.prefix = std::string(absl::StripSuffix(url.substr(slash), "/"));
  }
  if (url.find_first_of("?#") != absl::string_view::npos ||
      authority.find('@') != absl::string_view::npos) {
    return bad("no user information, query or fragment");
  }
  absl::string_view rest;                      // "" or ":PORT"
  if (absl::ConsumePrefix(&authority, "[")) {  // an IPv6 literal
    const size_t close = authority.find(']');
    if (close == absl::string_view::npos) return bad("unclosed '['");
    out.host = std::string(authority.substr(0, close));
    rest = authority.substr(close + 1);
  } else {
    const size_t colon = std::min(authority.find(':'), authority.size());
    out.host = std::string(authority.substr(0, colon));
    rest = authority.substr(colon);
  }
  absl::string_view port;
  if (!rest.empty()) {
    if (!absl::ConsumePrefix(&rest, ":")) return bad("text after ']'");
    if (rest.empty()) return bad("an empty port");
    port = rest;
  }
  if (out.host.empty()) return bad("no host");
  if (!port.empty() &&
      (port.size() > 5 ||
       !std::all_of(port.begin(), port.end(), absl::ascii_isdigit) ||
       !absl::SimpleAtoi(port, &out.port) || out.port < 1 ||
       out.port > 65535)) {
    return bad("the port must be 1 to 65535");
  }
  return out;
}

absl::StatusOr<HttpAnswer> HttpExchange(
    const HttpUrl& url, absl::string_view method, absl::string_view path,
    absl::string_view content_type, absl::string_view body,
    std::chrono::steady_clock::time_point deadline,
    const HttpClientLimits& limits) {
  std::optional<SigpipeBlocked> no_sigpipe;
  if (url.tls) no_sigpipe.emplace();
  auto conn = HttpConnection::Open(url, limits, deadline);
  if (!conn.ok()) return conn.status();
  if (auto s =
          (*conn)->Write(FormatRequest(url, method, path, content_type, body));
      !s.ok()) {
    return s;
  }
  return AnswerReader(conn->get(), limits).Read(method == "HEAD");
}

}  // namespace ailedger
