// The bounded HTTP client over https, against a server with a self-signed
// certificate: the certificate and the name are verified, and answers are
// bounded as over http (bounded_http_client_test.cc).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <thread>

#include "absl/strings/str_cat.h"
#include "server/bounded_http_client.h"
#include "tests/testing/fake_http_server.h"

// In the helpers' namespace (tests/testing/fake_http_server.h).
namespace ailedger::testing {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;

// A self-signed certificate for `san` (e.g. "DNS:localhost") and its key.
struct TestCert {
  explicit TestCert(const std::string& san) {
    key = EVP_EC_gen("P-256");
    cert = X509_new();
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("test"),
                               -1, -1, 0);
    X509_set_issuer_name(cert, name);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    for (auto [nid, value] : {std::pair{NID_subject_alt_name, san.c_str()},
                              {NID_basic_constraints, "critical,CA:TRUE"}}) {
      X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
      X509_add_ext(cert, ext, -1);
      X509_EXTENSION_free(ext);
    }
    X509_sign(cert, key, EVP_sha256());
    server = SSL_CTX_new(TLS_server_method());
    SSL_CTX_use_certificate(server, cert);
    SSL_CTX_use_PrivateKey(server, key);
  }
  ~TestCert() {
    SSL_CTX_free(server);
    X509_free(cert);
    EVP_PKEY_free(key);
  }
  // Writes the certificate, as a CA file, to `path`.
  std::string WritePem(const std::string& path) const {
    FILE* f = std::fopen(path.c_str(), "w");
    PEM_write_X509(f, cert);
    std::fclose(f);
    return path;
  }
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  SSL_CTX* server = nullptr;
};

class BoundedHttpsClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    limits_.ca_file = cert_.WritePem(
        (std::filesystem::temp_directory_path() /
         absl::StrCat("bounded_http_client_test.", getpid(), ".pem"))
            .string());
  }
  void TearDown() override { std::filesystem::remove(limits_.ca_file); }
  TestCert cert_{"DNS:localhost"};
  HttpClientLimits limits_;
};

TEST_F(BoundedHttpsClientTest, VerifiesTheCertificateAndTheName) {
  {
    FakeServer server(Says("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"),
                      cert_.server);
    // localhost may resolve to ::1 first: the client tries every address.
    auto answer =
        Get(server.url(true, "localhost"), milliseconds(5000), limits_);
    ASSERT_TRUE(answer.ok()) << answer.status();
    EXPECT_EQ(answer->body, "ok");
    server.Join();
    EXPECT_THAT(server.request(),
                HasSubstr("GET /x HTTP/1.1\r\nHost: localhost:"));
  }
  {
    FakeServer server(Says("HTTP/1.1 200 OK\r\n\r\n"), cert_.server);
    auto answer = Get(server.url(true), milliseconds(5000), limits_);
    EXPECT_EQ(answer.status().code(), absl::StatusCode::kUnavailable);
    EXPECT_EQ(answer.status().message(),
              "TLS handshake failed (IP address mismatch)");
  }
  {
    FakeServer server(Says("HTTP/1.1 200 OK\r\n\r\n"), cert_.server);
    auto answer = Get(server.url(true, "localhost"), milliseconds(5000));
    EXPECT_EQ(answer.status().code(), absl::StatusCode::kUnavailable);
    EXPECT_EQ(answer.status().message(),
              "TLS handshake failed (self-signed certificate)");
  }
}

TEST_F(BoundedHttpsClientTest, AnswersAreBoundedAsOverHttp) {
  FakeServer endless([](Peer& peer) { SendEndless(peer, "HTTP/1.1 200 "); },
                     cert_.server);
  auto answer =
      Get(endless.url(true, "localhost"), milliseconds(5000), limits_);
  EXPECT_EQ(answer.status().code(), absl::StatusCode::kResourceExhausted);
  FakeServer trickle(
      [](Peer& peer) {
        for (int i = 0; i < 100 && peer.send("H"); ++i) {
          std::this_thread::sleep_for(milliseconds(100));
        }
      },
      cert_.server);
  answer = Get(trickle.url(true, "localhost"), milliseconds(1000), limits_);
  EXPECT_EQ(answer.status().code(), absl::StatusCode::kDeadlineExceeded);
  FakeServer body(Says("HTTP/1.1 200 OK\r\n\r\n" + std::string(70000, 'b')),
                  cert_.server);
  answer = Get(body.url(true, "localhost"), milliseconds(5000), limits_);
  EXPECT_EQ(answer.status().code(), absl::StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace ailedger::testing
