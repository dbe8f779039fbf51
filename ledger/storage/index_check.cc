#include "ledger/storage/index_check.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "ledger/governance/lifecycle.h"
#include "ledger/merkle/hash.h"
#include "ledger/storage/event_index.h"
#include "ledger/storage/meta_keys.h"
#include "ledger/tlog/leaf.h"

namespace ailedger {
namespace {

constexpr uint64_t kChunk = 4096;

absl::StatusOr<v1::Event> EventAt(const LogStore& store, uint64_t index) {
  auto bytes = store.ReadLeaf(index);
  if (!bytes.ok()) return bytes.status();
  auto leaf = DecodeLeaf(*bytes);
  v1::Event e;
  if (!leaf.ok() || !e.ParseFromString(leaf->event_bytes)) {
    return absl::DataLossError(
        absl::StrCat("leaf ", index, " does not decode"));
  }
  return e;
}

std::vector<std::string> KeysOf(const v1::Event& e, uint64_t index) {
  std::vector<std::string> keys;
  for (auto& [k, v] : IndexRowsFor(e, index)) keys.push_back(std::move(k));
  return keys;
}

// Repairs, written a chunk at a time so that memory stays bounded.
class Repairs {
 public:
  Repairs(LogStore* store, bool enabled) : store_(store), enabled_(enabled) {}
  absl::Status Put(std::string key) {
    put_.emplace_back(std::move(key), "");
    return put_.size() >= kChunk ? Flush() : absl::OkStatus();
  }
  absl::Status Erase(std::string key) {
    erase_.push_back(std::move(key));
    return erase_.size() >= kChunk ? Flush() : absl::OkStatus();
  }
  absl::Status Flush() {
    if (put_.empty() && erase_.empty()) return absl::OkStatus();
    if (enabled_) {
      if (auto s = store_->RewriteIndexRows(put_, erase_); !s.ok()) return s;
      written_ = true;
    }
    put_.clear();
    erase_.clear();
    return absl::OkStatus();
  }
  bool written() const { return written_; }

 private:
  LogStore* const store_;
  const bool enabled_;
  bool written_ = false;
  std::vector<std::pair<std::string, std::string>> put_;
  std::vector<std::string> erase_;
};

void Note(IndexCheckReport* r, absl::string_view what, const std::string& key) {
  if (r->examples.size() < 10)
    r->examples.push_back(absl::StrCat(what, " row ", ToHex(key)));
}

// Every row the leaves imply must be stored; the lifecycle phases are replayed
// on the way.
absl::Status CheckImpliedRows(
    LogStore* store, uint64_t size, IndexCheckReport* r, Repairs* repairs,
    std::map<std::string, Phase>* phases,
    const std::function<void(uint64_t, uint64_t)>& progress) {
  uint32_t version = 0;
  for (uint64_t i = 0; i < size; ++i, ++r->leaves) {
    auto e = EventAt(*store, i);
    if (!e.ok()) return e.status();
    for (std::string& k : KeysOf(*e, i)) {
      auto found = store->ScanIndex(k, k + std::string(1, '\0'), 1);
      if (!found.ok()) return found.status();
      if (found->empty() || found->front().first != k) {
        ++r->missing;
        Note(r, "missing", k);
        if (auto s = repairs->Put(std::move(k)); !s.ok()) return s;
      }
    }
    // The phases the sequencer kept, under the rules in force at `i`.
    if (e->has_genesis()) version = e->genesis().role_table_version();
    auto changes = CheckLifecycle(
        *e,
        {[&](const std::string& key) -> absl::StatusOr<Phase> {
           auto it = phases->find(key);
           return it == phases->end() ? Phase::kNone : it->second;
         },
         // Rebuilding, not judging: the sequencer checked the deployers.
         [](const std::string&) { return true; }},
        version);
    if (e->has_rules_version_adopted())
      version = e->rules_version_adopted().role_table_version();
    if (changes.ok()) {
      for (const PhaseChange& c : *changes) (*phases)[c.key] = c.phase;
    }
    if (progress && i % kChunk == 0) progress(i, size);
  }
  return repairs->Flush();
}

// Every stored row must be implied by the leaf it names.
absl::Status CheckStoredRows(LogStore* store, uint64_t size,
                             IndexCheckReport* r, Repairs* repairs) {
  std::string from;
  for (;;) {
    auto page = store->ScanIndex(from, std::string(1, '\xff'), kChunk);
    if (!page.ok()) return page.status();
    for (const auto& [key, value] : *page) {
      ++r->rows;
      const uint64_t index = IndexOfRow(key);
      std::vector<std::string> keys;
      if (index < size) {
        auto e = EventAt(*store, index);
        if (!e.ok()) return e.status();
        keys = KeysOf(*e, index);
      }
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
        ++r->extra;
        Note(r, "extra", key);
        if (auto s = repairs->Erase(key); !s.ok()) return s;
      }
    }
    if (page->size() < kChunk) break;
    from = page->back().first + std::string(1, '\0');
  }
  return repairs->Flush();
}

absl::Status FixPhase(LogStore* store, bool repair, const std::string& key,
                      Phase want, IndexCheckReport* r) {
  ++r->phases_wrong;
  Note(r, "phase", PhaseMetaKey(key));
  if (!repair) return absl::OkStatus();
  r->repaired = true;
  return store->WriteMeta(PhaseMetaKey(key),
                          std::string(1, static_cast<char>(want)));
}

// The sequencer's phase rows (meta_keys.h) must hold the replayed
// phases, and a stored row no leaf implies must say "none".
absl::Status CheckPhases(LogStore* store, bool repair,
                         const std::map<std::string, Phase>& phases,
                         IndexCheckReport* r) {
  for (const auto& [key, phase] : phases) {
    auto row = store->ReadMeta(PhaseMetaKey(key));
    if (!row.ok()) return row.status();
    if (row->has_value() && **row == std::string(1, static_cast<char>(phase)))
      continue;
    if (auto s = FixPhase(store, repair, key, phase, r); !s.ok()) return s;
  }
  const std::string prefix = kPhaseMetaPrefix;
  std::string end = prefix;
  ++end.back();  // the first key after every key with the prefix
  std::string from = prefix;
  for (;;) {
    auto page = store->ScanMeta(from, end, kChunk);
    if (!page.ok()) return page.status();
    for (const auto& [row_key, value] : *page) {
      const std::string key = row_key.substr(prefix.size());
      const std::string none(1, static_cast<char>(Phase::kNone));
      if (phases.count(key) || value == none) continue;
      if (auto s = FixPhase(store, repair, key, Phase::kNone, r); !s.ok())
        return s;
    }
    if (page->size() < kChunk) break;
    from = page->back().first + std::string(1, '\0');
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<IndexCheckReport> CheckIndexes(
    LogStore* store, bool repair,
    const std::function<void(uint64_t, uint64_t)>& progress) {
  auto state = store->ReadTreeState();
  if (!state.ok()) return state.status();
  IndexCheckReport r;
  Repairs repairs(store, repair);
  std::map<std::string, Phase> phases;
  if (auto s =
          CheckImpliedRows(store, state->size, &r, &repairs, &phases, progress);
      !s.ok())
    return s;
  if (auto s = CheckStoredRows(store, state->size, &r, &repairs); !s.ok())
    return s;
  if (auto s = CheckPhases(store, repair, phases, &r); !s.ok()) return s;
  r.repaired |= repairs.written();
  return r;
}

}  // namespace ailedger
