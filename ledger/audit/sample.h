// Audit sampling the auditee cannot steer (issue 13; the domain review's §4,
// "what only ailedger can do", item 10): a sample of entry indices drawn from
// a signed checkpoint's root, so it is reproducible by anyone holding the
// checkpoint and unpredictable before the log state it samples existed.
//
// Draw k (k = 0, 1, ...): SHA-256("ailedger/sample/v1" || 0x00 || origin ||
// 0x00 || u64be(size) || root || u64be(k)); its first 8 bytes, big-endian, x.
// x is kept when x < 2^64 - (2^64 mod size) (rejection sampling: every index
// equally likely) and gives the index x mod size; an index already drawn is
// skipped. The sample is the first n distinct indices in draw order (all of
// [0, size) when n >= size), returned in draw order. docs/FORMATS.md
// ("Audit samples") states the same.
#ifndef AILEDGER_LEDGER_AUDIT_SAMPLE_H_
#define AILEDGER_LEDGER_AUDIT_SAMPLE_H_

#include <cstdint>
#include <vector>

#include "ledger/tlog/checkpoint.h"

namespace ailedger {

std::vector<uint64_t> SampleIndices(const Checkpoint& checkpoint, uint64_t n);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_AUDIT_SAMPLE_H_
