#include "tools/bench_drive.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <latch>
#include <memory>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "client/ledger_client.h"

namespace ailedger::bench {
namespace {

using Clock = std::chrono::steady_clock;

std::shared_ptr<LedgerClient> Connect(const std::string& address) {
  LedgerClient::Options o;
  o.target = address;
  o.timeout_seconds = 60;
  return LedgerClient::Connect(o).value();
}

}  // namespace

DriveResult Drive(int clients, size_t items, double pace_per_second,
                  const std::function<Worker()>& open) {
  std::atomic<size_t> next{0}, acked{0}, failed{0};
  absl::Mutex mu;
  std::vector<double> latencies_us;
  std::latch opened(clients), go(1);
  Clock::time_point start;
  std::vector<std::thread> threads;
  for (int t = 0; t < clients; ++t) {
    threads.emplace_back([&] {
      Worker work = open();
      opened.count_down();
      go.wait();
      std::vector<double> mine;
      for (size_t i; (i = next++) < items;) {
        if (pace_per_second > 0) {  // open loop: item i is due at i / rate
          std::this_thread::sleep_until(
              start + std::chrono::microseconds(
                          static_cast<int64_t>(i * 1e6 / pace_per_second)));
        }
        const auto t0 = Clock::now();
        size_t n = work(i);
        mine.push_back(
            std::chrono::duration<double, std::micro>(Clock::now() - t0)
                .count());
        (n > 0 ? acked : failed) += n > 0 ? n : 1;
      }
      absl::MutexLock lock(&mu);
      latencies_us.insert(latencies_us.end(), mine.begin(), mine.end());
    });
  }
  opened.wait();
  start = Clock::now();
  go.count_down();  // publishes `start` to the threads
  for (auto& t : threads) t.join();
  const double seconds =
      std::chrono::duration<double>(Clock::now() - start).count();
  DriveResult r;
  r.acknowledged = acked;
  r.failed = failed;
  r.seconds = seconds;
  r.per_second = acked / seconds;
  r.p50_ms = Percentile(latencies_us, 50) / 1000;
  r.p99_ms = Percentile(latencies_us, 99) / 1000;
  return r;
}

DriveResult DriveUnaryAppends(const std::string& address, int clients,
                              const std::vector<std::string>& pool,
                              double pace_per_second) {
  return Drive(clients, pool.size(), pace_per_second, [&]() -> Worker {
    return [client = Connect(address), &pool](size_t i) -> size_t {
      v1::AppendRequest req;
      req.ParseFromString(pool[i]);
      return client->Append(req).ok() ? 1 : 0;
    };
  });
}

DriveResult DriveBatchedAppends(const std::string& address, size_t batch,
                                const std::vector<std::string>& pool) {
  return Drive(kBatchClients, pool.size() / batch, 0, [&]() -> Worker {
    return [client = Connect(address), &pool, batch](size_t i) -> size_t {
      v1::AppendBatchRequest req;
      for (size_t k = i * batch; k < (i + 1) * batch; ++k)
        req.add_events()->ParseFromString(pool[k]);
      auto resp = client->AppendBatch(req);
      if (!resp.ok()) return 0;
      size_t ok = 0;
      for (const auto& o : resp->outcomes()) ok += o.code() == 0;
      return ok;
    };
  });
}

void PrintResult(const std::string& what, const DriveResult& r,
                 const Ceiling* ceiling, FILE* out) {
  const std::string share =
      ceiling == nullptr ? "" : " (" + ShareOf(*ceiling, r.per_second) + ")";
  std::fprintf(out,
               "%-40s %9.0f appends/s%s   p50 %7.2f ms   p99 %7.2f ms   (%zu "
               "acked, %zu failed)\n",
               what.c_str(), r.per_second, share.c_str(), r.p50_ms, r.p99_ms,
               r.acknowledged, r.failed);
  std::fflush(out);
}

}  // namespace ailedger::bench
