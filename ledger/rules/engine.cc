#include "ledger/rules/engine.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "ledger/governance/event_types.h"
#include "ledger/governance/roles.h"
#include "ledger/governance/time_rules.h"
#include "ledger/governance/validation.h"

namespace ailedger {
namespace {

constexpr char kRulePayload[] = "type.ailedger.dev/rule";
constexpr char kOutsideRangePayload[] = "type.ailedger.dev/outside-range";
constexpr char kDeferredPayload[] = "type.ailedger.dev/deferred";

absl::Status Mark(absl::Status s, absl::string_view payload) {
  if (!s.ok()) s.SetPayload(payload, absl::Cord("1"));
  return s;
}

// The erasure rule: an Erasure names a logged event's sealed attachment that
// is not erased yet. The attachment's material is destroyed once the Erasure
// is committed (server/sealed_store.h).
absl::StatusOr<std::pair<Hash, uint32_t>> CheckErasure(const v1::Event& e,
                                                       RuleState& state) {
  auto id = HashFromBytes(e.erasure().event_id(), "erasure.event_id");
  if (!id.ok()) return id.status();
  auto attachments = state.SealedAttachments(*id);
  if (!attachments.ok()) return attachments.status();
  const uint32_t n = e.erasure().attachment();
  if (n >= static_cast<uint32_t>(*attachments)) {
    return absl::FailedPreconditionError(
        "erasure.event_id: no logged event with that sealed attachment");
  }
  auto erased = state.Erased(*id, n);
  if (!erased.ok()) return erased.status();
  if (*erased) {
    return absl::FailedPreconditionError(
        "erasure: that attachment is already erased");
  }
  return std::make_pair(*id, n);
}

// Evidence cites earlier entries; a report anchors a state the log had
// (role table version 3).
absl::Status CheckLogState(const Candidate& c, RuleState& state) {
  const v1::Event& e = *c.event;
  for (const auto& [field, bytes] : EvidenceRefs(e)) {
    auto id = HashFromBytes(bytes, field);
    if (!id.ok()) return id.status();
    auto logged = state.Logged(*id, c.index);
    if (!logged.ok()) return logged.status();
    if (!*logged) {
      return absl::FailedPreconditionError(absl::StrCat(
          field, ": no event with id ", ToHex(*id), " is logged before it"));
    }
  }
  if (!e.has_report_published()) return absl::OkStatus();
  const v1::ReportPublished& r = e.report_published();
  if (r.tree_size() > c.index) {
    return absl::FailedPreconditionError(
        absl::StrCat("report_published.tree_size: ", r.tree_size(),
                     " is beyond the report's own index ", c.index,
                     " (a report anchors a state the log had before it)"));
  }
  auto root = HashFromBytes(r.root_hash(), "report_published.root_hash");
  if (!root.ok()) return root.status();
  return state.CheckRoot(r.tree_size(), *root, c.index);
}

CorrectionLookups LookupsOf(RuleState& state) {
  return {[&state](const Hash& id) { return state.Facts(id); },
          [&state](const Hash& id) { return state.Superseded(id); },
          [&state](const Hash& id) { return state.Retracted(id); }};
}

std::optional<Hash> IdIn(const std::string& bytes) {
  if (bytes.empty()) return std::nullopt;
  auto id = HashFromBytes(bytes, "id");
  if (!id.ok()) return std::nullopt;
  return *id;
}

// Runs one rule. A refusal is tagged with the rule; a lookup a replay could
// not answer is noted in `admitted` instead (the rule is then not checked).
template <typename Fn>
absl::Status Run(Rule rule, Admitted* admitted, Fn fn) {
  absl::Status s = fn();
  if (s.ok()) return s;
  if (IsOutsideRange(s)) {
    admitted->unchecked.push_back(
        absl::StrCat(RuleName(rule), ": ", s.message()));
    return absl::OkStatus();
  }
  if (IsDeferred(s)) {
    admitted->correction_deferred = true;
    return absl::OkStatus();
  }
  return WithRule(std::move(s), rule);
}

}  // namespace

absl::Status MarkOutsideRange(absl::Status s) {
  return Mark(std::move(s), kOutsideRangePayload);
}
bool IsOutsideRange(const absl::Status& s) {
  return s.GetPayload(kOutsideRangePayload).has_value();
}
absl::Status MarkDeferred(absl::Status s) {
  return Mark(std::move(s), kDeferredPayload);
}
bool IsDeferred(const absl::Status& s) {
  return s.GetPayload(kDeferredPayload).has_value();
}

const char* RuleName(Rule rule) {
  static constexpr const char* kNames[] = {
      "fields",    "time",     "role",    "correction", "lifecycle",
      "reference", "approval", "erasure", "duplicate"};
  return kNames[static_cast<int>(rule)];
}

absl::Status WithRule(absl::Status s, Rule rule) {
  return WithRule(std::move(s), RuleName(rule));
}

absl::Status WithRule(absl::Status s, absl::string_view rule) {
  if (!s.ok()) s.SetPayload(kRulePayload, absl::Cord(rule));
  return s;
}

std::string RuleOf(const absl::Status& s) {
  auto rule = s.GetPayload(kRulePayload);
  return rule ? std::string(*rule) : std::string();
}

absl::Status CheckAlone(const v1::Event& e, uint32_t version, int64_t now_ms,
                        int64_t skew_ms) {
  if (e.event_type().empty()) {
    return WithRule(absl::InvalidArgumentError("event.event_type: required"),
                    Rule::kFields);
  }
  if (auto s = ValidateFields(e, version); !s.ok())
    return WithRule(s, Rule::kFields);
  return WithRule(CheckOccurredAt(e, now_ms, skew_ms), Rule::kTime);
}

absl::StatusOr<Admitted> Admit(const Candidate& c, RuleState& state) {
  const v1::Event& e = *c.event;
  Roster& roster = state.roster();
  if (c.fields_checked_at != roster.role_table_version()) {
    if (auto s = ValidateFields(e, roster.role_table_version()); !s.ok())
      return WithRule(s, Rule::kFields);
  }
  if (auto s = roster.Check(c.signer, e); !s.ok())
    return WithRule(s, Rule::kRole);
  Admitted a;
  const v1::RosterMember* member = roster.FindActive(c.signer);
  a.signer_organisation = member ? member->grant().organisation() : "";
  a.signer_is_admin = roster.HasRole(c.signer, v1::ROLE_ADMIN);
  absl::Status s = Run(Rule::kCorrection, &a, [&] {
    return CheckCorrections(e, a.signer_is_admin, a.signer_organisation,
                            LookupsOf(state));
  });
  if (s.ok()) {
    s = Run(Rule::kLifecycle, &a, [&]() -> absl::Status {
      auto changes = CheckLifecycle(
          e,
          {[&state](const std::string& k) { return state.PhaseOf(k); },
           [&roster](const std::string& org) {
             return roster.HasOrganisation(org);
           }},
          roster.role_table_version());
      if (changes.ok()) a.phases = *std::move(changes);
      return changes.status();
    });
  }
  if (s.ok()) {
    s = Run(Rule::kReference, &a, [&] {
      const RefContext context{a.signer_organisation,
                               std::string(AsBytes(c.signer)),
                               roster.role_table_version()};
      auto refs = CheckReferences(
          e, context, [&state](const Hash& id) { return state.Target(id); });
      if (!refs.ok() || !AppliesVersion3Rules(context.version)) return refs;
      return CheckLogState(c, state);
    });
  }
  if (s.ok() && e.event_type() == kApproval) {
    s = Run(Rule::kApproval, &a, [&] {
      return CheckApproval(e, c.signer, *member, [&state](const Hash& id) {
        return state.Approvable(id);
      });
    });
  }
  if (s.ok() && e.event_type() == kErasure) {
    s = Run(Rule::kErasure, &a, [&]() -> absl::Status {
      auto erasure = CheckErasure(e, state);
      if (erasure.ok()) a.erasure = *erasure;
      return erasure.status();
    });
  }
  // A later rule refused after the correction rule was deferred: the
  // replay must still run the correction, which comes first.
  if (!s.ok()) return a.correction_deferred ? MarkDeferred(s) : s;
  if (auto applied = roster.Apply(c.signer, e); !applied.ok())
    return WithRule(applied, Rule::kRole);
  a.superseded = IdIn(e.supersedes());
  if (e.has_retraction()) a.retracted = IdIn(e.retraction().retracts());
  if (TakesApprovals(e)) {
    a.approvable =
        ApprovableOf(c.index, c.signer, e, roster.role_table_version());
  }
  a.changes_roster = ChangesRoster(e.event_type());
  state.Record(c, a);
  return a;
}

}  // namespace ailedger
