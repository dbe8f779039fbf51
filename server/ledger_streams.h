// The service's two streaming reads, GetEntries and Query: each stream holds
// a place in the stream gate (one per peer, a bounded total) for as long as it
// lives, writes one page at a time from LedgerReads, and gives its place back
// before its status is sent. A stream refused before it starts (not
// authorized, no place left) finishes at once with that status.
#ifndef AILEDGER_SERVER_LEDGER_STREAMS_H_
#define AILEDGER_SERVER_LEDGER_STREAMS_H_

#include "absl/status/status.h"
#include "ailedger/ledger.grpc.pb.h"
#include "server/call_auth.h"
#include "server/ledger_reads.h"

namespace ailedger {

// A range of entries: an end (when given) below the start is
// INVALID_ARGUMENT.
absl::Status CheckEntries(const v1::GetEntriesRequest& req);

// A query's window and start, before any row is read: an inverted window
// is INVALID_ARGUMENT, a start beyond the log OUT_OF_RANGE (as GetEntries
// says).
absl::Status CheckQuery(const v1::QueryRequest& q, const LedgerReads& reads);

// Streams entries [req.start, req.end) (end 0: to the log's end) once the
// call is `authorized` and the peer has a place in `gate`.
grpc::ServerWriteReactor<v1::GetEntriesResponse>* StartEntriesStream(
    const absl::Status& authorized, ConcurrencyGate* gate,
    grpc::CallbackServerContext* ctx, const LedgerReads* reads,
    const v1::GetEntriesRequest& req);

// Streams the pages of a query until the log's end, the limit, or
// cancellation, once the call is `authorized` and has a place in `gate`.
grpc::ServerWriteReactor<v1::QueryResponse>* StartQueryStream(
    const absl::Status& authorized, ConcurrencyGate* gate,
    grpc::CallbackServerContext* ctx, const LedgerReads* reads,
    const v1::QueryRequest& req);

}  // namespace ailedger

#endif  // AILEDGER_SERVER_LEDGER_STREAMS_H_
