// The gRPC service: thin. Each method decodes its request, runs the limits and
// the call authentication, calls the sequencer or LedgerReads, converts
// absl::Status to grpc::Status one-to-one (the codes are the same numbers) and
// encodes the reply. Nothing blocking runs inside a reaction: appends are
// answered from the sequencer's callback.
#ifndef AILEDGER_SERVER_LEDGER_SERVICE_H_
#define AILEDGER_SERVER_LEDGER_SERVICE_H_

#include <functional>
#include <string>

#include "ailedger/ledger.grpc.pb.h"
#include "ledger/governance/time_rules.h"
#include "server/call_auth.h"
#include "server/ledger_reads.h"
#include "server/sealed_data.h"
#include "server/sequencer.h"

namespace ailedger {

class Metrics;

grpc::Status ToGrpc(const absl::Status& s);

class LedgerService final : public v1::Ledger::CallbackService {
 public:
  struct Options {
    bool public_read = false;          // Default: reads need a roster key.
    size_t max_batch_events = 1000;    // Default: 1000 events per AppendBatch.
    size_t max_batch_bytes = 4 << 20;  // Default: 4 MiB per AppendBatch.
    // Default: 60 s (time_rules.h; the offline verifier replays it).
    int64_t skew_ms = kMaxClockSkewMs;
    double rate_per_key = 0;   // events/s per signer; 0 = unlimited.
    double rate_per_peer = 0;  // calls/s per peer address; 0 = unlimited.
    // Streaming reads (GetEntries, Query) in flight, in all and per peer
    // address. Each holds up to a page in memory and reads the disk in gRPC's
    // threads while it lasts.
    size_t max_streams = 32;          // Default: 32.
    size_t max_streams_per_peer = 4;  // Default: 4.
  };

  // Borrowed pointers must outlive the service.
  LedgerService(std::string origin, std::string log_vkey, Sequencer* sequencer,
                const LedgerReads* reads, CallAuthenticator* auth,
                Options options, std::function<int64_t()> now_ms);

  grpc::ServerUnaryReactor* Append(grpc::CallbackServerContext* ctx,
                                   const v1::AppendRequest* req,
                                   v1::AppendResponse* resp) override;
  grpc::ServerUnaryReactor* AppendBatch(grpc::CallbackServerContext* ctx,
                                        const v1::AppendBatchRequest* req,
                                        v1::AppendBatchResponse* resp) override;
  grpc::ServerWriteReactor<v1::GetEntriesResponse>* GetEntries(
      grpc::CallbackServerContext* ctx,
      const v1::GetEntriesRequest* req) override;
  grpc::ServerUnaryReactor* GetEntry(grpc::CallbackServerContext* ctx,
                                     const v1::GetEntryRequest* req,
                                     v1::GetEntryResponse* resp) override;
  grpc::ServerUnaryReactor* GetCheckpoint(
      grpc::CallbackServerContext* ctx, const v1::GetCheckpointRequest* req,
      v1::GetCheckpointResponse* resp) override;
  grpc::ServerUnaryReactor* GetInclusionProof(
      grpc::CallbackServerContext* ctx, const v1::GetInclusionProofRequest* req,
      v1::GetInclusionProofResponse* resp) override;
  grpc::ServerUnaryReactor* GetConsistencyProof(
      grpc::CallbackServerContext* ctx,
      const v1::GetConsistencyProofRequest* req,
      v1::GetConsistencyProofResponse* resp) override;
  grpc::ServerWriteReactor<v1::QueryResponse>* Query(
      grpc::CallbackServerContext* ctx, const v1::QueryRequest* req) override;
  grpc::ServerUnaryReactor* PutSealed(grpc::CallbackServerContext* ctx,
                                      const v1::PutSealedRequest* req,
                                      v1::PutSealedResponse* resp) override;
  grpc::ServerUnaryReactor* GetSealed(grpc::CallbackServerContext* ctx,
                                      const v1::GetSealedRequest* req,
                                      v1::GetSealedResponse* resp) override;
  grpc::ServerUnaryReactor* GetLogInfo(grpc::CallbackServerContext* ctx,
                                       const v1::GetLogInfoRequest* req,
                                       v1::GetLogInfoResponse* resp) override;

  // Sealed attachments; must outlive the service. Without it (the default: a
  // SealedData without a store) PutSealed and GetSealed answer
  // FAILED_PRECONDITION.
  void set_sealed_data(SealedData* sealed) { sealed_ = sealed; }
  // Where calls are counted (server/metrics.h); must outlive the calls. Null
  // (the default): not counted.
  void set_metrics(Metrics* metrics) { metrics_ = metrics; }
  // A read-only replica (replica.h): GetLogInfo says so, with its lag.
  void set_replica_lag(std::function<int64_t()> lag_ms) {
    replica_lag_ms_ = std::move(lag_ms);
  }

 private:
  // The call context, always (sealed data is never public): the caller's roster
  // key.
  absl::StatusOr<PublicKey> AuthenticateCaller(grpc::CallbackServerContext* ctx,
                                               absl::string_view method);
  // The per-peer rate limit, by address (PeerRateName), for every method.
  absl::Status LimitPeer(grpc::CallbackServerContext* ctx);
  // Per-peer limit, then (unless reads are public) the call context and the
  // roster.
  absl::Status AuthorizeRead(grpc::CallbackServerContext* ctx,
                             absl::string_view method);
  // The checks before the queue, then the per-key limit, for each event of a
  // call.
  absl::StatusOr<PendingAppend> Admit(const v1::AppendRequest& req);
  // Answers an append call refused as a whole, counting its `events`.
  grpc::ServerUnaryReactor* RefuseAppend(grpc::CallbackServerContext* ctx,
                                         size_t events, const absl::Status& s);
  // Counts a read call of `method`.
  void CountRead(absl::string_view method);

  const std::string origin_;
  const std::string log_vkey_;
  Sequencer* const sequencer_;
  const LedgerReads* const reads_;
  CallAuthenticator* const auth_;
  const Options options_;
  const std::function<int64_t()> now_ms_;
  SealedData no_sealed_store_{nullptr, nullptr};
  SealedData* sealed_ = &no_sealed_store_;
  Metrics* metrics_ = nullptr;
  std::function<int64_t()> replica_lag_ms_;
  RateLimiter per_key_;
  RateLimiter per_peer_;
  ConcurrencyGate streams_;
};

}  // namespace ailedger

#endif  // AILEDGER_SERVER_LEDGER_SERVICE_H_
