#include "server/restore.h"

#include <google/protobuf/util/json_util.h>

#include <filesystem>
#include <memory>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "ailedger/ledger.pb.h"
#include "ledger/base/backup_files.h"
#include "ledger/base/base64.h"
#include "ledger/base/file_util.h"
#include "ledger/governance/canonical.h"
#include "ledger/storage/rocksdb_store.h"
#include "ledger/tlog/checkpoint.h"
#include "server/backup.h"
#include "server/daemon.h"
#include "server/log_signer.h"
#include "server/replay.h"

namespace ailedger {
namespace {

namespace fs = std::filesystem;

std::string B64(const Hash& h) { return Base64Encode(AsBytes(h)); }

// Why the copy cannot be served, and the two ways on.
absl::Status BelowTheMark(const RestoreOptions& o, const StoreSummary& copy,
                          const LogSigner::Mark& mark) {
  return absl::FailedPreconditionError(absl::StrCat(
      "restore: the backup holds ", copy.origin, " up to size ",
      copy.state.size, ", but this log key has signed size ", mark.size, " (",
      o.log_key_file, ".hwm): entries ", copy.state.size, " to ", mark.size - 1,
      " are not in it, and serving it would let the key sign a second tree at "
      "a size it has already signed (a fork), so `ailedgerd serve` refuses "
      "it. Nothing was written. Choose one: "
      "(a) --replay BUNDLE: replay the missing entries from an export "
      "bundle of this log (`ailedger export`, from a monitor, an auditor or a "
      "copy that has them) whose checkpoint is at size ",
      mark.size, " or later and which starts at or before entry ",
      copy.state.size,
      "; the copy then reaches what the key signed, and serve takes it; or "
      "(b) --successor --genesis FILE --new-log-key KEY: start a successor "
      "log with a new origin and log key, whose genesis names this log's last "
      "checkpoint: `ailedger genesis --predecessor-checkpoint ",
      o.from, "/", kBackupCheckpointName,
      " ...` (or a later checkpoint signed by this key, such as the one a "
      "witness cosigned last)."));
}

// The copy's checkpoint under the log key, and the manifest's description of
// it.
absl::Status CheckCopy(const StoreSummary& copy, const BackupManifest& m,
                       const VerifierKey& key) {
  if (copy.origin != key.name()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "restore: the backup is of ", copy.origin, ", not of ", key.name()));
  }
  if (auto cp = OpenCheckpoint(copy.checkpoint_note, key); !cp.ok()) {
    return absl::DataLossError(absl::StrCat(
        "restore: the copy's latest checkpoint is not signed by this log key: ",
        cp.status().message()));
  }
  if (m.size != copy.state.size || m.root != B64(copy.state.root) ||
      m.origin != copy.origin) {
    return absl::DataLossError(
        "restore: the copy is not the tree its manifest names");
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Event> ReadGenesisEvent(const std::string& file) {
  auto text = ReadSmallFile(file);
  if (!text.ok()) return text.status();
  v1::AppendRequest req;
  if (!google::protobuf::util::JsonStringToMessage(*text, &req).ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(file, ": not a genesis file"));
  }
  auto e = ParseCanonicalEvent(req.event());
  if (!e.ok() || !e->has_genesis()) {
    return absl::InvalidArgumentError(
        absl::StrCat(file, ": not a genesis event"));
  }
  return e;
}

// The successor's genesis names this log and a checkpoint its key signed, no
// older than the copy's and no other tree than the mark's at its size.
absl::StatusOr<Checkpoint> CheckPredecessor(const v1::Genesis& g,
                                            const StoreSummary& copy,
                                            const VerifierKey& key,
                                            const LogSigner::Mark& mark) {
  auto bad = [](absl::string_view why) {
    return absl::FailedPreconditionError(
        absl::StrCat("--successor: the genesis ", why));
  };
  if (g.origin() == copy.origin) {
    return bad("has this log's origin; a successor needs a new one");
  }
  if (g.predecessor_origin() != copy.origin) {
    return bad(absl::StrCat("names predecessor_origin '",
                            g.predecessor_origin(), "', not ", copy.origin,
                            " (ailedger genesis --predecessor-checkpoint)"));
  }
  auto cp = OpenCheckpoint(g.predecessor_checkpoint(), key);
  if (!cp.ok()) {
    return bad(absl::StrCat(
        "names a predecessor_checkpoint this log key did not sign: ",
        cp.status().message()));
  }
  const Checkpoint& c = cp->checkpoint;
  if (c.size < copy.state.size ||
      (c.size == copy.state.size && c.root != copy.state.root)) {
    return bad(absl::StrCat("names the checkpoint at size ", c.size,
                            ", older than the backup's (size ", copy.state.size,
                            "): name the last one"));
  }
  if (c.size == mark.size && mark.root && *mark.root != c.root) {
    return bad("names a root this log key's high-water mark does not record");
  }
  return c;
}

absl::StatusOr<std::string> StartSuccessor(const RestoreOptions& o,
                                           const StoreSummary& copy,
                                           const VerifierKey& key,
                                           const LogSigner::Mark& mark) {
  if (o.genesis_file.empty() || o.new_log_key_file.empty()) {
    return absl::InvalidArgumentError(
        "--successor needs --genesis FILE and --new-log-key KEY");
  }
  auto genesis = ReadGenesisEvent(o.genesis_file);
  if (!genesis.ok()) return genesis.status();
  auto named = CheckPredecessor(genesis->genesis(), copy, key, mark);
  if (!named.ok()) return named.status();
  StoreLocation at;
  at.data_dir = o.data_dir;
  if (auto s = InitLog(at, o.genesis_file, o.new_log_key_file); !s.ok())
    return s;
  std::string out = absl::StrCat(
      "started the successor log ", genesis->genesis().origin(), " in ",
      o.data_dir, "; its genesis names ", copy.origin, "'s checkpoint at size ",
      named->size, " (root ", B64(named->root), ").\n");
  if (named->size < mark.size) {
    absl::StrAppend(&out, "note: ", copy.origin, "'s key signed up to size ",
                    mark.size, "; entries ", named->size, " to ", mark.size - 1,
                    " are named by no checkpoint here.\n");
  }
  absl::StrAppend(&out, "Keep ", o.from, ": it holds ", copy.origin,
                  "'s entries 0 to ", copy.state.size - 1, ".\n");
  return out;
}

}  // namespace

absl::StatusOr<std::string> RestoreLog(const RestoreOptions& o) {
  if (!o.replay_bundle.empty() && o.successor) {
    return absl::InvalidArgumentError(
        "--replay and --successor do not go together");
  }
  auto manifest = ReadVerifiedBackup(o.from, "log");
  if (!manifest.ok()) return manifest.status();
  auto signer = LogSigner::Open(o.log_key_file);
  if (!signer.ok()) return signer.status();
  const VerifierKey& key = (*signer)->verifier();
  const LogSigner::Mark mark{(*signer)->high_water_mark(),
                             (*signer)->high_water_root()};
  if (manifest->origin != key.name()) {
    return absl::FailedPreconditionError(
        absl::StrCat("restore: the backup is of ", manifest->origin,
                     ", not of ", key.name()));
  }
  std::error_code ec;
  if (fs::exists(fs::symlink_status(o.data_dir, ec))) {
    return absl::FailedPreconditionError(
        absl::StrCat(o.data_dir, " exists: restore goes to a new directory"));
  }
  const std::string staging = o.data_dir + ".restoring";
  if (fs::exists(fs::symlink_status(staging, ec))) {
    return absl::FailedPreconditionError(absl::StrCat(
        staging, " exists: an earlier restore was interrupted; remove it"));
  }
  auto files = RestoreFiles(o.from, *manifest,
                            absl::StrCat(kBackupStoreDir, "/"), staging);
  absl::Cleanup drop_staging = [&staging] {
    std::error_code ignored;
    fs::remove_all(staging, ignored);
  };
  if (!files.ok()) return files.status();
  auto store = RocksDbStore::Open(staging, RocksDbStore::Mode::kRebuildIndexes);
  if (!store.ok()) return store.status();
  auto copy = SummarizeStore(**store);
  if (!copy.ok()) return copy.status();
  if (auto s = CheckCopy(*copy, *manifest, key); !s.ok()) return s;
  const bool below = copy->state.size < mark.size;
  const bool chose = o.successor || !o.replay_bundle.empty();
  if (!below) {
    if (copy->state.size == mark.size && mark.root &&
        *mark.root != copy->state.root) {
      return absl::DataLossError(absl::StrCat(
          "restore: the copy holds another tree at size ", mark.size,
          " than the one this log key signed: it is not this log's backup"));
    }
    if (chose) {
      return absl::FailedPreconditionError(absl::StrCat(
          "restore: the copy (size ", copy->state.size,
          ") is at this log key's high-water mark (size ", mark.size,
          "): serve it as it is, without --replay or --successor"));
    }
  }
  if (below && !chose) return BelowTheMark(o, *copy, mark);
  if (chose && copy->format_version != kStoreFormatVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        "restore: the backup's store has format version ", copy->format_version,
        ": restore it without a choice into another "
        "directory, `ailedgerd upgrade` it, back that up, and restore that"));
  }
  if (o.successor) {
    store->reset();
    return StartSuccessor(o, *copy, key, mark);
  }
  std::string out;
  if (!o.replay_bundle.empty()) {
    auto r = ReplayBundle(store->get(), key, mark, o.replay_bundle);
    if (!r.ok()) return r.status();
    out = absl::StrCat("replayed entries ", r->from_size, " to ",
                       r->to_size - 1, " from ", o.replay_bundle,
                       "; the tree is the bundle's signed checkpoint (size ",
                       r->to_size, ", root ", B64(r->root), ")\n");
    if (auto s = (*signer)->Advance(r->to_size, r->root); !s.ok()) return s;
  }
  const TreeState state = (*store)->ReadTreeState().value_or(copy->state);
  const uint32_t version = copy->format_version;
  store->reset();  // closed before it moves
  if (auto s = SyncDirectory(staging); !s.ok()) return s;
  if (std::rename(staging.c_str(), o.data_dir.c_str()) != 0) {
    return FileError("restore: cannot rename to " + o.data_dir, staging, errno);
  }
  std::move(drop_staging).Cancel();
  const std::string parent = fs::absolute(o.data_dir).parent_path().string();
  if (auto s = SyncDirectory(parent); !s.ok()) return s;
  absl::StrAppend(&out, "restored ", copy->origin, " at size ", state.size,
                  " (root ", B64(state.root), ") into ", o.data_dir, "\n");
  if (mark.size == 0) {
    absl::StrAppend(
        &out, "warning: ", o.log_key_file,
        ".hwm is missing, so nothing says how far this key has signed: if it "
        "signed beyond size ",
        state.size,
        ", serving this copy forks the log. Compare it with the latest "
        "checkpoint a witness or monitor holds before serving (a witness's "
        "proof raises the mark: serve --witness)\n");
  }
  if (version != kStoreFormatVersion) {
    absl::StrAppend(&out, "its store has format version ", version,
                    ": run `ailedgerd upgrade --data ", o.data_dir,
                    "` before serving it\n");
  }
  return out;
}

}  // namespace ailedger
