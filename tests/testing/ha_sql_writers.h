// SQL writers for the failover test of PostgreSQL itself (e2e_ha_test,
// NoAcknowledgedCommitIsLostWhenThePrimaryIsKilled), through libpq: rows whose
// COMMIT was acknowledged, and when, so that none may be missing after a
// failover.
#ifndef AILEDGER_TESTS_TESTING_HA_SQL_WRITERS_H_
#define AILEDGER_TESTS_TESTING_HA_SQL_WRITERS_H_

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace ailedger::testing {

inline constexpr int kSqlWriters = 4;

// The steady clock, in ms.
int64_t NowMs();

// Runs one SQL statement; its first value, or a test failure.
std::string Query(const std::string& conninfo, const std::string& sql);

// SQL writers that each commit (writer, seq) rows in autocommit, one at a time,
// reconnecting through the multi-host conninfo whenever a statement fails;
// they record the rows whose commit was acknowledged and when.
class SqlWriters {
 public:
  explicit SqlWriters(std::string conninfo) : conninfo_(std::move(conninfo)) {}
  ~SqlWriters() { Join(); }

  void Start() {
    for (int w = 0; w < kSqlWriters; ++w)
      threads_.emplace_back([this, w] { Run(w); });
  }
  void Stop() { stop_ = true; }
  void Join() {
    Stop();
    for (auto& t : threads_) t.join();
    threads_.clear();
  }
  std::vector<std::pair<int, int>> acked() {
    std::lock_guard<std::mutex> l(mu_);
    return acked_;
  }
  // The time of the first acknowledgement at or after `ms`, or 0.
  int64_t FirstAckAfter(int64_t ms) {
    std::lock_guard<std::mutex> l(mu_);
    for (int64_t t : ack_ms_) {
      if (t >= ms) return t;
    }
    return 0;
  }
  // How many acknowledgements fell in [from, to).
  size_t AcksBetween(int64_t from, int64_t to) {
    std::lock_guard<std::mutex> l(mu_);
    size_t n = 0;
    for (int64_t t : ack_ms_) n += t >= from && t < to;
    return n;
  }
  size_t count() {
    std::lock_guard<std::mutex> l(mu_);
    return acked_.size();
  }
  int sync_rep_cancels() const { return cancels_.load(); }

 private:
  void Run(int w);

  const std::string conninfo_;
  std::atomic<bool> stop_{false};
  std::atomic<int> cancels_{0};
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::vector<std::pair<int, int>> acked_;
  std::vector<int64_t> ack_ms_;  // steady clock, in acknowledgement order
};

}  // namespace ailedger::testing

#endif  // AILEDGER_TESTS_TESTING_HA_SQL_WRITERS_H_
