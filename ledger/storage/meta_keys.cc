#include "ledger/storage/meta_keys.h"

#include "absl/strings/str_cat.h"
#include "ledger/base/big_endian.h"

namespace ailedger {

std::string PhaseMetaKey(const std::string& subject) {
  return absl::StrCat(kPhaseMetaPrefix, subject);
}

std::string ErasedKey(const Hash& event_id, uint32_t attachment) {
  return absl::StrCat("erased/", ToHex(event_id), ".", attachment);
}

std::string ErasedMarker(uint64_t erasure_index) {
  return BigEndian64(erasure_index);
}

std::string CosignedAtKey(uint64_t size) {
  return kCosignedAtPrefix + BigEndian64(size);
}

std::string LogKeyRotationKey(uint64_t index) {
  return kLogKeyRotationPrefix + BigEndian64(index);
}

}  // namespace ailedger
