// The annual report's incidents section: the EU AI Act Art. 73 clocks of the
// incidents reported in the year (art73.h), a table of every clock, the
// records shown for the auditor's attention, and a timeline chart of
// awareness, notifications and deadlines.
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "reports/annual_sections.h"
#include "reports/art73.h"
#include "reports/art73_data.h"

namespace ailedger::reports::annual {
namespace {

using art73::Clock;
using art73::Obligation;

constexpr char kMethod[] =
    "Deadlines are counted as Regulation (EEC, Euratom) No 1182/71 Art. 3 "
    "counts a period in days: the day of awareness is not counted; the "
    "period ends with the last hour of its last day in the Member State's "
    "legal time; when that day is a Saturday, a Sunday or a public holiday "
    "of the Member State, it ends with the following working day (3(4)); a "
    "period of two days or more includes two working days (3(5)). Where no "
    "shipped calendar covers the period: calendar days, holidays not applied "
    "(Saturdays and Sundays still are, so the deadline shown can only be "
    "earlier than the true one). One initial report per Member State where "
    "the incident occurred (Art. 73(1)), judged on the first report sent to "
    "that state's authority (73(5)); the complete report has no deadline. "
    "'Immediately' is shown as a lag, judged only against a stated policy.";

std::string NotifiedText(const Clock& c) {
  if (c.notification == nullptr) return "none recorded";
  const auto kind = c.notification->event.regulator_notification().kind();
  std::string out = absl::StrCat(
      art73::UtcTime(c.notified_ms), " (",
      kind == v1::NOTIFICATION_KIND_UNSPECIFIED
          ? "kind not stated"
          : absl::AsciiStrToLower(v1::NotificationKind_Name(kind).substr(18)));
  if (c.obligation == Obligation::kInitialReport)
    absl::StrAppend(&out, ", day ", c.notified_day);
  return out + ")";
}

std::string DeadlineText(const Clock& c, const Art73Options& o) {
  switch (c.obligation) {
    case Obligation::kInitialReport: {
      std::string out = absl::StrCat(c.days, " days: end of ",
                                     art73::DayText(c.period.last_day), " (",
                                     art73::UtcTime(c.period.end_ms), ")");
      for (const std::string& m : c.period.moves)
        absl::StrAppend(&out, "; ", m);
      return out;
    }
    case Obligation::kImmediately:
      return o.immediately_policy_ms
                 ? absl::StrCat("policy: ",
                                art73::Duration(*o.immediately_policy_ms))
                 : "no stated policy";
    case Obligation::kCompleteReport:
    case Obligation::kNone:
      return "none";
  }
  return "";
}

std::string StartText(const Clock& c) {
  if (c.obligation == Obligation::kImmediately && c.start_ms == 0) return "";
  std::string out = art73::UtcTime(c.start_ms);
  if (!c.start_basis.empty() && c.start_basis != "aware_at")
    absl::StrAppend(&out, " (", c.start_basis, ")");
  return out;
}

DeadlineOutcome ChartOutcome(const Clock& c) {
  if (c.applicability != art73::Applicability::kApplies)
    return DeadlineOutcome::kNotApplicable;
  switch (c.outcome) {
    case art73::Outcome::kMet:
      return DeadlineOutcome::kMet;
    case art73::Outcome::kMissed:
      return DeadlineOutcome::kMissed;
    case art73::Outcome::kPending:
      return DeadlineOutcome::kOpen;
    case art73::Outcome::kNotJudged:
      break;
  }
  return DeadlineOutcome::kNone;
}

// One row per incident and Member State: awareness, the notifications, the
// initial report's deadline.
Chart Timeline(const std::vector<Clock>& clocks) {
  Chart chart;
  chart.kind = Chart::Kind::kTimeline;
  chart.title = "Incidents: awareness, reports and the Art. 73 deadline";
  chart.caption =
      "Each row is one incident in one Member State: when the provider "
      "became aware, when the authority was notified (initial and complete "
      "reports), and the deadline of the initial report (Regulation 1182/71, "
      "with the Member State's holidays where shipped). A deadline before the "
      "obligation applied is marked not applicable (measured only).";
  for (size_t i = 0; i < clocks.size(); ++i) {
    const Clock& c = clocks[i];
    if (c.obligation != Obligation::kInitialReport) continue;
    TimelineRow row;
    row.label = absl::StrCat(
        c.incident, " ",
        c.member_state.empty() ? "(no Member State)" : c.member_state);
    row.note = c.status;
    row.events.push_back({c.start_ms, "aware", Cite(*c.incident_record)});
    if (c.notification)
      row.events.push_back({c.notified_ms, "reported", Cite(*c.notification)});
    // The complete report is the clock two after the initial one.
    if (i + 2 < clocks.size() && clocks[i + 2].notification &&
        clocks[i + 2].obligation == Obligation::kCompleteReport &&
        clocks[i + 2].notification != c.notification)
      row.events.push_back({clocks[i + 2].notified_ms, "complete report",
                            Cite(*clocks[i + 2].notification)});
    row.outcome = ChartOutcome(c);
    row.deadline_ms = c.period.end_ms;
    row.deadline_label = absl::StrCat(c.article, " ", c.days, " days");
    chart.rows.push_back(std::move(row));
  }
  return chart;
}

}  // namespace

Art73Run RunArt73(const Records& records, const AnnualOptions& a) {
  Art73Run run{{}, absl::UnknownError("not run")};
  Art73Options& o = run.options;
  o.organisation = a.organisation;
  o.reported_from_ms = a.start_ms();
  o.reported_to_ms = a.end_ms();
  o.utc_day_boundaries = a.utc_day_boundaries;
  o.immediately_policy_ms = a.immediately_policy_ms;
  run.result = Art73Clocks(absl::MakeConstSpan(records), o);
  return run;
}

Art73Run RunArt73(const Scope& scope) {
  return RunArt73(scope.about(), scope.options());
}

Section Incidents(const Records& records, const AnnualOptions& annual,
                  Envelope* envelope) {
  return Incidents(RunArt73(records, annual), envelope);
}

Section Incidents(const Art73Run& run, Envelope* envelope) {
  Section s{"Incidents and the EU AI Act Art. 73 clock",
            {kMethod},
            {{{"incident", "Member State", "obligation", "from", "deadline",
               "notified", "status", "calendar", "regime", "records"},
              {}}}};
  const Art73Options& o = run.options;
  const auto& result = run.result;
  if (!result.ok()) {
    s.paragraphs.push_back(
        absl::StrCat("No clocks: ", result.status().message()));
    return s;
  }
  const auto& regime = art73::Shipped()->regime;
  s.paragraphs.push_back(absl::StrCat(
      "Regime table ", regime.file, " version ", regime.version, ": ",
      regime.status, " Pending, not applied: ", regime.pending, "."));
  for (const Clock& c : result->clocks) {
    s.tables[0].rows.push_back(
        {c.incident, c.member_state.empty() ? "not recorded" : c.member_state,
         absl::StrCat(c.article, c.article.empty() ? "" : " ", c.what),
         StartText(c), DeadlineText(c, o), NotifiedText(c), c.status,
         c.obligation == Obligation::kInitialReport ? c.calendar : "",
         // The regime is printed with each deadline (and a kNone row).
         c.obligation == Obligation::kInitialReport ||
                 c.obligation == Obligation::kNone
             ? c.regime
             : "",
         absl::StrJoin(c.citations, "; ")});
  }
  if (result->clocks.empty()) {
    s.tables.clear();
    s.paragraphs.push_back("No incident was reported in the year.");
  } else {
    Cap(&s, 0, "clocks");
  }
  Table attention{{"incident", "for the auditor's attention", "record"}, {}};
  for (const auto* list :
       {&result->notes, &result->related, &result->alterations}) {
    for (const art73::Attention& n : *list)
      attention.rows.push_back({n.incident, n.what, n.citation});
  }
  if (!attention.rows.empty()) {
    s.tables.push_back(std::move(attention));
    Cap(&s, s.tables.size() - 1, "records for the auditor's attention");
  }
  if (!result->clocks.empty()) s.charts.push_back(Timeline(result->clocks));
  if (envelope != nullptr) {
    for (const auto& d : result->reference_data)
      envelope->reference_data.push_back(d);
    for (const auto& p : result->parameters) envelope->parameters.push_back(p);
  }
  return s;
}

}  // namespace ailedger::reports::annual
