#include "ledger/tlog/chain.h"

#include "absl/strings/str_cat.h"

namespace ailedger {

absl::Status CheckChainLink(const ChainState& state, const Leaf& leaf) {
  const uint64_t i = state.next_index;
  if (leaf.index != i) {
    return absl::InvalidArgumentError(absl::StrCat(
        "leaf ", i, ": index field is ", leaf.index, ", expected ", i));
  }
  if (leaf.prev_leaf_hash != state.last_leaf_hash) {
    return absl::InvalidArgumentError(absl::StrCat(
        "leaf ", i, ": prev_leaf_hash is ", ToHex(leaf.prev_leaf_hash),
        ", expected ", ToHex(state.last_leaf_hash)));
  }
  if (leaf.integrated_time_ms < state.last_time_ms) {
    return absl::InvalidArgumentError(absl::StrCat(
        "leaf ", i, ": integrated_time_ms ", leaf.integrated_time_ms,
        " is before the previous leaf's ", state.last_time_ms));
  }
  return absl::OkStatus();
}

absl::Status CheckChain(absl::Span<const std::string> leaves,
                        ChainState* state) {
  for (const std::string& bytes : leaves) {
    auto leaf = DecodeLeaf(bytes);
    if (!leaf.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "leaf ", state->next_index, ": ", leaf.status().message()));
    }
    if (auto s = CheckChainLink(*state, *leaf); !s.ok()) return s;
    state->next_index++;
    state->last_leaf_hash = HashLeaf(bytes);
    state->last_time_ms = leaf->integrated_time_ms;
  }
  return absl::OkStatus();
}

}  // namespace ailedger
