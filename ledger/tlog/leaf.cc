#include "ledger/tlog/leaf.h"

#include <cstring>

#include "absl/strings/str_cat.h"
#include "ledger/base/big_endian.h"

namespace ailedger {

absl::StatusOr<std::string> EncodeLeaf(const Leaf& leaf) {
  if (leaf.event_bytes.size() > kMaxEventSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("event: ", leaf.event_bytes.size(),
                     " bytes, the most a leaf can carry is ", kMaxEventSize));
  }
  std::string out;
  out.reserve(kLeafHeaderSize + leaf.event_bytes.size());
  out.push_back(static_cast<char>(kLeafVersion));
  PutBigEndian64(leaf.index, &out);
  PutBigEndian64(leaf.integrated_time_ms, &out);
  absl::StrAppend(&out, AsBytes(leaf.prev_leaf_hash));
  absl::StrAppend(&out, AsBytes(leaf.signer));
  out.append(reinterpret_cast<const char*>(leaf.signature.data()),
             leaf.signature.size());
  PutBigEndian16(static_cast<uint16_t>(leaf.event_bytes.size()), &out);
  out.append(leaf.event_bytes);
  return out;
}

absl::StatusOr<Leaf> DecodeLeaf(absl::string_view b) {
  if (b.size() > kMaxLeafSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("leaf: ", b.size(), " bytes exceeds ", kMaxLeafSize));
  }
  if (b.size() < kLeafHeaderSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("leaf: truncated at ", b.size(), " bytes"));
  }
  if (static_cast<uint8_t>(b[0]) != kLeafVersion) {
    return absl::InvalidArgumentError(absl::StrCat(
        "leaf: version ", static_cast<int>(static_cast<uint8_t>(b[0])),
        " is not ", kLeafVersion));
  }
  const size_t event_len = GetBigEndian16(b.substr(145));
  if (b.size() != kLeafHeaderSize + event_len) {
    return absl::InvalidArgumentError(
        absl::StrCat("leaf: event_len ", event_len, " but ",
                     b.size() - kLeafHeaderSize, " event bytes"));
  }
  Leaf leaf;
  leaf.index = GetBigEndian64(b.substr(1));
  leaf.integrated_time_ms = GetBigEndian64(b.substr(9));
  std::memcpy(leaf.prev_leaf_hash.data(), b.data() + 17, 32);
  std::memcpy(leaf.signer.data(), b.data() + 49, 32);
  std::memcpy(leaf.signature.data(), b.data() + 81, 64);
  leaf.event_bytes = std::string(b.substr(kLeafHeaderSize));
  return leaf;
}

}  // namespace ailedger
