// Events and submissions for tests that drive the Sequencer without gRPC.
// Each PendingAppend is what CheckAppend would have handed on: canonical
// bytes, the signature over them in the log's signing context, the event id,
// and vocabulary fields version 2.
#ifndef AILEDGER_TESTS_TESTING_SEQUENCER_EVENTS_H_
#define AILEDGER_TESTS_TESTING_SEQUENCER_EVENTS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ailedger/event.pb.h"
#include "ledger/tlog/keys.h"
#include "server/sequencer.h"

namespace ailedger::testing {

// `e` signed by `k` for the log `origin`.
PendingAppend SignedPending(absl::string_view origin, const v1::Event& e,
                            const SigningKey& k);

// The genesis of `origin` naming `admin` (role table version 2: the service's
// cases, not vocabulary v2's).
v1::Event TestGenesis(absl::string_view origin, const SigningKey& admin);

// A grant of the publisher role to the person holding `k`, in "Acme AI".
v1::Event PublisherGrant(absl::string_view origin, const SigningKey& k,
                         const std::string& display_name = "staff");

// A publisher grant to a freshly generated key: a new, valid event each call.
v1::Event FreshGrant(absl::string_view origin);

// Submits `group` and waits for its outcomes. A group the sequencer refuses
// to queue is a test failure, and each of its events gets the refusal.
AppendOutcomes SubmitAndWait(Sequencer& seq, std::vector<PendingAppend> group);

// UNAVAILABLE, saying the append was not acknowledged.
void ExpectNotAcknowledged(const absl::StatusOr<AppendReceipt>& r);

}  // namespace ailedger::testing

#endif  // AILEDGER_TESTS_TESTING_SEQUENCER_EVENTS_H_
