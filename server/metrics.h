// ailedgerd's Prometheus metrics (prometheus-cpp), served as text on
// http://ADDR/metrics by `ailedgerd serve --metrics-addr ADDR`: a port of its
// own, never the gRPC one, and loopback unless --metrics-allow-remote, as the
// page has no authentication.
//
// clang-format off
//   ailedger_appends_total{outcome,code}        counter: events answered;
//       outcome logged | duplicate | refused, code the gRPC code (OK, ...)
//   ailedger_append_receipt_seconds              histogram: from the call's
//       arrival to its receipt, per event answered with one
//   ailedger_queue_events                        gauge: events waiting for the
//       sequencer (read at each scrape)
//   ailedger_batch_events                        histogram: events per batch
//   ailedger_commit_failures_total               counter: batches whose commit
//       failed
//   ailedger_tree_size                           gauge: entries in the log
//   ailedger_checkpoint_age_seconds              gauge: since the latest
//       checkpoint was signed (the last leaf's integrated time at start-up)
//   ailedger_witness_cosignature_age_seconds{witness}  gauge: since that
//       witness's last cosignature (absent before the first)
//   ailedger_witness_failures_total{witness}     counter: rounds it failed
//   ailedger_rate_limited_total{limit}           counter: calls (peer) or
//       events (key) refused by a rate limit
//   ailedger_reads_total{method}                 counter: read calls received
// clang-format on
//
// No label ever holds an event, a key or a caller: only codes, method names
// and the witnesses' key names from the command line. Thread-safe.
#ifndef AILEDGER_SERVER_METRICS_H_
#define AILEDGER_SERVER_METRICS_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/sequencer.h"

namespace ailedger {

// OK for a loopback address "HOST:PORT" (127.0.0.0/8 or [::1], numeric, port
// 0 to 65535); a remote numeric address only when `allow_remote`.
// INVALID_ARGUMENT naming --metrics-addr otherwise.
absl::Status CheckMetricsAddress(const std::string& address, bool allow_remote);

class Metrics {
 public:
  // Collects without serving (tests read Scrape()).
  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // Collects and serves /metrics on `address` ("HOST:PORT"; port 0 picks a
  // free one). UNAVAILABLE when it cannot listen there.
  static absl::StatusOr<std::unique_ptr<Metrics>> Serve(
      const std::string& address);

  // "HOST:PORT" it serves on; "" when it does not.
  const std::string& address() const { return address_; }
  // The text exposition format, as /metrics answers.
  std::string Scrape() const;

  // One event of an append call answered: with a receipt (OK, `duplicate`
  // when it was already logged) `since_call` after the call arrived, or
  // refused.
  void EventAnswered(const absl::Status& outcome, bool duplicate,
                     absl::Duration since_call);
  // `events` events refused together (a whole call refused).
  void EventsRefused(size_t events, const absl::Status& why);
  // A refusal by the rate limit `limit` ("peer" or "key").
  void RateLimited(absl::string_view limit);
  // A read call of `method` received.
  void ReadCalled(absl::string_view method);
  // After each batch (Sequencer::Options::on_batch).
  void BatchDone(const BatchReport& report);
  // The log's state at start-up: its size and when its latest checkpoint was
  // signed.
  void StartState(uint64_t tree_size, absl::Time checkpoint_time);
  // A round with `witness` (its key name): OK when it cosigned.
  void WitnessAnswered(absl::string_view witness, const absl::Status& result);
  // Read at each scrape for ailedger_queue_events (Sequencer::queued_events);
  // until set, the count the last batch left.
  void SetQueueDepth(std::function<size_t()> depth);

 private:
  struct State;
  std::unique_ptr<State> state_;
  std::string address_;
};

}  // namespace ailedger

#endif  // AILEDGER_SERVER_METRICS_H_
