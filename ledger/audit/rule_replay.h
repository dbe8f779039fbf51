// The sequencer's rules of state, replayed offline by the bundle verifier in
// index order, with the same code the sequencer runs: approvals and
// segregation of duties (approvals.h), lifecycle order (lifecycle.h),
// references between events (references.h), and corrections, retractions and
// erasures (correction_replay.h). The roster's own checks stay with the
// verifier, which calls Check for each event the roster accepted and Record
// once the roster has applied it.
//
// A ranged bundle cannot see the events before its start: what needs them is
// reported as a warning, not failed. Failures read "index N: check: detail".
#ifndef AILEDGER_LEDGER_AUDIT_RULE_REPLAY_H_
#define AILEDGER_LEDGER_AUDIT_RULE_REPLAY_H_

#include <cstdint>
#include <istream>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "ailedger/event.pb.h"
#include "ledger/audit/correction_replay.h"
#include "ledger/governance/approvals.h"
#include "ledger/governance/lifecycle.h"
#include "ledger/governance/references.h"
#include "ledger/governance/roster.h"

namespace ailedger {

class RuleReplay {
 public:
  // `ranged`: the bundle starts after genesis.
  RuleReplay(std::string origin, bool ranged,
             std::vector<std::string>* warnings)
      : origin_(std::move(origin)), ranged_(ranged), warnings_(warnings) {}

  // Before the roster applies `e`, signed by `signer` at `index`.
  absl::Status Check(uint64_t index, const Roster& roster,
                     const PublicKey& signer, const v1::Event& e,
                     const std::string& event_bytes);
  // After the roster applied it: what later approvals need.
  void Record(uint64_t index, const Roster& roster, const PublicKey& signer,
              const v1::Event& e, const std::string& event_bytes);
  // After the last leaf: the corrections, against the events they name, read
  // in a second pass over `in` (left where it was).
  absl::Status Finish(std::istream* in, uint64_t from);

  const ApprovalBook& book() const { return book_; }

 private:
  absl::Status CheckApprovalAt(uint64_t index, const Roster& roster,
                               const PublicKey& signer, const v1::Event& e);
  absl::Status CheckLifecycleAt(uint64_t index, const v1::Event& e);
  absl::Status CheckReferencesAt(uint64_t index, const std::string& org,
                                 const v1::Event& e,
                                 const std::string& event_bytes);

  const std::string origin_;
  const bool ranged_;
  std::vector<std::string>* const warnings_;
  ApprovalBook book_;
  std::map<std::string, Phase> phases_;
  std::map<Hash, RefTarget> targets_;  // events references may name
  CorrectionReplay corrections_;
  bool lifecycle_warned_ = false;
};

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_AUDIT_RULE_REPLAY_H_
