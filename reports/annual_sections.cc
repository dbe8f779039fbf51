// The annual report's period, inventory, releases, objectives and
// operational records (annual_sections.h).
#include "reports/annual_sections.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "reports/system_sections.h"

namespace ailedger::reports::annual {
namespace {

using factsheet::EnumText;

Section Table1(std::string title, std::vector<std::string> header) {
  return {std::move(title), {}, {{std::move(header), {}}}};
}

// "approved by ... (idx N)", or "NOT APPROVED ..." for a type that takes
// approvals; "" for one that takes none.
std::string ApprovalText(const Scope& scope, const Record& r) {
  std::string why;
  scope.Approved(r, &why);
  return why == "takes no approval" ? "" : why;
}

}  // namespace

Section Period(const Scope& scope, const VerifyReport& v,
               uint64_t operational_in_year) {
  const AnnualOptions& a = scope.options();
  Section s = Table1("Period and ledger range", {"what", "value", "record"});
  s.paragraphs.push_back(absl::StrCat(
      "The year ", a.year, ": ", Day(scope.start_ms()), " to ",
      Day(scope.end_ms()),
      " (UTC; organisation time zones are not applied), by when each record "
      "says it occurred."));
  const bool complete = v.verified && v.from == 0 && v.roster_complete;
  s.paragraphs.push_back(absl::StrCat(
      "Verified range [", v.from, ", ", v.to, ") against a checkpoint of size ",
      v.checkpoint_size, ": ",
      complete ? "complete from index 0 with the roster proven, so a record "
                 "said missing below is missing from the log."
               : "NOT from index 0 with the roster proven: records outside the "
                 "range are not read, and this report cannot claim that a "
                 "record missing below is missing from the log."));
  const Records& year = scope.year();
  size_t after = 0;
  for (const Record* r : year)
    after += static_cast<int64_t>(r->integrated_time_ms) >= scope.end_ms();
  auto& rows = s.tables[0].rows;
  rows.push_back({"records of the year concerning the organisation",
                  absl::StrCat(year.size(), " (and ", operational_in_year,
                               " operational records, counted)"),
                  ""});
  if (!year.empty()) {
    rows.push_back({"first of the year, in log order",
                    absl::StrCat("index ", year.front()->index),
                    Cite(*year.front())});
    rows.push_back({"last of the year, in log order",
                    absl::StrCat("index ", year.back()->index),
                    Cite(*year.back())});
  }
  rows.push_back({"of them recorded after the year's end",
                  absl::StrCat(after, " (listed in Completeness when late)"),
                  ""});
  rows.push_back({"the log as verified, as of",
                  Day(scope.as_of_ms()) + " (the newest record's integration)",
                  ""});
  rows.push_back({"systems", absl::StrJoin(scope.systems(), ", "), ""});
  return s;
}

Section Inventory(const Scope& scope) {
  Section s = Table1("Systems and model versions",
                     {"system", "name", "risk class", "provider; deployers",
                      "lifecycle", "in production at the year's end",
                      "releases in the year", "registration"});
  size_t before = 0, later = 0;
  for (const std::string& id : scope.systems()) {
    const Record *reg = nullptr, *end = nullptr, *live = nullptr;
    std::string production = "none recorded";
    size_t releases = 0, substantial = 0, unapproved = 0;
    for (const Record* r : scope.OfSystem(id)) {
      const v1::Event& e = r->event;
      if (!scope.IsCurrent(*r)) continue;
      const int64_t t = e.occurred_at_ms();
      if (e.has_system_registered()) reg = r;
      if (e.has_system_decommissioned() && end == nullptr) end = r;
      if (t >= scope.end_ms()) continue;
      if (e.has_deployment_recorded() &&
          e.deployment_recorded().environment() == "production") {
        production = absl::StrCat(e.deployment_recorded().version(), " at ",
                                  e.deployment_recorded().deployer());
        live = r;
      }
      if (e.has_rolled_back() &&
          e.rolled_back().environment() == "production") {
        production =
            absl::StrCat(e.rolled_back().to_version(), " (rolled back)");
        live = r;
      }
      if (e.has_model_version_released() && scope.InYear(t)) {
        ++releases;
        substantial += e.model_version_released().substantial_modification();
        std::string why;
        unapproved += !scope.Approved(*r, &why);
      }
    }
    if (reg && reg->event.occurred_at_ms() >= scope.end_ms()) {
      ++later;
      continue;
    }
    if (end && end->event.occurred_at_ms() < scope.start_ms()) {
      ++before;
      continue;
    }
    std::string lifecycle =
        reg ? absl::StrCat("registered ", Day(reg->event.occurred_at_ms()))
            : "NO REGISTRATION on this log";
    if (end && end->event.occurred_at_ms() < scope.end_ms()) {
      absl::StrAppend(&lifecycle, "; decommissioned ",
                      Day(end->event.occurred_at_ms()));
      production = "none: decommissioned";
      live = end;
    } else {
      absl::StrAppend(&lifecycle, "; in service at the year's end");
    }
    const v1::SystemRegistered* sys =
        reg ? &reg->event.system_registered() : nullptr;
    s.tables[0].rows.push_back(
        {id, sys ? factsheet::OrNot(sys->name()) : "",
         sys ? EnumText(v1::RiskClass_Name(sys->risk_class()), "RISK_CLASS_")
             : "",
         sys ? absl::StrCat(sys->provider(), "; ",
                            absl::StrJoin(sys->deployers(), ", "))
             : "",
         lifecycle, production,
         absl::StrCat(releases, " (", substantial, " substantial; ", unapproved,
                      " not approved)"),
         absl::StrCat(reg ? Cite(*reg) : "", live ? "; " + Cite(*live) : "")});
  }
  if (before + later > 0)
    s.paragraphs.push_back(
        absl::StrCat(before, " system(s) decommissioned before the year and ",
                     later, " registered after it are left out."));
  if (s.tables[0].rows.empty()) {
    s.tables.clear();
    s.paragraphs.push_back("No system of the organisation was in the year.");
  }
  return s;
}

Section Releases(const Scope& scope) {
  Section s =
      Table1("Releases, deployments and roll-backs",
             {"system", "what", "version", "approval", "status", "record"});
  for (const Record* r : scope.year()) {
    const v1::Event& e = r->event;
    std::string what, version;
    if (e.has_model_version_released()) {
      const auto& m = e.model_version_released();
      what = m.substantial_modification()
                 ? "release, SUBSTANTIAL MODIFICATION: " +
                       factsheet::OrNot(m.modification_rationale())
                 : "release";
      version =
          m.previous_version().empty()
              ? m.version()
              : absl::StrCat(m.version(), " (from ", m.previous_version(), ")");
    } else if (e.has_deployment_recorded()) {
      what = absl::StrCat("deployment to ", e.deployment_recorded().deployer(),
                          " (", e.deployment_recorded().environment(), ")");
      version = e.deployment_recorded().version();
    } else if (e.has_rolled_back()) {
      what = absl::StrCat("roll-back: ", e.rolled_back().reason());
      version = absl::StrCat(e.rolled_back().from_version(), " to ",
                             e.rolled_back().to_version());
    } else if (e.has_system_decommissioned()) {
      what = "decommissioned: " + e.system_decommissioned().reason();
    } else {
      continue;
    }
    s.tables[0].rows.push_back({SubjectOf(e, "system"), what, version,
                                ApprovalText(scope, *r), scope.State(*r),
                                scope.CiteWithDecisions(*r)});
  }
  Cap(&s, 0, "releases, deployments and roll-backs");
  if (s.tables[0].rows.empty()) {
    s.tables.clear();
    s.paragraphs.push_back(
        "No release, deployment, roll-back or decommissioning in the year.");
  }
  return s;
}

Section Objectives(const Scope& scope) {
  Section s = Table1(
      "Objectives and their evaluation",
      {"objective", "measure and target", "due", "evaluation", "records"});
  s.paragraphs.push_back(
      "ISO/IEC 42001 6.2: each objective set by the year's end and due in or "
      "after it, or evaluated in it, with its latest evaluation "
      "(ObjectiveEvaluated) by the year's end.");
  std::map<std::string, std::vector<const Record*>> evaluations;
  for (const Record* r : scope.about()) {
    if (r->event.has_objective_evaluated() && scope.IsCurrent(*r) &&
        r->event.occurred_at_ms() < scope.end_ms())
      evaluations[r->event.objective_evaluated().objective_event_id()]
          .push_back(r);
  }
  size_t set = 0;
  for (const Record* r : scope.about()) {
    const v1::Event& e = r->event;
    if (!e.has_objective_set() || !scope.IsCurrent(*r) ||
        e.occurred_at_ms() >= scope.end_ms())
      continue;
    ++set;
    const auto& o = e.objective_set();
    auto it = evaluations.find(std::string(AsBytes(r->event_id)));
    const Record* eval = it == evaluations.end() ? nullptr : it->second.back();
    if (o.due_ms() < scope.start_ms() && eval != nullptr &&
        eval->event.occurred_at_ms() < scope.start_ms())
      continue;  // due and evaluated before the year
    std::string text;
    if (eval) {
      const auto& v = eval->event.objective_evaluated();
      text = absl::StrCat(!v.has_met() ? "met: not stated"
                          : v.met()    ? "met"
                                       : "NOT MET",
                          ": ", v.result(), " (", v.evidence_event_ids_size(),
                          " evidence records)");
    } else if (o.due_ms() < scope.end_ms()) {
      text = "NOT EVALUATED: due " + Day(o.due_ms()) + ", no evaluation";
    } else {
      text = "open: not due in the year";
    }
    s.tables[0].rows.push_back(
        {o.objective(), absl::StrCat(o.measure(), "; target ", o.target()),
         Day(o.due_ms()), text,
         eval ? absl::StrCat(Cite(*r), "; ", Cite(*eval)) : Cite(*r)});
  }
  Cap(&s, 0, "objectives");
  if (s.tables[0].rows.empty()) s.tables.clear();
  if (set == 0)
    s.paragraphs.push_back(
        "No objective of the organisation (ObjectiveSet) is on the log by the "
        "year's end: no record.");
  return s;
}

namespace {

const char* OperationalWhat(const std::string& type) {
  if (type == "HumanOverrideLogged") return "human oversight (Art. 14(4))";
  if (type == "ExplanationProvided") return "explanations (Art. 86)";
  return "system logs kept (Art. 12, 19)";
}

}  // namespace

uint64_t OperationalInYear(const OperationalTally& tally,
                           const AnnualOptions& a) {
  uint64_t n = 0;
  for (const auto& [key, g] : tally.groups)
    if (key.organisation == a.organisation && key.year == a.year) n += g.count;
  return n;
}

Section Operations(const OperationalTally& tally, const AnnualOptions& a) {
  Section s =
      Table1("Human oversight, explanations and system logs",
             {"what", "system", "records", "recorded late", "first", "last"});
  for (const auto& [key, g] : tally.groups) {
    if (key.organisation != a.organisation || key.year != a.year) continue;
    s.tables[0].rows.push_back(
        {absl::StrCat(OperationalWhat(key.type), ": ", key.type), key.system,
         absl::StrCat(g.count), absl::StrCat(g.late), Cite(g.first),
         Cite(g.last)});
  }
  if (s.tables[0].rows.empty()) {
    s.tables.clear();
    s.paragraphs.push_back(
        "No human override, explanation or log segment was recorded for the "
        "year.");
  }
  return s;
}

}  // namespace ailedger::reports::annual
