// The entries of a bundle, each checked in index order against the state the
// verifier replayed before it (bundle_verifier.h runs this after its parallel
// pass, leaf_check.h): the reader's genesis, the rules on the event alone, the
// rules of state through the engine the sequencer runs (ledger/rules/engine.h
// over ReplayRuleState), the reader's expected keys, and duplicates. After the
// last entry come the checks that wait for it: duplicates across the range
// and the deferred corrections. Its findings go into the VerifyReport.
#ifndef AILEDGER_LEDGER_AUDIT_ENTRY_CHECKS_H_
#define AILEDGER_LEDGER_AUDIT_ENTRY_CHECKS_H_

#include <cstdint>
#include <istream>
#include <map>
#include <string>

#include "absl/status/status.h"
#include "ledger/audit/bundle_verifier.h"
#include "ledger/audit/leaf_check.h"
#include "ledger/audit/replay_rule_state.h"
#include "ledger/governance/duplicate_events.h"

namespace ailedger {

class EntryChecks {
 public:
  // `in`: the bundle, read again for the deferred corrections; `from`: the
  // range's first index. `o`, `in` and `report` must outlive this.
  EntryChecks(const VerifyOptions& o, const std::string& origin, uint64_t from,
              std::istream* in, VerifyReport* report);

  // Checks the entry at `index` with event id `id`; `count`: it is in the
  // range (not a roster record of a ranged bundle). A failure is the first in
  // the sequencer's order: a copy of an earlier event, or a deferred
  // correction logged before it, comes first.
  absl::Status Check(uint64_t index, const Checked& c, const Hash& id,
                     bool count);
  // `s`, a failure at `index` outside Check (a broken chain), unless a
  // correction deferred from before `index` fails: that one came first.
  absl::Status FirstOf(absl::Status s, uint64_t index);
  void NoteAfterDecommissioning(uint64_t index, const v1::Event& e);
  // After the last entry: duplicates, then the deferred corrections.
  absl::Status Finish();
  // The warnings, approvals and signers into the report.
  void Summarise();

  Roster& roster() { return replay_.roster(); }

 private:
  absl::Status Apply(uint64_t index, const Checked& c, const Hash& id);
  absl::Status CheckAloneOffline(uint64_t index, const v1::Event& e,
                                 const Leaf& leaf);
  absl::Status CheckGenesis(const v1::Event& e, const PublicKey& signer);
  absl::Status CheckExpectedGrant(uint64_t index, const v1::Event& e);
  absl::Status EarlierFailure(absl::Status s, const Hash& id, uint64_t index);
  void Warn(std::string w);
  void WarnOfVersion1();
  void WarnOfVersion2();

  const VerifyOptions& o_;
  const uint64_t from_;
  std::istream* const in_;
  VerifyReport* const report_;
  ReplayRuleState replay_;
  DuplicateEvents duplicates_;
  // Entries in the range, by signer.
  std::map<PublicKey, uint64_t> entries_;
  bool lifecycle_warned_ = false;
};

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_AUDIT_ENTRY_CHECKS_H_
