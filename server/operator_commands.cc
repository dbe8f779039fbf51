#include "server/operator_commands.h"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "cmdline/usage_error.h"
#include "server/backup.h"
#include "server/restore.h"
#include "server/sealed_backup.h"
#include "server/upgrade.h"

namespace ailedger {
namespace {

absl::Status NoWords(const CliArgs& a, absl::string_view command) {
  if (a.positional().empty()) return absl::OkStatus();
  return UsageError(
      absl::StrCat(command, " takes no argument '", a.positional()[0], "'"));
}

// Exactly one of the flags.
absl::StatusOr<std::string> OneOf(const CliArgs& a, absl::string_view command,
                                  const std::vector<std::string>& flags) {
  std::string found;
  for (const std::string& f : flags) {
    if (!a.Has(f)) continue;
    if (!found.empty()) {
      return UsageError(absl::StrCat(command, ": --", found, " and --", f,
                                     " do not go together"));
    }
    found = f;
  }
  if (found.empty()) {
    std::string names;
    for (const std::string& f : flags) {
      absl::StrAppend(&names, names.empty() ? "--" : " or --", f);
    }
    return UsageError(absl::StrCat(command, " needs ", names));
  }
  return found;
}

absl::Status RunBackup(const CliArgs& a) {
  if (auto s = NoWords(a, "backup"); !s.ok()) return s;
  auto what = OneOf(a, "backup", {"data", "sealed-store"});
  if (!what.ok()) return what.status();
  auto to = a.Require("to");
  if (!to.ok()) return to.status();
  if (*what == "sealed-store") {
    auto files = BackUpSealedStore(a.Get("sealed-store"), *to);
    if (!files.ok()) return files.status();
    std::printf("sealed store backed up to %s: %zu files\n", to->c_str(),
                *files);
    return absl::OkStatus();
  }
  auto r = BackUpLog(a.Get("data"), *to);
  if (!r.ok()) return r.status();
  std::printf(
      "backed up %s at size %llu (root %s) to %s, %s; %zu files, format "
      "version %u\n",
      r->manifest.origin.c_str(),
      static_cast<unsigned long long>(r->manifest.size),
      r->manifest.root.c_str(), to->c_str(),
      r->online ? "online (the server made the copy while serving)"
                : "from the stopped store",
      r->manifest.files.size(), r->manifest.format_version);
  return absl::OkStatus();
}

absl::Status RunRestore(const CliArgs& a) {
  if (auto s = NoWords(a, "restore"); !s.ok()) return s;
  auto what = OneOf(a, "restore", {"data", "sealed-store"});
  if (!what.ok()) return what.status();
  auto from = a.Require("from");
  if (!from.ok()) return from.status();
  if (*what == "sealed-store") {
    for (const char* f : {"log-key", "replay", "genesis", "new-log-key"}) {
      if (a.Has(f)) {
        return UsageError(absl::StrCat("--", f, " is for a log's store"));
      }
    }
    auto n = RestoreSealedStore(*from, a.Get("sealed-store"));
    if (!n.ok()) return n.status();
    std::printf("sealed store restored to %s: %zu files\n",
                a.Get("sealed-store").c_str(), *n);
    return absl::OkStatus();
  }
  auto key = a.Require("log-key");
  if (!key.ok()) return key.status();
  RestoreOptions o;
  o.from = *from;
  o.data_dir = a.Get("data");
  o.log_key_file = *key;
  o.replay_bundle = a.Get("replay");
  o.successor = a.Has("successor");
  o.genesis_file = a.Get("genesis");
  o.new_log_key_file = a.Get("new-log-key");
  if (!o.successor && (a.Has("genesis") || a.Has("new-log-key"))) {
    return UsageError("--genesis and --new-log-key go with --successor");
  }
  if (o.successor && (o.genesis_file.empty() || o.new_log_key_file.empty())) {
    return UsageError("--successor needs --genesis FILE and --new-log-key KEY");
  }
  if (o.successor && a.Has("replay")) {
    return UsageError("--replay and --successor do not go together");
  }
  auto said = RestoreLog(o);
  if (!said.ok()) return said.status();
  std::printf("%s", said->c_str());
  return absl::OkStatus();
}

absl::Status RunUpgrade(const CliArgs& a) {
  if (auto s = NoWords(a, "upgrade"); !s.ok()) return s;
  auto data = a.Require("data");
  if (!data.ok()) return data.status();
  auto said = UpgradeStore(*data, a.Has("dry-run"));
  if (!said.ok()) return said.status();
  std::printf("%s", said->c_str());
  return absl::OkStatus();
}

}  // namespace

const Command<CliArgs> kBackupCommand{
    .name = "backup",
    .summary =
        "copy a log's store (online, while it serves) or a sealed store to a "
        "new directory",
    .usage = "--data DIR --to DEST | --sealed-store DIR --to DEST",
    .flags = "data sealed-store to",
    .run = RunBackup,
};

const Command<CliArgs> kRestoreCommand{
    .name = "restore",
    .summary =
        "put a backup back: a log's store (checked against the log key's "
        "high-water mark) or a sealed store",
    .usage =
        "--from BACKUP --data DIR --log-key FILE\n"
        "[--replay BUNDLE (the entries the backup lacks, from an export)]\n"
        "[--successor --genesis FILE --new-log-key FILE (a new log naming "
        "this one)]\n"
        "| --from BACKUP --sealed-store DIR",
    .flags = "from data log-key replay genesis new-log-key sealed-store",
    .switches = "successor",
    .run = RunRestore,
};

const Command<CliArgs> kUpgradeCommand{
    .name = "upgrade",
    .summary =
        "raise an older store's format version (a verified migration; stop "
        "the server first)",
    .usage = "--data DIR [--dry-run (say what would change, write nothing)]",
    .flags = "data",
    .switches = "dry-run",
    .run = RunUpgrade,
};

}  // namespace ailedger
