#include "reports/iso42001_review.h"

#include <algorithm>
#include <functional>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "reports/iso42001_evidence.h"

namespace ailedger::reports {
namespace {

using iso42001::Day;
using iso42001::IdOf;
using iso42001::Index;

struct Inputs {
  const Index& index;
  int64_t start, end;  // the period
  size_t max;          // records listed per trend and period; 0: all
  Table table{{"input (9.3.2)", "what", "record"}, {}};

  bool In(const Record& r) const {
    return r.event.occurred_at_ms() >= start && r.event.occurred_at_ms() < end;
  }
  bool Before(const Record& r, int64_t t) const {
    return r.event.occurred_at_ms() < t;
  }
  void Row(const char* input, std::string what, const Record* r = nullptr) {
    table.rows.push_back({input, std::move(what), r ? Cite(*r) : ""});
  }
  // The organisation's current records of `type` that occurred in [from, to).
  std::vector<const Record*> Between(const std::string& type, int64_t from,
                                     int64_t to) const {
    std::vector<const Record*> out;
    for (const Record* r : index.About(type)) {
      if (r->event.occurred_at_ms() >= from && r->event.occurred_at_ms() < to)
        out.push_back(r);
    }
    return out;
  }
};

// The first record of `type` whose `link` field names `id` (e.g. the
// EffectivenessVerified of a corrective action), occurred before `to`.
const Record* Closing(const Inputs& in, const std::string& type,
                      const std::string& id,
                      std::string (*link)(const v1::Event&)) {
  for (const Record* r : in.index.Current(type)) {
    if (link(r->event) == id && in.Before(*r, in.end)) return r;
  }
  return nullptr;
}

void Actions(Inputs& in) {
  const Record* previous = nullptr;
  for (const Record* r : in.index.Current("ManagementReviewHeld")) {
    if (in.Before(*r, in.start)) previous = r;
  }
  if (previous == nullptr) {
    in.Row("a", "previous management review: no record before the period");
  } else {
    const auto& outputs = previous->event.management_review_held().outputs();
    in.Row("a",
           absl::StrCat("previous management review; its outputs: ",
                        outputs.empty() ? "none recorded"
                                        : absl::StrJoin(outputs, "; ")),
           previous);
  }
  size_t listed = 0;
  auto state = [&](const Record* a, const std::string& what,
                   const Record* closed, std::string closed_text, int64_t due) {
    if (!in.Before(*a, in.end)) return;
    if (closed && in.Before(*closed, in.start)) return;  // closed before
    ++listed;
    std::string s = closed ? closed_text
                    : due > 0 && due < in.end
                        ? "OVERDUE since " + Day(due)
                        : (due > 0 ? "open, due " + Day(due) : "open");
    in.Row("a", absl::StrCat(what, ": ", s), a);
    if (closed) in.Row("a", "  closed by", closed);
  };
  for (const Record* a : in.index.Current("CorrectiveActionRecorded")) {
    const Record* v =
        Closing(in, "EffectivenessVerified", IdOf(*a), [](const v1::Event& e) {
          return e.effectiveness_verified().action_event_id();
        });
    state(a,
          "corrective action '" +
              a->event.corrective_action_recorded().action() + "'",
          v,
          v && v->event.effectiveness_verified().effective()
              ? "verified effective"
              : "verified NOT effective",
          a->event.corrective_action_recorded().due_ms());
  }
  for (const Record* c : in.index.Current("ChangePlanned")) {
    const Record* done =
        Closing(in, "ChangeCompleted", IdOf(*c), [](const v1::Event& e) {
          return e.change_completed().change_event_id();
        });
    state(c, "planned change '" + c->event.change_planned().change() + "'",
          done, "completed", c->event.change_planned().planned_for_ms());
  }
  for (const Record* o : in.index.Current("ObjectiveSet")) {
    const Record* ev =
        Closing(in, "ObjectiveEvaluated", IdOf(*o), [](const v1::Event& e) {
          return e.objective_evaluated().objective_event_id();
        });
    const bool met = ev && ev->event.objective_evaluated().has_met() &&
                     ev->event.objective_evaluated().met();
    state(o, "objective '" + o->event.objective_set().objective() + "'", ev,
          met ? "evaluated: met" : "evaluated: NOT met",
          o->event.objective_set().due_ms());
  }
  if (listed == 0)
    in.Row("a",
           "actions: no corrective action, planned change or objective "
           "open in the period");
}

// The ContextRecorded in force at `t` (the latest occurred before it).
const Record* ContextAt(const Inputs& in, int64_t t) {
  const Record* at = nullptr;
  for (const Record* r : in.index.Current("ContextRecorded")) {
    if (in.Before(*r, t)) at = r;
  }
  return at;
}

// What `after` adds to and removes from `before`.
std::string Diff(const std::vector<std::string>& before,
                 const std::vector<std::string>& after) {
  const std::set<std::string> b(before.begin(), before.end()),
      a(after.begin(), after.end());
  std::vector<std::string> added, removed;
  for (const auto& s : a) {
    if (!b.count(s)) added.push_back(s);
  }
  for (const auto& s : b) {
    if (!a.count(s)) removed.push_back(s);
  }
  if (added.empty() && removed.empty()) return "unchanged";
  return absl::StrCat(
      "added: ", added.empty() ? "-" : absl::StrJoin(added, "; "),
      "; removed: ", removed.empty() ? "-" : absl::StrJoin(removed, "; "));
}

std::vector<std::string> Parties(const v1::ContextRecorded& c) {
  std::vector<std::string> out;
  for (const auto& p : c.interested_parties())
    out.push_back(absl::StrCat(p.name(), " (", p.needs(), ")"));
  return out;
}

void Context(Inputs& in) {
  const Record* before = ContextAt(in, in.start);
  const Record* after = ContextAt(in, in.end);
  if (after == nullptr) {
    in.Row("b", "external and internal issues: no record");
    in.Row("c", "interested parties: no record");
  } else if (after == before) {
    in.Row("b",
           "external and internal issues: no change recorded in the "
           "period; in force:",
           after);
    in.Row("c",
           "interested parties: no change recorded in the period; in "
           "force:",
           after);
  } else {
    const v1::ContextRecorded empty;
    const v1::ContextRecorded& b =
        before ? before->event.context_recorded() : empty;
    const v1::ContextRecorded& a = after->event.context_recorded();
    auto list = [](const auto& f) {
      return std::vector<std::string>(f.begin(), f.end());
    };
    in.Row(
        "b",
        absl::StrCat("external issues ",
                     Diff(list(b.external_issues()), list(a.external_issues())),
                     "; internal issues ",
                     Diff(list(b.internal_issues()), list(a.internal_issues())),
                     before ? "" : " (no earlier context recorded)"),
        after);
    if (before) in.Row("b", "  compared with", before);
    in.Row("c", "interested parties " + Diff(Parties(b), Parties(a)), after);
  }
  for (const Record* r : in.Between("ScopeDefined", in.start, in.end))
    in.Row("b", "scope changed: " + r->event.scope_defined().scope(), r);
  for (const Record* r :
       in.Between("StakeholderFeedbackReceived", in.start, in.end)) {
    const auto& f = r->event.stakeholder_feedback_received();
    in.Row("c", absl::StrCat("feedback (", f.category(), "): ", f.summary()),
           r);
  }
  for (const Record* r : in.Between("ConsultationHeld", in.start, in.end))
    in.Row("c", "consultation: " + r->event.consultation_held().changes(), r);
}

// "what: N in the period, M in the previous period", then each record.
void Trend(Inputs& in, const std::string& what,
           const std::vector<std::string>& types,
           const std::function<bool(const v1::Event&)>& keep = nullptr) {
  const int64_t length = in.end - in.start;
  std::vector<const Record*> now, then;
  for (const std::string& t : types) {
    for (const Record* r : in.Between(t, in.start, in.end))
      if (!keep || keep(r->event)) now.push_back(r);
    for (const Record* r : in.Between(t, in.start - length, in.start))
      if (!keep || keep(r->event)) then.push_back(r);
  }
  for (auto* list : {&now, &then}) {
    std::sort(list->begin(), list->end(), [](const Record* a, const Record* b) {
      return a->index < b->index;
    });
  }
  in.Row("d",
         absl::StrCat(what, ": ", now.size(), " in the period, ", then.size(),
                      " in the previous period of the same "
                      "length"));
  for (const auto& [records, label] :
       {std::pair{&now, "  in the period"},
        std::pair{&then, "  in the previous period"}}) {
    const size_t n = records->size();
    const size_t skip = in.max && n > in.max ? n - in.max : 0;
    if (skip > 0)
      in.Row("d", absl::StrCat(label, ": ", skip,
                               " older record(s) not listed, the newest ",
                               in.max, " are"));
    for (size_t i = skip; i < n; ++i) in.Row("d", label, (*records)[i]);
  }
}

void Performance(Inputs& in) {
  Trend(in, "nonconformities raised", {"NonconformityRaised"});
  Trend(in, "corrective actions recorded", {"CorrectiveActionRecorded"});
  Trend(in, "corrective actions verified NOT effective",
        {"EffectivenessVerified"}, [](const v1::Event& e) {
          return !e.effectiveness_verified().effective();
        });
  Trend(in, "monitoring and measurement results",
        {"FairnessSnapshot", "GroupMetricSnapshot", "SocietalMetricRecorded"});
  Trend(in, "incidents reported", {"IncidentReported"});
  for (int c = v1::FINDING_CLASS_MAJOR_NONCONFORMITY;
       c <= v1::FINDING_CLASS_CONFORMITY; ++c) {
    std::string name = absl::AsciiStrToLower(
        v1::FindingClass_Name(static_cast<v1::FindingClass>(c))
            .substr(sizeof("FINDING_CLASS_") - 1));
    std::replace(name.begin(), name.end(), '_', ' ');
    Trend(in, "audit findings: " + name, {"AuditFinding"},
          [c](const v1::Event& e) {
            return static_cast<int>(e.audit_finding().classification()) == c;
          });
  }
  Trend(in, "objectives evaluated as met", {"ObjectiveEvaluated"},
        [](const v1::Event& e) {
          return e.objective_evaluated().has_met() &&
                 e.objective_evaluated().met();
        });
}

void Opportunities(Inputs& in) {
  size_t n = 0;
  for (const Record* r : in.Between("AuditFinding", in.start, in.end)) {
    const auto& f = r->event.audit_finding();
    if (f.classification() != v1::FINDING_CLASS_OPPORTUNITY &&
        f.classification() != v1::FINDING_CLASS_OBSERVATION)
      continue;
    in.Row("e",
           absl::StrCat("auditor's ",
                        f.classification() == v1::FINDING_CLASS_OPPORTUNITY
                            ? "opportunity"
                            : "observation",
                        " (", f.reference(), "): ", f.statement()),
           r);
    ++n;
  }
  for (const Record* r :
       in.Between("StakeholderFeedbackReceived", in.start, in.end)) {
    if (r->event.stakeholder_feedback_received().category() != "suggestion")
      continue;
    in.Row("e",
           "suggestion: " + r->event.stakeholder_feedback_received().summary(),
           r);
    ++n;
  }
  for (const Record* r : in.Between("ObjectiveEvaluated", in.start, in.end)) {
    const auto& o = r->event.objective_evaluated();
    if (!o.has_met() || o.met()) continue;
    in.Row("e", "objective not met: " + o.result(), r);
    ++n;
  }
  for (const Record* r :
       in.Between("EffectivenessVerified", in.start, in.end)) {
    if (r->event.effectiveness_verified().effective()) continue;
    in.Row(
        "e",
        "action not effective: " + r->event.effectiveness_verified().method(),
        r);
    ++n;
  }
  if (n == 0)
    in.Row("e", "opportunities for improvement: no record in the period");
}

}  // namespace

Section ManagementReviewInputs(const std::vector<Record>& records,
                               const ManagementReviewOptions& options) {
  Section s{"ISO/IEC 42001 management-review inputs (9.3.2 a-e)", {}, {}};
  if (options.end_ms <= options.start_ms) {
    s.paragraphs.push_back("No period: the end is not after the start.");
    return s;
  }
  static const VerifyReport* unverified = new VerifyReport();
  const Index index(records, *unverified, options.organisation, options.end_ms);
  Inputs in{index, options.start_ms, options.end_ms, options.max_listed};
  s.paragraphs.push_back(absl::StrCat(
      "Period ", Day(options.start_ms), " to ", Day(options.end_ms - 1),
      " (by occurrence; records integrated after its end are not counted). "
      "(a) status of actions from previous reviews, (b) changes in external "
      "and internal issues, (c) changes in interested parties' needs, (d) "
      "performance against the previous period of the same length, (e) "
      "opportunities for improvement."));
  Actions(in);
  Context(in);
  Performance(in);
  Opportunities(in);
  for (const Record* r : in.Between("ManagementReviewHeld", in.start, in.end))
    s.paragraphs.push_back("Management review held in the period: " + Cite(*r));
  s.tables.push_back(std::move(in.table));
  return s;
}

}  // namespace ailedger::reports
