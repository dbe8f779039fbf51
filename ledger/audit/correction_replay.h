// The deferred half of the correction rule, for the bundle verifier
// (replay_rule_state.h): supersessions and retractions name any earlier event,
// which a streaming verifier does not keep. They are noted during the first
// pass, the facts of just the events they name are read in a second pass over
// the bundle's leaf records, and the rule is then run in index order with the
// engine's code (CheckCorrections, which ledger/rules/engine.h runs). Memory
// grows with the corrections, not the log.
#ifndef AILEDGER_LEDGER_AUDIT_CORRECTION_REPLAY_H_
#define AILEDGER_LEDGER_AUDIT_CORRECTION_REPLAY_H_

#include <cstdint>
#include <istream>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "ailedger/event.pb.h"
#include "ledger/governance/corrections.h"
#include "ledger/merkle/hash.h"

namespace ailedger {

class CorrectionReplay {
 public:
  // Keeps `e`, logged at `index`, if it names an earlier event.
  // `signer_organisation` is the roster's, as the sequencer uses.
  void Note(uint64_t index, const v1::Event& e, bool signer_is_admin,
            const std::string& signer_organisation);
  bool empty() const { return corrections_.empty(); }

  // The second pass: reads the bundle's leaf records from the start (leaf
  // `from` first) for the named events, then puts `in` back where it was.
  // UNAVAILABLE when the stream cannot be read twice.
  absl::Status ReadTargets(std::istream* in, const std::string& origin,
                           uint64_t from);

  // Replays the rule on the corrections logged before index `before`; the
  // first failure is FAILED_PRECONDITION "index N: correction: ...". In a
  // ranged bundle (`ranged`), an event named before the range cannot be read:
  // that is a warning, not a failure.
  absl::Status Replay(bool ranged, uint64_t before,
                      std::vector<std::string>* warnings);

 private:
  struct Correction {
    uint64_t index;
    v1::Event event;
    bool admin;
    std::string organisation;
  };
  struct Target {
    EventFacts facts;  // event_type empty: not found
  };

  std::optional<EventFacts> Earlier(const Hash& id, uint64_t before) const;
  absl::Status ReplayOne(const Correction& c);

  std::vector<Correction> corrections_;
  std::map<Hash, Target> targets_;  // the events corrections name
  std::set<Hash> superseded_, retracted_;
};

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_AUDIT_CORRECTION_REPLAY_H_
