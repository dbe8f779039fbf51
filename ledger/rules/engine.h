// The rules of state, written once (issue 11, "One rule engine, two
// backends"). The sequencer runs them before it commits an event; the offline
// verifier runs them again over a bundle; both through Admit, in this order,
// against the log as of the event's index (RuleState):
//
// clang-format off
//   rule        what it checks                                      where written
//   fields      required fields and values, at the log's version    validation.h (CheckAlone)
//   time        occurred_at not beyond the log's clock + skew        time_rules.h (CheckAlone)
//   role        the signer holds the role, in scope; roster events   roster.h
//   correction  supersessions and retractions                       corrections.h
//   lifecycle   the subject is in a phase that allows the event     lifecycle.h
//   reference   named events exist, of the allowed types            references.h
//   approval    segregation of duties                               approvals.h
//   erasure     the attachment exists and is erased once            here
//   duplicate   an event is logged once                             the backends
// clang-format on
//
// A refusal carries its rule's name (RuleOf), so the sequencer's answer and
// the verifier's failure can be compared rule for rule (tests/
// rule_conformance_test.cc). The rules in force at an index are those of the
// role table version the roster has there (roles.h): the genesis names it and
// RulesVersionAdopted raises it, so a log is always judged by the rules that
// were in force when each entry was written.
#ifndef AILEDGER_LEDGER_RULES_ENGINE_H_
#define AILEDGER_LEDGER_RULES_ENGINE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ailedger/event.pb.h"
#include "ledger/rules/rule_state.h"

namespace ailedger {

// The rules, in the order Admit runs them (the table above).
enum class Rule {
  kFields,
  kTime,
  kRole,
  kCorrection,
  kLifecycle,
  kReference,
  kApproval,
  kErasure,
  kDuplicate
};
// The rule's name in the table above ("fields", ..., "duplicate"): what a
// refusal carries.
const char* RuleName(Rule rule);

// `s` tagged with the rule that refused (its message and code unchanged); the
// verifier tags its own checks ("signature", "chain", ...) by name.
absl::Status WithRule(absl::Status s, Rule rule);
absl::Status WithRule(absl::Status s, absl::string_view check);
// The rule a refusal names; "" for a status no rule produced.
std::string RuleOf(const absl::Status& s);

// One event offered at `index`, its signature by `signer` already verified.
struct Candidate {
  uint64_t index = 0;
  PublicKey signer{};
  const v1::Event* event = nullptr;
  Hash event_id{};
  // The role table version the fields were validated at before the queue
  // (CheckAlone); Admit validates them again when another is in force at
  // `index` (a RulesVersionAdopted earlier in the same batch).
  uint32_t fields_checked_at = 0;
};

// What an admitted event changes: for the backend to remember, and the
// sequencer to commit beside the leaf.
struct Admitted {
  std::vector<PhaseChange> phases;
  // The sealed attachment an Erasure destroys.
  std::optional<std::pair<Hash, uint32_t>> erasure;
  // The event this one supersedes or retracts.
  std::optional<Hash> superseded, retracted;
  // Set when the event takes approvals (approvals.h).
  std::optional<ApprovableEvent> approvable;
  // The signer's roster organisation and admin role, before the event.
  std::string signer_organisation;
  bool signer_is_admin = false;
  // Genesis, KeyGranted, KeyRevoked, LogKeyRotated or RulesVersionAdopted:
  // the roster changed.
  bool changes_roster = false;
  // Rules a replay could not check (the answer lies before its range), as
  // "rule: why".
  std::vector<std::string> unchecked;
  // A correction whose target only a replay's second pass can read.
  bool correction_deferred = false;
};

// The rules on the event alone: fields (an event type, and the fields role
// table version `version` requires) and time (occurred_at at most `now_ms` +
// `skew_ms`).
absl::Status CheckAlone(const v1::Event& e, uint32_t version, int64_t now_ms,
                        int64_t skew_ms);

// Runs the rules of state on `c` in the order above. A refusal names its rule
// and changes nothing; it is also marked deferred (IsDeferred) when the
// correction rule, which runs first, was deferred by a replay. On success the
// roster has applied the event and the state has recorded it
// (RuleState::Record).
absl::StatusOr<Admitted> Admit(const Candidate& c, RuleState& state);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_RULES_ENGINE_H_
