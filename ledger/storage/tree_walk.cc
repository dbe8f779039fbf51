#include "ledger/storage/tree_walk.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "ledger/tlog/contexts.h"
#include "ledger/tlog/leaf.h"

namespace ailedger {
namespace {

// Leaves read from the store at a time (one ReadLeaves, one ReadNodes).
constexpr uint64_t kReadChunk = 1024;

std::string Name(NodeId id) {
  return absl::StrCat("node (", id.level, ", ", id.index, ")");
}

}  // namespace

TreeWalk::TreeWalk(const LogStore& store, std::string name, std::string origin,
                   uint64_t total, uint64_t check_event_ids_every)
    : store_(store),
      name_(std::move(name)),
      origin_(std::move(origin)),
      total_(total),
      every_(check_event_ids_every) {}

TreeState TreeWalk::state() const {
  return TreeState{range_.size(), range_.Root(), last_leaf_hash_, last_time_ms_,
                   range_.hashes()};
}

absl::Status TreeWalk::Next(uint64_t end, uint64_t max_bytes, Chunk* chunk,
                            RootsAt* roots) {
  uint64_t bytes = 0;
  while (size() < end && bytes < max_bytes) {
    const uint64_t begin = size();
    const uint64_t stop = std::min(end, begin + kReadChunk);
    auto leaves = store_.ReadLeaves(begin, stop);
    if (!leaves.ok()) {
      // A leaf below the tree size that is not stored is lost.
      return absl::IsNotFound(leaves.status())
                 ? absl::DataLossError(
                       absl::StrCat(name_, ": ", leaves.status().message()))
                 : leaves.status();
    }
    std::vector<std::pair<NodeId, Hash>> nodes;
    std::vector<Hash> ids;
    for (uint64_t i = begin; i < stop; ++i) {
      std::string& leaf = (*leaves)[i - begin];
      if (auto s = Take(i, leaf, &nodes, &ids, roots); !s.ok()) {
        // A leaf altered before this one is named as such, not by the chain
        // it breaks.
        if (auto n = CheckNodes(nodes); !n.ok()) return n;
        return s;
      }
      bytes += leaf.size();
      if (chunk != nullptr) {
        chunk->bytes += leaf.size();
        chunk->leaves.push_back(std::move(leaf));
      }
    }
    // The nodes first: an altered leaf is named as such, not by its event id.
    if (auto s = CheckNodes(nodes); !s.ok()) return s;
    for (uint64_t i = begin; i < stop; ++i) {
      if (auto s = CheckEventId(i, ids[i - begin]); !s.ok()) return s;
      if (chunk != nullptr) chunk->event_ids.emplace_back(ids[i - begin], i);
    }
    if (chunk != nullptr) {
      chunk->nodes.insert(chunk->nodes.end(), nodes.begin(), nodes.end());
    }
  }
  return absl::OkStatus();
}

absl::Status TreeWalk::Take(uint64_t index, const std::string& bytes,
                            std::vector<std::pair<NodeId, Hash>>* nodes,
                            std::vector<Hash>* event_ids, RootsAt* roots) {
  auto leaf = DecodeLeaf(bytes);
  if (!leaf.ok()) {
    return absl::DataLossError(
        absl::StrCat(name_, ": leaf ", index,
                     " does not decode: ", leaf.status().message()));
  }
  if (leaf->index != index) {
    return absl::DataLossError(absl::StrCat(name_, ": leaf ", index,
                                            " says it is leaf ", leaf->index));
  }
  if (leaf->prev_leaf_hash != last_leaf_hash_) {
    return absl::DataLossError(absl::StrCat(
        name_, ": leaf ", index, " does not chain to leaf ", index - 1,
        " (its prev_leaf_hash is not that leaf's hash)"));
  }
  if (leaf->integrated_time_ms < last_time_ms_) {
    return absl::DataLossError(absl::StrCat(
        name_, ": leaf ", index, "'s integrated time goes back in time"));
  }
  const Hash h = HashLeaf(bytes);
  range_.Append(h, [nodes](NodeId id, const Hash& hash) {
    nodes->emplace_back(id, hash);
  });
  last_leaf_hash_ = h;
  last_time_ms_ = leaf->integrated_time_ms;
  if (roots != nullptr && roots->roots.size() < roots->sizes.size() &&
      roots->sizes[roots->roots.size()] == range_.size()) {
    roots->roots.push_back(range_.Root());
  }
  // The row LogWriter commits with the leaf (log_writer.cc).
  event_ids->push_back(EventId(origin_, leaf->event_bytes));
  return absl::OkStatus();
}

absl::Status TreeWalk::CheckNodes(
    const std::vector<std::pair<NodeId, Hash>>& nodes) const {
  std::vector<NodeId> ids;
  ids.reserve(nodes.size());
  for (const auto& [id, hash] : nodes) ids.push_back(id);
  auto stored = store_.ReadNodes(ids);
  if (!stored.ok()) {
    return absl::IsNotFound(stored.status())
               ? absl::DataLossError(
                     absl::StrCat(name_, ": ", stored.status().message()))
               : stored.status();
  }
  for (size_t k = 0; k < nodes.size(); ++k) {
    const auto& [id, hash] = nodes[k];
    if ((*stored)[k] == hash) continue;
    if (id.level == 0) {
      return absl::DataLossError(absl::StrCat(
          name_, ": leaf ", id.index, " does not hash to the stored ", Name(id),
          " (", ToHex((*stored)[k]), "): the leaf or the node was altered"));
    }
    return absl::DataLossError(
        absl::StrCat(name_, ": stored ", Name(id), " (", ToHex((*stored)[k]),
                     ") is not the hash of leaves ", id.begin(), " to ",
                     id.begin() + id.width() - 1, " (", ToHex(hash), ")"));
  }
  return absl::OkStatus();
}

absl::Status TreeWalk::CheckEventId(uint64_t index, const Hash& id) {
  if (every_ == 0 || (index % every_ != 0 && index + 1 != total_)) {
    return absl::OkStatus();
  }
  auto found = store_.FindEvent(id);
  if (!found.ok()) return found.status();
  ++event_ids_checked_;
  if (!found->has_value()) {
    return absl::DataLossError(absl::StrCat(
        name_, ": leaf ", index, "'s event id ", ToHex(id), " has no row"));
  }
  if (**found != index) {
    return absl::DataLossError(absl::StrCat(name_, ": leaf ", index,
                                            "'s event id ", ToHex(id),
                                            " is recorded at index ", **found));
  }
  return absl::OkStatus();
}

}  // namespace ailedger
