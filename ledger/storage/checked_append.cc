#include "ledger/storage/checked_append.h"

#include "absl/strings/str_cat.h"
#include "ledger/governance/canonical.h"
#include "ledger/governance/time_rules.h"
#include "ledger/rules/engine.h"
#include "ledger/storage/store_rule_state.h"
#include "ledger/tlog/contexts.h"

namespace ailedger {
namespace {

// `s` with the position of the event it refuses, its code and rule kept.
absl::Status At(size_t position, const absl::Status& s) {
  absl::Status out(s.code(),
                   absl::StrCat("event ", position, ": ", s.message()));
  const std::string rule = RuleOf(s);
  return rule.empty() ? out : WithRule(out, rule);
}

}  // namespace

absl::StatusOr<CheckedAppend> AppendThroughRules(
    const LogStore* store, LogWriter* writer, Roster roster,
    absl::Span<const SignedEvent> events, int64_t now_ms,
    std::vector<std::pair<std::string, std::string>> meta_rows) {
  const std::string& origin = writer->origin();
  StoreRuleState state(store, std::move(roster));
  std::vector<Hash> ids;
  for (const SignedEvent& e : events)
    ids.push_back(EventId(origin, e.event_bytes));
  state.Prefetch(ids);
  std::vector<v1::Event> parsed(events.size());
  for (size_t i = 0; i < events.size(); ++i) {
    const SignedEvent& e = events[i];
    auto p = ParseCanonicalEvent(e.event_bytes);
    if (!p.ok()) return At(i, p.status());
    parsed[i] = *std::move(p);
    if (!VerifyEventSignature(origin, e.event_bytes, e.signer,
                              AsBytes(e.signature))) {
      return At(i, absl::UnauthenticatedError(
                       "signature: does not verify for this signer, event "
                       "and log origin"));
    }
    const uint32_t version = state.roster().role_table_version();
    if (auto s = CheckAlone(parsed[i], version, now_ms, kMaxClockSkewMs);
        !s.ok())
      return At(i, s);
    const Hash& id = ids[i];
    auto copy = state.EarlierCopy(id);
    if (!copy.ok()) return copy.status();
    if (copy->has_value()) {
      return At(
          i, WithRule(absl::AlreadyExistsError(absl::StrCat(
                          "event: already logged at index ", (*copy)->first)),
                      Rule::kDuplicate));
    }
    auto admitted = Admit(
        {writer->state().size + i, e.signer, &parsed[i], id, version}, state);
    if (!admitted.ok()) return At(i, admitted.status());
  }
  BatchExtras extras = state.TakeExtras();
  extras.meta_rows.insert(extras.meta_rows.end(), meta_rows.begin(),
                          meta_rows.end());
  auto result = writer->Append(events, now_ms, std::move(extras));
  if (!result.ok()) return result.status();
  return CheckedAppend{*std::move(result), state.roster()};
}

}  // namespace ailedger
