#include "server/backup.h"

#include <cstdio>
#include <filesystem>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "ledger/base/base64.h"
#include "ledger/base/clock.h"
#include "ledger/base/file_util.h"
#include "ledger/storage/meta_keys.h"
#include "ledger/storage/tree_reader.h"
#include "ledger/tlog/checkpoint.h"
#include "ledger/tlog/note.h"

namespace ailedger {
namespace {

namespace fs = std::filesystem;

// A store's checkpoint flushes its memtables first; a large one on a slow
// disk takes a while.
constexpr int kCheckpointTimeoutMs = 10 * 60 * 1000;

// The store copied into `to` by the server that holds it, or, when none
// answers, by opening it here. Whether a server made it.
absl::StatusOr<bool> CopyStore(const std::string& data_dir,
                               const std::string& to) {
  const std::string socket = AdminSocketPath(data_dir);
  absl::Status asked =
      AdminRequest(socket, "checkpoint", to, kCheckpointTimeoutMs);
  if (asked.ok()) return true;
  if (!absl::IsNotFound(asked)) return asked;
  auto store =
      RocksDbStore::Open(data_dir, RocksDbStore::Mode::kRebuildIndexes);
  if (!store.ok()) {
    if (absl::StrContains(store.status().message(), "LOCK")) {
      return absl::FailedPreconditionError(absl::StrCat(
          "a server holds ", data_dir, " but does not answer on ", socket,
          " (an older ailedgerd, or one that could not make the socket): "
          "upgrade or stop it, then back up again"));
    }
    return store.status();
  }
  if (auto s = (*store)->CreateCheckpoint(to); !s.ok()) return s;
  return false;
}

absl::Status InsideDataDir(const std::string& data_dir,
                           const std::string& target) {
  std::error_code ec;
  const fs::path d = fs::weakly_canonical(fs::absolute(data_dir), ec);
  const fs::path t = fs::weakly_canonical(fs::absolute(target), ec);
  if (ec) return absl::InvalidArgumentError(ec.message());
  auto dit = d.begin(), tit = t.begin();
  for (; dit != d.end() && tit != t.end() && *dit == *tit; ++dit, ++tit) {
  }
  if (dit == d.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat(target, " lies inside the data directory ", data_dir));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<StoreSummary> SummarizeStore(const RocksDbStore& store) {
  StoreSummary s;
  auto version = store.ReadFormatVersion();
  if (!version.ok()) return version.status();
  s.format_version = *version;
  auto origin = store.ReadMeta(kOriginMetaKey);
  if (!origin.ok()) return origin.status();
  if (!origin->has_value()) {
    return absl::DataLossError("store: no origin: not an initialised log");
  }
  s.origin = **origin;
  auto state = store.ReadTreeState();
  if (!state.ok()) return state.status();
  if (auto c = CheckTreeState(store, *state); !c.ok()) return c;
  s.state = *state;
  auto note = store.ReadLatestCheckpoint();
  if (!note.ok()) return note.status();
  auto parsed = ParseNote(*note);
  auto cp = parsed.ok() ? ParseCheckpoint(parsed->text)
                        : absl::StatusOr<Checkpoint>(parsed.status());
  if (!cp.ok() || cp->origin != s.origin || cp->size != state->size ||
      cp->root != state->root) {
    return absl::DataLossError(
        "store: the latest checkpoint does not match the tree state");
  }
  s.checkpoint_note = *note;
  auto cosigned = store.ReadMeta(kCosignedMetaKey);
  if (!cosigned.ok()) return cosigned.status();
  s.cosigned_note = *cosigned;
  return s;
}

absl::StatusOr<BackupReport> BackUpLog(const std::string& data_dir,
                                       const std::string& dest_flag) {
  const std::string dest = fs::absolute(dest_flag).lexically_normal().string();
  if (auto s = InsideDataDir(data_dir, dest); !s.ok()) return s;
  auto partial = StartBackupDir(dest);
  if (!partial.ok()) return partial.status();
  const std::string copy = absl::StrCat(*partial, "/", kBackupStoreDir);
  auto online = CopyStore(data_dir, copy);
  if (!online.ok()) return online.status();
  BackupReport report;
  report.online = *online;
  {  // The copy alone, as a restore will see it; closed before it is hashed.
    auto store = RocksDbStore::Open(copy, RocksDbStore::Mode::kRebuildIndexes);
    if (!store.ok()) return store.status();
    auto summary = SummarizeStore(**store);
    if (!summary.ok()) {
      return absl::DataLossError(
          absl::StrCat("the copy in ", copy,
                       " does not check: ", summary.status().message()));
    }
    const std::string notes[][2] = {
        {kBackupCheckpointName, summary->checkpoint_note},
        {kBackupCosignedName, summary->cosigned_note.value_or("")}};
    for (const auto& [name, text] : notes) {
      if (text.empty()) continue;
      if (auto s = WriteFileDurably(absl::StrCat(*partial, "/", name), text,
                                    0600, IfExists::kRefuse);
          !s.ok())
        return s;
    }
    report.manifest.kind = "log";
    report.manifest.origin = summary->origin;
    report.manifest.size = summary->state.size;
    report.manifest.root = Base64Encode(AsBytes(summary->state.root));
    report.manifest.format_version = summary->format_version;
    report.manifest.time_ms = NowMs();
  }
  if (auto s = FinishBackupDir(*partial, dest, report.manifest); !s.ok()) {
    return s;
  }
  auto written = ReadVerifiedBackup(dest, "log");
  if (!written.ok()) return written.status();
  report.manifest = *std::move(written);
  return report;
}

std::unique_ptr<AdminSocket> ServeOnlineBackups(const std::string& data_dir,
                                                const RocksDbStore* store) {
  auto socket = AdminSocket::Listen(
      AdminSocketPath(data_dir),
      [data_dir, store](absl::string_view command,
                        absl::string_view argument) -> absl::Status {
        if (command != "checkpoint") {
          return absl::InvalidArgumentError(
              absl::StrCat("unknown request '", command, "'"));
        }
        const std::string to(argument);
        if (!fs::path(to).is_absolute()) {
          return absl::InvalidArgumentError(
              "checkpoint: the path must be absolute");
        }
        if (auto s = InsideDataDir(data_dir, to); !s.ok()) return s;
        return store->CreateCheckpoint(to);
      });
  if (!socket.ok()) {
    std::fprintf(stderr,
                 "ailedgerd: online backups are off (`ailedgerd backup` needs "
                 "the server stopped): %s\n",
                 std::string(socket.status().message()).c_str());
    return nullptr;
  }
  return *std::move(socket);
}

}  // namespace ailedger
