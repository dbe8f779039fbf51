// ailedger monitor: follows a live log. It keeps the last checkpoint it
// verified in its state directory; for each newer checkpoint it fetches a
// bundle of the new leaves with the consistency proof from the old checkpoint,
// and checks it as `verify` does. A split view or a rewrite (an inconsistent
// proof, a smaller size, a different root at the same size) is reported with
// both signed checkpoints and the bundle as evidence, and exits 1.
//
// Every checkpoint is opened under the reader's trust, the witness quorum
// included (ledger/tlog/trust.h); with a quorum to meet, the monitor follows
// the newest checkpoint the witnesses cosigned. A checkpoint that does not
// open fails the round, without evidence: the next round tries again.
//
// A ranged bundle carries the roster events the server chose to supply; it
// cannot prove none was left out. The monitor keeps the roster it replayed
// itself (state/roster: every roster event since genesis, by index and leaf
// hash) and refuses a round whose bundle supplies a different one, so a
// revocation hidden by the server is caught. Its first round, and a state
// without a roster file, replays from genesis.
//
// It follows the log's keys from the one it was given (--vkey): each
// LogKeyRotated is proven by the old key's handover (GetLogInfo's rotation
// proofs, and the bundle's ROTATION records), and those it verified are kept
// in state/log-key-rotations; a checkpoint signed only by a key the log left
// (after its overlap, or a declared compromise) fails the round.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "client/cli.h"
#include "client/export.h"
#include "ledger/base/file_util.h"
#include "ledger/base/terminal_escape.h"
#include "ledger/governance/log_key_rotation.h"
#include "ledger/tlog/checkpoint.h"
#include "ledger/tlog/tlog_proof.h"
#include "ledger/tlog/trust.h"

namespace ailedger {
namespace {

// `what` failed with `ec`, under the errno's status code.
absl::Status FileSystemError(const std::string& what,
                             const std::error_code& ec) {
  return absl::Status(absl::ErrnoToStatusCode(ec.value()),
                      absl::StrCat(what, ": ", ec.message()));
}

// Writes the evidence files into `dir`, each attempted; the first failure.
absl::Status SaveEvidence(const std::string& dir, const std::string& old_note,
                          const std::string& new_note,
                          const std::string& bundle, const std::string& why) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return FileSystemError(absl::StrCat(dir, ": cannot create it"), ec);
  absl::Status first = WriteFileDurably(dir + "/verified.checkpoint", old_note);
  first.Update(WriteFileDurably(dir + "/served.checkpoint", new_note));
  if (!bundle.empty()) {
    std::filesystem::copy_file(bundle, dir + "/bundle", ec);
    if (ec) first.Update(FileSystemError(dir + "/bundle", ec));
  }
  first.Update(WriteFileDurably(dir + "/reason", why + "\n"));
  return first;
}

// Saves the evidence of a failed round and returns the failure to report.
absl::Status Evidence(const std::string& state, const std::string& old_note,
                      const std::string& new_note, const std::string& bundle,
                      const std::string& why) {
  // `why` may quote the bundle: kept as found in the evidence, escaped for the
  // terminal in the message (main escapes it too).
  const std::string dir = absl::StrCat(state, "/evidence-", NowMs());
  const absl::Status saved = SaveEvidence(dir, old_note, new_note, bundle, why);
  return absl::FailedPreconditionError(
      saved.ok()
          ? absl::StrCat(why, " (evidence in ", dir, ")")
          : absl::StrCat(why, " (evidence NOT saved: ", saved.message(), ")"));
}

// state/roster: one line per roster event, "INDEX LEAF_HASH_HEX EVENT_TYPE".
std::string FormatRoster(const std::vector<RosterRef>& roster) {
  std::string out;
  for (const RosterRef& r : roster) {
    absl::StrAppend(&out, r.index, " ", ToHex(r.leaf_hash), " ", r.event_type,
                    "\n");
  }
  return out;
}

// The roster replayed in earlier rounds, the events before `before` (a roster
// written ahead of its checkpoint by an interrupted round may hold later
// ones); nullopt when the state has none yet.
absl::StatusOr<std::optional<std::vector<RosterRef>>> LoadRoster(
    const std::string& path, uint64_t before) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    if (ec) return FileSystemError(path, ec);
    return std::nullopt;
  }
  auto text = ReadSmallFile(path);
  if (!text.ok()) return text.status();
  std::vector<RosterRef> roster;
  for (absl::string_view line :
       absl::StrSplit(*text, '\n', absl::SkipEmpty())) {
    std::vector<std::string> f = absl::StrSplit(line, ' ');
    RosterRef r;
    auto hash = f.size() == 3 ? FromHex(f[1]) : absl::InvalidArgumentError("");
    if (!hash.ok() || !absl::SimpleAtoi(f[0], &r.index) || hash->size() != 32) {
      return absl::DataLossError(
          absl::StrCat(path, ": not a roster written by monitor"));
    }
    std::memcpy(r.leaf_hash.data(), hash->data(), 32);
    r.event_type = f[2];
    if (r.index < before) roster.push_back(std::move(r));
  }
  return roster;
}

// A checkpoint under the reader's trust (ledger/tlog/trust.h): a log key's
// signature and the witness quorum. Not evidence of a split view: the round
// fails, the next one tries again (FAILED_PRECONDITION is kept for evidence).
absl::StatusOr<Checkpoint> Open(const std::string& note,
                                const TrustAnchors& trust,
                                absl::string_view what) {
  auto cp = OpenTrustedCheckpoint(note, trust);
  if (cp.ok()) return cp->checkpoint;
  const absl::StatusCode code = absl::IsFailedPrecondition(cp.status())
                                    ? absl::StatusCode::kUnavailable
                                    : cp.status().code();
  return absl::Status(code, absl::StrCat(what, ": ", cp.status().message()));
}

// The newest checkpoint; with a quorum to meet, the newest the witnesses
// cosigned (the latest carries the log's signature alone).
absl::StatusOr<std::string> ServedCheckpoint(LedgerClient& client,
                                             const WitnessPolicy& policy) {
  v1::GetCheckpointRequest req;
  if (policy.quorum > 0)
    req.set_which(v1::GetCheckpointRequest::LATEST_COSIGNED);
  return client.GetCheckpoint(req);
}

// The reader's keys followed through the log's key rotations: those this
// monitor verified before (state/log-key-rotations) and any newer the server
// offers, each proven from the keys before it. A proof that fails is not
// evidence (the round fails; the bundle's own records are checked anyway).
absl::StatusOr<TrustAnchors> FollowedKeys(LedgerClient& client,
                                          const VerifyOptions& o,
                                          const std::string& path,
                                          std::vector<std::string>* offered) {
  auto known = ReadRotationProofs(path, false);
  if (!known.ok()) return known.status();
  auto info = client.LogInfo();
  if (!info.ok()) return info.status();
  offered->assign(info->key_rotations().begin(), info->key_rotations().end());
  std::vector<std::string> proofs = *std::move(known);
  proofs.insert(proofs.end(), offered->begin(), offered->end());
  auto followed =
      FollowRotationProofs(proofs, TrustAnchors{o.log_keys, o.witness_policy});
  if (!followed.ok()) {
    return absl::UnavailableError(
        absl::StrCat("the log's key rotations: ", followed.status().message()));
  }
  return followed;
}

// The rotation proofs among `offered` of the rotations a verified bundle
// replayed (its report): what the next round follows without asking.
std::string VerifiedRotations(const std::vector<std::string>& offered,
                              const VerifyReport& report) {
  std::vector<std::string> kept;
  for (const std::string& text : offered) {
    auto proof = ParseTlogProof(text);
    for (const LogKeyRotation& r : report.key_rotations) {
      if (proof.ok() && proof->index == r.index) kept.push_back(text);
    }
  }
  return JoinRotationProofs(kept);
}

// One round: verify whatever is new since the last verified checkpoint.
absl::Status Round(const Cli& cli, LedgerClient& client, VerifyOptions o,
                   const std::string& state) {
  const std::string saved = state + "/checkpoint";
  std::string old_note = ReadSmallFile(saved).value_or("");
  const std::string rotations_path = state + "/log-key-rotations";
  std::vector<std::string> offered;
  auto followed = FollowedKeys(client, o, rotations_path, &offered);
  if (!followed.ok()) return followed.status();
  const TrustAnchors trust = *std::move(followed);
  // A checkpoint this monitor verified, signed only by a key the log has
  // since declared compromised from a smaller size: no longer a base to
  // build on; the log is replayed from genesis instead.
  if (!old_note.empty() &&
      IsOutsideKeyWindow(OpenTrustedCheckpoint(old_note, trust).status())) {
    std::fprintf(stderr,
                 "ailedger monitor: the checkpoint verified last is signed "
                 "only by a log key declared compromised; verifying from "
                 "genesis\n");
    old_note.clear();
  }
  auto served = ServedCheckpoint(client, o.witness_policy);
  if (!served.ok()) return served.status();
  auto now = Open(*served, trust, "the served checkpoint");
  if (!now.ok()) return now.status();
  uint64_t from = 0;
  if (!old_note.empty()) {
    auto old = Open(old_note, trust, saved);
    if (!old.ok()) return old.status();
    if (now->size < old->size) {
      return Evidence(state, old_note, *served, "", "rollback: the log shrank");
    }
    if (now->size == old->size) {
      if (now->root == old->root) return absl::OkStatus();
      return Evidence(state, old_note, *served, "",
                      "fork: same size, different root");
    }
    from = old->size;
  }
  const std::string roster_path = state + "/roster";
  auto known = LoadRoster(roster_path, from);
  if (!known.ok()) return known.status();
  // No roster kept yet (a state from an older monitor): replay from genesis,
  // still checked against the verified checkpoint.
  if (!known->has_value()) from = 0;
  o.known_roster = *std::move(known);
  const std::string bundle = state + "/round.bundle";
  ExportOptions eo;
  eo.from = from;
  eo.trusted_checkpoint = old_note;
  eo.checkpoint = *served;  // verify exactly the checkpoint compared above
  std::string note;
  {
    std::ofstream out(bundle, std::ios::binary | std::ios::trunc);
    auto exported = ExportBundle(client, eo, &out);
    if (!exported.ok()) {
      if (!old_note.empty() && absl::IsInvalidArgument(exported.status())) {
        return Evidence(state, old_note, *served, "",
                        std::string(exported.status().message()));
      }
      return exported.status();
    }
    note = *std::move(exported);
  }
  o.trusted_checkpoint = old_note;
  std::ifstream in(bundle, std::ios::binary);
  auto report = VerifyBundle(&in, o);
  if (!report.ok() || !report->verified) {
    const std::string why =
        report.ok() ? report->failure : std::string(report.status().message());
    const bool roster = absl::StrContains(why, ": roster: differs");
    return Evidence(state, old_note, note, bundle,
                    (roster ? "roster disagrees with the one this monitor "
                              "replayed: "
                            : "split view or rewrite: ") +
                        why);
  }
  // The roster first: if the round stops before the checkpoint is saved, the
  // next one starts from the old checkpoint and ignores the newer entries.
  if (auto s = WriteFileDurably(roster_path, FormatRoster(report->roster));
      !s.ok())
    return s;
  if (!report->key_rotations.empty()) {
    if (auto s = WriteFileDurably(rotations_path,
                                  VerifiedRotations(offered, *report));
        !s.ok())
      return s;
  }
  if (auto s = WriteFileDurably(saved, note); !s.ok()) return s;
  *cli.out << "verified " << EscapeForTerminal(report->origin) << " up to size "
           << report->checkpoint_size << " (+" << report->to - report->from
           << " entries)" << std::endl;
  return absl::OkStatus();
}

}  // namespace

absl::Status CmdMonitor(const Cli& cli) {
  auto state = cli.args.Require("state");
  if (!state.ok()) return state.status();
  auto options = VerifyOptionsFromFlags(cli);
  if (!options.ok()) return options.status();
  options->progress = nullptr;
  std::error_code ec;
  std::filesystem::create_directories(*state, ec);
  if (ec) {
    return FileSystemError(
        absl::StrCat("--state ", *state, ": cannot create the directory"), ec);
  }
  // Seconds, at most a week: std::chrono::seconds of a larger count overflows.
  auto interval = cli.args.GetUint<int64_t>("interval", 10, 1, 7 * 86400);
  if (!interval.ok()) return interval.status();
  std::optional<SigningKey> key;
  auto client = cli.ConnectAsReader(&key);
  if (!client.ok()) return client.status();
  for (;;) {
    absl::Status s = Round(cli, **client, *options, *state);
    if (absl::IsFailedPrecondition(s))
      return s;  // a split view or rewrite: evidence saved
    if (!s.ok())
      std::fprintf(stderr, "ailedger monitor: %s\n",
                   std::string(s.message()).c_str());
    if (cli.args.Has("once")) return s;
    std::this_thread::sleep_for(std::chrono::seconds(*interval));
  }
}

const CliCommand kMonitorCommand{
    .name = "monitor",
    .summary =
        "follow a live log, verifying each new checkpoint (a fork or "
        "rollback: evidence saved, exit 1)",
    .usage =
        "--state DIR --vkey LOGVKEY... --admin-vkey VKEY "
        "[--expect ROLE=VKEY...]\n"
        "[--trusted CHECKPOINT] [--witness-policy FILE] [--interval S "
        "(10)] [--once]",
    .flags = "state vkey admin-vkey expect trusted witness-policy interval",
    .switches = "once",
    .run = CmdMonitor,
};

}  // namespace ailedger
