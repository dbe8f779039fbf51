// The hash chain (docs/ARCHITECTURE.md, "Hash chain"): each leaf's index equals
// its position, names its predecessor's leaf hash (genesis: 32 zero bytes), and
// has an integrated time no earlier than its predecessor's. The chain lets a
// reader check order without the tree; it is anchored by the last leaf's
// inclusion in a signed checkpoint.
#ifndef AILEDGER_LEDGER_TLOG_CHAIN_H_
#define AILEDGER_LEDGER_TLOG_CHAIN_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "ledger/merkle/hash.h"
#include "ledger/tlog/leaf.h"

namespace ailedger {

// Where the chain stands after the leaves checked so far. The default is before
// genesis.
struct ChainState {
  uint64_t next_index = 0;
  Hash last_leaf_hash{};  // zeros before genesis
  uint64_t last_time_ms = 0;
};

// Checks that `leaf` continues `state`; INVALID_ARGUMENT naming the index and
// what differs.
absl::Status CheckChainLink(const ChainState& state, const Leaf& leaf);

// Decodes and checks a run of raw leaves, advancing *state past each one that
// passes. Stops at the first failure, whose message names the leaf's index and
// the check.
absl::Status CheckChain(absl::Span<const std::string> leaves,
                        ChainState* state);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_TLOG_CHAIN_H_
