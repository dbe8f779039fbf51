#include "ledger/audit/sample.h"

#include <limits>
#include <set>
#include <string>

#include "ledger/base/big_endian.h"
#include "ledger/merkle/hash.h"

namespace ailedger {
namespace {

constexpr char kContext[] = "ailedger/sample/v1";

uint64_t Draw(const std::string& prefix, uint64_t k) {
  const Hash h = Sha256Of(prefix + BigEndian64(k));
  uint64_t x = 0;
  for (int i = 0; i < 8; ++i)
    x = (x << 8) | static_cast<uint8_t>(AsBytes(h)[i]);
  return x;
}

}  // namespace

std::vector<uint64_t> SampleIndices(const Checkpoint& cp, uint64_t n) {
  std::vector<uint64_t> out;
  const uint64_t size = cp.size;
  if (size == 0 || n == 0) return out;
  if (n >= size) {
    for (uint64_t i = 0; i < size; ++i) out.push_back(i);
    return out;
  }
  const std::string prefix = std::string(kContext) + '\0' + cp.origin + '\0' +
                             BigEndian64(size) + std::string(AsBytes(cp.root));
  // 2^64 mod size: the draws above 2^64 - 1 - rest are rejected, so that
  // every index is equally likely.
  const uint64_t max = std::numeric_limits<uint64_t>::max();
  const uint64_t rest = (max % size + 1) % size;
  std::set<uint64_t> seen;
  for (uint64_t k = 0; out.size() < n; ++k) {
    const uint64_t x = Draw(prefix, k);
    if (rest != 0 && x > max - rest) continue;
    const uint64_t index = x % size;
    if (seen.insert(index).second) out.push_back(index);
  }
  return out;
}

}  // namespace ailedger
