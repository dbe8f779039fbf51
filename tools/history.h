// A deterministic, realistic multi-year history for a deployer and its AI
// provider in vocabulary v2 (docs/VOCABULARY.md; checked under role table
// version 3; tools/gen-history): the same seed, origin and size give the same
// events, byte for byte, with the same keys.
//
// Aurora Credit AI (the provider, Europe/Berlin) runs credit-scoring (high
// risk, Annex III 5(b)), fraud-screening (fraud detection is excluded from
// 5(b): minimal risk) and support-assistant (limited risk, Art. 50); Corner
// Shop Finance (the deployer, Europe/Dublin) uses them in Ireland under an
// agreement both approved. Each person holds one function with one key and a
// RoleAssigned every approval cites: the CTO approves releases, policies,
// assessments and SoA versions; the Head of Credit Risk accepts residual risk
// (only rare x minor, as the criteria allow); the DPO approves DPIAs only;
// the deployer's managing director approves its deployments and FRIAs.
// Over the years: all 38 Annex A controls in the SoA, with evidence, the
// treatments that chose them and a yearly re-review, each set approved as a
// version; Canada AIAs (voluntary use, requirement set 2023) answered from the
// shipped survey (ledger/aia) with the claimed score, revised for every
// substantial modification; the deployer's Art. 27 FRIA before it first puts
// credit-scoring into service, and again after a substantial modification;
// releases with Annex IV test reports, one rejected; quarterly fairness,
// group and societal measurements that answer the monitoring plan's metric
// ids; incidents reported where they occur (IE), told to the deployer, and,
// when serious on the high-risk system, notified to the Central Bank of
// Ireland (initial and complete reports under Art. 73); yearly audits Aurora
// plans itself, findings with evidence closed by verified corrective actions;
// management reviews, feedback, advisory-board decisions, a key rotation, an
// erasure of sealed personal data, one system decommissioned. Operational
// records (log-segment anchors, overrides, explanation counts) fill the rest
// up to the size asked.
//
// Deliberate imperfections, for reports to find (each is the story's, and a
// report that misses one is wrong):
//   - A late notification: every other serious incident (INC-2, INC-6, ...)
//     has its initial Art. 73 report sent 20 days after awareness, past the
//     15-day deadline of a category (c) incident; the others are sent after
//     one day. The causal link is established on day 5 (before the late
//     report: "immediately" is missed too). All incidents before 2 Aug 2026
//     are measured against Art. 73 before it applies.
//   - A small group: every fairness snapshot has an "undisclosed" age band of
//     8-17 people, under the plan's min_cell_count of 30: "insufficient
//     data", not a ratio.
//   - A rejected release: credit-scoring's fourth release is rejected by the
//     CTO and never deployed (the next release's previous_version is the one
//     in production).
//   - A fairness breach: the 60+ band falls to 0.7 of the reference band in
//     quarters 3 to 5 of each classifying system; the plan's escalation opens
//     a (minor) incident the next day, updated while the breach persists and
//     closed when the ratio recovers. Quarter 1 of credit-scoring is
//     corrected by a superseding snapshot.
//   - An open approval condition: residual risks are accepted "with
//     conditions" (re-assess after two quarterly snapshots) that no later
//     record closes.
//   - Irregular log segments: segments are anchored when the filler comes
//     round (contiguous periods, a declared cadence of 30 days); a small
//     history leaves gaps, which the yearly audit's observation names.
//   - A backfilled record: the ethics board's first review (day 90) is
//     recorded 21 days after it occurred, with its backfill_reason.
//   - A retracted duplicate complaint, and an erased complainant contact.
//   - Known, not intended: a fairness snapshot's label window equals its
//     decision window (review E14).
//
// Times: events occur on their story day (08:00 UTC onwards). Pushed with
// gen-history --test-clock, each is integrated on that day too; without it,
// the log integrates the whole history at push time, so every event reads as
// recorded late.
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
  // The story's time it is recorded: its occurred_at, unless backfilled.
  int64_t occurred_at_ms = 0;
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
