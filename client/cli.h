// The `ailedger` command line: each command is a function over parsed arguments
// that writes to an injected stream, so main() stays a dispatcher. Exit codes:
// 0 success, 1 failure (one line on stderr), 2 usage.
#ifndef AILEDGER_CLIENT_CLI_H_
#define AILEDGER_CLIENT_CLI_H_

#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "absl/status/statusor.h"
#include "ailedger/ledger.pb.h"
#include "client/ledger_client.h"
#include "cmdline/cli_args.h"
#include "ledger/audit/bundle_verifier.h"

namespace ailedger {

struct Cli {
  CliArgs args;
  std::vector<std::string> rest;  // the words after the command name
  std::ostream* out;
  bool json = false;

  // The words after the command, e.g. {"inclusion"} for `prove inclusion`.
  const std::vector<std::string>& words() const { return rest; }
  // --key, loaded (NOT_FOUND / INVALID_ARGUMENT when absent or malformed).
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

// Key and log set-up (cli_keys.cc).
absl::Status CmdKeygen(const Cli& cli);
absl::Status CmdGenesis(const Cli& cli);
absl::Status CmdKeyRequest(const Cli& cli);
absl::Status CmdKeyGrant(const Cli& cli);
absl::Status CmdKeyRevoke(const Cli& cli);
absl::Status CmdErase(const Cli& cli);
absl::Status CmdUnseal(const Cli& cli);

// Using a log (cli_log.cc).
absl::Status CmdPush(const Cli& cli);
absl::Status CmdEventId(const Cli& cli);
absl::Status CmdTemplate(const Cli& cli);
absl::Status CmdGet(const Cli& cli);
absl::Status CmdQuery(const Cli& cli);
absl::Status CmdCheckpoint(const Cli& cli);
absl::Status CmdLogInfo(const Cli& cli);
absl::Status CmdProve(const Cli& cli);

// Auditing (cli_verify.cc).
absl::Status CmdExport(const Cli& cli);
absl::Status CmdVerify(const Cli& cli);
absl::Status CmdVerifyProof(const Cli& cli);
absl::Status CmdCheckQueries(const Cli& cli);  // cli_check_queries.cc
absl::Status CmdExportTiles(const Cli& cli);
absl::Status CmdWitnessServe(const Cli& cli);
absl::Status CmdMonitor(const Cli& cli);
// --vkey, --admin-vkey, --expect, --trusted, --witness-policy as verification
// options.
absl::StatusOr<VerifyOptions> VerifyOptionsFromFlags(const Cli& cli);
absl::StatusOr<std::vector<VerifierKey>> LogKeysFromFlags(
    const Cli& cli);  // --vkey...
absl::StatusOr<WitnessPolicy> WitnessPolicyFromFlags(
    const Cli& cli);  // --witness-policy

// Shared helpers (cli_common.cc).
absl::StatusOr<std::string> ReadInput(const std::string& path);  // "-" = stdin
absl::Status WriteOutput(const std::string& path, const std::string& data,
                         int mode = 0644);
absl::StatusOr<std::string> ToJson(const google::protobuf::Message& m);
absl::Status FromJson(const std::string& json, google::protobuf::Message* m,
                      absl::string_view what);
int64_t NowMs();
// The origin to sign for: the server's, which must equal --origin or the name
// of --vkey when either is given (so a hostile server cannot collect signatures
// meant for another log).
absl::StatusOr<std::string> SigningOrigin(const Cli& cli,
                                          const std::string& server_origin);
// Appends one signed event and prints its index, event id and leaf hash. With
// --vkey, the receipt is verified against the log key before it is printed or
// saved.
absl::Status PrintReceipt(const Cli& cli, const v1::Receipt& r);

}  // namespace ailedger

#endif  // AILEDGER_CLIENT_CLI_H_
