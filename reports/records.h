// The records a report is built from: the leaves of a bundle that verified,
// read again in index order (reports never read data that did not verify:
// the caller verifies first, VerifyBundle). Each record keeps what a
// citation needs: index, event id, signer, integration time and the event.
#ifndef AILEDGER_REPORTS_RECORDS_H_
#define AILEDGER_REPORTS_RECORDS_H_

#include <cstdint>
#include <istream>
#include <map>
#include <set>
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
  Hash leaf_hash{};  // RFC 9162 §2.1.1 hash of the leaf record
  v1::Event event;
};

// What proving a cited entry needs besides the records (citations.h): every
// leaf hash of the bundle (from its first leaf) and its signed checkpoint,
// verbatim with its cosignatures.
struct ProofSource {
  uint64_t first = 0;
  std::vector<Hash> leaf_hashes;
  std::string checkpoint;
  // The bundle, read again for the leaf bytes of the cited entries only (so
  // that records need not keep them); may be null.
  std::istream* bundle = nullptr;
};

// Operational records: one per log segment anchored, human override or
// explanation given (EU AI Act Art. 12, 14(4), 86). A busy system writes them
// by the hundred thousand; a report of a period counts them by organisation,
// type, system and year (OperationalTally) and cites the first and last of
// each group rather than list them, so that its memory does not grow with them.
bool IsOperational(const v1::Event& e);

struct OperationalKey {
  std::string organisation, type, system;
  int year = 0;  // UTC year of occurrence
  friend auto operator<=>(const OperationalKey&,
                          const OperationalKey&) = default;
};

struct OperationalGroup {
  uint64_t count = 0;
  uint64_t late = 0;  // recorded more than late_after_ms after occurring
  int64_t max_lag_ms = 0;
  Record first, last;
};

struct OperationalTally {
  int64_t late_after_ms = 7 * 86'400'000LL;
  std::map<OperationalKey, OperationalGroup> groups;
  void Add(const Record& r);
};

// The leaf records of the bundle in `in`, from the start (the first leaf is
// the header's `from`). DATA_LOSS if a leaf does not decode: the bundle was
// expected to have verified. `proofs`, if given, gets the leaf hashes and
// the checkpoint. `tally`, if given, gets the operational records instead of
// the result.
absl::StatusOr<std::vector<Record>> ReadRecords(
    std::istream* in, const std::string& origin, ProofSource* proofs = nullptr,
    OperationalTally* tally = nullptr);

// The leaf records at `indices` in the bundle in `in`, by index.
absl::StatusOr<std::map<uint64_t, std::string>> ReadLeaves(
    std::istream* in, const std::set<uint64_t>& indices);

// A citation of `r` as the review's §5.1 footnote: "idx 29 · FairnessSnapshot
// · Acme AI · occ 2025-10-06 · rec 2026-11-30 (+420 d)".
std::string Cite(const Record& r);

}  // namespace ailedger::reports

#endif  // AILEDGER_REPORTS_RECORDS_H_
