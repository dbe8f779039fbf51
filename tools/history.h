// A deterministic, realistic multi-year history for a deployer and its AI
// provider (docs/VOCABULARY.md; tools/gen-history): the same
// seed, origin and size give the same events, byte for byte, with the same
// keys.
//
// Aurora Credit AI (the provider) runs several systems; Corner Shop Finance
// (the deployer) uses them under an agreement both approved. Over the years:
// releases (every third a substantial modification with a revised impact
// assessment), approvals and one rejected release, deployments, quarterly
// fairness snapshots that drift below the four-fifths screening ratio and
// recover (with one small group), group and societal metrics, incidents
// notified inside and outside their Art. 73 deadlines, yearly audits whose
// findings are closed by verified corrective actions, management reviews,
// feedback and advisory-board decisions, a key rotation, an erasure of sealed
// personal data, one system decommissioned. Operational records (log-segment
// anchors, overrides, explanation counts) fill the rest up to the size asked.
//
// Events come out in log order, each signed by its author's key; the caller
// appends them (tools/gen_history.cc through the real client; benchmarks
// through LogWriter). The log's genesis (index 0) is the caller's: the history
// starts with the admin granting its keys.
#ifndef AILEDGER_TOOLS_HISTORY_H_
#define AILEDGER_TOOLS_HISTORY_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ailedger/event.pb.h"
#include "ledger/governance/event_signature.h"
#include "ledger/governance/seal.h"
#include "ledger/merkle/hash.h"
#include "ledger/tlog/keys.h"

namespace ailedger::history {

struct Options {
  std::string origin;
  uint64_t seed = 1;
  uint64_t events = 500;  // at least; the governance skeleton may need more
  int years = 3;          // ending 2026-06-30
  int systems = 3;
};

struct Generated {
  // Signed by `author` for the history's origin.
  SignedEvent signed_event;
  Hash event_id{};
  std::string event_type;
  int64_t occurred_at_ms = 0;          // the story's time of the event
  std::optional<Sealed> sealed;        // material of attachment 0, if any
  const SigningKey* author = nullptr;  // owned by the History
};

class History {
 public:
  // `admin` is the log's genesis admin: it grants the history's keys.
  History(Options options, const SigningKey* admin);
  ~History();

  // Up to `max` next events in log order; empty once the history is done.
  std::vector<Generated> Next(size_t max);
  uint64_t emitted() const { return emitted_; }

 private:
  class Story;  // the plan, day by day (history.cc)

  std::deque<Generated> queue_;
  std::unique_ptr<Story> story_;
  uint64_t emitted_ = 0;
};

}  // namespace ailedger::history

#endif  // AILEDGER_TOOLS_HISTORY_H_
