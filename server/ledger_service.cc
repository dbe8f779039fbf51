#include "server/ledger_service.h"

#include <algorithm>
#include <cstring>
#include <iterator>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "ledger/base/base64.h"
#include "ledger/tlog/contexts.h"
#include "server/append_checks.h"
#include "server/ledger_streams.h"
#include "server/log_key_reads.h"
#include "server/metrics.h"

namespace ailedger {

// The codes are the same numbers (absl's canonical codes are gRPC's).
static_assert(static_cast<int>(absl::StatusCode::kDataLoss) ==
              static_cast<int>(grpc::StatusCode::DATA_LOSS));
static_assert(static_cast<int>(absl::StatusCode::kUnauthenticated) ==
              static_cast<int>(grpc::StatusCode::UNAUTHENTICATED));

grpc::Status ToGrpc(const absl::Status& s) {
  if (s.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(s.code()),
                      std::string(s.message()));
}

namespace {

void ToProto(const AppendReceipt& r, v1::Receipt* out) {
  out->set_index(r.index);
  out->set_event_id(std::string(AsBytes(r.event_id)));
  out->set_leaf_hash(std::string(AsBytes(r.leaf_hash)));
  out->set_duplicate(r.duplicate);
  out->set_tlog_proof(r.tlog_proof);
}

grpc::ServerUnaryReactor* Done(grpc::CallbackServerContext* ctx,
                               const absl::Status& s) {
  auto* reactor = ctx->DefaultReactor();
  reactor->Finish(ToGrpc(s));
  return reactor;
}

// The one value of call metadata `key`. UNAUTHENTICATED naming it when it is
// missing, or given more than once: a proxy and this server could each read
// another of them.
absl::StatusOr<std::string> OneMetadata(grpc::CallbackServerContext* ctx,
                                        const char* key) {
  const auto [first, last] = ctx->client_metadata().equal_range(key);
  if (first == last) {
    return absl::UnauthenticatedError(absl::StrCat(
        key,
        ": required (call credentials: ailedger-key, -time-ms, -nonce and "
        "-signature metadata)"));
  }
  if (std::next(first) != last) {
    return absl::UnauthenticatedError(
        absl::StrCat(key, ": given more than once"));
  }
  return std::string(first->second.data(), first->second.size());
}

// Base64 metadata `key` decoded: `size` bytes, or UNAUTHENTICATED naming it.
absl::StatusOr<std::string> DecodedMetadata(grpc::CallbackServerContext* ctx,
                                            const char* key, size_t size) {
  auto text = OneMetadata(ctx, key);
  if (!text.ok()) return text.status();
  auto bytes = Base64Decode(*text, key);
  if (!bytes.ok() || bytes->size() != size) {
    return absl::UnauthenticatedError(
        absl::StrCat(key, ": must be base64 of ", size, " bytes"));
  }
  return bytes;
}

absl::StatusOr<CallCredentials> ReadCredentials(
    grpc::CallbackServerContext* ctx) {
  CallCredentials c;
  auto key = DecodedMetadata(ctx, kCallMetadataKey, 32);
  if (!key.ok()) return key.status();
  auto time = OneMetadata(ctx, kCallMetadataTime);
  if (!time.ok()) return time.status();
  if (!absl::SimpleAtoi(*time, &c.time_ms)) {
    return absl::UnauthenticatedError(absl::StrCat(
        kCallMetadataTime, ": must be decimal Unix milliseconds in 64 bits"));
  }
  auto nonce = DecodedMetadata(ctx, kCallMetadataNonce, kCallNonceSize);
  if (!nonce.ok()) return nonce.status();
  auto sig = DecodedMetadata(ctx, kCallMetadataSignature, 64);
  if (!sig.ok()) return sig.status();
  std::memcpy(c.key.data(), key->data(), 32);
  std::memcpy(c.signature.data(), sig->data(), 64);
  c.nonce = *std::move(nonce);
  return c;
}

}  // namespace

LedgerService::LedgerService(std::string origin, std::string log_vkey,
                             Sequencer* sequencer, const LedgerReads* reads,
                             CallAuthenticator* auth, Options options,
                             std::function<int64_t()> now_ms)
    : origin_(std::move(origin)),
      log_vkey_(std::move(log_vkey)),
      sequencer_(sequencer),
      reads_(reads),
      auth_(auth),
      options_(options),
      now_ms_(std::move(now_ms)),
      per_key_(options.rate_per_key, std::max(1.0, options.rate_per_key)),
      per_peer_(options.rate_per_peer, std::max(1.0, options.rate_per_peer)),
      streams_(options.max_streams, options.max_streams_per_peer) {}

absl::Status LedgerService::LimitPeer(grpc::CallbackServerContext* ctx) {
  // By address, not address and port: a new connection is not a new bucket.
  if (!per_peer_.Allow(PeerRateName(ctx->peer()), 1, now_ms_())) {
    if (metrics_ != nullptr) metrics_->RateLimited("peer");
    return absl::ResourceExhaustedError("rate limit for this peer exceeded");
  }
  return absl::OkStatus();
}

absl::Status LedgerService::AuthorizeRead(grpc::CallbackServerContext* ctx,
                                          absl::string_view method) {
  CountRead(method);
  if (auto s = LimitPeer(ctx); !s.ok()) return s;
  if (options_.public_read) return absl::OkStatus();
  return AuthenticateCaller(ctx, method).status();
}

absl::StatusOr<PublicKey> LedgerService::AuthenticateCaller(
    grpc::CallbackServerContext* ctx, absl::string_view method) {
  auto creds = ReadCredentials(ctx);
  if (!creds.ok()) return creds.status();
  // The roster is consulted only once the signature verifies (flaw 15).
  auto s = auth_->Authenticate(absl::StrCat(kLedgerService, method), *creds,
                               now_ms_(), [this](const PublicKey& k) {
                                 return sequencer_->CheckActiveKey(k).ok();
                               });
  if (!s.ok()) return s;
  return creds->key;
}

grpc::ServerUnaryReactor* LedgerService::PutSealed(
    grpc::CallbackServerContext* ctx, const v1::PutSealedRequest* req,
    v1::PutSealedResponse*) {
  if (auto s = LimitPeer(ctx); !s.ok()) return Done(ctx, s);
  auto caller = AuthenticateCaller(ctx, "PutSealed");
  if (!caller.ok()) return Done(ctx, caller.status());
  return Done(ctx, sealed_->Put(*caller, *req));
}

grpc::ServerUnaryReactor* LedgerService::GetSealed(
    grpc::CallbackServerContext* ctx, const v1::GetSealedRequest* req,
    v1::GetSealedResponse* resp) {
  CountRead("GetSealed");
  if (auto s = LimitPeer(ctx); !s.ok()) return Done(ctx, s);
  auto caller = AuthenticateCaller(ctx, "GetSealed");
  if (!caller.ok()) return Done(ctx, caller.status());
  const bool privileged = sequencer_->HasRole(*caller, v1::ROLE_ADMIN) ||
                          sequencer_->HasRole(*caller, v1::ROLE_AUDITOR);
  auto out = sealed_->Get(*caller, privileged, *req);
  if (!out.ok()) return Done(ctx, out.status());
  *resp = *std::move(out);
  return Done(ctx, absl::OkStatus());
}

absl::StatusOr<PendingAppend> LedgerService::Admit(
    const v1::AppendRequest& req) {
  AppendInput in{req.event(), req.signer(), req.signature()};
  auto pending = CheckAppend(origin_, in, now_ms_(), options_.skew_ms,
                             sequencer_->role_table_version());
  if (!pending.ok()) return pending;
  // Charged only once the signature verifies, so nobody drains another key's
  // budget with forged events; and not for an event already on the log, so
  // nobody drains it by replaying the key's logged events (the sequencer
  // answers those with their receipt). The look-up is a store read, so it is
  // made only when keys are limited.
  if (!per_key_.enabled()) return pending;
  const bool logged =
      reads_->IndexOfEvent(std::string(AsBytes(pending->event_id))).ok();
  if (!logged && !per_key_.Allow(req.signer(), 1, now_ms_())) {
    if (metrics_ != nullptr) metrics_->RateLimited("key");
    return absl::ResourceExhaustedError(
        "signer: rate limit for this key exceeded");
  }
  return pending;
}

grpc::ServerUnaryReactor* LedgerService::RefuseAppend(
    grpc::CallbackServerContext* ctx, size_t events, const absl::Status& s) {
  if (metrics_ != nullptr) metrics_->EventsRefused(events, s);
  return Done(ctx, s);
}

void LedgerService::CountRead(absl::string_view method) {
  if (metrics_ != nullptr) metrics_->ReadCalled(method);
}

grpc::ServerUnaryReactor* LedgerService::Append(
    grpc::CallbackServerContext* ctx, const v1::AppendRequest* req,
    v1::AppendResponse* resp) {
  const absl::Time arrived = absl::Now();
  if (auto s = LimitPeer(ctx); !s.ok()) return RefuseAppend(ctx, 1, s);
  auto pending = Admit(*req);
  if (!pending.ok()) return RefuseAppend(ctx, 1, pending.status());
  auto* reactor = ctx->DefaultReactor();
  std::vector<PendingAppend> group;
  group.push_back(*std::move(pending));
  absl::Status queued = sequencer_->Submit(
      std::move(group),
      [reactor, resp, m = metrics_, arrived](AppendOutcomes o) {
        if (o[0].ok()) ToProto(*o[0], resp->mutable_receipt());
        if (m != nullptr) {
          m->EventAnswered(o[0].status(), o[0].ok() && o[0]->duplicate,
                           absl::Now() - arrived);
        }
        reactor->Finish(ToGrpc(o[0].status()));
      });
  if (!queued.ok()) {
    if (metrics_ != nullptr) metrics_->EventsRefused(1, queued);
    reactor->Finish(ToGrpc(queued));
  }
  return reactor;
}

grpc::ServerUnaryReactor* LedgerService::AppendBatch(
    grpc::CallbackServerContext* ctx, const v1::AppendBatchRequest* req,
    v1::AppendBatchResponse* resp) {
  const absl::Time arrived = absl::Now();
  const size_t events = req->events_size();
  if (auto s = LimitPeer(ctx); !s.ok()) return RefuseAppend(ctx, events, s);
  if (req->events_size() == 0 ||
      static_cast<size_t>(req->events_size()) > options_.max_batch_events ||
      req->ByteSizeLong() > options_.max_batch_bytes) {
    return RefuseAppend(
        ctx, events,
        absl::InvalidArgumentError(absl::StrCat(
            "events: 1 to ", options_.max_batch_events, " events and at most ",
            options_.max_batch_bytes, " bytes per batch")));
  }
  // Admitted events go to the sequencer; refused ones keep their error in
  // place.
  auto outcomes = std::make_shared<AppendOutcomes>(
      req->events_size(), absl::UnknownError("unanswered"));
  std::vector<PendingAppend> group;
  std::vector<size_t> positions;
  for (int i = 0; i < req->events_size(); ++i) {
    auto pending = Admit(req->events(i));
    if (!pending.ok()) {
      (*outcomes)[i] = pending.status();
      continue;
    }
    group.push_back(*std::move(pending));
    positions.push_back(i);
  }
  auto* reactor = ctx->DefaultReactor();
  auto finish = [reactor, resp, outcomes, positions, m = metrics_,
                 arrived](AppendOutcomes sequenced) {
    for (size_t k = 0; k < sequenced.size(); ++k)
      (*outcomes)[positions[k]] = sequenced[k];
    const absl::Duration elapsed = absl::Now() - arrived;
    for (const auto& o : *outcomes) {
      if (m != nullptr)
        m->EventAnswered(o.status(), o.ok() && o->duplicate, elapsed);
      auto* out = resp->add_outcomes();
      out->set_code(static_cast<int>(o.status().code()));
      out->set_message(std::string(o.status().message()));
      if (o.ok()) ToProto(*o, out->mutable_receipt());
    }
    reactor->Finish(grpc::Status::OK);
  };
  if (group.empty()) {
    finish({});
    return reactor;
  }
  absl::Status queued = sequencer_->Submit(std::move(group), finish);
  if (!queued.ok()) {
    if (metrics_ != nullptr) metrics_->EventsRefused(events, queued);
    reactor->Finish(ToGrpc(queued));
  }
  return reactor;
}

grpc::ServerWriteReactor<v1::GetEntriesResponse>* LedgerService::GetEntries(
    grpc::CallbackServerContext* ctx, const v1::GetEntriesRequest* req) {
  absl::Status s = AuthorizeRead(ctx, "GetEntries");
  if (s.ok()) s = CheckEntries(*req);
  return StartEntriesStream(s, &streams_, ctx, reads_, *req);
}

grpc::ServerUnaryReactor* LedgerService::GetEntry(
    grpc::CallbackServerContext* ctx, const v1::GetEntryRequest* req,
    v1::GetEntryResponse* resp) {
  if (auto s = AuthorizeRead(ctx, "GetEntry"); !s.ok()) return Done(ctx, s);
  auto entry = req->has_event_id() ? reads_->EntryById(req->event_id())
                                   : reads_->EntryAt(req->index());
  if (!entry.ok()) return Done(ctx, entry.status());
  resp->mutable_entry()->set_index(entry->index);
  resp->mutable_entry()->set_leaf(std::move(entry->leaf));
  return Done(ctx, absl::OkStatus());
}

grpc::ServerUnaryReactor* LedgerService::GetCheckpoint(
    grpc::CallbackServerContext* ctx, const v1::GetCheckpointRequest* req,
    v1::GetCheckpointResponse* resp) {
  CountRead("GetCheckpoint");
  if (auto s = LimitPeer(ctx); !s.ok()) return Done(ctx, s);
  absl::StatusOr<std::string> note;
  switch (req->which()) {
    case v1::GetCheckpointRequest::AT_SIZE:
      note = reads_->CheckpointAt(req->size());
      break;
    case v1::GetCheckpointRequest::LATEST_COSIGNED:
      note = reads_->LatestCosignedCheckpoint();
      break;
    case v1::GetCheckpointRequest::COSIGNED_AFTER:
      note = reads_->CosignedAfter(req->size());
      break;
    case v1::GetCheckpointRequest::LATEST:
      note = reads_->LatestCheckpoint();
      break;
    default:  // a value of a later version: not silently the latest
      note = absl::InvalidArgumentError(absl::StrCat(
          "which: ", static_cast<int>(req->which()),
          " is not a GetCheckpointRequest.Which this server knows"));
  }
  if (!note.ok()) return Done(ctx, note.status());
  resp->set_checkpoint(*std::move(note));
  return Done(ctx, absl::OkStatus());
}

grpc::ServerUnaryReactor* LedgerService::GetInclusionProof(
    grpc::CallbackServerContext* ctx, const v1::GetInclusionProofRequest* req,
    v1::GetInclusionProofResponse* resp) {
  if (auto s = AuthorizeRead(ctx, "GetInclusionProof"); !s.ok())
    return Done(ctx, s);
  absl::StatusOr<uint64_t> index = req->index();
  if (req->has_event_id()) index = reads_->IndexOfEvent(req->event_id());
  if (!index.ok()) return Done(ctx, index.status());
  auto a = reads_->Inclusion(*index, req->tree_size());
  if (!a.ok()) return Done(ctx, a.status());
  resp->set_index(a->index);
  resp->set_tree_size(a->tree_size);
  resp->set_leaf(std::move(a->leaf));
  for (const Hash& h : a->hashes) resp->add_hashes(std::string(AsBytes(h)));
  resp->set_checkpoint(std::move(a->checkpoint));
  return Done(ctx, absl::OkStatus());
}

grpc::ServerUnaryReactor* LedgerService::GetConsistencyProof(
    grpc::CallbackServerContext* ctx, const v1::GetConsistencyProofRequest* req,
    v1::GetConsistencyProofResponse* resp) {
  if (auto s = AuthorizeRead(ctx, "GetConsistencyProof"); !s.ok())
    return Done(ctx, s);
  auto state = reads_->State();
  if (!state.ok()) return Done(ctx, state.status());
  const uint64_t second = req->second() == 0 ? state->size : req->second();
  auto proof = reads_->Consistency(req->first(), second);
  if (!proof.ok()) return Done(ctx, proof.status());
  resp->set_first(req->first());
  resp->set_second(second);
  for (const Hash& h : *proof) resp->add_hashes(std::string(AsBytes(h)));
  return Done(ctx, absl::OkStatus());
}

grpc::ServerWriteReactor<v1::QueryResponse>* LedgerService::Query(
    grpc::CallbackServerContext* ctx, const v1::QueryRequest* req) {
  absl::Status s = AuthorizeRead(ctx, "Query");
  if (s.ok()) s = CheckQuery(*req, *reads_);
  return StartQueryStream(s, &streams_, ctx, reads_, *req);
}

grpc::ServerUnaryReactor* LedgerService::GetLogInfo(
    grpc::CallbackServerContext* ctx, const v1::GetLogInfoRequest*,
    v1::GetLogInfoResponse* resp) {
  CountRead("GetLogInfo");
  if (auto s = LimitPeer(ctx); !s.ok()) return Done(ctx, s);
  auto state = reads_->State();
  if (!state.ok()) return Done(ctx, state.status());
  // The key it signs with now, and how a reader gets there from the genesis's
  // key (server/log_key_reads.h).
  auto keys = ReadLogKeys(*reads_->store());
  if (!keys.ok()) return Done(ctx, keys.status());
  resp->set_origin(origin_);
  resp->set_log_verifier_key(keys->current_key.empty() ? log_vkey_
                                                       : keys->current_key);
  resp->set_size(state->size);
  for (std::string& p : keys->rotation_proofs)
    resp->add_key_rotations(std::move(p));
  if (replica_lag_ms_) {
    resp->set_read_only(true);
    resp->set_replica_lag_ms(replica_lag_ms_());
  }
  return Done(ctx, absl::OkStatus());
}

}  // namespace ailedger
