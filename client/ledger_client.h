// The client library: one channel and stub per client, a deadline on every
// call, and the call context (ailedger-key/-time-ms/-nonce/-signature metadata)
// signed for each read when a key is given. Errors come back as absl::Status
// with the server's gRPC code, one-to-one. Thread-safe.
#ifndef AILEDGER_CLIENT_LEDGER_CLIENT_H_
#define AILEDGER_CLIENT_LEDGER_CLIENT_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ailedger/event.pb.h"
#include "ailedger/ledger.grpc.pb.h"
#include "ledger/keys.h"

namespace ailedger {

class LedgerClient {
 public:
  struct Options {
    std::string target = "127.0.0.1:7420";
    double timeout_seconds =
        10;  // Default: 10 s per call (a whole stream for streams).
    const SigningKey* key =
        nullptr;              // signs the call context of reads; may be null
    std::string tls_ca_file;  // when set, TLS with this CA bundle
  };

  static absl::StatusOr<std::unique_ptr<LedgerClient>> Connect(Options options);

  // The canonical bytes of `event`, signed by `author` for `origin`.
  static v1::AppendRequest SignEvent(const v1::Event& event,
                                     const SigningKey& author,
                                     absl::string_view origin);

  absl::StatusOr<v1::GetLogInfoResponse> LogInfo();
  absl::StatusOr<v1::Receipt> Append(const v1::AppendRequest& req);
  absl::StatusOr<v1::AppendBatchResponse> AppendBatch(
      const v1::AppendBatchRequest& req);
  absl::StatusOr<v1::Entry> GetEntry(const v1::GetEntryRequest& req);
  absl::StatusOr<std::string> GetCheckpoint(
      const v1::GetCheckpointRequest& req);
  absl::StatusOr<v1::GetInclusionProofResponse> GetInclusionProof(
      const v1::GetInclusionProofRequest& req);
  absl::StatusOr<v1::GetConsistencyProofResponse> GetConsistencyProof(
      const v1::GetConsistencyProofRequest& req);
  absl::Status PutSealed(const v1::PutSealedRequest& req);
  absl::StatusOr<v1::GetSealedResponse> GetSealed(
      const v1::GetSealedRequest& req);
  // Streams: `on_entry` is called for each entry in order.
  absl::Status GetEntries(
      const v1::GetEntriesRequest& req,
      const std::function<void(const v1::Entry&)>& on_entry);
  absl::Status Query(const v1::QueryRequest& req,
                     const std::function<void(const v1::Entry&)>& on_entry);

 private:
  LedgerClient(Options options, std::shared_ptr<grpc::Channel> channel);
  // A context with the deadline and, when a key is set, the signed call
  // context.
  absl::StatusOr<std::unique_ptr<grpc::ClientContext>> Context(
      absl::string_view method);

  const Options options_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::Ledger::Stub> stub_;
  std::string origin_;  // learnt from GetLogInfo, for call contexts
};

absl::Status FromGrpc(const grpc::Status& s);

}  // namespace ailedger

#endif  // AILEDGER_CLIENT_LEDGER_CLIENT_H_
