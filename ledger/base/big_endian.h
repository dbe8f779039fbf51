// Fixed-width big-endian integers, so that byte order matches numeric order in
// keys and records.
#ifndef AILEDGER_LEDGER_BASE_BIG_ENDIAN_H_
#define AILEDGER_LEDGER_BASE_BIG_ENDIAN_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace ailedger {

inline void PutBigEndian64(uint64_t v, std::string* out) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((v >> shift) & 0xFF));
  }
}

inline void PutBigEndian32(uint32_t v, std::string* out) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((v >> shift) & 0xFF));
  }
}

inline void PutBigEndian16(uint16_t v, std::string* out) {
  out->push_back(static_cast<char>(v >> 8));
  out->push_back(static_cast<char>(v & 0xFF));
}

inline std::string BigEndian64(uint64_t v) {
  std::string out;
  PutBigEndian64(v, &out);
  return out;
}

// Preconditions: b.size() >= 8 (resp. 4, 2).
inline uint64_t GetBigEndian64(absl::string_view b) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(b[i]);
  return v;
}

inline uint32_t GetBigEndian32(absl::string_view b) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<uint8_t>(b[i]);
  return v;
}

inline uint16_t GetBigEndian16(absl::string_view b) {
  return static_cast<uint16_t>((static_cast<uint8_t>(b[0]) << 8) |
                               static_cast<uint8_t>(b[1]));
}

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_BASE_BIG_ENDIAN_H_
