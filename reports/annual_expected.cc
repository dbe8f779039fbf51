// The expectations of the annual report's completeness section that rest on
// audit programmes, log segments, Art. 73 clocks, approvals, versions named
// and objectives (annual_expected.h).
#include "reports/annual_expected.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "reports/system_sections.h"

namespace ailedger::reports::annual::expected {
namespace {

std::string IdOf(const Record& r) { return std::string(AsBytes(r.event_id)); }

}  // namespace

void Audits(const Scope& scope, Missing* out) {
  for (const PlannedAuditState& a : PlannedAudits(scope)) {
    if (a.not_held)
      out->Add("05 audit programme",
               {"audit " + a.audit_id + " (" + a.type + ")", "",
                absl::StrCat(a.held, " (window ", a.window, ")"),
                Cite(*a.programme)});
  }
}

// Log segments are operational records: the tally has their count and the
// first and last of the year per system (records.h), not each period, so
// gaps between segments are bounded by the declared cadence, not located.
void Segments(const Scope& scope, const OperationalTally& tally, Missing* out) {
  const AnnualOptions& a = scope.options();
  for (const std::string& system : scope.systems()) {
    const Records recs = scope.OfSystem(system);
    const Record* first = nullptr;
    int64_t from = 0;
    for (const Record* r : recs) {
      if (!r->event.has_deployment_recorded() || !scope.IsCurrent(*r) ||
          r->event.deployment_recorded().environment() != "production")
        continue;
      const int64_t t = r->event.deployment_recorded().effective_at_ms() > 0
                            ? r->event.deployment_recorded().effective_at_ms()
                            : r->event.occurred_at_ms();
      if (first == nullptr || t < from) first = r, from = t;
    }
    if (first == nullptr) continue;
    from = std::max(from, scope.start_ms());
    const int64_t to = JudgedTo(scope, recs);
    if (from >= to) continue;
    auto it = tally.groups.find(
        {a.organisation, "LogSegmentAnchored", system, a.year});
    const std::string item = "log segments (Art. 12, 19)";
    if (it == tally.groups.end()) {
      out->Add("06 log segments",
               {item, system,
                absl::StrCat("NO SEGMENT anchored for the year: in production "
                             "from ",
                             Day(from), " to ", Day(to), ", uncovered"),
                Cite(*first)});
      continue;
    }
    const OperationalGroup& g = it->second;
    const auto& p0 = g.first.event.log_segment_anchored();
    const auto& p1 = g.last.event.log_segment_anchored();
    if (p0.period().start_ms() - from > kDayMs)
      out->Add("06 log segments",
               {item, system,
                absl::StrCat("no segment from ", Day(from), " to ",
                             Day(p0.period().start_ms()),
                             " (before the year's first)"),
                Cite(g.first)});
    if (to - p1.period().end_ms() > kDayMs)
      out->Add("06 log segments",
               {item, system,
                absl::StrCat("no segment from ", Day(p1.period().end_ms()),
                             " to ", Day(to), " (after the year's last)"),
                Cite(g.last)});
    const uint32_t cadence = p1.cadence_days();
    const int64_t span = Days(from, to);
    const uint64_t expected =
        cadence == 0 ? 0 : static_cast<uint64_t>(span / cadence);
    if (cadence == 0) {
      out->Add("06 log segments",
               {item, system,
                absl::StrCat(g.count,
                             " segments; no declared cadence "
                             "to judge them by"),
                Cite(g.last)});
    } else if (g.count < expected) {
      out->Add("06 log segments",
               {item, system,
                absl::StrCat("IRREGULAR: ", g.count, " segments over ", span,
                             " days in production at a declared cadence of ",
                             cadence, " days: at least ", expected,
                             " expected (where the gaps lie: `report "
                             "iso42001` lists each segment)"),
                Cite(g.last)});
    }
  }
}

void Art73(const Art73Run& run, Missing* out) {
  if (!run.result.ok()) return;
  for (const art73::Clock& c : run.result->clocks) {
    if (c.notification != nullptr ||
        (c.obligation != art73::Obligation::kInitialReport &&
         c.obligation != art73::Obligation::kCompleteReport))
      continue;
    out->Add(
        "07 Art. 73 reports",
        {absl::StrCat(
             c.obligation == art73::Obligation::kInitialReport ? "initial"
                                                               : "complete",
             " Art. 73 report of ", c.incident, " (",
             c.member_state.empty() ? "no Member State" : c.member_state, ")"),
         SubjectOf(c.incident_record->event, "system"),
         "NO RECORD: " + c.status, Cite(*c.incident_record)});
  }
}

void Approvals(const Scope& scope, Missing* out) {
  for (const Record* r : scope.year()) {
    const v1::Event& e = r->event;
    if (!scope.IsCurrent(*r)) continue;
    std::string what;
    if (e.has_model_version_released()) {
      what = "approval of release " + e.model_version_released().version();
    } else if (e.has_deployment_recorded()) {
      what = absl::StrCat("approval of the deployment of ",
                          e.deployment_recorded().version(), " to ",
                          e.deployment_recorded().deployer());
    } else {
      continue;
    }
    std::string why;
    if (!scope.Approved(*r, &why))
      out->Add(
          "08 release and deployment approvals",
          {what, SubjectOf(e, "system"), why, scope.CiteWithDecisions(*r)});
  }
}

// Versions named and never released, as the factsheet finds them for each
// system (system_versions.cc), named by a record of the year.
void Versions(const std::vector<Record>& records, const VerifyReport& verified,
              const Scope& scope, Missing* out) {
  for (const std::string& system : scope.systems()) {
    const factsheet::Context c =
        factsheet::BuildContext(records, verified, system);
    Report scratch;
    std::vector<factsheet::Gap> gaps;
    factsheet::AddVersions(c, &scratch, &gaps);
    for (const auto& v : scratch.data["versions"]["never_released"]) {
      const Record* named = nullptr;
      for (uint64_t i : v["indices"].get<std::vector<uint64_t>>()) {
        auto it = c.by_index.find(i);
        if (it != c.by_index.end() &&
            scope.InYear(it->second->event.occurred_at_ms())) {
          named = it->second;
          break;
        }
      }
      if (named == nullptr) continue;
      out->Add("09 versions",
               {"release of version " + v["version"].get<std::string>(), system,
                absl::StrCat("NAMED BUT NEVER RELEASED on this log (named by ",
                             named->event.event_type(), " idx ", named->index,
                             v["external"].get<bool>()
                                 ? "; a naming record cites another log's entry"
                                 : "",
                             ")"),
                Cite(*named)});
    }
  }
}

void Objectives(const Scope& scope, Missing* out) {
  std::set<std::string> evaluated;
  for (const Record* r : scope.about()) {
    if (r->event.has_objective_evaluated() && scope.IsCurrent(*r) &&
        r->event.occurred_at_ms() < scope.end_ms())
      evaluated.insert(r->event.objective_evaluated().objective_event_id());
  }
  for (const Record* r : scope.about()) {
    if (!r->event.has_objective_set() || !scope.IsCurrent(*r) ||
        !scope.InYear(r->event.objective_set().due_ms()) ||
        r->event.objective_set().due_ms() >= Judged(scope) ||
        evaluated.contains(IdOf(*r)))
      continue;
    out->Add(
        "10 objectives",
        {"evaluation of objective '" + r->event.objective_set().objective() +
             "'",
         "",
         absl::StrCat("NO RECORD: due ", Day(r->event.objective_set().due_ms()),
                      ", no ObjectiveEvaluated by the year's end"),
         Cite(*r)});
  }
}

}  // namespace ailedger::reports::annual::expected
