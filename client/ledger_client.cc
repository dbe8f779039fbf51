#include "client/ledger_client.h"

#include <grpcpp/grpcpp.h>
#include <sodium.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "ledger/base/base64.h"
#include "ledger/base/clock.h"
#include "ledger/base/file_util.h"
#include "ledger/tlog/contexts.h"
#include "ledger/tlog/leaf.h"
#include "ledger/tlog/tlog_proof.h"

namespace ailedger {
namespace {

// Runs one server stream to the end.
template <typename Response>
absl::Status Drain(grpc::ClientReader<Response>* reader,
                   const std::function<void(const v1::Entry&)>& on_entry) {
  Response resp;
  while (reader->Read(&resp)) {
    for (const auto& e : resp.entries()) on_entry(e);
  }
  return FromGrpc(reader->Finish());
}

absl::Status Unbound(absl::string_view why) {
  return absl::DataLossError(absl::StrCat("receipt: ", why));
}

// The leaf's signature is the one sent; for a duplicate it may be another
// valid signature by the same signer over the same (origin, event): the
// server's duplicate rule is "same event id, same signer", and a signer whose
// Ed25519 is randomised (or another implementation) signs the same bytes
// differently.
absl::Status CheckSignature(const v1::AppendRequest& sent, const Leaf& leaf,
                            bool duplicate, absl::string_view origin) {
  if (AsBytes(leaf.signature) == sent.signature()) return absl::OkStatus();
  if (duplicate && VerifyEventSignature(origin, leaf.event_bytes, leaf.signer,
                                        AsBytes(leaf.signature))) {
    return absl::OkStatus();
  }
  return Unbound(absl::StrCat("leaf ", leaf.index,
                              " carries another signature than the one pushed",
                              duplicate ? ", and it does not verify" : ""));
}

}  // namespace

absl::Status CheckReceiptBinding(const v1::AppendRequest& sent,
                                 const v1::Receipt& r,
                                 absl::string_view origin) {
  auto proof = ParseTlogProof(r.tlog_proof());
  if (!proof.ok()) return Unbound(proof.status().message());
  if (proof->extra.empty()) return Unbound("the tlog-proof carries no leaf");
  auto leaf = DecodeLeaf(proof->extra);
  if (!leaf.ok()) return Unbound(leaf.status().message());
  if (r.index() != proof->index || leaf->index != proof->index) {
    return Unbound(absl::StrCat("index ", r.index(), ", but the proof is for ",
                                proof->index, " and the leaf says ",
                                leaf->index));
  }
  if (AsBytes(HashLeaf(proof->extra)) != r.leaf_hash())
    return Unbound("leaf_hash is not the hash of the leaf it carries");
  const Hash want = EventId(origin, sent.event());
  if (leaf->event_bytes != sent.event()) {
    return Unbound(
        absl::StrCat("leaf ", leaf->index, " carries another event (event id ",
                     ToHex(EventId(origin, leaf->event_bytes)),
                     "), not the one pushed (event id ", ToHex(want), ")"));
  }
  if (AsBytes(leaf->signer) != sent.signer()) {
    return Unbound(absl::StrCat("leaf ", leaf->index,
                                " was signed by another key than the one "
                                "that pushed the event"));
  }
  if (auto s = CheckSignature(sent, *leaf, r.duplicate(), origin); !s.ok())
    return s;
  if (r.event_id() != AsBytes(want)) {
    return Unbound(absl::StrCat("event_id ", ToHex(r.event_id()),
                                " is not the pushed event's id ", ToHex(want)));
  }
  // A checkpoint note's first line is its origin (C2SP tlog-checkpoint).
  if (proof->checkpoint.rfind(absl::StrCat(origin, "\n"), 0) != 0) {
    return Unbound(
        absl::StrCat("the checkpoint is not of the log '", origin, "'"));
  }
  return absl::OkStatus();
}

absl::Status FromGrpc(const grpc::Status& s) {
  if (s.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(s.error_code()),
                      s.error_message());
}

LedgerClient::LedgerClient(Options options,
                           std::shared_ptr<grpc::Channel> channel)
    : options_(std::move(options)),
      channel_(std::move(channel)),
      stub_(v1::Ledger::NewStub(channel_)) {}

// A channel to options.target with the client's settings (TLS, sizes,
// reconnect backoff).
static absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeChannel(
    const LedgerClient::Options& options);

std::shared_ptr<v1::Ledger::Stub> LedgerClient::Stub() const {
  std::lock_guard<std::mutex> lock(stub_mu_);
  return stub_;
}

void LedgerClient::ReconnectIfDown() {
  std::lock_guard<std::mutex> lock(stub_mu_);
  if (channel_->GetState(false) == GRPC_CHANNEL_READY) return;
  auto channel = MakeChannel(options_);
  if (!channel.ok()) return;
  channel_ = *std::move(channel);
  stub_ = v1::Ledger::NewStub(channel_);
}

static absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeChannel(
    const LedgerClient::Options& options) {
  std::shared_ptr<grpc::ChannelCredentials> creds =
      grpc::InsecureChannelCredentials();
  if (!options.tls_ca_file.empty()) {
    auto pem = ReadSmallFile(options.tls_ca_file);
    if (!pem.ok()) return pem.status();
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = *std::move(pem);
    creds = grpc::SslCredentials(ssl);
  }
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  args.SetMaxSendMessageSize(8 << 20);
  // A target naming a writer and its standbys ("ipv4:A,B"): only the writer
  // listens, and a standby starts listening within a lease's time after a
  // failover. gRPC's reconnect backoff (1 s, growing to 120 s) would keep a
  // pipeline away from the new writer for tens of seconds; 1 s at most
  // finds it within a second of its first listen. (Not the "min" backoff:
  // gRPC also takes it as each connection attempt's timeout.)
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 250);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  return grpc::CreateCustomChannel(options.target, creds, args);
}

absl::StatusOr<std::unique_ptr<LedgerClient>> LedgerClient::Connect(
    Options options) {
  InitCrypto();
  auto channel = MakeChannel(options);
  if (!channel.ok()) return channel.status();
  std::unique_ptr<LedgerClient> client(
      new LedgerClient(std::move(options), *std::move(channel)));
  if (client->options_.key != nullptr) {
    auto info = client->LogInfo();
    if (!info.ok()) return info.status();
    client->origin_ = info->origin();
  }
  return client;
}

v1::AppendRequest AppendRequestOf(const SignedEvent& signed_event) {
  v1::AppendRequest req;
  req.set_event(signed_event.event_bytes);
  req.set_signer(std::string(AsBytes(signed_event.signer)));
  req.set_signature(std::string(AsBytes(signed_event.signature)));
  return req;
}

absl::StatusOr<std::unique_ptr<grpc::ClientContext>> LedgerClient::Context(
    absl::string_view method) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() +
                    std::chrono::milliseconds(
                        static_cast<int64_t>(options_.timeout_seconds * 1000)));
  if (options_.key == nullptr || origin_.empty()) return ctx;
  std::string nonce(kCallNonceSize, '\0');
  randombytes_buf(nonce.data(), nonce.size());
  const int64_t now = NowMs();
  auto message = CallSigningMessage(
      origin_, absl::StrCat(kLedgerService, method), now, nonce);
  if (!message.ok()) return message.status();
  const SigningKey& key = *options_.key;
  ctx->AddMetadata(kCallMetadataKey,
                   Base64Encode(AsBytes(key.verifier().public_key())));
  ctx->AddMetadata(kCallMetadataTime, absl::StrCat(now));
  ctx->AddMetadata(kCallMetadataNonce, Base64Encode(nonce));
  ctx->AddMetadata(kCallMetadataSignature,
                   Base64Encode(AsBytes(key.Sign(*message))));
  return ctx;
}

absl::StatusOr<std::string> LedgerClient::Origin() {
  if (!origin_.empty()) return origin_;
  {
    std::lock_guard<std::mutex> lock(learnt_mu_);
    if (!learnt_origin_.empty()) return learnt_origin_;
  }
  auto info = LogInfo();
  if (!info.ok()) return info.status();
  std::lock_guard<std::mutex> lock(learnt_mu_);
  learnt_origin_ = info->origin();
  return learnt_origin_;
}

#define AILEDGER_CALL(method, req, resp)                             \
  auto ctx = Context(#method);                                       \
  if (!ctx.ok()) return ctx.status();                                \
  absl::Status s = FromGrpc(Stub()->method(ctx->get(), req, &resp)); \
  if (absl::IsUnavailable(s)) ReconnectIfDown();                     \
  if (!s.ok()) return s

absl::StatusOr<v1::GetLogInfoResponse> LedgerClient::LogInfo() {
  v1::GetLogInfoResponse resp;
  AILEDGER_CALL(GetLogInfo, v1::GetLogInfoRequest(), resp);
  return resp;
}

absl::StatusOr<v1::Receipt> LedgerClient::Append(const v1::AppendRequest& req) {
  auto origin =
      Origin();  // before sending: an append we cannot check is not sent
  if (!origin.ok()) return origin.status();
  v1::AppendResponse resp;
  AILEDGER_CALL(Append, req, resp);
  if (auto bound = CheckReceiptBinding(req, resp.receipt(), *origin);
      !bound.ok()) {
    return bound;
  }
  return resp.receipt();
}

absl::StatusOr<v1::AppendBatchResponse> LedgerClient::AppendBatch(
    const v1::AppendBatchRequest& req) {
  auto origin = Origin();
  if (!origin.ok()) return origin.status();
  v1::AppendBatchResponse resp;
  AILEDGER_CALL(AppendBatch, req, resp);
  if (resp.outcomes_size() != req.events_size()) {
    return absl::DataLossError(
        absl::StrCat("append batch: ", resp.outcomes_size(), " outcomes for ",
                     req.events_size(), " events"));
  }
  for (int i = 0; i < req.events_size(); ++i) {
    if (resp.outcomes(i).code() != 0) continue;
    auto bound =
        CheckReceiptBinding(req.events(i), resp.outcomes(i).receipt(), *origin);
    if (!bound.ok()) {
      return absl::DataLossError(absl::StrCat("batch event ", i + 1, " of ",
                                              req.events_size(), ": ",
                                              bound.message()));
    }
  }
  return resp;
}

absl::StatusOr<v1::Entry> LedgerClient::GetEntry(
    const v1::GetEntryRequest& req) {
  v1::GetEntryResponse resp;
  AILEDGER_CALL(GetEntry, req, resp);
  return resp.entry();
}

absl::StatusOr<std::string> LedgerClient::GetCheckpoint(
    const v1::GetCheckpointRequest& req) {
  v1::GetCheckpointResponse resp;
  AILEDGER_CALL(GetCheckpoint, req, resp);
  return resp.checkpoint();
}

absl::StatusOr<v1::GetInclusionProofResponse> LedgerClient::GetInclusionProof(
    const v1::GetInclusionProofRequest& req) {
  v1::GetInclusionProofResponse resp;
  AILEDGER_CALL(GetInclusionProof, req, resp);
  return resp;
}

absl::StatusOr<v1::GetConsistencyProofResponse>
LedgerClient::GetConsistencyProof(const v1::GetConsistencyProofRequest& req) {
  v1::GetConsistencyProofResponse resp;
  AILEDGER_CALL(GetConsistencyProof, req, resp);
  return resp;
}

absl::Status LedgerClient::PutSealed(const v1::PutSealedRequest& req) {
  v1::PutSealedResponse resp;
  AILEDGER_CALL(PutSealed, req, resp);
  return absl::OkStatus();
}

absl::StatusOr<v1::GetSealedResponse> LedgerClient::GetSealed(
    const v1::GetSealedRequest& req) {
  v1::GetSealedResponse resp;
  AILEDGER_CALL(GetSealed, req, resp);
  return resp;
}

#undef AILEDGER_CALL

// Opens the server stream `method` with a signed context and drains it.
#define AILEDGER_STREAM(method, req, on_entry) \
  auto ctx = Context(#method);                 \
  if (!ctx.ok()) return ctx.status();          \
  return Drain(Stub()->method(ctx->get(), req).get(), on_entry)

absl::Status LedgerClient::GetEntries(
    const v1::GetEntriesRequest& req,
    const std::function<void(const v1::Entry&)>& on_entry) {
  AILEDGER_STREAM(GetEntries, req, on_entry);
}

absl::Status LedgerClient::Query(
    const v1::QueryRequest& req,
    const std::function<void(const v1::Entry&)>& on_entry) {
  AILEDGER_STREAM(Query, req, on_entry);
}

#undef AILEDGER_STREAM

}  // namespace ailedger
