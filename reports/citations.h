// What a report says about every entry it cites (issue 13, "Every figure
// cites its evidence"). A report's text cites an entry with Cite (records.h),
// "idx N · ..."; AttachCitations collects every index so cited, in any
// section, table or JSON string of the report, and adds for each:
//
// clang-format off
//   event id, index, type, organisation, signer (key, name, person or
//     service account, from the roster's KeyGranted),
//   occurred and recorded times with the lag (and the backfill reason),
//   status: current, superseded (by idx M), retracted (by idx M, reason),
//     attachment erased (by idx M),
//   assurance: self-attested; attested by the other party (an approving
//     Approval signed by a key of another organisation); confirmed by an
//     expected auditor (signed or approved by a key the reader pinned as
//     auditor); computed from raw inputs (the report recomputes the figure
//     from the raw counts or answers the entry carries); independently timed
//     by a witness (below a witnessed checkpoint's size, with its time),
//   an inclusion proof to the report's checkpoint as a C2SP tlog-proof
//     (ledger/tlog/tlog_proof.h), so that one claim can be checked alone.
// clang-format on
//
// The JSON form gets them in data["citations"]; every form gets a section
// "Evidence cited" with one row per entry.
#ifndef AILEDGER_REPORTS_CITATIONS_H_
#define AILEDGER_REPORTS_CITATIONS_H_

#include <cstdint>
#include <set>
#include <vector>

#include "absl/status/statusor.h"
#include "ledger/audit/bundle_verifier.h"
#include "ledger/merkle/proof.h"
#include "reports/records.h"
#include "reports/report.h"

namespace ailedger::reports {

// The indices `report` cites, ascending.
std::set<uint64_t> CitedIndices(const Report& report);

// Inclusion proofs (RFC 9162 §2.1.3.1) in the tree of the first `size`
// leaves of a bundle, from every perfect node held in memory (2 x 32 bytes
// per leaf): the leaves are the bundle's, which verified against the
// checkpoint.
class ProofTree {
 public:
  ProofTree(const ProofSource& proofs, uint64_t size);
  // FAILED_PRECONDITION when the bundle does not hold every leaf below
  // `size` (a ranged bundle); INVALID_ARGUMENT unless index < size.
  absl::StatusOr<std::vector<Hash>> Inclusion(uint64_t index) const;
  // The consistency proof from `first` leaves to all (RFC 9162 §2.1.4.1) and
  // the root of the first `first` leaves (§2.1.1).
  absl::StatusOr<std::vector<Hash>> Consistency(uint64_t first) const;
  absl::StatusOr<Hash> RootAt(uint64_t size) const;

 private:
  absl::StatusOr<std::vector<Hash>> Fold(
      const absl::StatusOr<ProofPlan>& plan) const;

  std::vector<std::vector<Hash>> levels_;  // [0] = leaf hashes
};

void AttachCitations(const std::vector<Record>& records,
                     const ProofSource& proofs, const VerifyReport& verified,
                     const VerifyOptions& options, Report* report);

}  // namespace ailedger::reports

#endif  // AILEDGER_REPORTS_CITATIONS_H_
