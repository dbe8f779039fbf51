#include "ledger/storage/copy_log.h"

#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "ledger/storage/index_check.h"
#include "ledger/storage/meta_keys.h"
#include "ledger/storage/row_pager.h"
#include "ledger/storage/tree_reader.h"
#include "ledger/storage/tree_walk.h"
#include "ledger/tlog/checkpoint.h"

namespace ailedger {
namespace {

// Index and meta rows ride along with each batch, this many of each at most.
constexpr size_t kRowsPerBatch = 4096;

// Whether a store's stored row is part of the log (copied) or the store's own
// record of itself, which each store writes (rocksdb_store.cc's
// format_version and tree_state). `origin` is the log's, but it is written
// last (copy_log.h).
bool CopiedMeta(const std::string& key) {
  return key != "format_version" && key != "tree_state" &&
         key != kOriginMetaKey;
}

// The note's body commits to `origin`, `size` and `root`.
absl::Status CheckBody(absl::string_view name, const std::string& note,
                       const std::string& origin, uint64_t size,
                       const Hash& root) {
  auto parsed = ParseNote(note);
  auto cp = parsed.ok() ? ParseCheckpoint(parsed->text)
                        : absl::StatusOr<Checkpoint>(parsed.status());
  if (!cp.ok()) {
    return absl::DataLossError(
        absl::StrCat(name, ": the checkpoint at size ", size,
                     " does not parse: ", cp.status().message()));
  }
  if (cp->origin != origin || cp->size != size || cp->root != root) {
    return absl::DataLossError(absl::StrCat(
        name, ": the checkpoint stored at size ", size, " (", cp->origin,
        ", size ", cp->size, ", root ", ToHex(cp->root),
        ") does not commit to the tree of its first ", size, " leaves (root ",
        ToHex(root), ")"));
  }
  return absl::OkStatus();
}

// Why the destination is not empty, if it is not.
absl::Status CheckEmpty(const LogStore& to) {
  auto fail = [](absl::string_view what) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the destination ", what, ": a log is copied into an empty store"));
  };
  auto state = to.ReadTreeState();
  if (state.ok() && state->size > 0) {
    return fail(
        absl::StrCat("already holds a log of ", state->size, " entries"));
  }
  if (!state.ok() && !absl::IsNotFound(state.status())) return state.status();
  auto note = to.ReadLatestCheckpoint();
  if (note.ok()) return fail("holds a checkpoint");
  if (!absl::IsNotFound(note.status())) return note.status();
  auto index = RowPager::Index(to).Next(1);
  if (!index.ok()) return index.status();
  if (!index->empty()) return fail("holds index rows");
  auto meta = RowPager::Meta(to, [](const std::string&) { return true; });
  for (;;) {
    auto page = meta.Next(kRowsPerBatch);
    if (!page.ok()) return page.status();
    if (page->empty()) return absl::OkStatus();
    for (const auto& [key, value] : *page) {
      if (CopiedMeta(key) || key == kOriginMetaKey)
        return fail(absl::StrCat("holds the meta row '", key, "'"));
    }
  }
}

// The source's origin, which must be the log key's name.
absl::StatusOr<std::string> SourceOrigin(const LogStore& from,
                                         const VerifierKey& key) {
  auto origin = from.ReadMeta(kOriginMetaKey);
  if (!origin.ok()) return origin.status();
  if (!origin->has_value()) {
    return absl::FailedPreconditionError(
        "the source has no origin row: it is not a log made by `ailedgerd "
        "init`");
  }
  if (**origin != key.name()) {
    return absl::FailedPreconditionError(absl::StrCat("the source is the log ",
                                                      **origin,
                                                      ", but the log key "
                                                      "is named ",
                                                      key.name()));
  }
  return **origin;
}

class Copier {
 public:
  Copier(const LogStore& from, LogStore* to, const CopyOptions& o,
         const TreeState& source_state, std::string origin)
      : from_(from),
        to_(to),
        o_(o),
        source_(source_state),
        origin_(std::move(origin)),
        walk_(from, "source", origin_, source_.size, o.check_event_ids_every),
        checkpoints_(from, source_.size),
        index_(RowPager::Index(from)),
        meta_(RowPager::Meta(from, CopiedMeta)) {}

  absl::StatusOr<CopyReport> Run();

 private:
  absl::Status CommitNext();
  absl::Status CopyLeftoverRows();
  absl::Status Verify();
  void Progress(absl::string_view stage, uint64_t done) {
    if (o_.progress) o_.progress(stage, done, source_.size);
  }

  const LogStore& from_;
  LogStore* const to_;
  const CopyOptions& o_;
  const TreeState source_;
  const std::string origin_;
  TreeWalk walk_;
  CheckpointPager checkpoints_;
  RowPager index_, meta_;
  CopyReport report_;
};

// The next page of `pager` into `rows`, counted.
absl::Status TakeRows(RowPager* pager, RowPager::Rows* rows, uint64_t* count) {
  auto page = pager->Next(kRowsPerBatch);
  if (!page.ok()) return page.status();
  *count += page->size();
  *rows = *std::move(page);
  return absl::OkStatus();
}

// One CommitBatch: the leaves up to the next checkpointed size (or fewer, to
// bound memory), the checkpoint signed for that size when reached, and a page
// of index and meta rows.
absl::Status Copier::CommitNext() {
  auto next = checkpoints_.Peek();
  if (!next.ok()) return next.status();
  const uint64_t target = *next ? (*next)->first : source_.size;
  CommitBatch batch;
  batch.first_index = walk_.size();
  TreeWalk::Chunk chunk;
  const uint64_t end = std::min(target, walk_.size() + o_.max_batch_leaves);
  if (auto s = walk_.Next(end, o_.max_batch_bytes, &chunk); !s.ok()) return s;
  batch.leaves = std::move(chunk.leaves);
  batch.nodes = std::move(chunk.nodes);
  batch.event_ids = std::move(chunk.event_ids);
  batch.new_state = walk_.state();
  if (walk_.size() == target && *next) {
    const std::string& note = (*next)->second;
    if (auto s =
            CheckBody("source", note, origin_, target, batch.new_state.root);
        !s.ok())
      return s;
    batch.checkpoint = note;
    ++report_.checkpoints;
    checkpoints_.Pop();
  }
  if (auto s = TakeRows(&index_, &batch.index_rows, &report_.index_rows);
      !s.ok())
    return s;
  if (auto s = TakeRows(&meta_, &batch.meta_rows, &report_.meta_rows); !s.ok())
    return s;
  if (auto s = to_->Commit(batch); !s.ok()) return s;
  ++report_.commits;
  Progress("copying", walk_.size());
  return absl::OkStatus();
}

// The rows that did not fit in the leaves' batches.
absl::Status Copier::CopyLeftoverRows() {
  for (;;) {
    RowPager::Rows rows;
    if (auto s = TakeRows(&index_, &rows, &report_.index_rows); !s.ok())
      return s;
    if (rows.empty()) break;
    if (auto s = to_->RewriteIndexRows(rows, {}); !s.ok()) return s;
  }
  for (;;) {
    RowPager::Rows rows;
    if (auto s = TakeRows(&meta_, &rows, &report_.meta_rows); !s.ok()) return s;
    if (rows.empty()) return absl::OkStatus();
    for (const auto& [key, value] : rows) {
      if (auto s = to_->WriteMeta(key, value); !s.ok()) return s;
    }
  }
}

// The rows of `copy` equal those of `source`, in the same order.
absl::Status CompareRows(RowPager source, RowPager copy,
                         absl::string_view what) {
  for (;;) {
    auto a = source.Next(kRowsPerBatch);
    if (!a.ok()) return a.status();
    auto b = copy.Next(kRowsPerBatch);
    if (!b.ok()) return b.status();
    for (size_t i = 0; i < std::max(a->size(), b->size()); ++i) {
      if (i < a->size() && i < b->size() && (*a)[i] == (*b)[i]) continue;
      const std::string key =
          ToHex(i < a->size() ? (*a)[i].first : (*b)[i].first);
      return absl::DataLossError(absl::StrCat(
          "the copy's ", what, " rows differ from the source's at key ", key));
    }
    if (a->empty()) return absl::OkStatus();
  }
}

// The copy's checkpoints are the source's, and each commits to the root of
// the copy's own leaves at its size, which are read back and hashed again.
absl::Status ReadBack(const LogStore& from, const LogStore& to,
                      const CopyOptions& o, const std::string& origin,
                      const TreeState& state) {
  TreeWalk walk(to, "copy", origin, state.size, o.check_event_ids_every);
  CheckpointPager source(from, state.size), copy(to, state.size);
  while (walk.size() < state.size) {
    const uint64_t stop =
        std::min(state.size, walk.size() + o.max_batch_leaves);
    // The checkpoints up to `stop`, the same in both stores, and the roots of
    // the copy's leaves at their sizes.
    TreeWalk::RootsAt roots;
    std::vector<std::string> notes;
    for (;;) {
      auto a = source.Peek();
      if (!a.ok()) return a.status();
      auto b = copy.Peek();
      if (!b.ok()) return b.status();
      if ((*a == nullptr) != (*b == nullptr) || (*a && **a != **b)) {
        return absl::DataLossError(absl::StrCat(
            "the copy's checkpoints differ from the source's after size ",
            roots.sizes.empty() ? walk.size() : roots.sizes.back()));
      }
      if (*b == nullptr || (*b)->first > stop) break;
      roots.sizes.push_back((*b)->first);
      notes.push_back((*b)->second);
      source.Pop();
      copy.Pop();
    }
    // The leaves are not kept: no bound on the bytes read.
    if (auto s = walk.Next(stop, UINT64_MAX, nullptr, &roots); !s.ok())
      return s;
    for (size_t k = 0; k < notes.size(); ++k) {
      if (auto s = CheckBody("copy", notes[k], origin, roots.sizes[k],
                             roots.roots[k]);
          !s.ok())
        return s;
    }
    if (o.progress)
      o.progress("reading the copy back", walk.size(), state.size);
  }
  if (walk.state() != state) {
    return absl::DataLossError(
        "the copy's leaves do not make the source's tree");
  }
  return absl::OkStatus();
}

// The copy's latest checkpoint under the log key, against the root the copy's
// nodes give at its size.
absl::Status CheckLatest(const LogStore& to, const CopyOptions& o,
                         const TreeState& state, CopyReport* report) {
  auto note = to.ReadLatestCheckpoint();
  if (!note.ok()) return note.status();
  auto cp = OpenCheckpoint(*note, o.log_key);
  if (!cp.ok()) {
    return absl::DataLossError(
        absl::StrCat("the latest checkpoint is not signed by the log key ",
                     o.log_key.name(), ": ", cp.status().message()));
  }
  const Checkpoint& c = cp->checkpoint;
  auto root = TreeReader(&to).RootAt(c.size, state);
  if (!root.ok()) return root.status();
  if (*root != c.root) {
    return absl::DataLossError(
        absl::StrCat("the copy's root at size ", c.size, " (", ToHex(*root),
                     ") is not the one its latest signed checkpoint names (",
                     ToHex(c.root), ")"));
  }
  report->verified_size = c.size;
  report->verified_root = c.root;
  return absl::OkStatus();
}

// The copy's indexes and lifecycle rows agree with its leaves.
absl::Status CheckCopyIndexes(LogStore* to, const CopyOptions& o,
                              uint64_t size) {
  auto r =
      CheckIndexes(to, /*repair=*/false, [&o, size](uint64_t done, uint64_t) {
        if (o.progress) o.progress("checking the copy's indexes", done, size);
      });
  if (!r.ok()) return r.status();
  if (r->missing + r->extra + r->phases_wrong == 0) return absl::OkStatus();
  std::string examples;
  for (const std::string& e : r->examples) absl::StrAppend(&examples, "; ", e);
  return absl::DataLossError(absl::StrCat(
      "the copy's indexes differ from its leaves (as the source's do: "
      "`ailedgerd check-indexes --repair` the source, then copy again): ",
      r->missing, " rows missing, ", r->extra, " extra, ", r->phases_wrong,
      " lifecycle phase rows wrong", examples));
}

absl::Status Copier::Verify() {
  auto state = to_->ReadTreeState();
  if (!state.ok()) return state.status();
  if (*state != source_) {
    return absl::DataLossError(
        absl::StrCat("the copy's tree state (size ", state->size, ", root ",
                     ToHex(state->root), ") is not the source's (size ",
                     source_.size, ", root ", ToHex(source_.root), ")"));
  }
  if (auto s = CheckTreeState(*to_, *state); !s.ok()) return s;
  if (auto s = ReadBack(from_, *to_, o_, origin_, source_); !s.ok()) return s;
  if (auto s =
          CompareRows(RowPager::Index(from_), RowPager::Index(*to_), "index");
      !s.ok())
    return s;
  if (auto s = CompareRows(RowPager::Meta(from_, CopiedMeta),
                           RowPager::Meta(*to_, CopiedMeta), "meta");
      !s.ok())
    return s;
  if (auto s = CheckLatest(*to_, o_, source_, &report_); !s.ok()) return s;
  return CheckCopyIndexes(to_, o_, source_.size);
}

absl::StatusOr<CopyReport> Copier::Run() {
  while (walk_.size() < source_.size) {
    if (auto s = CommitNext(); !s.ok()) return s;
  }
  if (walk_.state() != source_) {
    return absl::DataLossError(
        "source: its tree state is not the tree its leaves make");
  }
  if (auto s = CopyLeftoverRows(); !s.ok()) return s;
  report_.event_ids_checked = walk_.event_ids_checked();
  if (auto s = Verify(); !s.ok()) return s;
  // Last: what makes the copy a log `ailedgerd serve` takes (copy_log.h).
  if (auto s = to_->WriteMeta(kOriginMetaKey, origin_); !s.ok()) return s;
  report_.origin = origin_;
  report_.state = source_;
  return report_;
}

}  // namespace

absl::StatusOr<CopyReport> CopyLog(const LogStore& from, LogStore* to,
                                   const CopyOptions& options) {
  if (options.max_batch_leaves == 0 || options.max_batch_bytes == 0) {
    return absl::InvalidArgumentError(
        "CopyOptions: max_batch_leaves and max_batch_bytes must be positive");
  }
  auto origin = SourceOrigin(from, options.log_key);
  if (!origin.ok()) return origin.status();
  auto state = from.ReadTreeState();
  if (absl::IsNotFound(state.status()) || (state.ok() && state->size == 0)) {
    return absl::FailedPreconditionError("the source holds no entries");
  }
  if (!state.ok()) return state.status();
  if (auto s = CheckTreeState(from, *state); !s.ok()) {
    return absl::IsDataLoss(s) || absl::IsNotFound(s)
               ? absl::DataLossError(absl::StrCat("source: ", s.message()))
               : s;
  }
  if (auto s = CheckEmpty(*to); !s.ok()) return s;
  return Copier(from, to, options, *state, *std::move(origin)).Run();
}

}  // namespace ailedger
