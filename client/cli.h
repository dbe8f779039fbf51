// The `ailedger` command line. Each command is a record (cmdline/command.h)
// declared next to the function that runs it, over the parsed arguments, and
// writes to an injected stream; ailedger_main.cc lists the records and
// dispatches. Exit codes (cmdline/usage_error.h): 0 success, 1 failure (one
// line on stderr), 2 usage or an unusable local input.
#ifndef AILEDGER_CLIENT_CLI_H_
#define AILEDGER_CLIENT_CLI_H_

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ailedger/ledger.pb.h"
#include "client/json_input.h"  // FromJson
#include "client/ledger_client.h"
#include "cmdline/cli_args.h"
#include "cmdline/command.h"
#include "cmdline/usage_error.h"
#include "ledger/audit/bundle_verifier.h"
#include "ledger/base/clock.h"
#include "ledger/tlog/trust.h"

namespace ailedger {

struct Cli {
  CliArgs args;
  std::vector<std::string> rest;  // the words after the command name
  std::ostream* out;
  bool json = false;

  // The words after the command, e.g. {"inclusion"} for `prove inclusion`.
  const std::vector<std::string>& words() const { return rest; }
  // --key, loaded (a usage error when absent, unreadable or malformed; a
  // failure when others may read it).
  absl::StatusOr<SigningKey> LoadKey() const;
  // A client for --server, signing calls with --key when one is given.
  absl::StatusOr<std::unique_ptr<LedgerClient>> Connect(
      const SigningKey* key) const;
  // A client that signs reads with --key when one is given (loaded into *key,
  // which must outlive the client), and reads anonymously otherwise (for
  // --public-read servers).
  absl::StatusOr<std::unique_ptr<LedgerClient>> ConnectAsReader(
      std::optional<SigningKey>* key) const;
};

using CliCommand = Command<Cli>;

// Keys and the log's set-up (cli_keys.cc).
extern const CliCommand kKeygenCommand, kGenesisCommand, kKeyRequestCommand,
    kKeyGrantCommand, kKeyRevokeCommand, kEraseCommand;
// Writing events (cli_log.cc).
extern const CliCommand kPushCommand, kEventIdCommand, kTemplateCommand,
    kUnsealCommand;
// Reading a log (cli_read.cc).
extern const CliCommand kGetCommand, kQueryCommand, kCheckpointCommand,
    kLogInfoCommand, kProveCommand;
// Auditing: export, export-tiles and verify (cli_verify.cc), verify-proof
// (cli_verify_proof.cc), check-queries (cli_check_queries.cc), monitor
// (cli_monitor.cc), and a witness for other logs (cli_witness.cc).
extern const CliCommand kExportCommand, kExportTilesCommand, kVerifyCommand,
    kVerifyProofCommand, kCheckQueriesCommand, kMonitorCommand,
    kWitnessServeCommand;
// The witness's state backed up and restored (cli_witness_backup.cc).
extern const CliCommand kWitnessBackupCommand, kWitnessRestoreCommand;
// Log key rotations (cli_log_keys.cc).
extern const CliCommand kLogKeyRotateCommand, kLogKeyChainCommand;
// The rotation proofs of a file (tlog-proofs one after another: log-key chain
// --out, a tile directory's log-key-rotations); none when it does not exist
// and !must_exist. A usage error for an unreadable or malformed file.
absl::StatusOr<std::vector<std::string>> ReadRotationProofs(
    const std::string& path, bool must_exist);
std::string JoinRotationProofs(const std::vector<std::string>& proofs);
// `anchors` followed through `proofs` (ledger/governance/log_key_rotation.h);
// a proof that fails fails the verification (FAILED_PRECONDITION).
absl::StatusOr<TrustAnchors> FollowRotations(
    TrustAnchors anchors, const std::vector<std::string>& proofs);
// "log key rotated at index N to VKEY (overlap M entries...)".
std::string DescribeRotation(const LogKeyRotation& r);
// A Canada AIA checked offline against its survey (cli_aia.cc).
extern const CliCommand kAiaCheckCommand;
extern const CliCommand kSampleCommand;
extern const CliCommand kReportVerificationCommand;
extern const CliCommand kReportAiaCommand;
extern const CliCommand kReportFairnessCommand;
extern const CliCommand kReportIso42001Command;
extern const CliCommand kReportAnnualCommand;
extern const CliCommand kReportSystemCommand;

// Verification options from the flags (cli_verify.cc): --vkey, --admin-vkey,
// --expect, --trusted, --witness-policy.
absl::StatusOr<VerifyOptions> VerifyOptionsFromFlags(const Cli& cli);
absl::StatusOr<WitnessPolicy> WitnessPolicyFromFlags(const Cli& cli);

// Shared helpers (cli_common.cc).
// The verifier key given as `flag` (required).
absl::StatusOr<VerifierKey> VerifierKeyFromFlag(const Cli& cli,
                                                absl::string_view flag);
// The verifier keys given as `flag` (repeatable; at least one).
absl::StatusOr<std::vector<VerifierKey>> VerifierKeysFromFlag(
    const Cli& cli, absl::string_view flag);
// --vkey LOGVKEY...: the log's keys.
inline absl::StatusOr<std::vector<VerifierKey>> LogKeysFromFlags(
    const Cli& cli) {
  return VerifierKeysFromFlag(cli, "vkey");
}
// A file's contents, "-" = stdin (a usage error when it cannot be read).
absl::StatusOr<std::string> ReadInput(const std::string& path);
absl::Status WriteOutput(const std::string& path, const std::string& data,
                         int mode = 0644);
absl::StatusOr<std::string> ToJson(const google::protobuf::Message& m);
// The origin to sign for: the server's, which must equal --origin or the name
// of --vkey when either is given (so a hostile server cannot collect signatures
// meant for another log).
absl::StatusOr<std::string> SigningOrigin(const Cli& cli,
                                          const std::string& server_origin);
// Prints an appended event's index, event id and leaf hash. With --vkey, the
// receipt is verified against the log key before it is printed or saved (to
// --receipt).
absl::Status PrintReceipt(const Cli& cli, const v1::Receipt& r);

}  // namespace ailedger

#endif  // AILEDGER_CLIENT_CLI_H_
