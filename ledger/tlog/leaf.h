// The leaf: a fixed big-endian binary record (docs/ARCHITECTURE.md, "The
// leaf"), hashed and stored as exactly these bytes.
//
// clang-format off
//   offset size  field
//        0    1  leaf_version = 1
//        1    8  index                 position of the leaf in the log
//        9    8  integrated_time_ms    Unix ms, max(now, previous): never decreasing
//       17   32  prev_leaf_hash        RFC 6962 leaf hash of leaf index-1; zeros for genesis
//       49   32  signer_pubkey         Ed25519 key of the event's author
//       81   64  signature             over EventSigningMessage(origin, event_bytes)
//      145    2  event_len
//      147    n  event_bytes           a canonical serialized ailedger.v1.Event
// clang-format on
//
// The whole leaf is at most 65,535 bytes (the tlog-tiles entry limit).
#ifndef AILEDGER_LEDGER_TLOG_LEAF_H_
#define AILEDGER_LEDGER_TLOG_LEAF_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "ledger/merkle/hash.h"
#include "ledger/tlog/keys.h"

namespace ailedger {

inline constexpr uint8_t kLeafVersion = 1;
inline constexpr size_t kLeafHeaderSize = 147;
inline constexpr size_t kMaxLeafSize = 65535;
inline constexpr size_t kMaxEventSize = kMaxLeafSize - kLeafHeaderSize;

struct Leaf {
  uint64_t index = 0;
  uint64_t integrated_time_ms = 0;
  Hash prev_leaf_hash{};
  PublicKey signer{};
  Signature signature{};
  std::string event_bytes;

  friend bool operator==(const Leaf&, const Leaf&) = default;
};

// INVALID_ARGUMENT if the event is larger than kMaxEventSize.
absl::StatusOr<std::string> EncodeLeaf(const Leaf& leaf);

// Strict: INVALID_ARGUMENT on a wrong version, a truncated record, an event
// length that does not match the record, or a record over kMaxLeafSize.
absl::StatusOr<Leaf> DecodeLeaf(absl::string_view bytes);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_TLOG_LEAF_H_
