// The load drivers shared by bench_append and bench-vs-postgres: K client
// threads share a list of work items, closed loop (as fast as acknowledged) or
// paced open loop, and report acknowledged events/s with time-to-receipt
// percentiles. The ailedgerd drivers are the one code path both benchmarks
// measure the server's append rates with.
#ifndef AILEDGER_TOOLS_BENCH_DRIVE_H_
#define AILEDGER_TOOLS_BENCH_DRIVE_H_

#include <cstddef>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "tools/bench_util.h"

namespace ailedger::bench {

// Concurrent AppendBatch calls in the batched runs: a pipeline batches, a few
// of them send at once.
inline constexpr int kBatchClients = 4;

struct DriveResult {
  double per_second = 0, p50_ms = 0, p99_ms = 0, seconds = 0;
  size_t acknowledged = 0, failed = 0;
};

// One client's work on item i: the events acknowledged (0: the item failed).
using Worker = std::function<size_t(size_t item)>;

// `clients` threads, each with its own Worker from `open` (which holds its
// connection: opened before the clock starts, so connection set-up is not
// counted for either system), take items 0..items-1 in turn. With
// `pace_per_second` > 0, item i is sent no earlier than i / pace (open loop).
DriveResult Drive(int clients, size_t items, double pace_per_second,
                  const std::function<Worker()>& open);

// ailedgerd at `address`: one Append per event of `pool` (AppendRequest
// bytes), `clients` at a time.
DriveResult DriveUnaryAppends(const std::string& address, int clients,
                              const std::vector<std::string>& pool,
                              double pace_per_second = 0);
// ailedgerd at `address`: AppendBatch calls of `batch` consecutive events of
// `pool` (a final partial batch is not sent), kBatchClients at a time.
DriveResult DriveBatchedAppends(const std::string& address, size_t batch,
                                const std::vector<std::string>& pool);

// One line on `out`: rate, its share of `ceiling` when given, p50/p99.
void PrintResult(const std::string& what, const DriveResult& r,
                 const Ceiling* ceiling, FILE* out = stdout);

}  // namespace ailedger::bench

#endif  // AILEDGER_TOOLS_BENCH_DRIVE_H_
