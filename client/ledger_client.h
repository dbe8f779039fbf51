// The client library: one channel and stub per client, a deadline on every
// call, and the call context (ailedger-key/-time-ms/-nonce/-signature metadata)
// signed for each read when a key is given. Errors come back as absl::Status
// with the server's gRPC code, one-to-one. Every receipt Append and AppendBatch
// return has been checked to be a receipt of exactly the event sent
// (CheckReceiptBinding): a server cannot answer with another leaf's receipt.
// Thread-safe.
#ifndef AILEDGER_CLIENT_LEDGER_CLIENT_H_
#define AILEDGER_CLIENT_LEDGER_CLIENT_H_

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ailedger/event.pb.h"
#include "ailedger/ledger.grpc.pb.h"
#include "ledger/governance/event_signature.h"
#include "ledger/tlog/keys.h"

namespace ailedger {

class LedgerClient {
 public:
  struct Options {
    std::string target = "127.0.0.1:7420";
    // Per call (a whole stream for streams). Default: 10 s.
    double timeout_seconds = 10;
    // Signs the call context of reads; may be null.
    const SigningKey* key = nullptr;
    // When set, TLS with this CA bundle.
    std::string tls_ca_file;
  };

  static absl::StatusOr<std::unique_ptr<LedgerClient>> Connect(Options options);

  absl::StatusOr<v1::GetLogInfoResponse> LogInfo();
  // DATA_LOSS, and no receipt, when the server's receipt is not bound to `req`
  // (CheckReceiptBinding); the event may or may not have been logged.
  absl::StatusOr<v1::Receipt> Append(const v1::AppendRequest& req);
  // One outcome per event, in order; DATA_LOSS for the whole call when the
  // count differs or any receipt is not bound to its event (a server that
  // answers one event with another's receipt is not believed for the rest).
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
  // The log's origin, for event ids: origin_ when a key is set, else learnt
  // from GetLogInfo once, before the first append is sent.
  absl::StatusOr<std::string> Origin();

  // The stub calls go through (it holds the channel).
  std::shared_ptr<v1::Ledger::Stub> Stub() const;
  // After UNAVAILABLE on a channel that is not connected: a new channel, so
  // that the caller's retry connects at once. A channel that failed every
  // address waited out its backoff and re-resolved for about 10 s before it
  // found a standby that took over the writer lease (ailedgerd on
  // PostgreSQL) within 2.
  void ReconnectIfDown();

  const Options options_;
  mutable std::mutex stub_mu_;
  std::shared_ptr<grpc::Channel> channel_;  // guarded by stub_mu_
  std::shared_ptr<v1::Ledger::Stub> stub_;  // guarded by stub_mu_
  std::string origin_;  // learnt from GetLogInfo at Connect, for call contexts
  std::mutex learnt_mu_;
  std::string learnt_origin_;  // guarded by learnt_mu_
};

absl::Status FromGrpc(const grpc::Status& s);

// OK when `receipt` is a receipt of exactly the event in `sent`, for the log
// `origin` (docs/FORMATS.md, "Receipts"): its tlog-proof carries a leaf whose
// event bytes and signer are the ones sent, whose signature is the one sent
// (or, for a duplicate, any valid signature by that signer over the same
// event), whose hash is the receipt's leaf_hash, and whose index is the
// receipt's and the proof's; the event id is EventId(origin, event) and the
// checkpoint names `origin`. DATA_LOSS naming what differs otherwise. It does
// not check the checkpoint's signature or the inclusion proof: that needs the
// log key (VerifyTlogProof).
absl::Status CheckReceiptBinding(const v1::AppendRequest& sent,
                                 const v1::Receipt& receipt,
                                 absl::string_view origin);

// The append request that carries an event signed with SignEvent
// (ledger/governance/event_signature.h).
v1::AppendRequest AppendRequestOf(const SignedEvent& signed_event);

}  // namespace ailedger

#endif  // AILEDGER_CLIENT_LEDGER_CLIENT_H_
