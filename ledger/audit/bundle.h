// The export bundle's framing (docs/BUNDLE.md): a magic line, then records
//
//   u8 type | u32 big-endian length (at most kMaxBundleRecord) | payload
//
// in this order: HEADER, PREFIX (when from > 0), ROSTER x header.roster_events,
// LEAF x (to - from), CHECKPOINT, CONSISTENCY (range, when flagged),
// CONSISTENCY (trusted, when flagged), COSIGNED x header.cosigned_checkpoints,
// ROTATION x header.key_rotations, END. Writer and reader are streaming:
// memory does not grow with the bundle.
#ifndef AILEDGER_LEDGER_AUDIT_BUNDLE_H_
#define AILEDGER_LEDGER_AUDIT_BUNDLE_H_

#include <cstdint>
#include <istream>
#include <ostream>
#include <string>

#include "absl/status/statusor.h"

namespace ailedger {

inline constexpr char kBundleMagic[] = "ailedger-bundle/v1\n";
inline constexpr size_t kMaxBundleRecord = 70 * 1024;

enum class RecordType : uint8_t {
  kHeader = 1,  // BundleHeader
  kPrefix = 2,  // ProvenLeaf: leaf from-1 at tree size `from`
  kRoster = 3,  // ProvenLeaf: a roster event before `from`, at tree size `from`
  kLeaf = 4,    // raw leaf bytes
  kCheckpoint = 5,   // signed note, with cosignatures
  kConsistency = 6,  // ConsistencyRecord
  kEnd = 7,          // BundleEnd
  kCosigned = 8,     // CosignedCheckpoint
  kRotation = 9,     // KeyRotationRecord
};

struct BundleRecord {
  RecordType type;
  std::string payload;
};

class BundleWriter {
 public:
  explicit BundleWriter(
      std::ostream* out);  // writes the magic; `out` must outlive this
  absl::Status Write(RecordType type, const std::string& payload);
  uint64_t records() const { return records_; }

 private:
  std::ostream* const out_;
  uint64_t records_ = 0;
};

class BundleReader {
 public:
  explicit BundleReader(std::istream* in) : in_(in) {}
  // INVALID_ARGUMENT unless the stream starts with the magic line.
  absl::Status ReadMagic();
  // The next record; NOT_FOUND at a clean end of stream; INVALID_ARGUMENT for
  // an unknown type, an oversized length or a truncated record.
  absl::StatusOr<BundleRecord> Next();
  uint64_t bytes_read() const { return bytes_; }

 private:
  std::istream* const in_;
  uint64_t bytes_ = 0;
};

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_AUDIT_BUNDLE_H_
