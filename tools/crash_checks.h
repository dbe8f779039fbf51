// The checks of tools/crash-test (crash_test.cc) after each kill and restart.
// Each returns the violation it finds, naming the index, size or file.
#ifndef AILEDGER_TOOLS_CRASH_CHECKS_H_
#define AILEDGER_TOOLS_CRASH_CHECKS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "client/ledger_client.h"
#include "server/log_signer.h"
#include "tools/crash_load.h"

namespace ailedger::crash {

// The throwaway log's files and keys, as the CLI's flags take them.
struct LogFiles {
  std::string dir;      // the run's directory: bundles and outputs
  std::string log_dir;  // bench::CreateLog's: log.key, log.key.hwm, data/
  VerifierKey log_key;  // its verifier
  std::string admin_vkey;
  std::string witness_policy;  // a file naming the witness, quorum 1
  std::string ailedgerd, cli;  // the binaries, pinned (PinBinary)
};

// KEY.hwm as it is on disk now (through LogSigner, as ailedgerd reads it).
absl::StatusOr<LogSigner::Mark> ReadMark(const LogFiles& files);

// The mark left by the killed server, against the store the restarted server
// serves: never beyond what was committed (its size at most the store's, and
// at the store's size, the store's root), and never below a checkpoint that a
// receipt carried (the mark is raised before anyone is answered).
absl::Status CheckMarkAfterCrash(const LogSigner::Mark& mark,
                                 const Checkpoint& store,
                                 uint64_t max_receipt_size);
// The restarted server raised the mark to its store (size and root).
absl::Status CheckMarkAfterRestart(const LogSigner::Mark& mark,
                                   const Checkpoint& store);

// The latest checkpoint, verified under the log key and recorded as
// published.
absl::StatusOr<Checkpoint> LatestCheckpoint(LedgerClient& client,
                                            const VerifierKey& log_key,
                                            Observed* observed);

// The events that were sent and not answered when the server died, sent again:
// each is answered either as a duplicate at an index below `size_at_restart`
// (it was committed before the crash) or as a new entry at or above it.
struct InDoubt {
  uint64_t committed = 0, appended = 0;
};
absl::StatusOr<InDoubt> ResolveInDoubt(
    LedgerClient& client, const std::vector<v1::AppendRequest>& events,
    uint64_t size_at_restart, Observed* observed, int cycle);

// `ailedger export` of the whole log, `size` entries (export goes up to the
// latest cosigned checkpoint: wait for it first), and `ailedger verify` of the
// bundle (exit 0, the admin and the witness pinned); then, reading the
// bundle's leaves: every
// acknowledged entry at its index with the receipt's leaf hash and event id,
// and every published checkpoint's root equal to the root of the bundle's
// first `size` leaves.
struct BundleCheck {
  std::string path;
  uint64_t leaves = 0, lost = 0, checkpoints = 0;
  std::string first_loss;  // when lost > 0
};
absl::StatusOr<BundleCheck> ExportAndVerify(const LogFiles& files,
                                            const std::string& address,
                                            const Observed& observed,
                                            uint64_t size);

// Consistency proofs from the server, verified, from each published
// checkpoint of `sizes` (whose roots are in `published`) to `latest`.
absl::Status CheckConsistency(LedgerClient& client,
                              const std::map<uint64_t, Hash>& published,
                              const std::vector<uint64_t>& sizes,
                              const Checkpoint& latest);

// The newest `limit` entries acknowledged in `cycle`, looked up by event id:
// the same index and leaf hash (the event-id index survived the crash).
absl::Status CheckEventIds(LedgerClient& client, const std::vector<Ack>& acks,
                           int cycle, size_t limit);

// Waits up to 10 s for the server's latest cosigned checkpoint to reach
// `latest` (the witness submitter resumed after the crash); it must open under
// the log key with the witness's cosignature and be published nowhere else
// with another root.
absl::Status WaitForCosigned(LedgerClient& client, const VerifierKey& log_key,
                             const VerifierKey& witness_key,
                             const Checkpoint& latest, Observed* observed);

// Damages the stopped server's indexes for a repair to mend: a third of the
// query-index rows erased, rows added for entries that do not exist, every
// lifecycle phase row reset. How many rows it changed.
absl::StatusOr<uint64_t> DamageIndexes(const std::string& data_dir,
                                       uint64_t seed);

}  // namespace ailedger::crash

#endif  // AILEDGER_TOOLS_CRASH_CHECKS_H_
