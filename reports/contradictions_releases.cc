// Deployments and roll-backs of another party's system against that party's
// own releases, roll-backs and decommissioning (contradictions.h, "release
// deployed", "decommissioned system"). The provider is the one the system's
// registration names; a statement by the provider itself is no two-party
// statement and is not read here.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "reports/contradictions_internal.h"

namespace ailedger::reports::contradictions {
namespace {

// A version another party says it put into service (a deployment) or went
// back to (a roll-back), from `go_live` on.
struct Use {
  const Record* record = nullptr;
  std::string system, provider, version, environment;
  int64_t go_live = 0;
  bool deployment = false;

  std::string What() const {
    const std::string& by = record->event.organisation();
    return deployment
               ? absl::StrCat(by, " put version ", version, " of ", system,
                              " into service (", environment, ") on ",
                              Day(go_live))
               : absl::StrCat(by, " rolled ", system, " back to version ",
                              version, " on ", Day(go_live));
  }
};

// The provider's releases of the system, log order.
std::vector<const Record*> Releases(const Log& log, const Use& u) {
  std::vector<const Record*> out;
  for (const Record* p : log.governance()) {
    const Record& r = *p;
    if (r.event.has_model_version_released() &&
        r.event.organisation() == u.provider &&
        SubjectOf(r.event, "system") == u.system)
      out.push_back(&r);
  }
  return out;
}

Contradiction Row(const Use& u, const char* check, Verdict verdict,
                  std::string difference,
                  std::vector<const Record*> evidence = {}) {
  Contradiction c;
  c.verdict = verdict;
  c.check = check;
  c.system = u.system;
  c.party = u.provider;
  c.difference = std::move(difference);
  for (const Record* r : evidence) c.evidence.push_back(Cite(*r));
  return c;
}

// The provider rolled the version back, in the same environment, for this
// deployer or for all, between its release and the go-live, and did not
// release it again before the go-live.
const Record* RolledBackBefore(const Log& log, const Use& u,
                               const Record& release) {
  const Record* found = nullptr;
  for (const Record* p : log.governance()) {
    const Record& r = *p;
    const v1::Event& e = r.event;
    const int64_t t = e.occurred_at_ms();
    if (e.has_model_version_released() && found != nullptr &&
        e.organisation() == u.provider &&
        e.model_version_released().version() == u.version && log.IsCurrent(r) &&
        t > found->event.occurred_at_ms() && t <= u.go_live)
      found = nullptr;  // released again
    if (!e.has_rolled_back() || e.organisation() != u.provider ||
        !log.IsCurrent(r) || SubjectOf(e, "system") != u.system)
      continue;
    const auto& rb = e.rolled_back();
    if (rb.from_version() == u.version && rb.environment() == u.environment &&
        (rb.deployer().empty() ||
         rb.deployer() == u.record->event.organisation()) &&
        t >= release.event.occurred_at_ms() && t < u.go_live)
      found = &r;
  }
  return found;
}

void CheckVersion(const Log& log, const Use& u, Sink* sink) {
  const std::vector<const Record*> all = Releases(log, u);
  std::vector<const Record*> before, after, retracted, corrected;
  for (const Record* r : all) {
    if (r->event.model_version_released().version() != u.version) continue;
    if (log.RetractedBy(*r) != nullptr) {
      retracted.push_back(r);
    } else if (log.SupersededBy(*r) != nullptr) {
      corrected.push_back(r);
    } else {
      (r->event.occurred_at_ms() <= u.go_live ? before : after).push_back(r);
    }
  }
  const Record* rejected = nullptr;
  const Record* decision = nullptr;
  for (const Record* r : before) {
    const Record* d = log.Decision(*r, u.provider, u.go_live);
    if (d == nullptr || d->event.approval().decision() != v1::DECISION_REJECT) {
      if (u.deployment) {
        if (const Record* rb = RolledBackBefore(log, u, *r)) {
          sink->Add(
              *u.record,
              Row(u, kCheckRelease, Verdict::kContradicted,
                  absl::StrCat(u.What(), "; ", u.provider,
                               " had rolled that version back (", u.environment,
                               ") on ", Day(rb->event.occurred_at_ms()), ": ",
                               rb->event.rolled_back().reason()),
                  {r, rb}));
        }
      }
      return;  // released, not rejected by the go-live
    }
    rejected = r;
    decision = d;
  }
  if (rejected != nullptr) {
    sink->Add(*u.record,
              Row(u, kCheckRelease, Verdict::kContradicted,
                  absl::StrCat(u.What(), "; ", u.provider,
                               " had REJECTED its release of that version on ",
                               Day(decision->event.occurred_at_ms())),
                  {rejected, decision}));
    return;
  }
  if (!after.empty()) {
    const int64_t t = after.front()->event.occurred_at_ms();
    sink->Add(*u.record, Row(u, kCheckRelease, Verdict::kContradicted,
                             absl::StrCat(u.What(), "; ", u.provider,
                                          " released that version on ", Day(t),
                                          ", ", Apart(t, u.go_live), " later"),
                             {after.front()}));
    return;
  }
  if (!retracted.empty()) {
    const Record* by = log.RetractedBy(*retracted.front());
    sink->Add(*u.record,
              Row(u, kCheckRelease, Verdict::kContradicted,
                  absl::StrCat(u.What(), "; ", u.provider,
                               " retracted its release of that version: ",
                               by->event.retraction().reason()),
                  {retracted.front(), by}));
    return;
  }
  if (!corrected.empty()) {
    const Record* by = log.SupersededBy(*corrected.front());
    const std::string to =
        by->event.has_model_version_released()
            ? absl::StrCat(" to version ",
                           by->event.model_version_released().version())
            : "";
    sink->Add(*u.record,
              Row(u, kCheckRelease, Verdict::kContradicted,
                  absl::StrCat(u.What(), "; ", u.provider,
                               " corrected its release of that "
                               "version",
                               to, ": ", by->event.supersedes_reason()),
                  {corrected.front(), by}));
    return;
  }
  // No release of the version by the provider on this log.
  if (!u.record->event.external_refs().empty()) return;  // another log's
  if (!sink->options().complete_range) {
    sink->Add(*u.record,
              Row(u, kCheckRelease, Verdict::kNotChecked,
                  absl::StrCat("no release of version ", u.version, " by ",
                               u.provider,
                               " in the records, which do not start at index "
                               "0: it may lie before them")));
    return;
  }
  if (all.empty()) {
    sink->Add(*u.record,
              Row(u, kCheckRelease, Verdict::kNotChecked,
                  absl::StrCat(u.provider, " records no release of ", u.system,
                               " on this log (its releases may be on its own "
                               "log)")));
    return;
  }
  std::vector<std::string> versions;
  for (const Record* r : all)
    versions.push_back(r->event.model_version_released().version());
  sink->Add(*u.record,
            Row(u, kCheckRelease, Verdict::kContradicted,
                absl::StrCat(u.What(), "; ", u.provider,
                             "'s records hold no release of that version (it "
                             "released ",
                             absl::StrJoin(versions, ", "), ")"),
                {all.back()}));
}

void CheckDecommissioned(const Log& log, const Use& u, Sink* sink) {
  for (const Record* p : log.governance()) {
    const Record& r = *p;
    const v1::Event& e = r.event;
    if (!e.has_system_decommissioned() || e.organisation() != u.provider ||
        SubjectOf(e, "system") != u.system || !log.IsCurrent(r) ||
        e.occurred_at_ms() >= u.go_live)
      continue;
    sink->Add(*u.record,
              Row(u, kCheckDecommissioned, Verdict::kContradicted,
                  absl::StrCat(u.What(), "; ", u.provider, " decommissioned ",
                               u.system, " on ", Day(e.occurred_at_ms()), ", ",
                               Apart(e.occurred_at_ms(), u.go_live),
                               " before: ", e.system_decommissioned().reason()),
                  {&r}));
    return;
  }
}

}  // namespace

void CheckReleases(const Log& log, Sink* sink) {
  for (const Record* p : log.governance()) {
    const Record& r = *p;
    const v1::Event& e = r.event;
    if (!(e.has_deployment_recorded() || e.has_rolled_back()) ||
        !log.IsCurrent(r))
      continue;
    Use u;
    u.record = &r;
    u.system = SubjectOf(e, "system");
    u.provider = log.ProviderOf(u.system);
    if (u.system.empty() || u.provider.empty() ||
        u.provider == e.organisation())
      continue;  // not a statement about another party's system
    u.deployment = e.has_deployment_recorded();
    if (u.deployment) {
      const auto& d = e.deployment_recorded();
      u.version = d.version();
      u.environment = d.environment();
      u.go_live =
          d.effective_at_ms() != 0 ? d.effective_at_ms() : e.occurred_at_ms();
    } else {
      u.version = e.rolled_back().to_version();
      u.environment = e.rolled_back().environment();
      u.go_live = e.occurred_at_ms();
    }
    sink->Examined(kCheckRelease, r, u.provider);
    if (!log.Records(u.provider)) {
      sink->Add(r, Row(u, kCheckRelease, Verdict::kNotChecked,
                       absl::StrCat(u.provider,
                                    " records nothing on this log: its "
                                    "releases are not here to compare")));
      continue;
    }
    CheckVersion(log, u, sink);
    if (u.deployment) {
      sink->Examined(kCheckDecommissioned, r, u.provider);
      CheckDecommissioned(log, u, sink);
    }
  }
}

}  // namespace ailedger::reports::contradictions
