// ailedger sample: an audit sample the auditee cannot steer, drawn from a
// signed checkpoint's root (ledger/audit/sample.h). The checkpoint is the
// reader's file (--checkpoint) or the server's newest, opened under the
// reader's log keys (and witness policy) before it seeds anything.
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "client/cli.h"
#include "ledger/audit/sample.h"
#include "ledger/base/base64.h"
#include "ledger/base/terminal_escape.h"
#include "ledger/tlog/trust.h"

namespace ailedger {
namespace {

absl::StatusOr<std::string> CheckpointNote(const Cli& cli) {
  if (cli.args.Has("checkpoint")) return ReadInput(cli.args.Get("checkpoint"));
  auto client = cli.Connect(nullptr);
  if (!client.ok()) return client.status();
  return (*client)->GetCheckpoint(v1::GetCheckpointRequest());
}

absl::Status CmdSample(const Cli& cli) {
  auto n = cli.args.GetUint<uint64_t>("n", 0, 1, 1'000'000);
  if (!n.ok()) return n.status();
  auto keys = LogKeysFromFlags(cli);
  if (!keys.ok()) return keys.status();
  auto policy = WitnessPolicyFromFlags(cli);
  if (!policy.ok()) return policy.status();
  auto note = CheckpointNote(cli);
  if (!note.ok()) return note.status();
  auto cp = OpenTrustedCheckpoint(*note, {*keys, *policy});
  if (!cp.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("the checkpoint does not open under the reader's keys: ",
                     cp.status().message()));
  }
  const Checkpoint& c = cp->checkpoint;
  const std::vector<uint64_t> indices = SampleIndices(c, *n);
  if (cli.json) {
    nlohmann::json j = {{"origin", c.origin},
                        {"size", c.size},
                        {"root", Base64Encode(AsBytes(c.root))},
                        {"indices", indices}};
    *cli.out << EscapeForTerminal(j.dump(
                    -1, ' ', false, nlohmann::json::error_handler_t::replace))
             << "\n";
    return absl::OkStatus();
  }
  *cli.out << "sample of " << indices.size() << " entries of "
           << EscapeForTerminal(c.origin) << " at size " << c.size
           << ", seeded by root " << Base64Encode(AsBytes(c.root)) << ":\n";
  for (uint64_t i : indices) *cli.out << i << "\n";
  return absl::OkStatus();
}

}  // namespace

const CliCommand kSampleCommand{
    .name = "sample",
    .summary =
        "an audit sample of entries seeded by a signed checkpoint's root",
    .usage =
        "--n N --vkey LOGVKEY... [--checkpoint FILE (else the server's "
        "newest)]\n[--witness-policy FILE]",
    .flags = "n vkey checkpoint witness-policy",
    .run = CmdSample,
};

}  // namespace ailedger
