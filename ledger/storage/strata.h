// How RocksDbStore packs perfect-subtree nodes into strata, so that a proof
// reads a handful of values instead of one per level (cf. Trillian's subtree
// storage).
//
// Levels are grouped by eight: group g holds levels 8g .. 8g+7. A stratum
// (g, s) holds, for each level 8g+j of its group, the 2^(8-j) nodes under one
// node of level 8g+8: 256 + 128 + ... + 2 = 510 slots of 32 bytes. Level j's
// slots start at 512 - 2^(9-j). A slot of 32 zero bytes is absent (the right
// edge of the tree fills its strata over time).
//
// An inclusion proof at 10M leaves needs nodes from 3 strata instead of 23
// separate keys.
#ifndef AILEDGER_LEDGER_STORAGE_STRATA_H_
#define AILEDGER_LEDGER_STORAGE_STRATA_H_

#include <cstddef>
#include <string>

#include "ledger/base/big_endian.h"
#include "ledger/merkle/hash.h"
#include "ledger/merkle/node_id.h"

namespace ailedger {

inline constexpr int kStratumLevels = 8;
inline constexpr size_t kStratumSlots = 510;
inline constexpr size_t kStratumBytes = kStratumSlots * kHashSize;

struct StratumAddress {
  std::string key;  // u8 group || u64 stratum index
  size_t slot = 0;  // 0 .. kStratumSlots-1
};

inline StratumAddress LocateNode(NodeId id) {
  const int group = id.level / kStratumLevels;
  const int j = id.level % kStratumLevels;
  // Nodes of this level in one stratum: 2^width_bits.
  const int width_bits = kStratumLevels - j;
  StratumAddress a;
  a.key.push_back(static_cast<char>(group));
  PutBigEndian64(id.index >> width_bits, &a.key);
  a.slot = (512 - (size_t{1} << (9 - j))) +
           (id.index & ((uint64_t{1} << width_bits) - 1));
  return a;
}

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_STORAGE_STRATA_H_
