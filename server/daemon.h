// ailedgerd's two jobs as library functions, so that main() only parses flags.
#ifndef AILEDGER_SERVER_DAEMON_H_
#define AILEDGER_SERVER_DAEMON_H_

#include <grpcpp/server.h>
#include <signal.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "server/ledger_service.h"
#include "server/sequencer.h"
#include "server/serve_store.h"

namespace ailedger {

// Creates a store in `data_dir` holding the genesis leaf from `genesis_file`
// (the JSON that `ailedger genesis` writes), checked against the log key: the
// genesis must name this key and its origin must be the key's name.
// `test_clock_file`: as ServeOptions::test_clock_file, for the genesis leaf.
absl::Status InitLog(const StoreLocation& where,
                     const std::string& genesis_file,
                     const std::string& log_key_file,
                     const std::string& test_clock_file = "");

// Compares the secondary indexes with the leaves; with `repair`, rebuilds them.
// Prints a summary; FAILED_PRECONDITION when they differ and were not repaired.
absl::Status CheckIndexesCommand(const std::string& data_dir, bool repair);

struct ServeOptions {
  std::string data_dir;  // RocksDB; or
  std::string store;     // PostgreSQL: a libpq connection string
  // On PostgreSQL: this instance's name in the writer lease (default
  // host:pid), and the lease's time to live (writer_lease.h).
  std::string instance;
  int64_t lease_ttl_ms = 5000;
  // A read-only replica (PostgreSQL hot standby): serves reads, never signs,
  // needs no log key, reports how far behind the writer it is (replica.h).
  bool read_only = false;
  std::string log_key_file;
  // A key the log may rotate to (server/log_keyring.h); "" = none.
  std::string next_log_key_file;
  std::string listen = "127.0.0.1:7420";
  std::string tls_cert_file, tls_key_file;  // both or neither
  LedgerService::Options service;
  Sequencer::Options sequencer;
  size_t max_page = 1000;
  // C2SP tlog-witness endpoints, "URL=VKEY".
  std::vector<std::string> witnesses;
  // Default: every 2 s while the log grows.
  int64_t witness_interval_ms = 2000;
  // Sealed attachments' material, outside data_dir; "" = none.
  std::string sealed_store_dir;
  // Example and test logs only (an origin starting with "example."): the
  // sequencer's clock, the leaves' integrated_time_ms, reads Unix milliseconds
  // from this file at each batch (never going back), so that a loaded story's
  // events are integrated near when they occurred. "" = the system clock.
  std::string test_clock_file;
  // Prometheus metrics (server/metrics.h) served on this "HOST:PORT", which
  // must be loopback unless metrics_allow_remote; "" = none (the default).
  std::string metrics_addr;
  bool metrics_allow_remote = false;
};

// Refuses, with a message saying why, a data dir that is not initialised, fails
// its integrity check, has an unknown store-format version or is below the log
// key's high-water mark. Then serves until SIGTERM or SIGINT: stops taking
// calls, finishes the batch in flight, flushes, and returns OK. Prints
// "listening on HOST:PORT" once the port is bound (stdout); its diagnostics go
// through Log (server/log.h).
absl::Status Serve(const ServeOptions& options);

// Serves `service` on options.listen (TLS when configured), prints the
// "listening on" line, and waits for one of `stop_signals`; the server, to be
// shut down by the caller.
absl::StatusOr<std::unique_ptr<grpc::Server>> ListenUntilStopped(
    const ServeOptions& o, grpc::Service* service, const std::string& origin,
    uint64_t size, sigset_t* stop_signals);

}  // namespace ailedger

#endif  // AILEDGER_SERVER_DAEMON_H_
