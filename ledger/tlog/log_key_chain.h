// The chain of a log's signing keys (docs/ARCHITECTURE.md, "Log key
// rotation"): which key may sign a checkpoint of which size. A reader starts
// from the keys it pinned and follows the log's LogKeyRotated events, in index
// order; the server follows the same chain from its genesis key.
//
// clang-format off
//   a pinned key       signs any size until a rotation closes it
//   rotation at index r to key K, overlap n, optionally compromised since size c:
//     K                signs sizes above r (every tree that holds the rotation)
//     each open key    signs sizes up to min(r + n, c): both keys sign during the
//                      overlap; a larger checkpoint signed only by it is refused
// clang-format on
//
// Sizes, not times: a checkpoint names its size, so a verifier offline can
// tell without a clock which keys may have signed it. The overlap is counted
// from the rotation's own index because the admin who signs the event cannot
// know that index in advance.
//
// This class keeps the windows only. A rotation is applied once it is proven:
// by a replay of the log (the bundle verifier), or by a rotation proof
// (ledger/governance/log_key_rotation.h). Copyable; thread-compatible.
#ifndef AILEDGER_LEDGER_TLOG_LOG_KEY_CHAIN_H_
#define AILEDGER_LEDGER_TLOG_LOG_KEY_CHAIN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "ledger/tlog/keys.h"

namespace ailedger {

// The most entries an overlap may last: keeps r + n far from overflow.
inline constexpr uint64_t kMaxOverlapEntries = uint64_t{1} << 40;

// What a LogKeyRotated at `index` says, once its body is checked.
struct LogKeyRotation {
  uint64_t index = 0;  // of the LogKeyRotated leaf
  VerifierKey new_key;
  uint64_t overlap_entries = 0;
  std::optional<uint64_t> compromised_since = std::nullopt;  // a tree size
};

class LogKeyChain {
 public:
  struct Link {
    VerifierKey key;
    uint64_t first_size = 0;             // the smallest size it may sign
    std::optional<uint64_t> last_size;   // the largest; none while open
    std::optional<uint64_t> rotated_at;  // the rotation that brought it in
    std::optional<uint64_t> closed_at;   // the rotation that closed it
    bool compromised = false;            // closed by a compromised_since
  };

  LogKeyChain() = default;
  // Each pinned key signs any size until a rotation closes it.
  explicit LogKeyChain(const std::vector<VerifierKey>& pinned);

  // Applies a proven rotation. INVALID_ARGUMENT for a new key that is not a
  // type 0x01 key named like the chain's keys, an overlap of 0 or above
  // kMaxOverlapEntries, or a compromise declared beyond the rotation's index;
  // FAILED_PRECONDITION for an index not above the last rotation's, or a key
  // that already signed for this log (a pinned key not yet rotated to is
  // accepted: the reader named it in advance). Nothing changes on error.
  absl::Status Rotate(const LogKeyRotation& rotation);

  const std::vector<Link>& links() const { return links_; }
  const std::vector<LogKeyRotation>& rotations() const { return rotations_; }
  // Every key of the chain, whatever its window.
  std::vector<VerifierKey> keys() const;
  // The link of `key` (same name and public key), or nullptr.
  const Link* Find(const VerifierKey& key) const;
  // Any link whose public key is `key`, or nullptr.
  const Link* FindPublicKey(const PublicKey& key) const;
  // Whether `key` may sign a checkpoint of `size`.
  bool MaySign(const VerifierKey& key, uint64_t size) const;
  // The keys that may sign a checkpoint of `size`.
  std::vector<VerifierKey> KeysAt(uint64_t size) const;
  // Why `key` may not sign `size`, for a message; "" when it may.
  std::string WhyNot(const VerifierKey& key, uint64_t size) const;

 private:
  std::vector<Link> links_;
  std::vector<LogKeyRotation> rotations_;
};

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_TLOG_LOG_KEY_CHAIN_H_
