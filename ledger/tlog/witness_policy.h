// A reader's witness policy: which witnesses it trusts and how many must
// cosign. Being in a log's roster never makes a witness trusted; readers name
// their own.
#ifndef AILEDGER_LEDGER_TLOG_WITNESS_POLICY_H_
#define AILEDGER_LEDGER_TLOG_WITNESS_POLICY_H_

#include <vector>

#include "absl/status/statusor.h"
#include "ledger/tlog/keys.h"

namespace ailedger {

struct WitnessPolicy {
  // Type 0x04 cosigner keys named by the reader.
  std::vector<VerifierKey> witnesses;
  // Cosignatures required on each checkpoint.
  size_t quorum = 0;
};

// A policy file: one "witness VKEY" line per witness and an optional "quorum N"
// line (default: 1 when witnesses are named). '#' starts a comment.
absl::StatusOr<WitnessPolicy> ParseWitnessPolicy(absl::string_view text);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_TLOG_WITNESS_POLICY_H_
