#include "reports/annual_sections.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"

namespace ailedger::reports::annual {
namespace {

constexpr int64_t kDayMs = 86'400'000;

std::string Day(int64_t ms) {
  return absl::FormatTime("%Y-%m-%d", absl::FromUnixMillis(ms),
                          absl::UTCTimeZone());
}

std::string SubjectOf(const v1::Event& e, const std::string& kind) {
  for (const auto& s : e.subjects()) {
    if (s.kind() == kind) return s.id();
  }
  return "";
}

Section Table1(std::string title, std::vector<std::string> header) {
  return {std::move(title), {}, {{std::move(header), {}}}};
}

}  // namespace

Section Inventory(const Records& year) {
  Section s = Table1("Systems",
                     {"system", "name", "risk class", "deployers", "record"});
  for (const Record* r : year) {
    if (!r->event.has_system_registered()) continue;
    const auto& sys = r->event.system_registered();
    s.tables[0].rows.push_back({SubjectOf(r->event, "system"), sys.name(),
                                v1::RiskClass_Name(sys.risk_class()),
                                absl::StrJoin(sys.deployers(), ", "),
                                Cite(*r)});
  }
  for (const Record* r : year) {
    if (r->event.has_system_decommissioned()) {
      s.paragraphs.push_back(
          absl::StrCat("Decommissioned: ", SubjectOf(r->event, "system"), " (",
                       Cite(*r), ")"));
    }
  }
  return s;
}

Section Releases(const Records& year) {
  Section s = Table1("Releases and deployments",
                     {"system", "what", "version", "record"});
  for (const Record* r : year) {
    const v1::Event& e = r->event;
    std::string what, version;
    if (e.has_model_version_released()) {
      what = e.model_version_released().substantial_modification()
                 ? "release (substantial modification)"
                 : "release";
      version = e.model_version_released().version();
    } else if (e.has_deployment_recorded()) {
      what = "deployment to " + e.deployment_recorded().deployer();
      version = e.deployment_recorded().version();
    } else if (e.has_rolled_back()) {
      what = "roll-back from " + e.rolled_back().from_version();
      version = e.rolled_back().to_version();
    } else {
      continue;
    }
    s.tables[0].rows.push_back(
        {SubjectOf(e, "system"), what, version, Cite(*r)});
  }
  return s;
}

// Incidents: annual_incidents.cc.

Section Audits(const Records& year) {
  Section s =
      Table1("Audits, findings and corrective actions", {"record", "what"});
  for (const Record* r : year) {
    const v1::Event& e = r->event;
    std::string what;
    if (e.has_audit_started()) {
      what = "audit started: " + e.audit_started().scope();
    } else if (e.has_audit_finding()) {
      what = absl::StrCat(
          v1::FindingClass_Name(e.audit_finding().classification()), " ",
          e.audit_finding().reference(), ": ", e.audit_finding().statement());
    } else if (e.has_corrective_action_recorded()) {
      what = absl::StrCat(
          "corrective action: ", e.corrective_action_recorded().action(),
          " (due ", Day(e.corrective_action_recorded().due_ms()), ")");
    } else if (e.has_effectiveness_verified()) {
      what = e.effectiveness_verified().effective() ? "verified effective"
                                                    : "NOT effective";
    } else {
      continue;
    }
    s.tables[0].rows.push_back({Cite(*r), what});
  }
  return s;
}

Section Objectives(const Records& year) {
  Section s = Table1("Objectives", {"record", "objective or result"});
  for (const Record* r : year) {
    const v1::Event& e = r->event;
    if (e.has_objective_set()) {
      s.tables[0].rows.push_back(
          {Cite(*r), absl::StrCat(e.objective_set().objective(), " (target ",
                                  e.objective_set().target(), ", due ",
                                  Day(e.objective_set().due_ms()), ")")});
    } else if (e.has_objective_evaluated()) {
      const auto& o = e.objective_evaluated();
      s.tables[0].rows.push_back(
          {Cite(*r),
           absl::StrCat(o.has_met() ? (o.met() ? "met: " : "NOT met: ") : "",
                        o.result())});
    }
  }
  return s;
}

// Late records beyond this many are counted by type, not listed: a log
// filled from records kept elsewhere can be late by the hundred thousand,
// and a report cites (and proves) what it shows.
constexpr size_t kLateShown = 50;

// The late records' paragraph and rows: the kLateShown latest-recorded (by
// lag, then index) cited, every one counted by type.
void LateRecords(const Records& year, int64_t late_after_ms, Section* s) {
  std::vector<std::pair<int64_t, const Record*>> late;
  for (const Record* r : year) {
    const int64_t lag =
        static_cast<int64_t>(r->integrated_time_ms) - r->event.occurred_at_ms();
    if (lag > late_after_ms) late.push_back({lag, r});
  }
  if (late.empty()) return;
  std::stable_sort(late.begin(), late.end(), [](const auto& a, const auto& b) {
    return a.first > b.first;
  });
  std::map<std::string, size_t> by_type;
  for (const auto& [lag, r] : late) ++by_type[r->event.event_type()];
  std::vector<std::string> counts;
  for (const auto& [type, n] : by_type)
    counts.push_back(absl::StrCat(type, " ", n));
  s->paragraphs.push_back(absl::StrCat(
      late.size(), " records of the period were recorded more than ",
      late_after_ms / kDayMs, " days after they occurred (",
      absl::StrJoin(counts, ", "), ")",
      late.size() > kLateShown
          ? absl::StrCat("; the ", kLateShown, " recorded latest are listed")
          : "",
      "."));
  for (size_t i = 0; i < late.size() && i < kLateShown; ++i) {
    const Record& r = *late[i].second;
    s->tables[0].rows.push_back(
        {Cite(r),
         absl::StrCat("recorded ", late[i].first / kDayMs, " days late",
                      r.event.backfill_reason().empty()
                          ? ""
                          : ": backfill, " + r.event.backfill_reason())});
  }
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
  if (s.tables[0].rows.empty())
    s.paragraphs.push_back(
        "No human override, explanation or log segment was recorded for the "
        "year.");
  return s;
}

Section Completeness(const Records& year, const OperationalTally& tally,
                     const VerifyReport& verified, const AnnualOptions& a) {
  const int64_t late_after_ms = a.late_after_ms;
  Section s = Table1("Completeness", {"record", "what"});
  for (const auto& [i, type] : verified.pending_approvals)
    s.paragraphs.push_back(
        absl::StrCat("Awaiting approval: index ", i, " (", type, ")"));
  for (const auto& [i, type] : verified.rejected)
    s.paragraphs.push_back(
        absl::StrCat("Rejected: index ", i, " (", type, ")"));
  for (const Record* r : year) {
    const v1::Event& e = r->event;
    if (!e.supersedes().empty())
      s.tables[0].rows.push_back(
          {Cite(*r), "correction: " + e.supersedes_reason()});
    if (e.has_retraction())
      s.tables[0].rows.push_back(
          {Cite(*r), "retraction: " + e.retraction().reason()});
  }
  LateRecords(year, late_after_ms, &s);
  uint64_t late_operational = 0;
  for (const auto& [key, g] : tally.groups)
    if (key.organisation == a.organisation && key.year == a.year)
      late_operational += g.late;
  if (late_operational > 0) {
    s.paragraphs.push_back(absl::StrCat(
        late_operational,
        " operational records of the period were recorded late: counted by "
        "system in 'Human oversight, explanations and system logs', not "
        "listed."));
  }
  if (s.paragraphs.empty() && s.tables[0].rows.empty())
    s.paragraphs.push_back("Nothing missing, pending, corrected or late.");
  return s;
}

}  // namespace ailedger::reports::annual
