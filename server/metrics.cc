#include "server/metrics.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <atomic>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "prometheus/collectable.h"
#include "prometheus/counter.h"
#include "prometheus/exposer.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"
#include "prometheus/text_serializer.h"

namespace ailedger {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

// Seconds from a call's arrival to its receipt: a synced commit takes a few
// milliseconds; a full queue, seconds.
const prometheus::Histogram::BucketBoundaries kReceiptBuckets = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
    0.1,    0.25,  0.5,    1,     2.5,  5,     10};
// Events per batch, up to the largest --max-batch-events commonly used.
const prometheus::Histogram::BucketBoundaries kBatchBuckets = {
    1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000};

MetricFamily GaugeFamily(std::string name, std::string help) {
  return {std::move(name), std::move(help), MetricType::Gauge, {}};
}

ClientMetric GaugeValue(double value, std::vector<ClientMetric::Label> labels) {
  ClientMetric m;
  m.label = std::move(labels);
  m.gauge.value = value;
  return m;
}

// The gauges whose value is a reading at scrape time: the queue, and ages.
class LiveGauges : public prometheus::Collectable {
 public:
  std::vector<MetricFamily> Collect() const override {
    std::lock_guard<std::mutex> lock(mu_);
    const absl::Time now = absl::Now();
    std::vector<MetricFamily> out;
    out.push_back(GaugeFamily("ailedger_queue_events",
                              "Events waiting for the sequencer."));
    out.back().metric.push_back(
        GaugeValue(static_cast<double>(depth_ ? depth_() : last_queued_), {}));
    if (checkpoint_time_) {
      out.push_back(
          GaugeFamily("ailedger_checkpoint_age_seconds",
                      "Seconds since the latest checkpoint was signed."));
      out.back().metric.push_back(
          GaugeValue(absl::ToDoubleSeconds(now - *checkpoint_time_), {}));
    }
    if (!cosigned_.empty()) {
      out.push_back(
          GaugeFamily("ailedger_witness_cosignature_age_seconds",
                      "Seconds since each witness's last cosignature."));
      for (const auto& [witness, time] : cosigned_) {
        out.back().metric.push_back(GaugeValue(
            absl::ToDoubleSeconds(now - time), {{"witness", witness}}));
      }
    }
    return out;
  }

  void set_depth(std::function<size_t()> depth) {
    std::lock_guard<std::mutex> lock(mu_);
    depth_ = std::move(depth);
  }
  void set_last_queued(size_t n) {
    std::lock_guard<std::mutex> lock(mu_);
    last_queued_ = n;
  }
  void set_checkpoint_time(absl::Time t) {
    std::lock_guard<std::mutex> lock(mu_);
    checkpoint_time_ = t;
  }
  void set_cosigned(absl::string_view witness, absl::Time t) {
    std::lock_guard<std::mutex> lock(mu_);
    cosigned_[std::string(witness)] = t;
  }

 private:
  mutable std::mutex mu_;
  std::function<size_t()> depth_;
  size_t last_queued_ = 0;
  std::optional<absl::Time> checkpoint_time_;
  std::map<std::string, absl::Time> cosigned_;
};

std::string CodeName(const absl::Status& s) {
  return absl::StatusCodeToString(s.code());
}

}  // namespace

absl::Status CheckMetricsAddress(const std::string& address,
                                 bool allow_remote) {
  const size_t colon = address.rfind(':');
  uint32_t port = 0;
  if (colon == std::string::npos ||
      !absl::SimpleAtoi(address.substr(colon + 1), &port) || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("--metrics-addr: '", address,
                     "' is not HOST:PORT (e.g. 127.0.0.1:9464)"));
  }
  std::string host = address.substr(0, colon);
  bool loopback = false;
  in_addr v4;
  in6_addr v6;
  if (host.size() > 2 && host.front() == '[' && host.back() == ']' &&
      inet_pton(AF_INET6, host.substr(1, host.size() - 2).c_str(), &v6) == 1) {
    loopback = IN6_IS_ADDR_LOOPBACK(&v6);
  } else if (inet_pton(AF_INET, host.c_str(), &v4) == 1) {
    loopback = (ntohl(v4.s_addr) >> 24) == 127;
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "--metrics-addr: '", host,
        "' is not a numeric address (127.0.0.1, or [::1] for IPv6)"));
  }
  if (loopback || allow_remote) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "--metrics-addr: ", host,
      " is not a loopback address, and the metrics page has no "
      "authentication; --metrics-allow-remote serves it there anyway"));
}

struct Metrics::State {
  std::shared_ptr<prometheus::Registry> registry =
      std::make_shared<prometheus::Registry>();
  std::shared_ptr<LiveGauges> live = std::make_shared<LiveGauges>();
  prometheus::Family<prometheus::Counter>& appends =
      prometheus::BuildCounter()
          .Name("ailedger_appends_total")
          .Help("Events of append calls answered, by outcome and gRPC code.")
          .Register(*registry);
  prometheus::Counter& logged =
      appends.Add({{"outcome", "logged"}, {"code", "OK"}});
  prometheus::Counter& duplicate =
      appends.Add({{"outcome", "duplicate"}, {"code", "OK"}});
  prometheus::Histogram& receipt =
      prometheus::BuildHistogram()
          .Name("ailedger_append_receipt_seconds")
          .Help("Seconds from an append call's arrival to its receipt.")
          .Register(*registry)
          .Add({}, kReceiptBuckets);
  prometheus::Histogram& batch =
      prometheus::BuildHistogram()
          .Name("ailedger_batch_events")
          .Help("Events taken from the queue per batch.")
          .Register(*registry)
          .Add({}, kBatchBuckets);
  prometheus::Counter& commit_failures =
      prometheus::BuildCounter()
          .Name("ailedger_commit_failures_total")
          .Help("Batches whose commit failed.")
          .Register(*registry)
          .Add({});
  prometheus::Gauge& tree_size = prometheus::BuildGauge()
                                     .Name("ailedger_tree_size")
                                     .Help("Entries in the log.")
                                     .Register(*registry)
                                     .Add({});
  prometheus::Family<prometheus::Counter>& witness_failures =
      prometheus::BuildCounter()
          .Name("ailedger_witness_failures_total")
          .Help("Rounds in which a witness gave no cosignature.")
          .Register(*registry);
  prometheus::Family<prometheus::Counter>& rate_limited =
      prometheus::BuildCounter()
          .Name("ailedger_rate_limited_total")
          .Help("Refusals by a rate limit: calls (peer) or events (key).")
          .Register(*registry);
  prometheus::Family<prometheus::Counter>& reads =
      prometheus::BuildCounter()
          .Name("ailedger_reads_total")
          .Help("Read calls received, by method.")
          .Register(*registry);
  // Last: stopped before what it serves is destroyed.
  std::unique_ptr<prometheus::Exposer> exposer;
};

Metrics::Metrics() : state_(std::make_unique<State>()) {}

Metrics::~Metrics() = default;

absl::StatusOr<std::unique_ptr<Metrics>> Metrics::Serve(
    const std::string& address) {
  auto m = std::make_unique<Metrics>();
  // prometheus-cpp (civetweb) throws when it cannot listen.
  try {
    m->state_->exposer = std::make_unique<prometheus::Exposer>(address);
  } catch (const std::exception& e) {
    return absl::UnavailableError(absl::StrCat(
        "--metrics-addr: cannot listen on ", address, ": ", e.what()));
  }
  m->state_->exposer->RegisterCollectable(m->state_->registry);
  m->state_->exposer->RegisterCollectable(m->state_->live);
  const std::vector<int> ports = m->state_->exposer->GetListeningPorts();
  if (ports.empty()) {
    return absl::UnavailableError(
        absl::StrCat("--metrics-addr: cannot listen on ", address));
  }
  m->address_ =
      absl::StrCat(address.substr(0, address.rfind(':')), ":", ports.front());
  return m;
}

std::string Metrics::Scrape() const {
  std::vector<MetricFamily> families = state_->registry->Collect();
  for (MetricFamily& f : state_->live->Collect())
    families.push_back(std::move(f));
  return prometheus::TextSerializer().Serialize(families);
}

void Metrics::EventAnswered(const absl::Status& outcome, bool duplicate,
                            absl::Duration since_call) {
  if (!outcome.ok()) return EventsRefused(1, outcome);
  (duplicate ? state_->duplicate : state_->logged).Increment();
  state_->receipt.Observe(absl::ToDoubleSeconds(since_call));
}

void Metrics::EventsRefused(size_t events, const absl::Status& why) {
  if (events == 0) return;
  state_->appends.Add({{"outcome", "refused"}, {"code", CodeName(why)}})
      .Increment(static_cast<double>(events));
}

void Metrics::RateLimited(absl::string_view limit) {
  state_->rate_limited.Add({{"limit", std::string(limit)}}).Increment();
}

void Metrics::ReadCalled(absl::string_view method) {
  state_->reads.Add({{"method", std::string(method)}}).Increment();
}

void Metrics::BatchDone(const BatchReport& report) {
  state_->batch.Observe(static_cast<double>(report.events));
  state_->live->set_last_queued(report.queued_events);
  if (!report.commit.ok()) {
    state_->commit_failures.Increment();
    return;
  }
  state_->tree_size.Set(static_cast<double>(report.tree_size));
  // Each commit writes the checkpoint signed for it.
  if (report.committed > 0) state_->live->set_checkpoint_time(absl::Now());
}

void Metrics::StartState(uint64_t tree_size, absl::Time checkpoint_time) {
  state_->tree_size.Set(static_cast<double>(tree_size));
  state_->live->set_checkpoint_time(checkpoint_time);
}

void Metrics::WitnessAnswered(absl::string_view witness,
                              const absl::Status& result) {
  if (result.ok()) return state_->live->set_cosigned(witness, absl::Now());
  state_->witness_failures.Add({{"witness", std::string(witness)}}).Increment();
}

void Metrics::SetQueueDepth(std::function<size_t()> depth) {
  state_->live->set_depth(std::move(depth));
}

}  // namespace ailedger
