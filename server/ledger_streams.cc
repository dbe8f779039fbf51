#include "server/ledger_streams.h"

#include <algorithm>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "server/ledger_service.h"  // ToGrpc

namespace ailedger {
namespace {

// The page size a streaming read asked for (0: 100), within [1, max].
size_t PageSize(uint32_t requested, size_t max) {
  return std::clamp<size_t>(requested == 0 ? 100 : requested, 1, max);
}

// A place held in a ConcurrencyGate for as long as a stream lives.
class GatePlace {
 public:
  GatePlace(ConcurrencyGate* gate, std::string name)
      : gate_(gate), name_(std::move(name)) {}
  GatePlace(const GatePlace&) = delete;
  GatePlace& operator=(const GatePlace&) = delete;
  ~GatePlace() { gate_->Leave(name_); }

 private:
  ConcurrencyGate* const gate_;
  const std::string name_;
};

// A place for one more stream from this peer, or RESOURCE_EXHAUSTED.
absl::StatusOr<std::unique_ptr<GatePlace>> EnterStream(
    ConcurrencyGate* gate, grpc::CallbackServerContext* ctx) {
  std::string name = PeerRateName(ctx->peer());
  if (auto s = gate->TryEnter(name); !s.ok()) return s;
  return std::make_unique<GatePlace>(gate, std::move(name));
}

// A stream refused before it starts.
template <typename T>
class FailedWriter : public grpc::ServerWriteReactor<T> {
 public:
  explicit FailedWriter(const absl::Status& s) { this->Finish(ToGrpc(s)); }
  void OnDone() override { delete this; }
};

// A stream that holds a place in the stream gate while it lives and writes
// one page per NextPage until it calls FinishAndLeave.
template <typename T>
class PlacedWriter : public grpc::ServerWriteReactor<T> {
 public:
  void OnWriteDone(bool ok) override {
    if (!ok)
      return FinishAndLeave(
          grpc::Status(grpc::StatusCode::CANCELLED, "write failed"));
    NextPage();
  }
  void OnDone() override { delete this; }

 protected:
  explicit PlacedWriter(std::unique_ptr<GatePlace> place)
      : place_(std::move(place)) {}
  // Writes the next page, or finishes the stream.
  virtual void NextPage() = 0;
  // Gives the stream's place back before its status is sent, so a client that
  // starts its next stream on seeing the status always finds it free (OnDone
  // runs later, after the status has left).
  void FinishAndLeave(const grpc::Status& s) {
    place_.reset();
    this->Finish(s);
  }

 private:
  std::unique_ptr<GatePlace> place_;
};

// Starts a stream once the call is `authorized` and the peer has a place in
// `gate`; `make` builds the writer that holds that place.
template <typename T, typename MakeWriter>
grpc::ServerWriteReactor<T>* StartStream(const absl::Status& authorized,
                                         ConcurrencyGate* gate,
                                         grpc::CallbackServerContext* ctx,
                                         MakeWriter make) {
  if (!authorized.ok()) return new FailedWriter<T>(authorized);
  auto place = EnterStream(gate, ctx);
  if (!place.ok()) return new FailedWriter<T>(place.status());
  return make(*std::move(place));
}

// Streams pages of entries [next, end) until done or cancelled.
class EntriesWriter : public PlacedWriter<v1::GetEntriesResponse> {
 public:
  EntriesWriter(std::unique_ptr<GatePlace> place, const LedgerReads* reads,
                uint64_t start, uint64_t end, size_t page)
      : PlacedWriter(std::move(place)),
        reads_(reads),
        next_(start),
        end_(end),
        page_(page) {
    NextPage();
  }

 private:
  void NextPage() override {
    if (end_ != 0 && next_ >= end_) return FinishAndLeave(grpc::Status::OK);
    uint64_t stop = next_ + page_;
    if (end_ != 0) stop = std::min(stop, end_);
    auto entries = reads_->Entries(next_, stop);
    if (!entries.ok()) return FinishAndLeave(ToGrpc(entries.status()));
    if (entries->empty()) return FinishAndLeave(grpc::Status::OK);
    resp_.Clear();
    for (auto& e : *entries) {
      auto* out = resp_.add_entries();
      out->set_index(e.index);
      out->set_leaf(std::move(e.leaf));
    }
    next_ = entries->back().index + 1;
    StartWrite(&resp_);
  }
  const LedgerReads* const reads_;
  uint64_t next_, end_;
  const size_t page_;
  v1::GetEntriesResponse resp_;
};

// Streams query pages until the log's end, the limit, or cancellation.
class QueryWriter : public PlacedWriter<v1::QueryResponse> {
 public:
  QueryWriter(std::unique_ptr<GatePlace> place, const LedgerReads* reads,
              QuerySpec spec, uint64_t start, size_t page, uint64_t limit)
      : PlacedWriter(std::move(place)),
        reads_(reads),
        spec_(std::move(spec)),
        next_(start),
        page_(page),
        left_(limit) {
    NextPage();
  }

 private:
  void NextPage() override {
    if (done_) return FinishAndLeave(grpc::Status::OK);
    auto page = reads_->Query(
        spec_, next_, left_ == 0 ? page_ : std::min<uint64_t>(page_, left_));
    if (!page.ok()) return FinishAndLeave(ToGrpc(page.status()));
    resp_.Clear();
    for (auto& e : page->entries) {
      auto* out = resp_.add_entries();
      out->set_index(e.index);
      out->set_leaf(std::move(e.leaf));
      if (left_ != 0 && --left_ == 0) done_ = true;
    }
    next_ = page->next_index;
    resp_.set_next_index(next_);
    done_ |= page->done;
    StartWrite(&resp_);
  }
  const LedgerReads* const reads_;
  const QuerySpec spec_;
  uint64_t next_;
  const size_t page_;
  uint64_t left_;
  bool done_ = false;
  v1::QueryResponse resp_;
};

}  // namespace

absl::Status CheckEntries(const v1::GetEntriesRequest& req) {
  if (req.end() != 0 && req.end() < req.start()) {
    return absl::InvalidArgumentError(
        absl::StrCat("end: ", req.end(), " is below start ", req.start()));
  }
  return absl::OkStatus();
}

absl::Status CheckQuery(const v1::QueryRequest& q, const LedgerReads& reads) {
  if (q.from_ms() != 0 && q.to_ms() != 0 && q.to_ms() < q.from_ms()) {
    return absl::InvalidArgumentError(
        absl::StrCat("to_ms: ", q.to_ms(), " is before from_ms ", q.from_ms()));
  }
  auto state = reads.State();
  if (!state.ok()) return state.status();
  if (q.start_index() > state->size) {
    return absl::OutOfRangeError(absl::StrCat("start_index: ", q.start_index(),
                                              " is beyond the log's size ",
                                              state->size));
  }
  return absl::OkStatus();
}

grpc::ServerWriteReactor<v1::GetEntriesResponse>* StartEntriesStream(
    const absl::Status& authorized, ConcurrencyGate* gate,
    grpc::CallbackServerContext* ctx, const LedgerReads* reads,
    const v1::GetEntriesRequest& req) {
  const size_t page = PageSize(req.page_size(), reads->max_page());
  return StartStream<v1::GetEntriesResponse>(
      authorized, gate, ctx, [&](std::unique_ptr<GatePlace> place) {
        return new EntriesWriter(std::move(place), reads, req.start(),
                                 req.end(), page);
      });
}

grpc::ServerWriteReactor<v1::QueryResponse>* StartQueryStream(
    const absl::Status& authorized, ConcurrencyGate* gate,
    grpc::CallbackServerContext* ctx, const LedgerReads* reads,
    const v1::QueryRequest& req) {
  QuerySpec spec{req.subject_kind(), req.subject_id(), req.event_type(),
                 req.organisation(), req.from_ms(),    req.to_ms()};
  const size_t page = PageSize(req.page_size(), reads->max_page());
  return StartStream<v1::QueryResponse>(
      authorized, gate, ctx, [&](std::unique_ptr<GatePlace> place) {
        return new QueryWriter(std::move(place), reads, std::move(spec),
                               req.start_index(), page, req.limit());
      });
}

}  // namespace ailedger
