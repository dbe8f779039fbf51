#include "ledger/storage/memory_store.h"

#include "absl/strings/str_cat.h"

namespace ailedger {

absl::StatusOr<TreeState> MemoryStore::ReadTreeState() const {
  absl::MutexLock lock(&mu_);
  if (!state_) return absl::NotFoundError("store: no tree yet");
  return *state_;
}

absl::StatusOr<std::string> MemoryStore::ReadLeaf(uint64_t index) const {
  absl::MutexLock lock(&mu_);
  auto it = leaves_.find(index);
  if (it == leaves_.end()) {
    return absl::NotFoundError(absl::StrCat("leaf ", index, " not stored"));
  }
  return it->second;
}

absl::StatusOr<std::vector<std::string>> MemoryStore::ReadLeaves(
    uint64_t begin, uint64_t end) const {
  std::vector<std::string> out;
  for (uint64_t i = begin; i < end; ++i) {
    auto leaf = ReadLeaf(i);
    if (!leaf.ok()) return leaf.status();
    out.push_back(*std::move(leaf));
  }
  return out;
}

absl::StatusOr<std::vector<Hash>> MemoryStore::ReadNodes(
    absl::Span<const NodeId> ids) const {
  absl::MutexLock lock(&mu_);
  std::vector<Hash> out;
  out.reserve(ids.size());
  for (NodeId id : ids) {
    auto it = nodes_.find(id);
    if (it == nodes_.end()) {
      return absl::NotFoundError(
          absl::StrCat("node (", id.level, ",", id.index, ") not stored"));
    }
    out.push_back(it->second);
  }
  return out;
}

absl::StatusOr<std::string> MemoryStore::ReadCheckpoint(uint64_t size) const {
  absl::MutexLock lock(&mu_);
  auto it = checkpoints_.find(size);
  if (it == checkpoints_.end()) {
    return absl::NotFoundError(absl::StrCat("no checkpoint at size ", size));
  }
  return it->second;
}

absl::StatusOr<std::string> MemoryStore::ReadLatestCheckpoint() const {
  absl::MutexLock lock(&mu_);
  if (checkpoints_.empty()) return absl::NotFoundError("no checkpoint yet");
  return checkpoints_.rbegin()->second;
}

absl::StatusOr<std::vector<std::pair<uint64_t, std::string>>>
MemoryStore::ScanCheckpoints(uint64_t begin, uint64_t end, size_t limit) const {
  absl::MutexLock lock(&mu_);
  std::vector<std::pair<uint64_t, std::string>> out;
  for (auto it = checkpoints_.lower_bound(begin);
       it != checkpoints_.end() && it->first < end && out.size() < limit; ++it)
    out.emplace_back(it->first, it->second);
  return out;
}

absl::StatusOr<std::optional<uint64_t>> MemoryStore::FindEvent(
    const Hash& event_id) const {
  absl::MutexLock lock(&mu_);
  auto it = event_ids_.find(event_id);
  if (it == event_ids_.end()) return std::optional<uint64_t>();
  return std::optional<uint64_t>(it->second);
}

namespace {

// The rows of `rows` in [begin, end), at most `limit`, in key order.
std::vector<std::pair<std::string, std::string>> Scan(
    const std::map<std::string, std::string>& rows, const std::string& begin,
    const std::string& end, size_t limit) {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto it = rows.lower_bound(begin);
       it != rows.end() && it->first < end && out.size() < limit; ++it) {
    out.push_back(*it);
  }
  return out;
}

}  // namespace

absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
MemoryStore::ScanIndex(const std::string& begin, const std::string& end,
                       size_t limit) const {
  absl::MutexLock lock(&mu_);
  return Scan(index_rows_, begin, end, limit);
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
MemoryStore::ScanMeta(const std::string& begin, const std::string& end,
                      size_t limit) const {
  absl::MutexLock lock(&mu_);
  return Scan(meta_, begin, end, limit);
}

absl::StatusOr<std::optional<std::string>> MemoryStore::ReadMeta(
    const std::string& key) const {
  absl::MutexLock lock(&mu_);
  auto it = meta_.find(key);
  if (it == meta_.end()) return std::optional<std::string>();
  return std::optional<std::string>(it->second);
}

absl::Status MemoryStore::RewriteIndexRows(
    const std::vector<std::pair<std::string, std::string>>& put,
    const std::vector<std::string>& erase) {
  absl::MutexLock lock(&mu_);
  for (const auto& k : erase) index_rows_.erase(k);
  for (const auto& [k, v] : put) index_rows_[k] = v;
  return absl::OkStatus();
}

absl::Status MemoryStore::WriteMeta(const std::string& key,
                                    const std::string& value) {
  absl::MutexLock lock(&mu_);
  meta_[key] = value;
  return absl::OkStatus();
}

void MemoryStore::OverwriteLeafForTesting(uint64_t index, std::string bytes) {
  absl::MutexLock lock(&mu_);
  leaves_[index] = std::move(bytes);
}

void MemoryStore::OverwriteNodeForTesting(NodeId id, const Hash& hash) {
  absl::MutexLock lock(&mu_);
  nodes_[id] = hash;
}

absl::Status MemoryStore::DoCommit(const CommitBatch& batch) {
  absl::MutexLock lock(&mu_);
  for (size_t i = 0; i < batch.leaves.size(); ++i) {
    leaves_[batch.first_index + i] = batch.leaves[i];
  }
  for (const auto& [id, hash] : batch.nodes) nodes_[id] = hash;
  if (!batch.checkpoint.empty()) {
    checkpoints_[batch.new_state.size] = batch.checkpoint;
  }
  for (const auto& [id, index] : batch.event_ids) event_ids_[id] = index;
  for (const auto& [k, v] : batch.index_rows) index_rows_[k] = v;
  for (const auto& [k, v] : batch.meta_rows) meta_[k] = v;
  state_ = batch.new_state;
  return absl::OkStatus();
}

}  // namespace ailedger
