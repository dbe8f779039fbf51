// The annual report's audits, findings, corrective actions and time to
// closure (issue 13; ISO/IEC 42001 9.2, 10.2): the audit programme's planned
// audits and whether each was held in its window, every audit of the
// organisation open in the year with its findings by class and how long it
// stayed open, each finding, and each nonconformity's corrective action
// with the time from the finding (or the nonconformity) to its verified
// effectiveness, judged against its due date. "Closed" is an
// EffectivenessVerified that says effective; the year's end is the date
// open items are judged at.
#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "reports/annual_sections.h"
#include "reports/system_sections.h"

namespace ailedger::reports::annual {
namespace {

using factsheet::EnumText;

std::string IdOf(const Record& r) { return std::string(AsBytes(r.event_id)); }

std::string ClassText(v1::FindingClass c) {
  return EnumText(v1::FindingClass_Name(c), "FINDING_CLASS_");
}

struct Audit {
  const Record* started = nullptr;
  const Record* closed = nullptr;
  std::map<std::string, int> findings;  // class -> count
};

// The programme's planned audits as a table of `s`, or a paragraph saying
// there is none.
void Programme(const Scope& scope, Section* s, size_t* not_held) {
  Table t{{"planned audit", "type", "window", "held", "programme"}, {}};
  for (const PlannedAuditState& a : PlannedAudits(scope)) {
    t.rows.push_back(
        {a.audit_id, a.type, a.window, a.held, Cite(*a.programme)});
    *not_held += a.not_held;
  }
  if (t.rows.empty()) {
    s->paragraphs.push_back(
        "No audit programme (ISO/IEC 42001 9.2.2, AuditProgramme) of the "
        "organisation covers the year: no record.");
    return;
  }
  s->tables.push_back(std::move(t));
}

struct Closure {
  const Record* nc = nullptr;
  const Record* finding = nullptr;  // the nonconformity's source, if a finding
  const Record* action = nullptr;
  const Record* verified = nullptr;  // the latest current verification
};

}  // namespace

std::vector<PlannedAuditState> PlannedAudits(const Scope& scope) {
  std::map<std::string, const Record*> started;  // audit id -> first
  for (const Record* r : scope.about()) {
    if (r->event.has_audit_started() && scope.IsCurrent(*r))
      started.emplace(SubjectOf(r->event, "audit"), r);
  }
  std::vector<PlannedAuditState> out;
  const int64_t judged = std::min(scope.end_ms(), scope.as_of_ms());
  for (const Record* r : scope.about()) {
    const v1::Event& e = r->event;
    if (!e.has_audit_programme() || !scope.IsCurrent(*r) ||
        e.organisation() != scope.organisation())
      continue;
    const auto& p = e.audit_programme();
    if (p.period().end_ms() <= scope.start_ms() ||
        p.period().start_ms() >= scope.end_ms())
      continue;
    for (const std::string& text : p.planned_audits())
      out.push_back({r, text, "", "", "free text (v1): not checked", false});
    for (const v1::PlannedAudit& a : p.audits()) {
      const auto& w = a.window();
      if (w.end_ms() <= scope.start_ms() || w.start_ms() >= scope.end_ms())
        continue;
      PlannedAuditState x{
          r,
          a.audit_id(),
          EnumText(v1::AuditType_Name(a.type()), "AUDIT_TYPE_"),
          absl::StrCat(Day(w.start_ms()), " to ", Day(w.end_ms())),
          "",
          false};
      auto it = started.find(a.audit_id());
      if (it != started.end()) {
        const int64_t t0 = it->second->event.occurred_at_ms();
        x.held = absl::StrCat(t0 >= w.start_ms() && t0 < w.end_ms()
                                  ? "held in its window: started "
                                  : "held OUTSIDE its window: started ",
                              Day(t0));
        x.started = it->second;
      } else if (w.end_ms() <= judged) {
        x.held = "NOT HELD: no AuditStarted by the window's end";
        x.not_held = true;
      } else {
        x.held = "not yet: the window is open at the year's end";
      }
      out.push_back(std::move(x));
    }
  }
  return out;
}

Section Audits(const Scope& scope) {
  Section s{"Audits, findings, corrective actions and time to closure",
            {"Audits of the organisation (ISO/IEC 42001 9.2), their findings, "
             "and each nonconformity's corrective action (10.2) with the days "
             "from the finding, or the nonconformity when no finding raised "
             "it, to the verification that it was effective; open items are "
             "judged at the year's end."},
            {}};
  std::map<std::string, Audit> audits;
  std::vector<Closure> actions;              // log order
  std::map<std::string, size_t> action_pos;  // action event id -> position
  std::map<std::string, const Record*> ncs;  // nc event id -> nc
  Table findings{{"audit", "class", "reference", "statement", "record"}, {}};
  for (const Record* r : scope.about()) {
    const v1::Event& e = r->event;
    if (!scope.IsCurrent(*r)) continue;
    const std::string audit = SubjectOf(e, "audit");
    if (e.has_audit_started()) audits[audit].started = r;
    if (e.has_audit_closed() && !audits[audit].closed) audits[audit].closed = r;
    if (e.has_audit_finding()) {
      ++audits[audit].findings[ClassText(e.audit_finding().classification())];
      if (scope.InYear(e.occurred_at_ms()))
        findings.rows.push_back({audit,
                                 ClassText(e.audit_finding().classification()),
                                 e.audit_finding().reference(),
                                 e.audit_finding().statement(), Cite(*r)});
    }
    if (e.has_nonconformity_raised()) ncs[IdOf(*r)] = r;
    if (e.has_corrective_action_recorded()) {
      action_pos[IdOf(*r)] = actions.size();
      Closure& c = actions.emplace_back();
      c.action = r;
      auto nc =
          ncs.find(e.corrective_action_recorded().nonconformity_event_id());
      if (nc != ncs.end()) {
        c.nc = nc->second;
        const Record* src = scope.ById(
            nc->second->event.nonconformity_raised().source_event_id());
        if (src && src->event.has_audit_finding()) c.finding = src;
      }
    }
    if (e.has_effectiveness_verified()) {
      auto it = action_pos.find(e.effectiveness_verified().action_event_id());
      if (it != action_pos.end() && e.occurred_at_ms() < scope.end_ms())
        actions[it->second].verified = r;
    }
  }
  size_t not_held = 0;
  Programme(scope, &s, &not_held);
  Table list{{"audit", "type, auditee", "started", "findings", "closed",
              "days open", "record"},
             {}};
  for (const auto& [id, a] : audits) {
    if (!a.started || a.started->event.occurred_at_ms() >= scope.end_ms() ||
        (a.closed && a.closed->event.occurred_at_ms() < scope.start_ms()))
      continue;
    const auto& st = a.started->event.audit_started();
    std::vector<std::string> f;
    for (const auto& [cls, n] : a.findings)
      f.push_back(absl::StrCat(n, " ", cls));
    const int64_t t0 = a.started->event.occurred_at_ms();
    const bool closed =
        a.closed && a.closed->event.occurred_at_ms() < scope.end_ms();
    list.rows.push_back(
        {id,
         absl::StrCat(
             EnumText(v1::AuditType_Name(st.audit_type()), "AUDIT_TYPE_"), ", ",
             factsheet::OrNot(st.auditee())),
         Day(t0), f.empty() ? "none" : absl::StrJoin(f, ", "),
         closed ? Day(a.closed->event.occurred_at_ms())
                : "OPEN at the year's end",
         absl::StrCat(Days(t0, closed ? a.closed->event.occurred_at_ms()
                                      : scope.end_ms()),
                      closed ? "" : " so far"),
         closed ? absl::StrCat(Cite(*a.started), "; ", Cite(*a.closed))
                : Cite(*a.started)});
  }
  Table cas{{"nonconformity", "corrective action", "due", "verified",
             "days to closure", "against the due date", "records"},
            {}};
  std::vector<int64_t> closure_days;
  size_t late = 0, past_due = 0;
  for (const Closure& c : actions) {
    const auto& ca = c.action->event.corrective_action_recorded();
    const int64_t from = c.finding ? c.finding->event.occurred_at_ms()
                         : c.nc    ? c.nc->event.occurred_at_ms()
                                   : c.action->event.occurred_at_ms();
    const bool effective =
        c.verified && c.verified->event.effectiveness_verified().effective();
    const int64_t done = c.verified ? c.verified->event.occurred_at_ms() : 0;
    if (c.action->event.occurred_at_ms() >= scope.end_ms() ||
        (effective && done < scope.start_ms()))
      continue;
    std::string against, days = "";
    if (effective) {
      days = absl::StrCat(Days(from, done));
      if (scope.InYear(done)) closure_days.push_back(Days(from, done));
      if (done - ca.due_ms() >= kDayMs) {
        against = absl::StrCat("LATE by ", Days(ca.due_ms(), done), " days");
        late += scope.InYear(done);
      } else {
        against = "on time";
      }
    } else if (ca.due_ms() < scope.end_ms()) {
      against = absl::StrCat("PAST DUE at the year's end (",
                             Days(ca.due_ms(), scope.end_ms()), " days)");
      ++past_due;
    } else {
      against = "open, not yet due";
    }
    std::vector<std::string> cites;
    for (const Record* r : {c.finding, c.nc, c.action, c.verified})
      if (r) cites.push_back(Cite(*r));
    cas.rows.push_back(
        {c.nc ? c.nc->event.nonconformity_raised().description() : "not found",
         absl::StrCat(ca.action(), " (", ca.owner(), ")"), Day(ca.due_ms()),
         !c.verified ? "no record"
         : effective ? "effective, " + Day(done)
                     : "NOT effective, " + Day(done),
         days.empty() ? "open" : days, against, absl::StrJoin(cites, "; ")});
  }
  std::sort(closure_days.begin(), closure_days.end());
  const size_t n = closure_days.size();
  s.paragraphs.push_back(absl::StrCat(
      n, " corrective actions verified effective in the year",
      n == 0 ? ""
             : absl::StrCat(
                   ": median ",
                   n % 2 ? closure_days[n / 2]
                         : (closure_days[n / 2 - 1] + closure_days[n / 2]) / 2,
                   " days to closure, longest ", closure_days.back()),
      "; ", late, " closed after their due date; ", past_due,
      " past due and open at the year's end; ", not_held,
      " planned audits not held."));
  if (list.rows.empty())
    s.paragraphs.push_back(
        "No audit of the organisation was open in the year.");
  for (Table* t : {&list, &findings, &cas}) {
    if (t->rows.empty()) continue;
    s.tables.push_back(std::move(*t));
    Cap(&s, s.tables.size() - 1, "rows");
  }
  return s;
}

}  // namespace ailedger::reports::annual
