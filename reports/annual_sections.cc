#include "reports/annual_sections.h"

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

Section Completeness(const Records& year, const VerifyReport& verified,
                     int64_t late_after_ms) {
  Section s = Table1("Completeness", {"record", "what"});
  for (const auto& [i, type] : verified.pending_approvals)
    s.paragraphs.push_back(
        absl::StrCat("Awaiting approval: index ", i, " (", type, ")"));
  for (const auto& [i, type] : verified.rejected)
    s.paragraphs.push_back(
        absl::StrCat("Rejected: index ", i, " (", type, ")"));
  for (const Record* r : year) {
    const v1::Event& e = r->event;
    const int64_t lag =
        static_cast<int64_t>(r->integrated_time_ms) - e.occurred_at_ms();
    if (!e.supersedes().empty())
      s.tables[0].rows.push_back(
          {Cite(*r), "correction: " + e.supersedes_reason()});
    if (e.has_retraction())
      s.tables[0].rows.push_back(
          {Cite(*r), "retraction: " + e.retraction().reason()});
    if (lag > late_after_ms) {
      s.tables[0].rows.push_back(
          {Cite(*r), absl::StrCat("recorded ", lag / kDayMs, " days late",
                                  e.backfill_reason().empty()
                                      ? ""
                                      : ": backfill, " + e.backfill_reason())});
    }
  }
  if (s.paragraphs.empty() && s.tables[0].rows.empty())
    s.paragraphs.push_back("Nothing missing, pending, corrected or late.");
  return s;
}

}  // namespace ailedger::reports::annual
