// C2SP tlog-tiles v0.1.0: a log as static files any web server, object store or
// CDN can serve.
//
// clang-format off
//   checkpoint                  the signed checkpoint (with cosignatures)
//   tile/<L>/<N>[.p/<W>]        hashes of tree level 8L, indices 256N .. 256N+W-1
//                               (W < 256 only for the rightmost, partial tile)
//   tile/entries/<N>[.p/<W>]    entry bundle: each entry as u16 big-endian length || bytes;
//                               ailedger's entries are exactly the stored leaf bytes
// clang-format on
//
// <N> is written in groups of three digits, all but the last prefixed with "x":
// 1234067 is "x001/x234/067" ("tlog-tiles", "Tile paths").
//
// TileBuilder streams leaves in and emits each finished tile to a sink, keeping
// one tile per level in memory. The same builder checks a tile directory: its
// sink compares instead of writing.
#ifndef AILEDGER_LEDGER_TLOG_TILES_H_
#define AILEDGER_LEDGER_TLOG_TILES_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ledger/merkle/compact_range.h"
#include "ledger/tlog/checkpoint.h"
#include "ledger/tlog/keys.h"
#include "ledger/tlog/trust.h"
#include "ledger/tlog/witness_policy.h"

namespace ailedger {

inline constexpr uint64_t kTileWidth = 256;

// "tile/<L>/<N>[.p/<W>]"; level -1 is the entries tile.
std::string TilePath(int level, uint64_t index, uint64_t width);

class TileBuilder {
 public:
  using Sink = std::function<absl::Status(const std::string& path,
                                          const std::string& bytes)>;
  explicit TileBuilder(Sink sink) : sink_(std::move(sink)) {}

  absl::Status Add(absl::string_view entry);
  // Emits the partial tiles of the current size.
  absl::Status Finish();
  uint64_t size() const { return range_.size(); }
  Hash Root() const { return range_.Root(); }

 private:
  absl::Status Push(size_t level, const Hash& h);
  absl::Status Emit(int level, const std::string& data, uint64_t count);

  Sink sink_;
  CompactRange range_;
  std::string entries_;
  uint64_t entry_count_ = 0;
  std::vector<std::string> levels_;  // current tile's hashes per tile level
  std::vector<uint64_t> emitted_;    // full tiles emitted per tile level
};

// Splits an entry bundle. INVALID_ARGUMENT on a truncated entry or trailing
// bytes.
absl::StatusOr<std::vector<std::string>> SplitEntryBundle(
    absl::string_view bundle);

struct TreeOnlyReport {
  Checkpoint checkpoint;
  size_t cosignatures = 0;
};

// Checks a tile directory without reading entries as ledger leaves: the
// checkpoint under the reader's trust (one of `log_keys` and the witness
// quorum, trust.h), every entry bundle, every hash tile, and the root.
// FAILED_PRECONDITION naming the checkpoint's failure or the first tile that
// differs; INVALID_ARGUMENT if there is no checkpoint file.
absl::StatusOr<TreeOnlyReport> VerifyTreeOnly(
    const std::string& dir, const std::vector<VerifierKey>& log_keys,
    const WitnessPolicy& policy);
// The same under anchors that may follow the log's key rotations.
absl::StatusOr<TreeOnlyReport> VerifyTreeOnly(const std::string& dir,
                                              const TrustAnchors& anchors);

// A file of the log's key rotation proofs beside the tiles (not part of
// tlog-tiles; log_key_rotation.h): tlog-proofs one after another.
inline constexpr char kTileKeyRotationsFile[] = "log-key-rotations";

// The RFC 9162 consistency proof from `first` to `second` read from the hash
// tiles of a directory holding a tree of `size` leaves (first <= second <=
// size); the caller has checked the tiles (VerifyTreeOnly).
// FAILED_PRECONDITION naming a tile that is missing or short.
absl::StatusOr<std::vector<Hash>> TileConsistencyProof(const std::string& dir,
                                                       uint64_t size,
                                                       uint64_t first,
                                                       uint64_t second);

// Reads entries [0, size) of a tile directory, in order.
absl::Status ForEachTileEntry(
    const std::string& dir, uint64_t size,
    const std::function<absl::Status(std::string)>& fn);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_TLOG_TILES_H_
