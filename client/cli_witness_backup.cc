// ailedger witness backup / restore: the witness's state directory (one file
// per log it witnesses, each replaced whole by an atomic rename, so a copy
// made while it serves holds whole files) copied with a manifest
// (ledger/storage/backup_files.h) into DEST/state/.
//
// A restored witness may be behind what it cosigned after the backup; serving
// then, it could cosign a fork of a tree it already vouched for. So restore
// takes the latest checkpoint each log holds with this witness's cosignature
// (`ailedger checkpoint --cosigned` against each log) and raises the state to
// it (Witness::CatchUp), and says which logs it could not bring up to date.
#include <sys/stat.h>

#include <cerrno>
#include <filesystem>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "client/cli.h"
#include "ledger/base/backup_files.h"
#include "ledger/base/clock.h"
#include "ledger/base/file_util.h"
#include "witness/witness.h"

namespace ailedger {
namespace {

namespace fs = std::filesystem;

constexpr char kStateDir[] = "state";

// A state file: the hex SHA-256 of an origin (Witness::StatePath).
// "<64 hex>": a log's latest cosigned checkpoint; "<64 hex>.rotations": the
// log key rotations the witness was shown (witness_key_rotations.cc).
bool IsStateFile(std::string name) {
  if (absl::EndsWith(name, ".rotations")) {
    name.resize(name.size() - std::string(".rotations").size());
  }
  if (name.size() != 64) return false;
  for (char c : name) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

absl::Status CmdWitnessBackup(const Cli& cli) {
  auto state = cli.args.Require("state");
  auto to = cli.args.Require("to");
  for (const auto* s : {&state, &to}) {
    if (!s->ok()) return s->status();
  }
  std::error_code ec;
  if (!fs::is_directory(*state, ec)) {
    return UsageError(absl::StrCat("--state ", *state, ": not a directory"));
  }
  auto partial = StartBackupDir(*to);
  if (!partial.ok()) return partial.status();
  const std::string out = absl::StrCat(*partial, "/", kStateDir);
  if (mkdir(out.c_str(), 0700) != 0) {
    return FileError("backup: cannot make", out, errno);
  }
  size_t n = 0;
  for (const auto& entry : fs::directory_iterator(*state, ec)) {
    const std::string name = entry.path().filename().string();
    if (!IsStateFile(name) || !entry.is_regular_file(ec)) continue;
    if (auto s = CopyFileDurably(entry.path().string(),
                                 absl::StrCat(out, "/", name));
        !s.ok())
      return s;
    if (!absl::EndsWith(name, ".rotations")) ++n;
  }
  if (ec) return absl::InternalError(absl::StrCat(*state, ": ", ec.message()));
  BackupManifest m;
  m.kind = "witness-state";
  m.time_ms = NowMs();
  if (auto s = FinishBackupDir(*partial, *to, m); !s.ok()) return s;
  *cli.out << "witness state backed up to " << *to << ": " << n << " logs\n";
  return absl::OkStatus();
}

absl::Status CmdWitnessRestore(const Cli& cli) {
  auto from = cli.args.Require("from");
  auto state = cli.args.Require("state");
  for (const auto* s : {&from, &state}) {
    if (!s->ok()) return s->status();
  }
  auto logs = VerifierKeysFromFlag(cli, "log-vkey");
  if (!logs.ok()) return logs.status();
  auto key = cli.LoadKey();
  if (!key.ok()) return key.status();
  std::vector<std::string> notes;
  for (const std::string& file : cli.args.Values("cosigned")) {
    auto note = LocalInputError(ReadSmallFile(file));
    if (!note.ok()) return note.status();
    notes.push_back(*std::move(note));
  }
  auto m = ReadVerifiedBackup(*from, "witness-state");
  if (!m.ok()) return m.status();
  std::error_code ec;
  if (fs::exists(fs::symlink_status(*state, ec))) {
    return absl::FailedPreconditionError(
        absl::StrCat(*state, " exists: restore goes to a new directory"));
  }
  // Assembled and caught up aside, so that a refused note leaves nothing.
  const std::string staging = *state + ".restoring";
  auto n = RestoreFiles(*from, *m, absl::StrCat(kStateDir, "/"), staging);
  if (!n.ok()) return n.status();
  std::string said_all;
  absl::Status s = [&]() -> absl::Status {
    fs::permissions(staging, fs::perms::owner_all, ec);
    auto witness = LocalInputError(
        Witness::Open(*std::move(key), *logs, staging, [] { return 0; }));
    if (!witness.ok()) return witness.status();
    for (const std::string& note : notes) {
      auto said = (*witness)->CatchUp(note);
      if (!said.ok()) return said.status();
      absl::StrAppend(&said_all, *said, "\n");
    }
    if (std::rename(staging.c_str(), state->c_str()) != 0) {
      return FileError("restore: cannot rename to " + *state, staging, errno);
    }
    return absl::OkStatus();
  }();
  if (!s.ok()) {
    fs::remove_all(staging, ec);
    return s;
  }
  *cli.out << "witness state restored to " << *state << ": " << *n << " logs\n"
           << said_all;
  if (notes.empty()) {
    *cli.out << "warning: this witness may have cosigned more after the "
                "backup; before serving, give restore each log's latest "
                "checkpoint cosigned by it (--cosigned FILE, from `ailedger "
                "checkpoint --cosigned` against the log), so that it never "
                "cosigns a fork of what it already vouched for\n";
  }
  return absl::OkStatus();
}

}  // namespace

const CliCommand kWitnessBackupCommand{
    .name = "witness backup",
    .summary = "copy a witness's state directory to a new directory",
    .usage = "--state DIR --to DEST",
    .flags = "state to",
    .run = CmdWitnessBackup,
};

const CliCommand kWitnessRestoreCommand{
    .name = "witness restore",
    .summary =
        "put a witness's state back, raised to the checkpoints it is shown "
        "it cosigned since",
    .usage =
        "--from BACKUP --state DIR --key COSIGNER --log-vkey VKEY...\n"
        "[--cosigned NOTE ... (a log's latest checkpoint this witness "
        "cosigned)]",
    .flags = "from state log-vkey cosigned",
    .run = CmdWitnessRestore,
};

}  // namespace ailedger
