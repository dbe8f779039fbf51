#include "ledger/audit/entry_checks.h"

#include <algorithm>
#include <limits>

#include "absl/strings/str_cat.h"
#include "ledger/audit/signer_summary.h"
#include "ledger/audit/verify_failure.h"
#include "ledger/governance/event_types.h"
#include "ledger/governance/lifecycle.h"
#include "ledger/governance/roles.h"
#include "ledger/governance/time_rules.h"
#include "ledger/rules/engine.h"

namespace ailedger {
namespace {

// A duplicate found is the duplicate rule's failure (engine.h).
absl::Status Dup(absl::Status s) {
  return absl::IsFailedPrecondition(s) ? WithRule(s, Rule::kDuplicate) : s;
}

}  // namespace

EntryChecks::EntryChecks(const VerifyOptions& o, const std::string& origin,
                         uint64_t from, std::istream* in, VerifyReport* report)
    : o_(o),
      from_(from),
      in_(in),
      report_(report),
      replay_(origin, from > 0),
      duplicates_(o.duplicate_check_memory) {}

absl::Status EntryChecks::Check(uint64_t index, const Checked& c,
                                const Hash& id, bool count) {
  if (auto s = Apply(index, c, id); !s.ok())
    return EarlierFailure(std::move(s), id, index);
  if (count) ++entries_[c.leaf->signer];
  return Dup(duplicates_.Add(id, index));
}

// The signature, then the rules of state (ledger/rules/engine.h) as of
// `index`, the sequencer's code in the sequencer's order.
absl::Status EntryChecks::Apply(uint64_t index, const Checked& c,
                                const Hash& id) {
  if (!c.event.ok())
    return Fail(index, "event encoding", c.event.status().message());
  if (!c.signature_ok) {
    return Fail(index, "signature",
                "the event's signature does not verify for its signer");
  }
  const v1::Event& e = *c.event;
  if (auto s = CheckAloneOffline(index, e, *c.leaf); !s.ok()) return s;
  if (index == 0) {
    if (auto s = CheckGenesis(e, c.leaf->signer); !s.ok()) return s;
  }
  const Candidate candidate{index, c.leaf->signer, &e, id,
                            roster().role_table_version()};
  auto admitted = Admit(candidate, replay_);
  if (IsDeferred(admitted.status())) replay_.NoteDeferredCorrection(candidate);
  if (!admitted.ok()) {
    return Fail(index, RuleOf(admitted.status()), admitted.status().message());
  }
  for (const std::string& u : admitted->unchecked) {
    Warn(absl::StrCat("index ", index, ": not checked, ", u));
  }
  if (auto s = CheckExpectedGrant(index, e); !s.ok()) return s;
  NoteAfterDecommissioning(index, e);
  if (ChangesRoster(e.event_type()))
    report_->roster.push_back({index, c.leaf_hash, e.event_type()});
  if (e.event_type() == kGenesis || e.event_type() == kRulesVersionAdopted) {
    report_->rule_versions.push_back(
        {index + (index > 0), roster().role_table_version()});
  }
  return absl::OkStatus();
}

// A failure at an entry, unless the sequencer would have refused it first:
// as a copy of an earlier event, or for a correction deferred to the second
// pass, logged before it or its own (the correction rule runs early).
absl::Status EntryChecks::EarlierFailure(absl::Status s, const Hash& id,
                                         uint64_t index) {
  if (auto d = duplicates_.Add(id, index); !d.ok()) return Dup(d);
  if (auto d = Dup(duplicates_.Finish()); !d.ok()) return d;
  return FirstOf(std::move(s), index + 1);
}

absl::Status EntryChecks::FirstOf(absl::Status s, uint64_t index) {
  std::vector<std::string> not_reported;  // the failure is
  auto earlier = replay_.FinishCorrections(in_, from_, index, &not_reported);
  return earlier.ok() ? s : earlier;
}

// The rules on the event alone (fields, time), the time rule against the
// leaf's integration time: never earlier than the server's clock at append,
// so a genuine event always passes.
absl::Status EntryChecks::CheckAloneOffline(uint64_t index, const v1::Event& e,
                                            const Leaf& leaf) {
  const int64_t integrated = static_cast<int64_t>(std::min<uint64_t>(
      leaf.integrated_time_ms, std::numeric_limits<int64_t>::max()));
  auto s =
      CheckAlone(e, roster().role_table_version(), integrated, kMaxClockSkewMs);
  if (s.ok()) return s;
  if (RuleOf(s) != RuleName(Rule::kTime))
    return Fail(index, RuleOf(s), s.message());
  return Fail(index, RuleName(Rule::kTime),
              absl::StrCat(s.message(), " (integrated at ",
                           leaf.integrated_time_ms, ")"));
}

// A record about a system already decommissioned is accepted (the record
// may be late, or about the system's remains) and listed for the reader.
void EntryChecks::NoteAfterDecommissioning(uint64_t index, const v1::Event& e) {
  if (!AppliesVersion3Rules(roster().role_table_version()) ||
      !NamesRegisteredSystem(e.event_type()))
    return;
  for (const auto& s : e.subjects()) {
    if (s.kind() != "system") continue;
    auto phase = replay_.PhaseOf(PhaseKey("system", s.id()));
    if (phase.ok() && *phase == Phase::kEnded) {
      report_->after_decommissioning.push_back(
          {index, absl::StrCat(e.event_type(), " about system ", s.id())});
    }
  }
}

absl::Status EntryChecks::CheckGenesis(const v1::Event& e,
                                       const PublicKey& signer) {
  if (o_.admin && signer != o_.admin->public_key()) {
    return Fail(0, "genesis", "not signed by the admin key the reader named");
  }
  for (const VerifierKey& k : o_.log_keys) {
    if (e.genesis().log_verifier_key() == k.ToString()) return absl::OkStatus();
  }
  return Fail(0, "genesis",
              absl::StrCat("names log key '", e.genesis().log_verifier_key(),
                           "', not one of the reader's log keys"));
}

// A grant of admin or auditor to a key the reader did not name for that role
// fails when the reader named keys for it (the reader's admin key names the
// admin).
absl::Status EntryChecks::CheckExpectedGrant(uint64_t index,
                                             const v1::Event& e) {
  auto s = CheckGrantIsExpected(o_, e);
  return s.ok() ? s : Fail(index, "unexpected key", s.message());
}

absl::Status EntryChecks::Finish() {
  for (const auto& w : replay_.wanted()) duplicates_.Want(w.id, w.index);
  if (auto s = Dup(duplicates_.Finish()); !s.ok()) return s;
  if (auto missing = duplicates_.unresolved()) {
    // Deferred checks of earlier entries fail first, as they would have.
    auto s = FirstOf(
        WithRule(
            Fail(missing->first, RuleName(Rule::kReference),
                 absl::StrCat("evidence_event_ids: no event with id ",
                              ToHex(missing->second), " is logged before it")),
            Rule::kReference),
        missing->first + 1);
    return s;
  }
  return replay_.FinishCorrections(in_, from_, UINT64_MAX, &report_->warnings);
}

// A warning once: the same words at many indices say nothing more.
void EntryChecks::Warn(std::string w) {
  if (w.find("lifecycle order is checked only") != std::string::npos) {
    if (lifecycle_warned_) return;
    lifecycle_warned_ = true;
    w = "lifecycle order is checked only in bundles that start at genesis";
  }
  report_->warnings.push_back(std::move(w));
}

// Entries checked as written, under the weaker rules of version 1: say so
// (roles.h), and up to where.
void EntryChecks::WarnOfVersion1() {
  const auto& v = report_->rule_versions;
  if (v.empty() || AppliesVersion2Rules(v.front().second)) return;
  const std::string until =
      v.size() > 1 ? absl::StrCat("entries before index ", v[1].first)
                   : std::string("every entry");
  report_->warnings.push_back(absl::StrCat(
      "the genesis names role table version ", v.front().second, ": ", until,
      " checked under its rules, without those of version 2 (an event may "
      "name an organisation other than its signer's, any organisation's "
      "approver counts, identifiers may hold control characters)"));
}

// Entries checked before version 3 was in force: vocabulary v2's checks were
// not made on them (a log of the previous release, or one not moved yet).
void EntryChecks::WarnOfVersion2() {
  const auto& v = report_->rule_versions;
  if (v.empty() || AppliesVersion3Rules(v.front().second)) return;
  std::string until = "every entry";
  for (const auto& [index, version] : v) {
    if (!AppliesVersion3Rules(version)) continue;
    until = absl::StrCat("entries before index ", index);
    break;
  }
  report_->warnings.push_back(absl::StrCat(
      until,
      " checked without the rules of role table version 3 (vocabulary v2: "
      "AIA answers against the shipped survey, model versions released on "
      "the log, evidence and report anchors resolved, authorities bound to "
      "roles)"));
}

void EntryChecks::Summarise() {
  WarnOfVersion1();
  WarnOfVersion2();
  for (const ApprovableEvent& p : replay_.book().Rejected())
    report_->rejected.push_back({p.index, p.event_type});
  for (const ApprovableEvent& p : replay_.book().Pending())
    report_->pending_approvals.push_back({p.index, p.event_type});
  report_->signers = SummariseSigners(roster(), entries_, o_);
}

}  // namespace ailedger
