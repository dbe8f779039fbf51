// The records a report is built from: the leaves of a bundle that verified,
// read again in index order (reports never read data that did not verify:
// the caller verifies first, VerifyBundle). Each record keeps what a
// citation needs: index, event id, signer, integration time and the event.
#ifndef AILEDGER_REPORTS_RECORDS_H_
#define AILEDGER_REPORTS_RECORDS_H_

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ailedger/event.pb.h"
#include "ledger/merkle/hash.h"
#include "ledger/tlog/keys.h"

namespace ailedger::reports {

struct Record {
  uint64_t index = 0;
  uint64_t integrated_time_ms = 0;
  Hash event_id{};
  PublicKey signer{};
  v1::Event event;
};

// The leaf records of the bundle in `in`, from the start (the first leaf is
// the header's `from`). DATA_LOSS if a leaf does not decode: the bundle was
// expected to have verified.
absl::StatusOr<std::vector<Record>> ReadRecords(std::istream* in,
                                                const std::string& origin);

// A citation of `r` as the review's §5.1 footnote: "idx 29 · FairnessSnapshot
// · Acme AI · occ 2025-10-06 · rec 2026-11-30 (+420 d)".
std::string Cite(const Record& r);

}  // namespace ailedger::reports

#endif  // AILEDGER_REPORTS_RECORDS_H_
