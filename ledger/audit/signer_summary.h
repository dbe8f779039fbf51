// Who signed what, for the verification report, and the reader's expected-key
// rule: keys holding roles that matter (admin, auditor) must be the ones the
// reader named.
#ifndef AILEDGER_LEDGER_AUDIT_SIGNER_SUMMARY_H_
#define AILEDGER_LEDGER_AUDIT_SIGNER_SUMMARY_H_

#include <map>
#include <vector>

#include "absl/status/status.h"
#include "ledger/audit/bundle_verifier.h"
#include "ledger/governance/roster.h"

namespace ailedger {

// A KeyGranted giving admin or auditor to a key the reader did not name for
// that role fails (PERMISSION_DENIED) when the reader named keys for it
// (VerifyOptions::admin names the admin, VerifyOptions::expected the others).
absl::Status CheckGrantIsExpected(const VerifyOptions& o, const v1::Event& e);

// Every key that signed (with its count), and every key holding admin or
// auditor, with roles and whether the reader expected it.
std::vector<SignerSummary> SummariseSigners(
    const Roster& roster, const std::map<PublicKey, uint64_t>& entries,
    const VerifyOptions& o);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_AUDIT_SIGNER_SUMMARY_H_
