#include "server/ledger_reads.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <queue>

#include "absl/strings/str_cat.h"
#include "ledger/base/big_endian.h"
#include "ledger/storage/event_index.h"
#include "ledger/storage/meta_keys.h"
#include "ledger/storage/tree_reader.h"
#include "ledger/tlog/leaf.h"

namespace ailedger {

absl::StatusOr<EntryBytes> LedgerReads::EntryAt(uint64_t index) const {
  auto state = store_->ReadTreeState();
  if (!state.ok()) return state.status();
  auto leaf = TreeReader(store_).Leaf(index, *state);
  if (!leaf.ok()) return leaf.status();
  return EntryBytes{index, *std::move(leaf)};
}

absl::StatusOr<uint64_t> LedgerReads::IndexOfEvent(
    const std::string& event_id) const {
  auto id = HashFromBytes(event_id, "event_id");
  if (!id.ok()) return id.status();
  auto found = store_->FindEvent(*id);
  if (!found.ok()) return found.status();
  if (!found->has_value()) {
    return absl::NotFoundError(absl::StrCat("event_id: no event ", ToHex(*id)));
  }
  return **found;
}

absl::StatusOr<EntryBytes> LedgerReads::EntryById(
    const std::string& event_id) const {
  auto index = IndexOfEvent(event_id);
  if (!index.ok()) return index.status();
  return EntryAt(*index);
}

absl::StatusOr<std::string> LedgerReads::LatestCheckpoint() const {
  return store_->ReadLatestCheckpoint();
}

absl::StatusOr<std::string> LedgerReads::LatestCosignedCheckpoint() const {
  auto note = store_->ReadMeta(kCosignedMetaKey);
  if (!note.ok()) return note.status();
  if (!note->has_value())
    return absl::NotFoundError("no checkpoint has been cosigned yet");
  return **note;
}

absl::StatusOr<std::string> LedgerReads::CosignedAfter(uint64_t size) const {
  if (size == UINT64_MAX) return absl::NotFoundError("no cosigned checkpoint");
  auto rows =
      store_->ScanMeta(CosignedAtKey(size + 1), CosignedAtKey(UINT64_MAX), 1);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) {
    return absl::NotFoundError(
        absl::StrCat("no cosigned checkpoint above size ", size));
  }
  return rows->front().second;
}

absl::StatusOr<std::string> LedgerReads::CheckpointAt(uint64_t size) const {
  auto state = store_->ReadTreeState();
  if (!state.ok()) return state.status();
  // A size the log may reach later is out of range; one it passed without a
  // checkpoint is not found.
  if (size > state->size) {
    return absl::OutOfRangeError(absl::StrCat(
        "size: ", size, " is beyond the log's size ", state->size));
  }
  auto note = store_->ReadCheckpoint(size);
  if (absl::IsNotFound(note.status())) {
    return absl::NotFoundError(
        absl::StrCat("size: no checkpoint is kept at size ", size));
  }
  return note;
}

absl::StatusOr<InclusionAnswer> LedgerReads::Inclusion(
    uint64_t index, uint64_t tree_size) const {
  auto state = store_->ReadTreeState();
  if (!state.ok()) return state.status();
  InclusionAnswer a{
      index, tree_size == 0 ? state->size : tree_size, "", {}, ""};
  // Checked before any read: a leaf beyond the log is not lost data.
  if (index >= a.tree_size) {
    if (tree_size == 0 || index >= state->size) {
      return absl::OutOfRangeError(absl::StrCat(
          "index: ", index, " is beyond the log's size ", state->size));
    }
    return absl::InvalidArgumentError(
        absl::StrCat("index: ", index, " is not below tree_size ", tree_size));
  }
  auto found = TreeReader(store_).LeafWithProof(index, a.tree_size, *state);
  if (!found.ok()) return found.status();
  a.leaf = std::move(found->leaf);
  a.hashes = std::move(found->proof);
  a.checkpoint = store_->ReadCheckpoint(a.tree_size).value_or("");
  return a;
}

absl::StatusOr<std::vector<Hash>> LedgerReads::Consistency(
    uint64_t first, uint64_t second) const {
  auto state = store_->ReadTreeState();
  if (!state.ok()) return state.status();
  return TreeReader(store_).ConsistencyProof(
      first, second == 0 ? state->size : second, *state);
}

absl::StatusOr<std::vector<EntryBytes>> LedgerReads::Entries(
    uint64_t start, uint64_t end) const {
  auto state = store_->ReadTreeState();
  if (!state.ok()) return state.status();
  if (end == 0 || end > state->size) end = state->size;
  if (start > end) {
    return absl::OutOfRangeError(
        absl::StrCat("start: ", start, " is beyond the log"));
  }
  end = std::min<uint64_t>(end, start + max_page_);
  std::vector<EntryBytes> out;
  TreeReader reader(store_);
  for (uint64_t i = start; i < end; ++i) {
    auto leaf = reader.Leaf(i, *state);
    if (!leaf.ok()) return leaf.status();
    out.push_back({i, *std::move(leaf)});
  }
  return out;
}

absl::StatusOr<bool> LedgerReads::Matches(const QuerySpec& spec,
                                          const std::string& leaf) const {
  auto decoded = DecodeLeaf(leaf);
  if (!decoded.ok()) return absl::DataLossError(decoded.status().message());
  v1::Event e;
  if (!e.ParseFromString(decoded->event_bytes)) {
    return absl::DataLossError("stored event does not parse");
  }
  if (!spec.event_type.empty() && e.event_type() != spec.event_type)
    return false;
  if (!spec.organisation.empty() && e.organisation() != spec.organisation)
    return false;
  if (spec.from_ms != 0 && e.occurred_at_ms() < spec.from_ms) return false;
  if (spec.to_ms != 0 && e.occurred_at_ms() >= spec.to_ms) return false;
  if (spec.subject_kind.empty()) return true;
  return std::any_of(
      e.subjects().begin(), e.subjects().end(), [&](const auto& s) {
        return s.kind() == spec.subject_kind && s.id() == spec.subject_id;
      });
}

absl::StatusOr<QueryPage> LedgerReads::QueryByIndexRows(
    const QuerySpec& spec, const std::string& prefix, uint64_t start,
    size_t page) const {
  auto state = store_->ReadTreeState();
  if (!state.ok()) return state.status();
  std::string begin = prefix, end = prefix;
  PutBigEndian64(start, &begin);
  PutBigEndian64(state->size, &end);
  auto rows = store_->ScanIndex(begin, end, page);
  if (!rows.ok()) return rows.status();
  QueryPage out;
  out.done = rows->size() < page;
  TreeReader reader(store_);
  for (const auto& [key, value] : *rows) {
    const uint64_t index = IndexOfRow(key);
    out.next_index = index + 1;
    auto leaf = reader.Leaf(index, *state);
    if (!leaf.ok()) return leaf.status();
    auto match = Matches(spec, *leaf);
    if (!match.ok()) return match.status();
    if (*match) out.entries.push_back({index, *std::move(leaf)});
  }
  if (out.done) out.next_index = state->size;
  return out;
}

// The row of `day` or of the first day after it (up to `last`) with an entry.
absl::StatusOr<std::optional<uint32_t>> LedgerReads::NextDay(
    uint32_t day, uint32_t last) const {
  const std::string end =
      last == UINT32_MAX ? std::string("n") : DayPrefix(last + 1);
  auto row = store_->ScanIndex(DayPrefix(day), end, 1);
  if (!row.ok()) return row.status();
  if (row->empty()) return std::optional<uint32_t>();
  const std::string& key = row->front().first;
  uint32_t found = 0;
  for (int i = 1; i <= 4; ++i)
    found = (found << 8) | static_cast<unsigned char>(key[i]);
  return std::optional<uint32_t>(found);
}

// A time-only query: the day rows of [from, to), merged into index order. Per
// page, one seek per day with entries, and only rows below the page's current
// bound are read (entries are mostly appended in time order).
absl::StatusOr<QueryPage> LedgerReads::QueryByDays(const QuerySpec& spec,
                                                   uint64_t start,
                                                   size_t page) const {
  auto state = store_->ReadTreeState();
  if (!state.ok()) return state.status();
  // The last day holding a time below to_ms (none below INT64_MIN + 1).
  const uint32_t last = spec.to_ms == 0
                            ? UINT32_MAX
                            : DayOf(std::max(spec.to_ms, INT64_MIN + 1) - 1);
  std::priority_queue<uint64_t> best;  // the page's smallest indices
  for (uint32_t day = DayOf(spec.from_ms);;) {
    auto next = NextDay(day, last);
    if (!next.ok()) return next.status();
    if (!next->has_value()) break;
    const uint64_t bound = best.size() == page ? best.top() : state->size;
    std::string begin = DayPrefix(**next), end = begin;
    PutBigEndian64(start, &begin);
    PutBigEndian64(bound, &end);
    auto rows = store_->ScanIndex(begin, end, page);
    if (!rows.ok()) return rows.status();
    for (const auto& [key, value] : *rows) {
      best.push(IndexOfRow(key));
      if (best.size() > page) best.pop();
    }
    if (**next >= last) break;
    day = **next + 1;
  }
  std::vector<uint64_t> candidates;
  for (; !best.empty(); best.pop()) candidates.push_back(best.top());
  std::reverse(candidates.begin(), candidates.end());
  QueryPage out;
  out.done = candidates.size() < page;
  out.next_index = out.done ? state->size : candidates.back() + 1;
  TreeReader reader(store_);
  for (uint64_t index : candidates) {
    auto leaf = reader.Leaf(index, *state);
    if (!leaf.ok()) return leaf.status();
    auto match = Matches(spec, *leaf);  // exact bounds within the days
    if (!match.ok()) return match.status();
    if (*match) out.entries.push_back({index, *std::move(leaf)});
  }
  return out;
}

absl::StatusOr<QueryPage> LedgerReads::QueryByScan(const QuerySpec& spec,
                                                   uint64_t start,
                                                   size_t page) const {
  auto entries = Entries(start, 0);
  if (!entries.ok()) return entries.status();
  QueryPage out;
  out.next_index = start + entries->size();
  out.done = entries->size() < max_page_;
  for (auto& e : *entries) {
    auto match = Matches(spec, e.leaf);
    if (!match.ok()) return match.status();
    if (*match) out.entries.push_back(std::move(e));
    if (out.entries.size() == page) {
      out.next_index = out.entries.back().index + 1;
      out.done = false;
      break;
    }
  }
  return out;
}

absl::StatusOr<QueryPage> LedgerReads::Query(const QuerySpec& spec,
                                             uint64_t start,
                                             size_t page_size) const {
  const size_t page =
      std::clamp<size_t>(page_size == 0 ? max_page_ : page_size, 1, max_page_);
  if (spec.subject_kind.empty() != spec.subject_id.empty()) {
    return absl::InvalidArgumentError(
        "subject_kind and subject_id go together");
  }
  if (!spec.subject_kind.empty()) {
    return QueryByIndexRows(
        spec, SubjectPrefix(spec.subject_kind, spec.subject_id), start, page);
  }
  if (!spec.event_type.empty()) {
    return QueryByIndexRows(spec, TypePrefix(spec.event_type), start, page);
  }
  if (!spec.organisation.empty()) {
    return QueryByIndexRows(spec, OrganisationPrefix(spec.organisation), start,
                            page);
  }
  if (spec.from_ms != 0 || spec.to_ms != 0)
    return QueryByDays(spec, start, page);
  return QueryByScan(spec, start, page);
}

}  // namespace ailedger
