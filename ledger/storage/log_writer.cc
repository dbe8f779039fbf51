#include "ledger/storage/log_writer.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "ledger/merkle/proof.h"
#include "ledger/tlog/contexts.h"
#include "ledger/tlog/leaf.h"

namespace ailedger {

LogWriter::LogWriter(LogStore* store, std::string origin,
                     BatchCheckpointSigner signer, TreeState state,
                     CompactRange range)
    : store_(store),
      origin_(std::move(origin)),
      signer_(std::move(signer)),
      state_(std::move(state)),
      range_(std::move(range)) {}

absl::StatusOr<std::unique_ptr<LogWriter>> LogWriter::Open(
    LogStore* store, std::string origin, CheckpointSigner signer) {
  return Open(
      store, std::move(origin),
      [signer = std::move(signer)](const Checkpoint& cp, const SigningBatch&) {
        return signer(cp);
      });
}

absl::StatusOr<std::unique_ptr<LogWriter>> LogWriter::Open(
    LogStore* store, std::string origin, BatchCheckpointSigner signer) {
  TreeState state;
  auto stored = store->ReadTreeState();
  if (stored.ok()) {
    state = *std::move(stored);
  } else if (!absl::IsNotFound(stored.status())) {
    return stored.status();
  }
  auto range = CompactRange::FromHashes(state.size, state.compact);
  if (!range.ok() || range->Root() != (state.size ? state.root : EmptyRoot())) {
    return absl::DataLossError(
        absl::StrCat("tree state at size ", state.size,
                     ": compact range does not yield the stored root"));
  }
  return std::unique_ptr<LogWriter>(
      new LogWriter(store, std::move(origin), std::move(signer),
                    std::move(state), *std::move(range)));
}

absl::StatusOr<bool> LogWriter::Recover() {
  if (auto s = store_->Recover(); !s.ok()) return s;
  auto stored = store_->ReadTreeState();
  TreeState now;
  if (stored.ok()) {
    now = *std::move(stored);
  } else if (!absl::IsNotFound(stored.status())) {
    return stored.status();
  }
  const bool landed = failed_state_ && now == *failed_state_;
  if (now != state_ && !landed) {
    return absl::DataLossError(absl::StrCat(
        "store holds a tree of size ", now.size, " after a failed write, but ",
        state_.size, " was committed last: its state is uncertain"));
  }
  if (landed) {
    // The batch whose commit failed is on the disk whole (a write batch is
    // atomic) with the checkpoint this writer signed for it: adopt it.
    auto range = CompactRange::FromHashes(now.size, now.compact);
    if (!range.ok()) return range.status();
    range_ = *std::move(range);
    state_ = std::move(now);
  }
  needs_recovery_ = false;
  failed_state_.reset();
  return landed;
}

absl::StatusOr<std::vector<Hash>> AppendResult::InclusionProof(
    uint64_t index) const {
  if (index < first_index || index >= state.size) {
    return absl::InvalidArgumentError(
        absl::StrCat("leaf ", index, " is not in this batch"));
  }
  auto plan = InclusionPlan(index, state.size);
  if (!plan.ok()) return plan.status();
  std::vector<Hash> hashes;
  for (NodeId id : plan->ids) {
    auto it = nodes.find(id);
    if (it == nodes.end())
      return absl::InternalError("batch proof: node missing");
    hashes.push_back(it->second);
  }
  return Rehash(*plan, hashes);
}

absl::StatusOr<AppendResult> LogWriter::Append(
    absl::Span<const SignedEvent> events, uint64_t now_ms, BatchExtras extras) {
  if (events.empty()) return absl::InvalidArgumentError("append: no events");
  if (needs_recovery_) {
    return absl::FailedPreconditionError(
        "append: a commit failed; the store must recover first (Recover)");
  }
  CompactRange range = range_;
  CommitBatch batch;
  batch.first_index = state_.size;
  batch.index_rows = std::move(extras.index_rows);
  batch.meta_rows = std::move(extras.meta_rows);
  AppendResult result;
  result.first_index = state_.size;
  if (state_.size > 0) {
    auto before = RootPlan(state_.size);
    for (size_t i = 0; i < before->ids.size(); ++i) {
      result.nodes[before->ids[i]] = state_.compact[i];
    }
  }
  Leaf leaf;
  leaf.integrated_time_ms = std::max(now_ms, state_.last_time_ms);
  leaf.prev_leaf_hash = state_.last_leaf_hash;
  auto visit = [&batch, &result](NodeId id, const Hash& h) {
    batch.nodes.emplace_back(id, h);
    result.nodes[id] = h;
  };
  for (const SignedEvent& e : events) {
    leaf.index = range.size();
    leaf.signer = e.signer;
    leaf.signature = e.signature;
    leaf.event_bytes = e.event_bytes;
    auto bytes = EncodeLeaf(leaf);
    if (!bytes.ok()) return bytes.status();
    const Hash h = HashLeaf(*bytes);
    range.Append(h, visit);
    batch.event_ids.emplace_back(EventId(origin_, e.event_bytes), leaf.index);
    batch.leaves.push_back(*std::move(bytes));
    result.leaf_hashes.push_back(h);
    leaf.prev_leaf_hash = h;
  }
  TreeState next{range.size(), range.Root(), leaf.prev_leaf_hash,
                 leaf.integrated_time_ms, range.hashes()};
  const SigningBatch signing{state_.size,
                             extras.log_keys ? &*extras.log_keys : nullptr};
  auto note = signer_(Checkpoint{origin_, next.size, next.root}, signing);
  if (!note.ok()) return note.status();
  batch.checkpoint = *note;
  batch.new_state = next;
  if (auto s = store_->Commit(batch); !s.ok()) {
    needs_recovery_ = true;
    failed_state_ = next;
    return s;
  }
  state_ = next;
  range_ = std::move(range);
  result.leaves = std::move(batch.leaves);
  result.checkpoint = *std::move(note);
  result.state = std::move(next);
  return result;
}

}  // namespace ailedger
