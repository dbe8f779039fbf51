#include "reports/art73.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "reports/art73_data.h"
#include "reports/art73_internal.h"

namespace ailedger::reports {
namespace art73 {
namespace {

constexpr int64_t kDayMs = 86'400'000;

// The incident as its records leave it: the report, then its updates in log
// order (DOMAIN.md §10.4; VOCABULARY.md IncidentUpdated).
struct State {
  std::string category;
  bool death = false, widespread = false, not_serious = false;
  std::string not_serious_reason;
  int64_t start_ms = 0;
  std::string start_basis = "aware_at";
  int64_t causal_ms = 0;
  const Record* causal_record = nullptr;
  const Record* closed = nullptr;
  std::vector<const Record*> updates;
};

State StateOf(const Record& report, const Index& ix) {
  const auto& inc = report.event.incident_reported();
  State s{inc.art3_49_category(),        inc.death(),
          inc.widespread_infringement(), inc.not_serious(),
          inc.not_serious_reason(),      inc.aware_at_ms()};
  if (inc.causal_link_at_ms() != 0) {
    s.causal_ms = inc.causal_link_at_ms();
    s.causal_record = &report;
  }
  const bool serious_at_report = !s.not_serious && !s.category.empty();
  for (const Record* r : ix.AboutIncident(report)) {
    if (r->event.has_incident_closed() && s.closed == nullptr) s.closed = r;
    if (!r->event.has_incident_updated()) continue;
    const auto& u = r->event.incident_updated();
    s.updates.push_back(r);
    if (!u.art3_49_category().empty()) s.category = u.art3_49_category();
    if (u.has_death()) s.death = u.death();
    if (u.has_widespread_infringement())
      s.widespread = u.widespread_infringement();
    if (u.has_not_serious()) {
      s.not_serious = u.not_serious();
      s.not_serious_reason = u.reclassification_reason();
    }
    if (u.causal_link_at_ms() != 0 &&
        (s.causal_ms == 0 || u.causal_link_at_ms() < s.causal_ms)) {
      s.causal_ms = u.causal_link_at_ms();
      s.causal_record = r;
    }
    // Found serious later: the clock runs from then (VOCABULARY.md V6).
    if (!serious_at_report && u.seriousness_established_at_ms() != 0) {
      s.start_ms = u.seriousness_established_at_ms();
      s.start_basis =
          absl::StrCat("seriousness established (idx ", r->index, ")");
    }
  }
  return s;
}

// Art. 73(2)-(4): the shortest period that applies.
void Period(const State& s, Clock* c) {
  if (s.widespread || s.category == "b") {
    c->days = 2;
    c->article = "Art. 73(3)";
    c->what = s.widespread ? "initial report within 2 days (widespread "
                             "infringement)"
                           : "initial report within 2 days (Art. 3(49)(b): "
                             "critical infrastructure)";
  } else if (s.death) {
    c->days = 10;
    c->article = "Art. 73(4)";
    c->what = "initial report within 10 days (death of a person)";
  } else {
    c->days = 15;
    c->article = "Art. 73(2)";
    c->what = "initial report within 15 days";
  }
}

std::string Status(Outcome o, const Clock& c, int64_t as_of) {
  std::string base;
  switch (o) {
    case Outcome::kMet:
      base = "met";
      break;
    case Outcome::kMissed:
      base = "MISSED";
      break;
    case Outcome::kPending:
      base = absl::StrCat("pending as of ", UtcTime(as_of));
      break;
    case Outcome::kNotJudged:
      return "";
  }
  switch (c.applicability) {
    case Applicability::kApplies:
      return base;
    case Applicability::kNotYet:
      return absl::StrCat("not yet applicable (measured: ", base, ")");
    case Applicability::kNotHighRisk:
      return absl::StrCat(
          "not applicable: not a high-risk system (measured: ", base, ")");
    case Applicability::kUndetermined:
      return absl::StrCat("applicability undetermined (measured: ", base, ")");
  }
  return base;
}

void InitialReport(const State& s, const Notifications& sent,
                   const DayCounter& days, int64_t as_of, Clock* c) {
  c->obligation = Obligation::kInitialReport;
  Period(s, c);
  c->start_ms = s.start_ms;
  c->start_basis = s.start_basis;
  const DayCount count = days.For(c->member_state);
  c->period = EndOfPeriodInDays(s.start_ms, c->days, count);
  c->holidays_applied = c->period.holidays_applied;
  c->calendar = days.Describe(c->member_state, c->period);
  if (const Record* n = sent.First(c->member_state)) {
    c->notification = n;
    c->notified_ms = n->event.regulator_notification().sent_at_ms();
    c->notified_day =
        DayOf(c->notified_ms, count.legal_time) - c->period.event_day;
    c->outcome =
        c->notified_ms < c->period.end_ms ? Outcome::kMet : Outcome::kMissed;
    c->citations.push_back(Cite(*n));
  } else {
    c->outcome =
        as_of < c->period.end_ms ? Outcome::kPending : Outcome::kMissed;
    c->notes.push_back("no notification recorded");
  }
  c->status = Status(c->outcome, *c, as_of);
}

void Immediately(const State& s, const Notifications& sent,
                 const Art73Options& o, int64_t as_of, Clock* c) {
  c->obligation = Obligation::kImmediately;
  c->article = c->days == 10  ? "Art. 73(4)"
               : c->days == 2 ? "Art. 73(3)"
                              : "Art. 73(2)";
  c->what = "immediately after the causal link";
  if (s.causal_ms == 0) {
    c->status = "no causal link recorded";
    return;
  }
  c->start_ms = s.causal_ms;
  c->start_basis =
      absl::StrCat("causal link (idx ", s.causal_record->index, ")");
  c->citations.push_back(Cite(*s.causal_record));
  const Record* n = sent.First(c->member_state);
  if (n != nullptr) {
    c->notification = n;
    c->notified_ms = n->event.regulator_notification().sent_at_ms();
    c->citations.push_back(Cite(*n));
  }
  const int64_t until = n ? c->notified_ms : as_of;
  const std::string lag = absl::StrCat(n ? "lag " : "no notification; ",
                                       Duration(until - s.causal_ms),
                                       n ? "" : " since the causal link");
  if (!o.immediately_policy_ms) {
    c->status = absl::StrCat(lag, " (no stated policy: not judged)");
    return;
  }
  const int64_t limit = s.causal_ms + *o.immediately_policy_ms;
  c->outcome = n ? (c->notified_ms <= limit ? Outcome::kMet : Outcome::kMissed)
                 : (as_of <= limit ? Outcome::kPending : Outcome::kMissed);
  c->status = absl::StrCat(
      lag, "; ", Status(c->outcome, *c, as_of), " against the policy of ",
      Duration(*o.immediately_policy_ms), " (policy, not law)");
}

void CompleteReport(const State& s, const Notifications& sent, Clock* c) {
  c->obligation = Obligation::kCompleteReport;
  c->article = "Art. 73(5)";
  c->what = "complete report (no deadline)";
  c->start_ms = s.start_ms;
  if (const Record* n = sent.Complete(c->member_state)) {
    c->notification = n;
    c->notified_ms = n->event.regulator_notification().sent_at_ms();
    c->status = "recorded";
    c->citations.push_back(Cite(*n));
    return;
  }
  c->status = "none recorded";
  if (s.closed != nullptr) {
    c->status += absl::StrCat("; the incident was closed without one (idx ",
                              s.closed->index, ")");
    c->citations.push_back(Cite(*s.closed));
  }
}

}  // namespace
}  // namespace art73

absl::StatusOr<art73::Result> Art73Clocks(
    absl::Span<const Record* const> records, const Art73Options& o) {
  using namespace art73;  // NOLINT: the clocks' own vocabulary
  const auto& data = Shipped();
  if (!data.ok()) {
    return absl::InternalError(absl::StrCat(
        "the shipped EU AI Act reference data: ", data.status().message()));
  }
  Result out;
  out.as_of_ms = o.as_of_ms;
  if (out.as_of_ms == 0) {
    for (const Record* r : records)
      out.as_of_ms = std::max<int64_t>(out.as_of_ms, r->integrated_time_ms);
  }
  const Index ix(records);
  DayCounter days(*data, o.utc_day_boundaries);
  for (const Record* r : records) {
    const v1::Event& e = r->event;
    if (!e.has_incident_reported() || ix.Withdrawn(*r)) continue;
    if (!o.organisation.empty() && e.organisation() != o.organisation) continue;
    if (e.occurred_at_ms() < o.reported_from_ms ||
        e.occurred_at_ms() >= o.reported_to_ms)
      continue;
    const std::string system = SubjectOf(e, "system");
    if (!o.system.empty() && system != o.system) continue;
    const std::string id = IncidentId(*r);
    const State s = StateOf(*r, ix);
    Clock base;
    base.incident = id;
    base.incident_record = r;
    base.citations.push_back(Cite(*r));
    if (s.not_serious || s.category.empty()) {
      base.obligation = Obligation::kNone;
      base.what = "no report: not a serious incident";
      base.start_ms = s.start_ms;
      base.status = s.not_serious_reason.empty()
                        ? "not serious (no Art. 3(49) category)"
                        : "not serious: " + s.not_serious_reason;
      out.clocks.push_back(std::move(base));
      continue;
    }
    for (const Record* u : s.updates) base.citations.push_back(Cite(*u));
    const Notifications sent(ix, *r);
    const Applicable regime = ApplicabilityOf(ix, *r, data->regime);
    for (const std::string& ms : MemberStates(*r, sent)) {
      Clock c = base;
      c.member_state = ms;
      c.applicability = regime.Of(DayOf(s.start_ms, days.For(ms).legal_time));
      c.regime = regime.text;
      if (regime.record) c.citations.push_back(Cite(*regime.record));
      Clock initial = c, now = c, complete = c;
      InitialReport(s, sent, days, out.as_of_ms, &initial);
      now.days = initial.days;
      Immediately(s, sent, o, out.as_of_ms, &now);
      CompleteReport(s, sent, &complete);
      out.clocks.push_back(std::move(initial));
      out.clocks.push_back(std::move(now));
      out.clocks.push_back(std::move(complete));
    }
    const int64_t informed = sent.FirstSentMs(out.as_of_ms);
    Related(ix, *r, s.start_ms, o.related_lookback_ms, &out.related);
    Alterations(ix, *r, s.start_ms, informed, &out.alterations);
    Checks(*r, sent, &out.notes);
  }
  out.reference_data = days.ReferenceData(data->regime);
  out.parameters = {
      {"Art. 73 day boundaries",
       o.utc_day_boundaries
           ? "UTC midnight for every Member State (legal time not applied)"
           : absl::StrCat("each Member State's legal time (",
                          data->legal_time.file, " ", data->legal_time.version,
                          "; summer time per Directive 2000/84/EC); UTC for "
                          "a state not in it")},
      {"Art. 73 day counting",
       "Regulation (EEC, Euratom) No 1182/71 Art. 3 with the Member State's "
       "public holidays; 'calendar days, holidays not applied' where no "
       "calendar covers the period"},
      {"Art. 73 'immediately'",
       o.immediately_policy_ms
           ? absl::StrCat("within ", Duration(*o.immediately_policy_ms),
                          " of the causal link (policy, not law)")
           : "no stated policy: lags shown, not judged"},
      {"Art. 73 as of",
       absl::StrCat(
           UtcTime(out.as_of_ms),
           o.as_of_ms == 0 ? " (the latest record's integration)" : "")},
      {"Art. 73 related records",
       absl::StrCat("the same system, up to ", o.related_lookback_ms / kDayMs,
                    " days before awareness")}};
  return out;
}

absl::StatusOr<art73::Result> Art73Clocks(const std::vector<Record>& records,
                                          const Art73Options& options) {
  std::vector<const Record*> ptrs;
  ptrs.reserve(records.size());
  for (const Record& r : records) ptrs.push_back(&r);
  return Art73Clocks(ptrs, options);
}

}  // namespace ailedger::reports
