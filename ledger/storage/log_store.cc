#include "ledger/storage/log_store.h"

#include <cstring>

#include "absl/strings/str_cat.h"
#include "ledger/base/big_endian.h"

namespace ailedger {
namespace {
constexpr uint8_t kTreeStateVersion = 1;
constexpr size_t kTreeStateFixed = 1 + 8 + 32 + 32 + 8 + 1;
}  // namespace

std::string EncodeTreeState(const TreeState& s) {
  std::string out(1, static_cast<char>(kTreeStateVersion));
  PutBigEndian64(s.size, &out);
  absl::StrAppend(&out, AsBytes(s.root));
  absl::StrAppend(&out, AsBytes(s.last_leaf_hash));
  PutBigEndian64(s.last_time_ms, &out);
  out.push_back(static_cast<char>(s.compact.size()));
  for (const Hash& h : s.compact) absl::StrAppend(&out, AsBytes(h));
  return out;
}

absl::StatusOr<TreeState> DecodeTreeState(absl::string_view b) {
  if (b.size() < kTreeStateFixed || b[0] != kTreeStateVersion) {
    return absl::DataLossError("tree state: unknown version or truncated");
  }
  const size_t n = static_cast<uint8_t>(b[kTreeStateFixed - 1]);
  if (b.size() != kTreeStateFixed + n * kHashSize) {
    return absl::DataLossError("tree state: wrong length");
  }
  TreeState s;
  s.size = GetBigEndian64(b.substr(1));
  std::memcpy(s.root.data(), b.data() + 9, 32);
  std::memcpy(s.last_leaf_hash.data(), b.data() + 41, 32);
  s.last_time_ms = GetBigEndian64(b.substr(73));
  s.compact.resize(n);
  for (size_t i = 0; i < n; ++i) {
    std::memcpy(s.compact[i].data(), b.data() + kTreeStateFixed + i * 32, 32);
  }
  return s;
}

absl::StatusOr<std::vector<std::optional<uint64_t>>> LogStore::FindEvents(
    absl::Span<const Hash> event_ids) const {
  std::vector<std::optional<uint64_t>> out;
  out.reserve(event_ids.size());
  for (const Hash& id : event_ids) {
    auto found = FindEvent(id);
    if (!found.ok()) return found.status();
    out.push_back(*found);
  }
  return out;
}

absl::Status LogStore::Commit(const CommitBatch& batch) {
  if (batch.new_state.size != batch.first_index + batch.leaves.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("commit: new size ", batch.new_state.size, " is not ",
                     batch.first_index, " + ", batch.leaves.size(), " leaves"));
  }
  if (DoCommitChecksStoredSize()) return DoCommit(batch);
  uint64_t size = 0;
  auto state = ReadTreeState();
  if (state.ok()) {
    size = state->size;
  } else if (!absl::IsNotFound(state.status())) {
    return state.status();
  }
  if (batch.first_index != size) {
    return absl::FailedPreconditionError(
        absl::StrCat("commit: batch starts at ", batch.first_index,
                     " but the log has ", size, " leaves"));
  }
  return DoCommit(batch);
}

}  // namespace ailedger
