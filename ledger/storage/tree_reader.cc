#include "ledger/storage/tree_reader.h"

#include "absl/strings/str_cat.h"
#include "ledger/merkle/compact_range.h"
#include "ledger/merkle/proof.h"
#include "ledger/merkle/verify.h"
#include "ledger/tlog/leaf.h"

namespace ailedger {
namespace {

absl::Status CheckSize(uint64_t size, const TreeState& state) {
  if (size > state.size) {
    return absl::OutOfRangeError(absl::StrCat(
        "tree size ", size, " is beyond the log's size ", state.size));
  }
  return absl::OkStatus();
}

// Below the committed size nothing may be missing: an absent leaf or node is
// lost data.
absl::Status MissingIsLoss(const absl::Status& s) {
  if (!absl::IsNotFound(s)) return s;
  return absl::DataLossError(
      absl::StrCat(s.message(), " below the committed tree size"));
}

absl::Status Corrupt(absl::string_view what, const absl::Status& cause) {
  return absl::DataLossError(absl::StrCat(
      what, " does not match the committed tree: ", cause.message()));
}

// The hashes of a request plan, read in one batch together with whatever proves
// root(size) against state.root. Returns the request's outputs and the checked
// root(size).
struct Fetched {
  std::vector<Hash> outputs;
  Hash root;
};

absl::StatusOr<Fetched> FetchChecked(const LogStore& store, ProofPlan plan,
                                     uint64_t size, const TreeState& state) {
  const size_t request = plan.elements.size();
  const bool older = size < state.size;
  if (older) {
    AppendRangeElement(0, size, &plan);
    auto proof = ConsistencyPlan(size, state.size);
    if (!proof.ok()) return proof.status();
    const size_t offset = plan.ids.size();
    plan.ids.insert(plan.ids.end(), proof->ids.begin(), proof->ids.end());
    for (auto [a, b] : proof->elements)
      plan.elements.emplace_back(a + offset, b + offset);
  }
  auto hashes = store.ReadNodes(plan.ids);
  if (!hashes.ok()) return MissingIsLoss(hashes.status());
  auto outputs = Rehash(plan, *hashes);
  if (!outputs.ok()) return outputs.status();
  Fetched f{std::vector<Hash>(outputs->begin(), outputs->begin() + request),
            state.root};
  if (older) {
    f.root = (*outputs)[request];
    std::vector<Hash> cproof(outputs->begin() + request + 1, outputs->end());
    auto s = VerifyConsistency(size, state.size, cproof, f.root, state.root);
    if (!s.ok()) return Corrupt(absl::StrCat("root at size ", size), s);
  }
  return f;
}

}  // namespace

namespace {

// The inclusion proof of `index` at `size` and the leaf hash it proves, from
// one batched read.
struct ProvenLeaf {
  std::vector<Hash> proof;
  Hash leaf_hash;
};

absl::StatusOr<ProvenLeaf> ProveLeaf(const LogStore& store, uint64_t index,
                                     uint64_t size, const TreeState& state) {
  auto plan = InclusionPlan(index, size);
  if (!plan.ok()) return plan.status();
  AppendRangeElement(index, index + 1, &*plan);  // the leaf hash, last
  auto f = FetchChecked(store, *std::move(plan), size, state);
  if (!f.ok()) return f.status();
  ProvenLeaf out{std::move(f->outputs), Hash{}};
  out.leaf_hash = out.proof.back();
  out.proof.pop_back();
  auto s = VerifyInclusion(index, size, out.leaf_hash, out.proof, f->root);
  if (!s.ok()) return Corrupt(absl::StrCat("tree nodes of leaf ", index), s);
  return out;
}

}  // namespace

absl::StatusOr<std::vector<Hash>> TreeReader::InclusionProof(
    uint64_t index, uint64_t size, const TreeState& state) const {
  if (auto s = CheckSize(size, state); !s.ok()) return s;
  auto proven = ProveLeaf(*store_, index, size, state);
  if (!proven.ok()) return proven.status();
  return std::move(proven->proof);
}

absl::StatusOr<TreeReader::LeafAndProof> TreeReader::LeafWithProof(
    uint64_t index, uint64_t size, const TreeState& state) const {
  if (auto s = CheckSize(size, state); !s.ok()) return s;
  auto leaf = store_->ReadLeaf(index);
  if (!leaf.ok()) return MissingIsLoss(leaf.status());
  auto proven = ProveLeaf(*store_, index, size, state);
  if (!proven.ok()) return proven.status();
  if (HashLeaf(*leaf) != proven->leaf_hash) {
    return absl::DataLossError(
        absl::StrCat("leaf ", index,
                     " does not match the committed tree: its hash differs"));
  }
  return LeafAndProof{*std::move(leaf), std::move(proven->proof)};
}

absl::StatusOr<std::vector<Hash>> TreeReader::ConsistencyProof(
    uint64_t first, uint64_t second, const TreeState& state) const {
  if (auto s = CheckSize(second, state); !s.ok()) return s;
  auto plan = ConsistencyPlan(first, second);
  if (!plan.ok()) return plan.status();
  AppendRangeElement(0, first, &*plan);  // root(first), last
  auto f = FetchChecked(*store_, *std::move(plan), second, state);
  if (!f.ok()) return f.status();
  Hash first_root = f->outputs.back();
  f->outputs.pop_back();
  auto s = VerifyConsistency(first, second, f->outputs, first_root, f->root);
  if (!s.ok()) {
    return Corrupt(
        absl::StrCat("tree nodes between sizes ", first, " and ", second), s);
  }
  return std::move(f->outputs);
}

absl::StatusOr<Hash> TreeReader::RootAt(uint64_t size,
                                        const TreeState& state) const {
  if (auto s = CheckSize(size, state); !s.ok()) return s;
  if (size == 0) return EmptyRoot();
  auto f = FetchChecked(*store_, ProofPlan{}, size, state);
  if (!f.ok()) return f.status();
  return f->root;
}

absl::StatusOr<std::string> TreeReader::Leaf(uint64_t index,
                                             const TreeState& state) const {
  if (index >= state.size) {
    return absl::OutOfRangeError(
        absl::StrCat("leaf ", index, " is beyond the log's size ", state.size));
  }
  auto found = LeafWithProof(index, state.size, state);
  if (!found.ok()) return found.status();
  return std::move(found->leaf);
}

absl::Status CheckTreeState(const LogStore& store, const TreeState& state) {
  auto range = CompactRange::FromHashes(state.size, state.compact);
  if (!range.ok()) return absl::DataLossError(range.status().message());
  const Hash expected_root = state.size ? state.root : EmptyRoot();
  if (range->Root() != expected_root) {
    return absl::DataLossError(
        "tree state: compact range does not yield the root");
  }
  if (state.size == 0) return absl::OkStatus();
  auto plan = RootPlan(state.size);
  auto nodes = store.ReadNodes(plan->ids);
  if (!nodes.ok()) return nodes.status();
  if (*nodes != state.compact) {
    return absl::DataLossError(
        "tree state: stored nodes differ from the compact range");
  }
  auto last = store.ReadLeaf(state.size - 1);
  if (!last.ok()) return last.status();
  auto leaf = DecodeLeaf(*last);
  if (HashLeaf(*last) != state.last_leaf_hash || !leaf.ok() ||
      leaf->index != state.size - 1 ||
      leaf->integrated_time_ms != state.last_time_ms) {
    return absl::DataLossError(absl::StrCat("tree state: leaf ", state.size - 1,
                                            " does not match the tree state"));
  }
  return absl::OkStatus();
}

}  // namespace ailedger
