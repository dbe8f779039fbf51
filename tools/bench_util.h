// Shared by bench_append and bench_proofs: a throwaway log served by the real
// ailedgerd, and latency statistics. Benchmarks print figures; they assert
// nothing.
#ifndef AILEDGER_TOOLS_BENCH_UTIL_H_
#define AILEDGER_TOOLS_BENCH_UTIL_H_

#include <sys/types.h>

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "cmdline/cli_args.h"
#include "ledger/governance/key_grant_event.h"
#include "ledger/storage/log_writer.h"
#include "ledger/tlog/keys.h"

namespace ailedger::bench {

inline constexpr char kOrigin[] = "bench.ailedger.example/log";

// A log in `dir`: log.key, admin.key, publisher.key, a store (RocksDB in
// dir/data, or PostgreSQL) with genesis. Made with the same library calls as
// the CLI and ailedgerd.
struct BenchLog {
  std::string dir;
  std::string conninfo;  // the PostgreSQL store's; empty: RocksDB in dir/data
  std::shared_ptr<SigningKey> admin, publisher;
};
struct LogPlace {
  // A libpq connection string to an empty database: the store there
  // (`ailedgerd init --store`). Default: RocksDB in dir/data.
  std::string conninfo;
  // Its admin and publisher keys, so that events presigned for one log are
  // valid in the other (each log has its own log key). Default: new keys.
  const BenchLog* same_signers = nullptr;
};
absl::StatusOr<BenchLog> CreateLog(const std::string& dir,
                                   const LogPlace& place = {});

// The ailedgerd binary Daemon starts. Default: the one built beside the
// benchmark (AILEDGERD_PATH).
void SetAiledgerdPath(const std::string& path);
const std::string& AiledgerdPath();

// ailedgerd serve on a free loopback port, stopped with SIGTERM on destruction.
class Daemon {
 public:
  // The log in `dir` (its key; its store in dir/data, or at `conninfo` with
  // `serve --store`).
  static absl::StatusOr<std::unique_ptr<Daemon>> Start(
      const std::string& dir, const std::vector<std::string>& extra,
      const std::string& conninfo = "");
  ~Daemon();
  const std::string& address() const { return address_; }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  std::string address_;
};

// The KeyGranted that makes log.publisher a publisher, signed by the admin.
SignedEvent PublisherGrant(const BenchLog& log);
// What that grant states: a service account of Bench Ltd, publisher.
KeyGrantParams PipelineGrant();
// What BenchEvent needs first: PublisherGrant(log), then the system its
// snapshots are about and the model version they measure, released (role
// table version 3: measurements name a registered system and a released
// version).
std::vector<SignedEvent> BenchSetup(const BenchLog& log);
// Appends `events` through the server at `address`, one at a time.
absl::Status AppendAll(const std::string& address,
                       const std::vector<SignedEvent>& events);

// An event about a system, signed by the publisher, unique by `n` (its nonce).
SignedEvent BenchEvent(const BenchLog& log, size_t n);
// BenchEvent(log, first_nonce + i) for i < count, as AppendRequest bytes.
std::vector<std::string> PresignedEvents(const BenchLog& log, size_t count,
                                         size_t first_nonce);

// Grows the log in `dir` to `entries` leaves through the rules of state and
// the single writer (ledger/storage/checked_append.h; unsynced: a fixture),
// with checkpoints signed by its key, in batches of up to 10,000 events from
// `batch(first_index, count)`, each of which must pass the rules. Leaves the
// key's high-water mark at the new size.
absl::Status GrowLog(
    const std::string& dir, uint64_t entries,
    const std::function<std::vector<SignedEvent>(uint64_t first, size_t count)>&
        batch);

// The machine's own ceiling, measured in the same run as a benchmark: how many
// Ed25519 signatures (libsodium, of a 300-byte event-sized message) all its
// cores verify per second, one thread per core, for `seconds`. Every append
// and every verified entry costs one such verification, so a benchmark prints
// its rate as a share of this (machines of one kind differ by a third).
struct Ceiling {
  unsigned cores = 0;
  double verifications_per_second = 0;
};
Ceiling MeasureEd25519Ceiling(double seconds = 1.0);
// "machine ceiling: ..." on `out`.
void PrintCeiling(const Ceiling& c, FILE* out = stdout);
// "NN.N % of the ceiling" for a rate of `per_second` entries.
std::string ShareOf(const Ceiling& c, double per_second);

// The main() of a benchmark: parses `flags` (each `--name value`) from argv
// and runs `main` over them; a flag it does not know is a usage error (exit 2,
// cmdline/run_main.h). Returns the exit code.
int BenchMain(const char* program, int argc, char** argv,
              const std::set<std::string>& flags,
              const std::function<int(const CliArgs&)>& main,
              const std::set<std::string>& switches = {});

// The 1-minute load average (getloadavg), -1 when unknown: benchmarks print it
// so that a figure taken beside other work says so.
double LoadAverage();

// A memory figure of process `pid` from /proc/PID/status ("VmRSS:", resident
// now; "VmHWM:", the peak; "RssAnon:", its private part), in KiB; 0 if absent.
uint64_t ProcessKiB(pid_t pid, const std::string& field);

// CPU seconds (user + system) process `pid` has used; with `reaped`, plus
// those of the children it has waited for (cutime, cstime). 0 if unknown.
double ProcessCpuSeconds(pid_t pid, bool reaped = false);
// CPU seconds of `root` (a PostgreSQL postmaster), its live children and the
// children it has reaped: a difference of two readings is what the whole
// server used in between, backends that exited in between included.
double ProcessTreeCpuSeconds(pid_t root);

// Percentile (0..100) of latencies in microseconds; sorts in place.
double Percentile(std::vector<double>& us, double p);

}  // namespace ailedger::bench

#endif  // AILEDGER_TOOLS_BENCH_UTIL_H_
