#include "tests/testing/hostile_calls.h"

#include <arpa/inet.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <netinet/in.h>
#include <sodium.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "absl/strings/str_cat.h"
#include "ledger/base/base64.h"
#include "ledger/tlog/contexts.h"
#include "tests/testing/loopback.h"

namespace ailedger::testing {
namespace {

absl::Status FromGrpc(const grpc::Status& s) {
  return absl::Status(static_cast<absl::StatusCode>(s.error_code()),
                      s.error_message());
}

// A channel of its own (gRPC shares connections between channels otherwise).
std::shared_ptr<grpc::Channel> OwnChannel(const std::string& target,
                                          bool slow_reader = false) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetMaxReceiveMessageSize(64 << 20);
  if (slow_reader) {
    args.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
    args.SetInt(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, 65536);
  }
  return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(),
                                   args);
}

// A generic call on its own channel and completion queue, one operation at a
// time.
class Call : public HeldCall {
 public:
  Call(const std::string& target, const std::string& method,
       const CallMetadata& md, std::chrono::milliseconds deadline,
       bool slow_reader = false)
      : channel_(OwnChannel(target, slow_reader)), stub_(channel_) {
    ctx_.set_deadline(std::chrono::system_clock::now() + deadline);
    for (const auto& [key, value] : md) ctx_.AddMetadata(key, value);
    call_ = stub_.PrepareCall(&ctx_, method, &cq_);
    started_ = Step([&](void* tag) { call_->StartCall(tag); });
  }
  ~Call() override {
    ctx_.TryCancel();
    Finish().IgnoreError();  // cancelled: its status says nothing
    cq_.Shutdown();
    void* tag;
    bool ok;
    while (cq_.Next(&tag, &ok)) {
    }
  }

  bool Send(const std::string& bytes) {
    grpc::Slice slice(bytes);
    grpc::ByteBuffer buffer(&slice, 1);
    return Step([&](void* tag) {
      call_->WriteLast(buffer, grpc::WriteOptions(), tag);
    });
  }
  // The next answer, or false at the end of the stream.
  bool Read(std::string* out) {
    grpc::ByteBuffer buffer;
    if (!Step([&](void* tag) { call_->Read(&buffer, tag); })) return false;
    std::vector<grpc::Slice> slices;
    if (!buffer.Dump(&slices).ok()) return false;
    out->clear();
    for (const auto& s : slices) {
      out->append(reinterpret_cast<const char*>(s.begin()), s.size());
    }
    return true;
  }
  absl::Status Finish() {
    if (finished_) return status_;
    finished_ = true;
    grpc::Status s;
    Step([&](void* tag) { call_->Finish(&s, tag); });
    status_ = FromGrpc(s);
    return status_;
  }
  void Cancel() { ctx_.TryCancel(); }
  bool started() const { return started_; }

 private:
  template <typename Op>
  bool Step(Op op) {
    op(this);
    void* tag;
    bool ok = false;
    return cq_.Next(&tag, &ok) && ok;
  }

  std::shared_ptr<grpc::Channel> channel_;
  grpc::GenericStub stub_;
  grpc::ClientContext ctx_;
  grpc::CompletionQueue cq_;
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> call_;
  bool started_ = false, finished_ = false;
  absl::Status status_;
};

}  // namespace

std::string FreshNonce() {
  std::string nonce(kCallNonceSize, '\0');
  randombytes_buf(nonce.data(), nonce.size());
  return nonce;
}

CallMetadata SignedCallMetadata(const SigningKey& signer, absl::string_view rpc,
                                absl::string_view origin, int64_t time_ms,
                                absl::string_view nonce) {
  const std::string message =
      CallSigningMessage(origin, absl::StrCat(kLedgerService, rpc), time_ms,
                         nonce)
          .value();
  return {
      {kCallMetadataKey, Base64Encode(AsBytes(signer.verifier().public_key()))},
      {kCallMetadataTime, absl::StrCat(time_ms)},
      {kCallMetadataNonce, Base64Encode(nonce)},
      {kCallMetadataSignature, Base64Encode(AsBytes(signer.Sign(message)))},
  };
}

void SetEntry(CallMetadata& md, absl::string_view key, std::string value) {
  bool found = false;
  for (auto& [k, v] : md) {
    if (k != key) continue;
    v = value;
    found = true;
  }
  if (!found) md.emplace_back(std::string(key), std::move(value));
}

absl::Status RawCall(const std::string& target, const std::string& method,
                     const std::string& request, const CallMetadata& md,
                     std::vector<std::string>* answers,
                     std::chrono::milliseconds deadline) {
  Call call(target, method, md, deadline);
  if (call.started() && call.Send(request)) {
    std::string answer;
    while (call.Read(&answer)) {
      if (answers != nullptr) answers->push_back(answer);
    }
  }
  return call.Finish();
}

std::unique_ptr<HeldCall> OpenWithoutRequest(const std::string& target,
                                             const std::string& method,
                                             const CallMetadata& md) {
  return std::make_unique<Call>(target, method, md, std::chrono::seconds(30));
}

std::unique_ptr<HeldCall> OpenUnread(const std::string& target,
                                     const std::string& method,
                                     const std::string& request,
                                     const CallMetadata& md) {
  auto call = std::make_unique<Call>(target, method, md,
                                     std::chrono::seconds(30), true);
  call->Send(request);
  return call;
}

absl::Status ReadOneThenCancel(const std::string& target,
                               const std::string& method,
                               const std::string& request,
                               const CallMetadata& md) {
  Call call(target, method, md, std::chrono::seconds(5));
  std::string answer;
  if (!call.Send(request) || !call.Read(&answer)) return call.Finish();
  call.Cancel();
  while (call.Read(&answer)) {
  }
  return call.Finish();
}

namespace {

int ConnectLoopback(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

IdleSocket::IdleSocket(int port, absl::string_view bytes)
    : fd_(ConnectLoopback(port)) {
  if (fd_ < 0) return;
  SetSocketTimeouts(fd_, 2);
  SendAll(fd_, bytes);
}

IdleSocket::~IdleSocket() {
  if (fd_ >= 0) close(fd_);
}

absl::Status SendAndAwaitClose(int port, absl::string_view bytes, int seconds) {
  const int fd = ConnectLoopback(port);
  if (fd < 0) return absl::UnavailableError("cannot connect");
  SetSocketTimeouts(fd, seconds);
  SendSome(fd, bytes);
  char buf[4096];
  for (;;) {
    const ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n > 0) continue;  // what the server says before it closes
    const int err = errno;
    close(fd);
    if (n == 0 || (err != EAGAIN && err != EWOULDBLOCK)) {
      return absl::OkStatus();
    }
    return absl::DeadlineExceededError(
        absl::StrCat("the connection is still open after ", seconds, " s"));
  }
}

}  // namespace ailedger::testing
