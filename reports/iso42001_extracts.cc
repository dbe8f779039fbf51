// Two extracts of the ISO/IEC 42001 evidence pack (iso42001_sections.h):
// A.6.2.8 recording of event logs (the systems' own logs anchored by
// segment, against the periods the systems were in production and the
// EU AI Act Art. 19 / 26(6) six-month floor), and A.8.4 communication of
// incidents (each incident's communications against the plan's commitments).
#include <algorithm>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "reports/iso42001_sections.h"

namespace ailedger::reports::iso42001 {
namespace {

constexpr int64_t kHourMs = 3'600'000;

std::string Minute(int64_t ms) {
  return absl::FormatTime("%Y-%m-%d %H:%M", absl::FromUnixMillis(ms),
                          absl::UTCTimeZone());
}

// Six calendar months after `ms`, UTC (a day past the month's end rolls
// over, as civil time normalises it).
int64_t SixMonthsAfter(int64_t ms) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  const absl::CivilSecond c =
      absl::ToCivilSecond(absl::FromUnixMillis(ms), utc);
  const absl::CivilSecond later(c.year(), c.month() + 6, c.day(), c.hour(),
                                c.minute(), c.second());
  return absl::ToUnixMillis(absl::FromCivil(later, utc));
}

std::string Span(int64_t from, int64_t to) {
  return absl::StrCat(Day(from), " to ", Day(to), " (", (to - from) / kDayMs,
                      " d)");
}

std::string SegmentRetention(const v1::LogSegmentAnchored& s) {
  const int64_t floor = SixMonthsAfter(s.period().end_ms());
  return absl::StrCat("until ", Day(s.retain_until_ms()),
                      s.retain_until_ms() >= floor
                          ? ": at least six months after the period"
                          : ": LESS than six months after the period ends "
                            "(Art. 19, 26(6): at least six months)");
}

// The parts of [from, to) no segment covers.
std::vector<std::pair<int64_t, int64_t>> Gaps(
    int64_t from, int64_t to,
    std::vector<std::pair<int64_t, int64_t>> covered) {
  std::sort(covered.begin(), covered.end());
  std::vector<std::pair<int64_t, int64_t>> out;
  int64_t at = from;
  for (const auto& [start, end] : covered) {
    if (end <= at) continue;
    if (start >= to) break;
    if (start > at) out.push_back({at, start});
    at = std::max(at, end);
  }
  if (at < to) out.push_back({at, to});
  return out;
}

struct SystemLogs {
  const Record* first_production = nullptr;
  int64_t production_from = 0;
  const Record* decommissioned = nullptr;
  std::vector<const Record*> segments;
};

std::string AudienceName(v1::Audience a) {
  const std::string n = v1::Audience_Name(a);
  std::string s = absl::AsciiStrToLower(n.substr(sizeof("AUDIENCE_") - 1));
  std::replace(s.begin(), s.end(), '_', ' ');
  return s;
}

}  // namespace

Section LogExtract(const Index& index) {
  std::map<std::string, SystemLogs> systems;
  for (const Record* r : index.Current("DeploymentRecorded")) {
    const auto& d = r->event.deployment_recorded();
    if (d.environment() != "production") continue;
    SystemLogs& s = systems[SubjectOf(r->event, "system")];
    const int64_t at = d.effective_at_ms() > 0 ? d.effective_at_ms()
                                               : r->event.occurred_at_ms();
    if (s.first_production == nullptr || at < s.production_from) {
      s.first_production = r;
      s.production_from = at;
    }
  }
  for (const Record* r : index.Current("SystemDecommissioned"))
    systems[SubjectOf(r->event, "system")].decommissioned = r;
  Table segments{{"system", "period", "records, overrides", "digest method",
                  "whose logs", "retention", "record"},
                 {}};
  for (const Record* r : index.Current("LogSegmentAnchored")) {
    const auto& s = r->event.log_segment_anchored();
    systems[SubjectOf(r->event, "system")].segments.push_back(r);
    segments.rows.push_back(
        {SubjectOf(r->event, "system"),
         Span(s.period().start_ms(), s.period().end_ms()),
         absl::StrCat(s.record_count(), ", ", s.overrides()),
         s.digest_method() == v1::SEGMENT_DIGEST_UNSPECIFIED
             ? "UNSTATED: cannot be recomputed"
             : v1::SegmentDigest_Name(s.digest_method()),
         s.log_owner().empty()
             ? "unstated"
             : absl::StrCat(s.log_owner(), " (", v1::Party_Name(s.log_party()),
                            ")"),
         SegmentRetention(s), Cite(*r)});
  }
  Table coverage{{"system", "in production", "uncovered by segments",
                  "production records"},
                 {}};
  for (const auto& [id, s] : systems) {
    if (s.first_production == nullptr) {
      coverage.rows.push_back(
          {id, "no production deployment recorded", "", ""});
      continue;
    }
    const int64_t to = s.decommissioned
                           ? s.decommissioned->event.occurred_at_ms()
                           : index.as_of();
    std::vector<std::pair<int64_t, int64_t>> covered;
    for (const Record* r : s.segments) {
      const auto& p = r->event.log_segment_anchored().period();
      covered.push_back({p.start_ms(), p.end_ms()});
    }
    std::string gaps;
    for (const auto& [a, b] : Gaps(s.production_from, to, covered))
      absl::StrAppend(&gaps, gaps.empty() ? "" : "; ", Span(a, b));
    coverage.rows.push_back(
        {id,
         absl::StrCat(Day(s.production_from), " to ",
                      s.decommissioned ? Day(to) + " (decommissioned)"
                                       : Day(to) + " (the pack's date)"),
         gaps.empty() ? "none: covered" : "UNCOVERED " + gaps,
         absl::StrCat(Cite(*s.first_production),
                      s.decommissioned ? "; " + Cite(*s.decommissioned) : "")});
  }
  const VerifyReport& v = index.verified();
  return {"A.6.2.8 recording of event logs (EU AI Act Art. 12, 19, 26(6))",
          {absl::StrCat(
               "The ledger itself is the log of governance events: entries [",
               v.from, ", ", v.to, ") verified against a checkpoint of size ",
               v.checkpoint_size,
               ". The systems' own operational logs stay outside it; each "
               "segment is anchored by a LogSegmentAnchored record. ISO/IEC "
               "42001 prescribes no retention or field list; Art. 19 and "
               "26(6) ask for at least six months (calendar months after the "
               "segment ends)."),
           "Coverage: from the first production deployment to "
           "decommissioning (or the pack's date), the days no anchored "
           "segment covers."},
          {std::move(segments), std::move(coverage)}};
}

Section IncidentCommunications(const Index& index) {
  const std::vector<const Record*>& plans =
      index.Current("IncidentCommunicationPlan");
  const Record* plan = plans.empty() ? nullptr : plans.back();
  Section out{"A.8.4 communication of incidents", {}, {}};
  out.paragraphs.push_back(
      plan ? absl::StrCat("Plan in force by the date: version ",
                          plan->event.incident_communication_plan().version(),
                          " (", Cite(*plan), ").")
           : "No incident communication plan recorded by the date (A.8.4): "
             "communications are listed, not judged.");
  Table t{{"incident", "audience", "commitment", "sent", "judged", "record"},
          {}};
  // Communications by the incident's event id, whoever sent them.
  std::map<std::string, std::vector<const Record*>> sent;
  for (const Record* r : index.all()) {
    if (!index.IsCurrent(*r)) continue;
    if (r->event.has_regulator_notification())
      sent[r->event.regulator_notification().incident_event_id()].push_back(r);
    if (r->event.has_incident_communicated())
      sent[r->event.incident_communicated().incident_event_id()].push_back(r);
  }
  for (const Record* inc : index.Current("IncidentReported")) {
    const std::string id = IdOf(*inc);
    const int64_t aware = inc->event.incident_reported().aware_at_ms();
    std::string name = SubjectOf(inc->event, "incident");
    if (name.empty()) name = absl::StrCat("idx ", inc->index);
    t.rows.push_back({name, "aware", "", Minute(aware), "", Cite(*inc)});
    std::map<v1::Audience, bool> told;
    for (const Record* r : sent[id]) {
      const v1::Event& e = r->event;
      if (e.has_regulator_notification()) {
        const auto& n = e.regulator_notification();
        t.rows.push_back(
            {name,
             absl::StrCat("authority ", n.authority(), " ", n.member_state(),
                          " (", v1::NotificationKind_Name(n.kind()), ")"),
             "Art. 73 (the annual report judges its deadline)",
             absl::StrCat(Minute(n.sent_at_ms()), ", +",
                          (n.sent_at_ms() - aware) / kHourMs, " h"),
             "", Cite(*r)});
      }
      if (!e.has_incident_communicated()) continue;
      const auto& c = e.incident_communicated();
      told[c.audience()] = true;
      std::string commitment = "no commitment in a plan", judged;
      if (plan) {
        for (const auto& k :
             plan->event.incident_communication_plan().commitments()) {
          if (k.audience() != c.audience()) continue;
          const int64_t due = aware + int64_t{k.within_hours()} * kHourMs;
          commitment = absl::StrCat("within ", k.within_hours(), " h");
          judged = c.sent_at_ms() <= due
                       ? "met"
                       : absl::StrCat("MISSED by ",
                                      (c.sent_at_ms() - due) / kHourMs, " h");
          break;
        }
      }
      t.rows.push_back(
          {name,
           absl::StrCat(AudienceName(c.audience()),
                        c.recipient().empty() ? "" : " " + c.recipient()),
           commitment,
           absl::StrCat(Minute(c.sent_at_ms()), ", +",
                        (c.sent_at_ms() - aware) / kHourMs, " h"),
           judged, Cite(*r)});
    }
    if (plan == nullptr) continue;
    for (const auto& k :
         plan->event.incident_communication_plan().commitments()) {
      if (told[k.audience()]) continue;
      told[k.audience()] = true;
      const int64_t due = aware + int64_t{k.within_hours()} * kHourMs;
      t.rows.push_back({name, AudienceName(k.audience()),
                        absl::StrCat("within ", k.within_hours(), " h"), "",
                        due < index.as_of() ? "NOT SENT: due " + Minute(due)
                                            : "not yet due: " + Minute(due),
                        ""});
    }
  }
  if (t.rows.empty())
    out.paragraphs.push_back("No incident recorded by the date.");
  out.tables.push_back(std::move(t));
  return out;
}

}  // namespace ailedger::reports::iso42001
