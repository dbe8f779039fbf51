// The annual report's completeness section (issue 13, "Completeness
// section"; review §5.2 item 4): the records the year should hold and does
// not, each with the record that made it expected, judged at the year's end
// (a measurement or review on the day it falls due is on time); approvals
// pending and rejected; corrections and retractions with their reasons;
// late records; statements contradicted by a party's own records
// (contradictions.h). The expectations:
// clang-format off
//   monitoring plan cadence   each metric of the plan in force measured at
//                             least every cadence_days (EU AI Act Art. 72)
//   review dates              an assessment, DPIA or policy followed by the
//                             next of its kind by its next_review_ms
//   due dates                 a corrective action verified effective by due
//   approval conditions       an approval with conditions followed by a later
//                             decision on, or a correction of, what it approved
//   audit programmes          each planned audit started in its window
//   log-segment coverage      segments (operational, counted) from the first
//                             production deployment at the declared cadence
//   Art. 73 reports           an initial report per Member State and the
//                             complete report of each serious incident
//   approval pairs            each release and deployment approved
//   versions                  each version a record names released on this log
//   objectives                each objective due in the year evaluated
// clang-format on
#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "reports/annual_expected.h"
#include "reports/contradictions.h"

namespace ailedger::reports::annual {
namespace expected {
namespace {

std::string IdOf(const Record& r) { return std::string(AsBytes(r.event_id)); }

std::string Key(const v1::PlannedMetric& m) {
  return m.metric_id().empty() ? m.name() : m.metric_id();
}

// Whether `e` is a measurement of the plan's metric `m` (factsheet rules:
// snapshots name the metric id, a societal metric its name).
bool Measures(const v1::Event& e, const v1::PlannedMetric& m) {
  if (e.event_type() != m.event_type()) return false;
  if (e.has_fairness_snapshot())
    return e.fairness_snapshot().plan_metric_id() == Key(m);
  if (e.has_group_metric_snapshot())
    return e.group_metric_snapshot().plan_metric_id() == Key(m);
  if (e.has_societal_metric()) return e.societal_metric().name() == m.name();
  return false;
}

const Record* Decommissioned(const Scope& scope, const Records& recs) {
  for (const Record* r : recs) {
    if (r->event.has_system_decommissioned() && scope.IsCurrent(*r)) return r;
  }
  return nullptr;
}

}  // namespace

void Missing::Add(const std::string& kind, std::vector<std::string> row) {
  Kind& k = kinds_[kind];
  if (k.rows.size() < kPerKind) k.rows.push_back(std::move(row));
  ++k.count;
}

void Missing::Into(Section* s, nlohmann::json* counts) const {
  Table t{{"expected", "system", "finding", "record"}, {}};
  std::vector<std::string> cut;
  for (const auto& [kind, k] : kinds_) {
    (*counts)[kind.substr(3)] = k.count;
    for (const auto& row : k.rows) t.rows.push_back(row);
    if (k.count > k.rows.size())
      cut.push_back(
          absl::StrCat(kind.substr(3), ": ", k.count - k.rows.size(), " more"));
  }
  if (!cut.empty())
    s->paragraphs.push_back(absl::StrCat(
        "Each kind lists its first ", kPerKind,
        " rows; counted, not listed: ", absl::StrJoin(cut, "; "), "."));
  s->tables.push_back(std::move(t));
}

// The end of what the year can be judged over: the year's end or the log's
// (the newest record), and for a system its decommissioning.
int64_t Judged(const Scope& scope) {
  return std::min(scope.end_ms(), scope.as_of_ms());
}
int64_t JudgedTo(const Scope& scope, const Records& recs) {
  int64_t to = Judged(scope);
  if (const Record* d = Decommissioned(scope, recs))
    to = std::min(to, d->event.occurred_at_ms());
  return to;
}

void Cadence(const Scope& scope, Missing* out) {
  for (const std::string& system : scope.systems()) {
    const Records recs = scope.OfSystem(system);
    const Record* plan = nullptr;
    for (const Record* r : recs) {
      if (r->event.has_monitoring_plan() && scope.IsCurrent(*r) &&
          r->event.occurred_at_ms() < scope.end_ms())
        plan = r;
    }
    if (plan == nullptr) continue;
    const int64_t from =
        std::max(scope.start_ms(), plan->event.occurred_at_ms());
    const int64_t to = JudgedTo(scope, recs);
    if (from >= to) continue;
    for (const v1::PlannedMetric& m : plan->event.monitoring_plan().metrics()) {
      if (m.cadence_days() == 0) continue;
      const int64_t cadence = int64_t{m.cadence_days()} * kDayMs;
      std::vector<int64_t> times;
      for (const Record* r : recs) {
        if (scope.IsCurrent(*r) && Measures(r->event, m))
          times.push_back(r->event.occurred_at_ms());
      }
      std::sort(times.begin(), times.end());
      if (times.empty()) {
        out->Add("01 plan cadence",
                 {"measurement of " + Key(m), system,
                  absl::StrCat("NO RECORD: planned (cadence ", m.cadence_days(),
                               " days), never measured"),
                  Cite(*plan)});
        continue;
      }
      int64_t prev = plan->event.occurred_at_ms();
      const auto gap = [&](int64_t a, int64_t b, const char* until) {
        if (b - a <= cadence + kDayMs) return;
        out->Add("01 plan cadence",
                 {"measurement of " + Key(m), system,
                  absl::StrCat("no record from ", Day(a), " to ", Day(b), until,
                               ": ", Days(a, b), " days at a cadence of ",
                               m.cadence_days()),
                  Cite(*plan)});
      };
      for (int64_t t : times) {
        if (t >= to) break;
        if (t > from) gap(prev, t, "");
        prev = std::max(prev, t);
      }
      gap(prev, to, to == scope.end_ms() ? " (the year's end)" : "");
    }
  }
}

// The review chains: each record followed by the next of its kind.
void Reviews(const Scope& scope, Missing* out) {
  struct Chain {
    std::string what, system;
    std::vector<const Record*> records;
  };
  std::map<std::string, Chain> chains;
  for (const Record* r : scope.about()) {
    const v1::Event& e = r->event;
    if (!scope.IsCurrent(*r) || e.occurred_at_ms() >= scope.end_ms()) continue;
    const std::string system = SubjectOf(e, "system");
    std::string key, what;
    if (e.has_impact_assessment_recorded()) {
      key = absl::StrCat("ia|", system, "|", e.organisation(), "|",
                         e.impact_assessment_recorded().framework());
      what = absl::StrCat(e.impact_assessment_recorded().framework(),
                          " assessment (", e.organisation(), ")");
    } else if (e.has_privacy_assessment_recorded()) {
      key = absl::StrCat("pia|", system, "|",
                         e.privacy_assessment_recorded().kind());
      what = e.privacy_assessment_recorded().kind();
    } else if (e.has_policy_published() &&
               e.organisation() == scope.organisation()) {
      key = "policy|" + e.policy_published().title();
      what = "policy " + e.policy_published().title();
    } else {
      continue;
    }
    Chain& c = chains[key];
    c.what = what;
    c.system = system;
    c.records.push_back(r);
  }
  const auto due_of = [](const v1::Event& e) -> int64_t {
    if (e.has_impact_assessment_recorded())
      return e.impact_assessment_recorded().next_review_ms();
    if (e.has_privacy_assessment_recorded())
      return e.privacy_assessment_recorded().next_review_ms();
    return e.policy_published().next_review_ms();
  };
  for (const auto& [key, c] : chains) {
    const int64_t judged = c.system.empty()
                               ? Judged(scope)
                               : JudgedTo(scope, scope.OfSystem(c.system));
    for (size_t i = 0; i < c.records.size(); ++i) {
      const Record& r = *c.records[i];
      const int64_t due = due_of(r.event);
      if (due == 0) continue;
      const Record* next =
          i + 1 < c.records.size() ? c.records[i + 1] : nullptr;
      const std::string item = "review of " + c.what;
      if (next == nullptr) {
        if (due < judged)
          out->Add("02 review dates",
                   {item, c.system,
                    absl::StrCat("PAST DUE: due ", Day(due),
                                 ", no later one by the year's end"),
                    Cite(r)});
        continue;
      }
      const int64_t t = next->event.occurred_at_ms();
      if (t - due >= kDayMs && (scope.InYear(due) || scope.InYear(t)))
        out->Add("02 review dates",
                 {item, c.system,
                  absl::StrCat("LATE: due ", Day(due), ", the next on ", Day(t),
                               " (", Days(due, t), " days late)"),
                  absl::StrCat(Cite(r), "; ", Cite(*next))});
    }
  }
}

void CorrectiveActions(const Scope& scope, Missing* out) {
  std::map<std::string, const Record*> verified;  // action id -> effective
  for (const Record* r : scope.about()) {
    const v1::Event& e = r->event;
    if (e.has_effectiveness_verified() && scope.IsCurrent(*r) &&
        e.effectiveness_verified().effective() &&
        e.occurred_at_ms() < scope.end_ms())
      verified.emplace(e.effectiveness_verified().action_event_id(), r);
  }
  for (const Record* r : scope.about()) {
    if (!r->event.has_corrective_action_recorded() || !scope.IsCurrent(*r) ||
        r->event.occurred_at_ms() >= scope.end_ms())
      continue;
    const int64_t due = r->event.corrective_action_recorded().due_ms();
    auto it = verified.find(IdOf(*r));
    const std::string item = "effectiveness of a corrective action";
    if (it == verified.end()) {
      if (due < Judged(scope))
        out->Add("03 due dates",
                 {item, SubjectOf(r->event, "system"),
                  absl::StrCat("PAST DUE: due ", Day(due),
                               ", not verified effective by the year's end"),
                  Cite(*r)});
      continue;
    }
    const int64_t t = it->second->event.occurred_at_ms();
    if (scope.InYear(t) && t - due >= kDayMs)
      out->Add("03 due dates",
               {item, SubjectOf(r->event, "system"),
                absl::StrCat("LATE: due ", Day(due), ", verified ", Day(t),
                             " (", Days(due, t), " days late)"),
                absl::StrCat(Cite(*r), "; ", Cite(*it->second))});
  }
}

// An approval with conditions is closed by a later decision of the same
// organisation on the record, or by a correction of the record.
void Conditions(const Scope& scope, Missing* out) {
  std::map<std::string, std::vector<const Record*>> decisions;
  for (const Record* r : scope.about()) {
    if (r->event.has_approval() && scope.IsCurrent(*r) &&
        r->event.occurred_at_ms() < scope.end_ms())
      decisions[r->event.approval().approves()].push_back(r);
  }
  for (const auto& [target_id, list] : decisions) {
    const Record* target = scope.ById(target_id);
    for (const Record* a : list) {
      if (a->event.approval().decision() !=
          v1::DECISION_APPROVE_WITH_CONDITIONS)
        continue;
      bool closed = target == nullptr || !scope.IsCurrent(*target);
      for (const Record* later : list)
        closed =
            closed || (later->index > a->index &&
                       later->event.organisation() == a->event.organisation());
      if (closed) continue;
      out->Add(
          "04 approval conditions",
          {"closing of approval conditions",
           target ? SubjectOf(target->event, "system") : "",
           absl::StrCat("OPEN: '", a->event.approval().conditions(), "' on ",
                        target ? absl::StrCat(target->event.event_type(),
                                              " idx ", target->index)
                               : "an event not in the records",
                        ": no later decision on it, nor a correction of "
                        "it, by the year's end"),
           target ? absl::StrCat(Cite(*a), "; ", Cite(*target)) : Cite(*a)});
    }
  }
}

}  // namespace expected

namespace {

// Statements of the year signed by one party that a party's own records on
// this log contradict (contradictions.h). References to another log's
// entries are checked once the CLI gives that log's verified records.
Section Contradicted(const std::vector<Record>& records, const Scope& scope,
                     const VerifyReport& verified, nlohmann::json* counts) {
  std::map<std::string, CheckCount> checked;
  ContradictionOptions o;
  o.complete_range =
      verified.verified && verified.from == 0 && verified.roster_complete;
  o.from_ms = scope.start_ms();
  o.to_ms = scope.end_ms();
  o.counts = &checked;
  o.other_log = scope.options().other_log;
  o.other_origin = scope.options().other_origin;
  const std::vector<Contradiction> found =
      FindContradictions(records, scope.organisation(), o);
  size_t contradicted = 0, not_checked = 0;
  for (const Contradiction& c : found) {
    contradicted += c.verdict == Verdict::kContradicted;
    not_checked += c.verdict == Verdict::kNotChecked;
  }
  (*counts)["statements contradicted"] = contradicted;
  (*counts)["statements not checked"] = not_checked;
  return ContradictionSection(
      "Completeness: statements contradicted by the parties' own records",
      "Statements of the year signed by one party about another's system, "
      "incident or agreement, or about itself to a partner, compared with "
      "that party's own records on this log: deployments against the "
      "provider's releases, rejections, roll-backs and decommissioning; "
      "incident messages against the recipient's receipts and awareness; "
      "notifications recorded by two parties; due-diligence answers against "
      "the answering party's incidents and conformity declarations; "
      "agreements against each party's decision; references to another "
      "log's entries against that log, when given. Only the same system, "
      "version, incident, message or agreement at overlapping times counts; "
      "a check that cannot be made is listed as such.",
      found, checked, kListed);
}

}  // namespace

std::vector<Section> Completeness(const std::vector<Record>& records,
                                  const Scope& scope,
                                  const OperationalTally& tally,
                                  const VerifyReport& verified,
                                  const Art73Run& art73,
                                  nlohmann::json* counts) {
  Section s{"Completeness: expected records missing",
            {absl::StrCat(
                "Judged at the year's end (", Day(scope.end_ms() - 1),
                "), or at the log's newest record (", Day(scope.as_of_ms()),
                ") when that is earlier, over the log as verified: a "
                "measurement, review or verification on the day it falls "
                "due is on time. The expectations come from the records "
                "themselves: monitoring plan cadences, review dates, due "
                "dates, approval conditions, audit programmes, log segments "
                "against production, Art. 73 reports, release and "
                "deployment approvals, versions named, objectives due.")},
            {}};
  *counts = nlohmann::json::object();
  expected::Missing missing;
  expected::Cadence(scope, &missing);
  expected::Reviews(scope, &missing);
  expected::CorrectiveActions(scope, &missing);
  expected::Conditions(scope, &missing);
  expected::Audits(scope, &missing);
  expected::Segments(scope, tally, &missing);
  expected::Art73(art73, &missing);
  expected::Approvals(scope, &missing);
  expected::Versions(records, verified, scope, &missing);
  expected::Objectives(scope, &missing);
  missing.Into(&s, counts);
  if (s.tables[0].rows.empty()) {
    s.tables.clear();
    s.paragraphs.push_back("No expected record is missing.");
  }
  std::vector<Section> out = {
      std::move(s), PendingAndRejected(scope, verified, counts),
      Corrections(scope, counts), LateRecords(scope, counts)};
  uint64_t late_operational = 0;
  for (const auto& [key, g] : tally.groups) {
    if (key.organisation == scope.organisation() &&
        key.year == scope.options().year)
      late_operational += g.late;
  }
  (*counts)["late operational records"] = late_operational;
  if (late_operational > 0)
    out.back().paragraphs.push_back(absl::StrCat(
        late_operational,
        " operational records of the year were recorded late: counted by "
        "system in 'Human oversight, explanations and system logs', not "
        "listed."));
  out.push_back(Contradicted(records, scope, verified, counts));
  return out;
}

}  // namespace ailedger::reports::annual
