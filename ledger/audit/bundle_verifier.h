// Offline verification of an export bundle, trusting only what the reader
// names: the log's verifier key(s), the admin key that must have signed
// genesis, the keys expected in roles that matter, a trusted checkpoint and a
// witness policy. It checks, streaming, every record:
//
//   genesis signed by the given admin and naming a given log key; each leaf's
//   index equals its position, its chain link and non-decreasing time; each
//   event canonical and signed by its signer for this origin; the signer
//   holding the required role, in scope, under the roster as of that index; the
//   root recomputed from the leaves equal to the signed checkpoint's (or
//   consistent with it); the log signature and witness quorum on that
//   checkpoint and on the trusted one (ledger/tlog/trust.h), along the log's
//   key rotations from the reader's keys, each proven by the old key's
//   handover (record 9); consistency with the trusted checkpoint; the
//   header's counts; no unknown record and no
//   trailing byte; no event logged twice (duplicate_events.h); no occurred_at
//   beyond the leaf's integration time plus the server's skew window
//   (time_rules.h).
//
// A ranged bundle (from > 0) carries the roster events before `from` that the
// exporter chose to supply: it proves they were logged, not that none was
// left out (a KeyRevoked omitted, later events by that key verify). The report
// says so (roster_complete false) unless the reader passes the roster it
// replayed itself (known_roster, as `monitor` does), which the bundle's must
// then equal exactly.
//
// Signatures are checked on all cores. The first failure is reported with its
// index, the check and what was expected and found. An event type the role
// table does not know fails (rule "role"), as the server refuses it
// (docs/ARCHITECTURE.md, "Versions and compatibility").
#ifndef AILEDGER_LEDGER_AUDIT_BUNDLE_VERIFIER_H_
#define AILEDGER_LEDGER_AUDIT_BUNDLE_VERIFIER_H_

#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ailedger/event.pb.h"
#include "ledger/audit/witnessed_checkpoints.h"
#include "ledger/merkle/hash.h"
#include "ledger/tlog/keys.h"
#include "ledger/tlog/log_key_chain.h"
#include "ledger/tlog/witness_policy.h"

namespace ailedger {

// A roster event (Genesis, KeyGranted, KeyRevoked, LogKeyRotated,
// RulesVersionAdopted) as replayed.
struct RosterRef {
  uint64_t index = 0;
  Hash leaf_hash{};
  std::string event_type;
  bool operator==(const RosterRef& o) const {
    return index == o.index && leaf_hash == o.leaf_hash;
  }
};

struct VerifyOptions {
  // The log's keys the reader pinned, one or more; the genesis must name one.
  // The verifier follows the log's LogKeyRotated events from them, each
  // proven by its ROTATION record (docs/BUNDLE.md, record 9).
  std::vector<VerifierKey> log_keys;
  // The admin key the genesis must be signed by. Given, a grant of admin fails
  // unless `expected` lists the key granted.
  std::optional<VerifierKey> admin;
  // The keys the reader expects to hold admin or auditor: once a role has
  // one, a grant of that role to any other key fails ("unexpected key").
  std::vector<std::pair<v1::Role, PublicKey>> expected;
  // A signed checkpoint the reader already trusts; "" for none.
  std::string trusted_checkpoint;
  WitnessPolicy witness_policy;
  // 0 = all cores.
  unsigned threads = 0;
  // May be empty.
  std::function<void(uint64_t done, uint64_t total)> progress;
  // The roster events the reader replayed before, all before the bundle's
  // `from` (VerifyReport::roster of an earlier verification): a ranged
  // bundle's roster records must be exactly these.
  std::optional<std::vector<RosterRef>> known_roster;
  // Bytes of event ids held in memory by the duplicate check before it spills
  // to a temporary file.
  size_t duplicate_check_memory = 16 << 20;
};

struct SignerSummary {
  PublicKey key{};
  std::string name, organisation;
  std::vector<v1::Role> roles;
  uint64_t entries = 0;
  // Holds admin or auditor, and the reader did not name it (`expected`).
  bool unexpected = false;
};

struct VerifyReport {
  bool verified = false;
  // The first failure: "index N: check: expected X, found Y".
  std::string failure;
  // The check that failed: a rule's name (ledger/rules/engine.h) or the
  // verifier's own ("signature", "chain", "root", ...).
  std::string failed_check;
  std::string origin;
  uint64_t from = 0, to = 0, checkpoint_size = 0;
  Hash root{};
  size_t cosignatures = 0;  // by witnesses in the policy
  std::vector<SignerSummary> signers;
  std::vector<std::string> warnings;
  // Whether the roster is proven complete: a bundle from genesis, or a ranged
  // one whose roster records equal the reader's known_roster.
  bool roster_complete = false;
  uint64_t roster_events_supplied = 0;  // the ROSTER records read
  std::vector<RosterRef> roster;  // every roster event replayed, index order
  // The role table version in force from each index on (the genesis's, then
  // each RulesVersionAdopted's): the rules each entry was checked under.
  std::vector<std::pair<uint64_t, uint32_t>> rule_versions;
  // Events whose type takes approvals (ledger/governance/approvals.h) without
  // an approving Approval.
  std::vector<std::pair<uint64_t, std::string>> pending_approvals;
  std::vector<std::pair<uint64_t, std::string>> rejected;  // by an approver
  // Measurements, assessments and incidents about a system decommissioned
  // before them (role table version 3; bundles from genesis): "TYPE about
  // system ID".
  std::vector<std::pair<uint64_t, std::string>> after_decommissioning;
  // Cosigned checkpoints by the reader's witnesses, ascending in size: entry i
  // was recorded no later than the times of the first with size above i
  // (WitnessedHolding, witnessed_checkpoints.h).
  std::vector<WitnessedCheckpoint> witnessed;
  // The log's key rotations, in index order, as replayed and proven: the
  // checkpoints were opened along them from the reader's keys.
  std::vector<LogKeyRotation> key_rotations;
};

// INVALID_ARGUMENT for unusable input (not a bundle, no log key, a trusted
// checkpoint that does not open under the reader's trust: "trusted
// checkpoint: ..."); otherwise a report, verified or with its first failure.
// No message names a command-line flag: the CLI adds its own.
absl::StatusOr<VerifyReport> VerifyBundle(std::istream* in,
                                          const VerifyOptions& options);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_AUDIT_BUNDLE_VERIFIER_H_
