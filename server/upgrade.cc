#include "server/upgrade.h"

#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "ledger/base/base64.h"
#include "ledger/merkle/compact_range.h"
#include "ledger/storage/index_check.h"
#include "ledger/storage/rocksdb_store.h"
#include "ledger/storage/tree_reader.h"
#include "ledger/tlog/checkpoint.h"
#include "ledger/tlog/leaf.h"
#include "ledger/tlog/note.h"

namespace ailedger {
namespace {

// A step from version `from` to from + 1: what it changes (or, dry, would
// change), said in one line.
struct Step {
  uint32_t from;
  absl::StatusOr<std::string> (*run)(RocksDbStore* store, bool dry_run);
};

// 1 -> 2: index keys length-prefix their components (event_index.h); the rows
// are rebuilt from the leaves.
absl::StatusOr<std::string> RebuildIndexes(RocksDbStore* store, bool dry_run) {
  auto r = CheckIndexes(store, /*repair=*/!dry_run);
  if (!r.ok()) return r.status();
  return absl::StrCat(
      dry_run ? "would rebuild" : "rebuilt",
      " the query indexes in the length-prefixed key layout: ", r->missing,
      " rows added, ", r->extra, " removed, ", r->phases_wrong,
      " lifecycle phase rows rewritten (", r->leaves, " leaves read)");
}

// clang-format off
constexpr Step kSteps[] = {
    {1, RebuildIndexes},
};
// clang-format on

// Every leaf at its index, chained to the one before, and the root of all of
// them equal to the tree state's and to the latest checkpoint's.
absl::StatusOr<std::string> VerifyTree(const RocksDbStore& store) {
  auto state = store.ReadTreeState();
  if (!state.ok()) return state.status();
  if (auto s = CheckTreeState(store, *state); !s.ok()) return s;
  CompactRange range;
  Hash prev{};
  constexpr uint64_t kChunk = 4096;
  for (uint64_t begin = 0; begin < state->size; begin += kChunk) {
    auto leaves =
        store.ReadLeaves(begin, std::min(state->size, begin + kChunk));
    if (!leaves.ok()) return leaves.status();
    for (const std::string& bytes : *leaves) {
      const uint64_t i = range.size();
      auto leaf = DecodeLeaf(bytes);
      if (!leaf.ok() || leaf->index != i || leaf->prev_leaf_hash != prev) {
        return absl::DataLossError(
            absl::StrCat("upgrade: leaf ", i,
                         " is not at its index or not chained to "
                         "the one before"));
      }
      prev = HashLeaf(bytes);
      range.Append(prev, nullptr);
    }
  }
  const Hash root = range.Root();
  if (root != state->root) {
    return absl::DataLossError(
        "upgrade: the root of the leaves is not the tree state's root");
  }
  auto note = store.ReadLatestCheckpoint();
  if (!note.ok()) return note.status();
  auto parsed = ParseNote(*note);
  auto cp = parsed.ok() ? ParseCheckpoint(parsed->text)
                        : absl::StatusOr<Checkpoint>(parsed.status());
  if (!cp.ok() || cp->size != state->size || cp->root != root) {
    return absl::DataLossError(
        absl::StrCat("upgrade: the latest checkpoint is not the tree of the ",
                     state->size, " leaves"));
  }
  return absl::StrCat("the root of all ", state->size,
                      " leaves is the latest checkpoint's (",
                      Base64Encode(AsBytes(root)), ")");
}

}  // namespace

absl::StatusOr<std::string> UpgradeStore(const std::string& data_dir,
                                         bool dry_run) {
  auto store =
      RocksDbStore::Open(data_dir, RocksDbStore::Mode::kRebuildIndexes);
  if (!store.ok()) {
    if (absl::StrContains(store.status().message(), "LOCK")) {
      return absl::FailedPreconditionError(absl::StrCat(
          "upgrade: a server holds ", data_dir, "; stop it first"));
    }
    return store.status();
  }
  auto version = (*store)->ReadFormatVersion();
  if (!version.ok()) return version.status();
  if (*version == kStoreFormatVersion) {
    return absl::StrCat("store format version ", *version,
                        " is this release's: nothing to upgrade\n");
  }
  std::string out =
      absl::StrCat(dry_run ? "dry run: " : "", "store format version ",
                   *version, " -> ", kStoreFormatVersion, "\n");
  for (const Step& step : kSteps) {
    if (step.from < *version) continue;
    auto said = step.run(store->get(), dry_run);
    if (!said.ok()) return said.status();
    absl::StrAppend(&out, "  ", step.from, " -> ", step.from + 1, ": ", *said,
                    "\n");
  }
  auto tree = VerifyTree(**store);
  if (!tree.ok()) return tree.status();
  absl::StrAppend(&out, "  verified: ", *tree, "\n");
  if (dry_run) {
    absl::StrAppend(&out,
                    "nothing written; run without --dry-run to upgrade "
                    "(stop the server and back the store up first)\n");
    return out;
  }
  auto after = CheckIndexes(store->get(), /*repair=*/false);
  if (!after.ok()) return after.status();
  if (after->missing || after->extra || after->phases_wrong) {
    return absl::DataLossError(
        "upgrade: the indexes still differ from the leaves after the "
        "rebuild; the version is unchanged");
  }
  if (auto s = (*store)->MarkIndexesRebuilt(); !s.ok()) return s;
  absl::StrAppend(&out, "  verified: the indexes agree with the leaves\n",
                  "store format version is now ", kStoreFormatVersion, "\n");
  return out;
}

}  // namespace ailedger
