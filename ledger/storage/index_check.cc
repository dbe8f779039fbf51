#include "ledger/storage/index_check.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "ledger/hash.h"
#include "ledger/leaf.h"
#include "ledger/storage/event_index.h"

namespace ailedger {
namespace {

constexpr uint64_t kChunk = 4096;

absl::StatusOr<std::vector<std::string>> RowsOfLeaf(const LogStore& store,
                                                    uint64_t index) {
  auto bytes = store.ReadLeaf(index);
  if (!bytes.ok()) return bytes.status();
  auto leaf = DecodeLeaf(*bytes);
  v1::Event e;
  if (!leaf.ok() || !e.ParseFromString(leaf->event_bytes)) {
    return absl::DataLossError(
        absl::StrCat("leaf ", index, " does not decode"));
  }
  std::vector<std::string> keys;
  for (auto& [k, v] : IndexRowsFor(e, index)) keys.push_back(std::move(k));
  return keys;
}

void Note(IndexCheckReport* r, absl::string_view what, const std::string& key) {
  if (r->examples.size() < 10)
    r->examples.push_back(absl::StrCat(what, " row ", ToHex(key)));
}

}  // namespace

absl::StatusOr<IndexCheckReport> CheckIndexes(
    LogStore* store, bool repair,
    const std::function<void(uint64_t, uint64_t)>& progress) {
  auto state = store->ReadTreeState();
  if (!state.ok()) return state.status();
  IndexCheckReport r;
  std::vector<std::pair<std::string, std::string>> put;
  std::vector<std::string> erase;
  // Every row the leaves imply must be stored.
  for (uint64_t i = 0; i < state->size; ++i, ++r.leaves) {
    auto keys = RowsOfLeaf(*store, i);
    if (!keys.ok()) return keys.status();
    for (const std::string& k : *keys) {
      auto found = store->ScanIndex(k, k + std::string(1, '\0'), 1);
      if (!found.ok()) return found.status();
      if (found->empty() || found->front().first != k) {
        ++r.missing;
        Note(&r, "missing", k);
        put.emplace_back(k, "");
      }
    }
    if (progress && i % kChunk == 0) progress(i, state->size);
  }
  // Every stored row must be implied by the leaf it names.
  std::string from;
  for (;;) {
    auto page = store->ScanIndex(from, std::string(1, '\xff'), kChunk);
    if (!page.ok()) return page.status();
    for (const auto& [key, value] : *page) {
      ++r.rows;
      const uint64_t index = IndexOfRow(key);
      std::vector<std::string> keys;
      if (index < state->size) {
        auto implied = RowsOfLeaf(*store, index);
        if (!implied.ok()) return implied.status();
        keys = *std::move(implied);
      }
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
        ++r.extra;
        Note(&r, "extra", key);
        erase.push_back(key);
      }
    }
    if (page->size() < kChunk) break;
    from = page->back().first + std::string(1, '\0');
  }
  if (repair && (!put.empty() || !erase.empty())) {
    if (auto s = store->RewriteIndexRows(put, erase); !s.ok()) return s;
    r.repaired = true;
  }
  return r;
}

}  // namespace ailedger
