// ailedger log-key rotate, log-key chain: moving a log to a new signing key,
// and following its keys from the one a reader pinned (docs/ARCHITECTURE.md,
// "Log key rotation"); the rotation proofs every reader of the CLI follows.
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "client/cli.h"
#include "ledger/base/file_util.h"
#include "ledger/base/terminal_escape.h"
#include "ledger/governance/event_signature.h"
#include "ledger/governance/log_key_rotation.h"
#include "ledger/tlog/tlog_proof.h"

namespace ailedger {

absl::StatusOr<std::vector<std::string>> ReadRotationProofs(
    const std::string& path, bool must_exist) {
  std::error_code ec;
  if (!must_exist && !std::filesystem::exists(path, ec) && !ec)
    return std::vector<std::string>{};
  auto text = ReadSmallFile(path);
  if (!text.ok()) return LocalInputError(text.status());
  auto proofs = SplitTlogProofs(*text);
  if (!proofs.ok()) {
    return UsageError(absl::StrCat(path, ": ", proofs.status().message()));
  }
  return proofs;
}

std::string JoinRotationProofs(const std::vector<std::string>& proofs) {
  std::string out;
  for (const std::string& p : proofs) out += p;
  return out;
}

absl::StatusOr<TrustAnchors> FollowRotations(
    TrustAnchors anchors, const std::vector<std::string>& proofs) {
  auto followed = FollowRotationProofs(proofs, std::move(anchors));
  if (!followed.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "verification failed: ", followed.status().message(), " (see --vkey)"));
  }
  return followed;
}

std::string DescribeRotation(const LogKeyRotation& r) {
  std::string out = absl::StrCat("log key rotated at index ", r.index, " to ",
                                 r.new_key.ToString(), " (overlap ",
                                 r.overlap_entries, " entries");
  if (r.compromised_since) {
    absl::StrAppend(&out, "; the old key declared compromised since size ",
                    *r.compromised_since);
  }
  return out + ")";
}

namespace {

absl::Status CmdLogKeyRotate(const Cli& cli) {
  auto file = cli.args.Require("new-log-key");
  if (!file.ok()) return file.status();
  auto reason = cli.args.Require("reason");
  if (!reason.ok()) return reason.status();
  auto overlap =
      cli.args.GetUint<uint64_t>("overlap", 1000, 1, kMaxOverlapEntries);
  if (!overlap.ok()) return overlap.status();
  auto new_key = LocalInputError(LoadSigningKey(*file));
  if (!new_key.ok()) return new_key.status();
  auto admin = cli.LoadKey();
  if (!admin.ok()) return admin.status();
  auto client = cli.Connect(&*admin);
  if (!client.ok()) return client.status();
  auto info = (*client)->LogInfo();
  if (!info.ok()) return info.status();
  auto origin = SigningOrigin(cli, info->origin());
  if (!origin.ok()) return origin.status();
  if (new_key->verifier().name() != *origin ||
      new_key->verifier().type() != kKeyTypeEd25519) {
    return UsageError(
        absl::StrCat("--new-log-key: an Ed25519 key named after the origin '",
                     *origin, "' (ailedger keygen --name ", *origin, ")"));
  }
  LogKeyRotationParams p;
  p.origin = *origin;
  p.organisation = cli.args.Get("organisation", "unspecified");
  p.overlap_entries = *overlap;
  if (cli.args.Has("compromised-since")) {
    auto since = cli.args.GetUint<uint64_t>("compromised-since", 0);
    if (!since.ok()) return since.status();
    p.compromised_since = *since;
  }
  p.reason = *reason;
  p.occurred_at_ms = NowMs();
  const v1::Event e = MakeLogKeyRotation(*new_key, p);
  auto receipt =
      (*client)->Append(AppendRequestOf(SignEvent(e, *admin, *origin)));
  if (!receipt.ok()) return receipt.status();
  return PrintReceipt(cli, *receipt);
}

absl::Status CmdLogKeyChain(const Cli& cli) {
  auto keys = LogKeysFromFlags(cli);
  if (!keys.ok()) return keys.status();
  std::optional<SigningKey> key;
  auto client = cli.ConnectAsReader(&key);
  if (!client.ok()) return client.status();
  auto info = (*client)->LogInfo();
  if (!info.ok()) return info.status();
  const std::vector<std::string> proofs(info->key_rotations().begin(),
                                        info->key_rotations().end());
  auto followed = FollowRotations(TrustAnchors{*keys, {}}, proofs);
  if (!followed.ok()) return followed.status();
  auto chain = ChainOf(*followed);
  if (!chain.ok()) return chain.status();
  for (const LogKeyChain::Link& l : chain->links()) {
    *cli.out << EscapeForTerminal(l.key.ToString()) << "  sizes "
             << l.first_size << ".."
             << (l.last_size ? absl::StrCat(*l.last_size) : "")
             << (l.compromised ? "  (declared compromised)" : "") << "\n";
  }
  for (const LogKeyRotation& r : followed->rotations)
    *cli.out << EscapeForTerminal(DescribeRotation(r)) << "\n";
  if (!cli.args.Has("out")) return absl::OkStatus();
  return WriteOutput(cli.args.Get("out"), JoinRotationProofs(proofs));
}

}  // namespace

const CliCommand kLogKeyRotateCommand{
    .name = "log-key rotate",
    .summary =
        "move the log to a new signing key (admin; the server must hold the "
        "new key)",
    .usage =
        "--key ADMINKEY --new-log-key FILE --reason TEXT [--overlap N "
        "(1000 entries)]\n"
        "[--compromised-since SIZE (checkpoints above it signed only by the "
        "old key are refused)]\n"
        "[--organisation O] [--origin ORIGIN | --vkey LOGVKEY] "
        "[--receipt FILE]",
    .flags =
        "new-log-key reason overlap compromised-since organisation origin "
        "vkey receipt",
    .run = CmdLogKeyRotate,
};

const CliCommand kLogKeyChainCommand{
    .name = "log-key chain",
    .summary =
        "follow the log's keys from the one you pinned, and save the "
        "rotation proofs for offline readers",
    .usage =
        "--vkey LOGVKEY... [--out FILE (the rotation proofs, for "
        "verify-proof)]",
    .flags = "vkey out",
    .run = CmdLogKeyChain,
};

}  // namespace ailedger
