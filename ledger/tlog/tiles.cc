#include "ledger/tlog/tiles.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "ledger/base/big_endian.h"
#include "ledger/base/file_util.h"
#include "ledger/merkle/proof.h"
#include "ledger/tlog/trust.h"

namespace ailedger {
namespace {

// The root of a full tile: 256 hashes folded pairwise, eight levels up.
Hash TileRoot(const std::string& hashes) {
  std::vector<Hash> level(hashes.size() / kHashSize);
  for (size_t i = 0; i < level.size(); ++i) {
    std::memcpy(level[i].data(), hashes.data() + i * kHashSize, kHashSize);
  }
  while (level.size() > 1) {
    for (size_t i = 0; i < level.size() / 2; ++i) {
      level[i] = HashChildren(level[2 * i], level[2 * i + 1]);
    }
    level.resize(level.size() / 2);
  }
  return level[0];
}

std::string IndexPath(uint64_t n) {
  std::string out = absl::StrFormat("%03d", n % 1000);
  for (n /= 1000; n > 0; n /= 1000)
    out = absl::StrFormat("x%03d/", n % 1000) + out;
  return out;
}

}  // namespace

std::string TilePath(int level, uint64_t index, uint64_t width) {
  std::string path =
      absl::StrCat("tile/", level < 0 ? "entries" : absl::StrCat(level), "/",
                   IndexPath(index));
  if (width < kTileWidth) absl::StrAppend(&path, ".p/", width);
  return path;
}

absl::Status TileBuilder::Emit(int level, const std::string& data,
                               uint64_t count) {
  const uint64_t index =
      level < 0 ? entry_count_ / kTileWidth : emitted_[level];
  return sink_(TilePath(level, index, count), data);
}

absl::Status TileBuilder::Push(size_t level, const Hash& h) {
  if (levels_.size() <= level) {
    levels_.resize(level + 1);
    emitted_.resize(level + 1, 0);
  }
  levels_[level].append(reinterpret_cast<const char*>(h.data()), kHashSize);
  if (levels_[level].size() < kTileWidth * kHashSize) return absl::OkStatus();
  if (auto s = Emit(static_cast<int>(level), levels_[level], kTileWidth);
      !s.ok())
    return s;
  ++emitted_[level];
  const Hash root = TileRoot(levels_[level]);
  levels_[level].clear();
  return Push(level + 1, root);
}

absl::Status TileBuilder::Add(absl::string_view entry) {
  if (entry.size() > 0xFFFF)
    return absl::InvalidArgumentError("tiles: entry over 65,535 bytes");
  PutBigEndian16(static_cast<uint16_t>(entry.size()), &entries_);
  entries_.append(entry.data(), entry.size());
  const Hash h = HashLeaf(entry);
  range_.Append(h, nullptr);
  if (range_.size() % kTileWidth == 0) {
    if (auto s = Emit(-1, entries_, kTileWidth); !s.ok()) return s;
    entry_count_ += kTileWidth;
    entries_.clear();
  }
  return Push(0, h);
}

absl::Status TileBuilder::Finish() {
  const uint64_t partial = range_.size() % kTileWidth;
  if (partial > 0) {
    if (auto s = Emit(-1, entries_, partial); !s.ok()) return s;
  }
  for (size_t level = 0; level < levels_.size(); ++level) {
    const uint64_t width = levels_[level].size() / kHashSize;
    if (width == 0) continue;
    if (auto s = Emit(static_cast<int>(level), levels_[level], width); !s.ok())
      return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> SplitEntryBundle(
    absl::string_view bundle) {
  std::vector<std::string> out;
  while (!bundle.empty()) {
    if (bundle.size() < 2)
      return absl::InvalidArgumentError("entry bundle: truncated length");
    const size_t len = GetBigEndian16(bundle);
    if (bundle.size() < 2 + len)
      return absl::InvalidArgumentError("entry bundle: truncated entry");
    out.emplace_back(bundle.substr(2, len));
    bundle.remove_prefix(2 + len);
  }
  return out;
}

absl::Status ForEachTileEntry(
    const std::string& dir, uint64_t size,
    const std::function<absl::Status(std::string)>& fn) {
  for (uint64_t t = 0; t * kTileWidth < size; ++t) {
    const uint64_t width = std::min(kTileWidth, size - t * kTileWidth);
    const std::string path = TilePath(-1, t, width);
    auto bytes = ReadSmallFile(dir + "/" + path);
    if (!bytes.ok())
      return absl::FailedPreconditionError(absl::StrCat(path, ": missing"));
    auto entries = SplitEntryBundle(*bytes);
    if (!entries.ok() || entries->size() != width) {
      return absl::FailedPreconditionError(
          absl::StrCat(path, ": expected ", width, " entries"));
    }
    for (std::string& e : *entries) {
      if (auto s = fn(std::move(e)); !s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<TreeOnlyReport> VerifyTreeOnly(
    const std::string& dir, const std::vector<VerifierKey>& log_keys,
    const WitnessPolicy& policy) {
  return VerifyTreeOnly(dir, TrustAnchors{log_keys, policy});
}

absl::StatusOr<TreeOnlyReport> VerifyTreeOnly(const std::string& dir,
                                              const TrustAnchors& anchors) {
  auto note = ReadSmallFile(dir + "/checkpoint");
  if (!note.ok())
    return absl::InvalidArgumentError(
        absl::StrCat(dir, ": no checkpoint file"));
  auto cp = OpenTrustedCheckpoint(*note, anchors);
  if (!cp.ok()) {
    // A checkpoint that does not open fails the check: it is not unusable.
    return absl::FailedPreconditionError(
        absl::StrCat("checkpoint: ",
                     absl::StripPrefix(cp.status().message(), "checkpoint: ")));
  }
  TreeOnlyReport report{cp->checkpoint, cp->cosignatures};
  // Rebuild every tile from the entries and compare with what the directory
  // holds.
  TileBuilder builder(
      [&dir](const std::string& path, const std::string& bytes) {
        auto found = ReadSmallFile(dir + "/" + path);
        if (!found.ok())
          return absl::FailedPreconditionError(absl::StrCat(path, ": missing"));
        if (*found != bytes)
          return absl::FailedPreconditionError(absl::StrCat(path, ": differs"));
        return absl::OkStatus();
      });
  auto s = ForEachTileEntry(dir, report.checkpoint.size,
                            [&](std::string e) { return builder.Add(e); });
  if (!s.ok()) return s;
  if (auto f = builder.Finish(); !f.ok()) return f;
  if (builder.Root() != report.checkpoint.root) {
    return absl::FailedPreconditionError(
        absl::StrCat("root: expected ", ToHex(report.checkpoint.root),
                     " (signed), computed ", ToHex(builder.Root())));
  }
  return report;
}

namespace {

// The perfect node `id` of a tree of `size` leaves, from the hash tile of
// level id.level / 8 that holds its leftmost descendant at that level: the
// node is the fold of 2^(id.level % 8) consecutive hashes of that tile.
absl::StatusOr<Hash> TileNode(const std::string& dir, uint64_t size,
                              NodeId id) {
  const int level = id.level / 8;
  const int below = id.level % 8;
  const uint64_t first = id.index << below;
  const uint64_t tile = first / kTileWidth;
  const uint64_t count = size >> (8 * level);
  const uint64_t width = std::min(kTileWidth, count - tile * kTileWidth);
  const std::string path = TilePath(level, tile, width);
  auto bytes = ReadSmallFile(dir + "/" + path);
  const uint64_t at = first % kTileWidth, n = uint64_t{1} << below;
  if (!bytes.ok() || bytes->size() != width * kHashSize || at + n > width) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, ": missing or short"));
  }
  std::vector<Hash> row(n);
  for (uint64_t i = 0; i < n; ++i) {
    std::copy_n(bytes->data() + (at + i) * kHashSize, kHashSize,
                row[i].begin());
  }
  for (; row.size() > 1;) {
    std::vector<Hash> up;
    for (size_t i = 0; i + 1 < row.size(); i += 2)
      up.push_back(HashChildren(row[i], row[i + 1]));
    row = std::move(up);
  }
  return row[0];
}

}  // namespace

absl::StatusOr<std::vector<Hash>> TileConsistencyProof(const std::string& dir,
                                                       uint64_t size,
                                                       uint64_t first,
                                                       uint64_t second) {
  if (first == 0 || first > second || second > size) {
    return absl::InvalidArgumentError(
        absl::StrCat("tiles: no consistency proof from ", first, " to ", second,
                     " in a tree of ", size));
  }
  if (first == second) return std::vector<Hash>{};
  auto plan = ConsistencyPlan(first, second);
  if (!plan.ok()) return plan.status();
  std::vector<Hash> hashes;
  for (NodeId id : plan->ids) {
    auto h = TileNode(dir, size, id);
    if (!h.ok()) return h.status();
    hashes.push_back(*h);
  }
  return Rehash(*plan, hashes);
}

}  // namespace ailedger
