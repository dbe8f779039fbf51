// What Art73Clocks shows around an incident: the regime row that applies to
// its system, earlier related records, changes to the system before the
// authorities were informed (Art. 73(6)), and facts to check.
#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "reports/art73_internal.h"
#include "reports/fairness.h"

namespace ailedger::reports::art73 {
namespace {

std::string Day(int64_t ms) {
  return absl::FormatCivilTime(DayOf(ms, nullptr));
}

bool AboutSystem(const Record& r, const std::string& system) {
  return !system.empty() && SubjectOf(r.event, "system") == system;
}

// The regime row id of one classification record; "" when it says nothing.
std::string RuleOf(const Record& r, std::string* basis) {
  v1::RiskClass risk;
  std::string annex_iii, art6;
  if (r.event.has_classification_assessed()) {
    const auto& c = r.event.classification_assessed();
    risk = c.risk_class();
    annex_iii = c.annex_iii_point();
    art6 = c.art6_basis();
  } else if (r.event.has_system_registered()) {
    risk = r.event.system_registered().risk_class();
    annex_iii = r.event.system_registered().annex_iii_point();
  } else {
    return "";
  }
  if (risk == v1::RISK_CLASS_UNSPECIFIED) return "";
  if (risk != v1::RISK_CLASS_HIGH) {
    *basis = v1::RiskClass_Name(risk);
    return "not-high-risk";
  }
  if (art6 == "6(1)") {
    *basis = "high-risk, Art. 6(1)";
    return "annex-i";
  }
  if (art6 == "6(2)" || !annex_iii.empty()) {
    *basis = absl::StrCat("high-risk, Annex III ", annex_iii);
    return "annex-iii";
  }
  // No basis: the earlier date, so that a duty is never shown as not yet
  // applicable on a guess.
  *basis = "high-risk, Art. 6 basis not recorded: the Annex III date assumed";
  return "annex-iii";
}

}  // namespace

Applicability Applicable::Of(absl::CivilDay start_day) const {
  if (rule == nullptr) return Applicability::kUndetermined;
  if (!rule->applies_from) return Applicability::kNotHighRisk;
  return start_day < *rule->applies_from ? Applicability::kNotYet
                                         : Applicability::kApplies;
}

Applicable ApplicabilityOf(const Index& ix, const Record& report,
                           const RegimeTable& regime) {
  const std::string system = SubjectOf(report.event, "system");
  Applicable a;
  std::string basis, id;
  // The latest classification before the incident, else the first after.
  for (const Record* r : ix.all()) {
    std::string b;
    if (!AboutSystem(*r, system) || ix.Withdrawn(*r)) continue;
    const std::string rule = RuleOf(*r, &b);
    if (rule.empty()) continue;
    if (a.record != nullptr && r->index > report.index) break;
    a.record = r;
    id = rule;
    basis = b;
  }
  if (a.record != nullptr) a.rule = regime.Find(id);
  const std::string table =
      absl::StrCat(regime.file, " ", regime.version, ": ");
  if (a.rule == nullptr) {
    a.record = nullptr;
    a.text = absl::StrCat(table, "the system's risk class is not recorded ('",
                          system, "'): applicability undetermined");
    return a;
  }
  a.text = absl::StrCat(
      table, a.rule->systems, ", ",
      a.rule->applies_from
          ? absl::StrCat("from ", absl::FormatCivilTime(*a.rule->applies_from))
          : "never",
      " (", a.rule->source, "); the system: ", basis, " (idx ", a.record->index,
      ")");
  if (a.record->index > report.index)
    absl::StrAppend(&a.text, ", classified after the incident");
  if (a.record->event.has_system_registered() && regime.legacy_before &&
      a.rule->applies_from) {
    const auto& s = a.record->event.system_registered();
    const int64_t placed = s.placed_on_market_ms() != 0
                               ? s.placed_on_market_ms()
                               : s.put_into_service_ms();
    if (placed != 0 && DayOf(placed, nullptr) < *regime.legacy_before)
      absl::StrAppend(&a.text, "; placed on the market or put into service ",
                      Day(placed), ": ", regime.legacy);
  }
  return a;
}

namespace {

// A fairness snapshot's breach: below its plan's ratio threshold, else the
// four-fifths screen; "" when neither.
std::string FairnessBreach(const Record& r, const Index& ix) {
  const v1::FairnessSnapshot& f = r.event.fairness_snapshot();
  const v1::PlannedMetric* plan = nullptr;
  if (const Record* p = ix.ById(f.plan_event_id());
      p != nullptr && p->event.has_monitoring_plan()) {
    for (const auto& m : p->event.monitoring_plan().metrics()) {
      if (m.metric_id() == f.plan_metric_id()) plan = &m;
    }
  }
  FairnessOptions o;
  if (plan && plan->has_min_cell_count()) o.min_n = plan->min_cell_count();
  auto results = ComputeSnapshotFairness(f, o);
  if (!results.ok()) return "";
  // A plan threshold is read as a ratio only for a ratio metric kept "at
  // least" the threshold; differences are the fairness report's to judge.
  const bool plan_ratio =
      plan && plan->has_threshold() &&
      absl::StrContains(
          absl::AsciiStrToLower(plan->metric_id() + " " + plan->comparison()),
          "ratio") &&
      absl::StrContains(absl::AsciiStrToLower(plan->comparison()), "least");
  for (const FairnessResult& res : *results) {
    const bool to_reference =
        plan && plan->comparator() == v1::COMPARATOR_REFERENCE_GROUP;
    for (const ImpactRatio& ir :
         to_reference ? res.vs_reference : res.vs_highest) {
      if (ir.insufficient_data || !ir.ratio.defined) continue;
      const std::string what = absl::StrFormat(
          "%s %s: ratio %.4f to %s", res.feature, ir.group, ir.ratio.value,
          to_reference ? "the reference group" : "the highest group");
      if (plan_ratio && ir.ratio.value < plan->threshold()) {
        return absl::StrCat("threshold breach: ", what, ", below the plan's ",
                            plan->threshold(), " (", plan->metric_id(), ")");
      }
      if (!plan_ratio && ir.screening_flag) {
        return absl::StrCat("four-fifths screening flag (not a finding): ",
                            what);
      }
    }
  }
  return "";
}

}  // namespace

void Related(const Index& ix, const Record& report, int64_t start_ms,
             int64_t lookback_ms, std::vector<Attention>* out) {
  const std::string system = SubjectOf(report.event, "system");
  for (const Record* r : ix.all()) {
    const v1::Event& e = r->event;
    if (r == &report || !AboutSystem(*r, system) || ix.Withdrawn(*r) ||
        e.occurred_at_ms() >= start_ms ||
        e.occurred_at_ms() < start_ms - lookback_ms)
      continue;
    std::string what;
    if (e.has_fairness_snapshot()) {
      what = FairnessBreach(*r, ix);
    } else if (e.has_stakeholder_feedback_received() &&
               absl::StrContains(
                   absl::AsciiStrToLower(
                       e.stakeholder_feedback_received().category()),
                   "complaint")) {
      what = absl::StrCat("complaint (",
                          e.stakeholder_feedback_received().channel(),
                          "): ", e.stakeholder_feedback_received().summary());
    } else if (e.has_incident_reported() &&
               IncidentId(*r) != IncidentId(report)) {
      what = absl::StrCat("earlier incident ", IncidentId(*r), ": ",
                          e.incident_reported().description());
    }
    if (what.empty()) continue;
    out->push_back(
        {IncidentId(report),
         absl::StrCat(Day(e.occurred_at_ms()), ", before awareness (",
                      Day(start_ms), "): ", what),
         r, Cite(*r)});
  }
}

void Alterations(const Index& ix, const Record& report, int64_t start_ms,
                 int64_t informed_ms, std::vector<Attention>* out) {
  const std::string system = SubjectOf(report.event, "system");
  for (const Record* r : ix.all()) {
    const v1::Event& e = r->event;
    if (!AboutSystem(*r, system) || ix.Withdrawn(*r)) continue;
    int64_t t = e.occurred_at_ms();
    std::string what;
    if (e.has_model_version_released()) {
      what = "release " + e.model_version_released().version();
    } else if (e.has_rolled_back()) {
      what = absl::StrCat("roll-back from ", e.rolled_back().from_version(),
                          " to ", e.rolled_back().to_version());
    } else if (e.has_deployment_recorded()) {
      what = absl::StrCat("deployment of ", e.deployment_recorded().version(),
                          " to ", e.deployment_recorded().deployer());
      if (e.deployment_recorded().effective_at_ms() != 0)
        t = e.deployment_recorded().effective_at_ms();
    } else {
      continue;
    }
    if (t < start_ms || t >= informed_ms) continue;
    out->push_back(
        {IncidentId(report),
         absl::StrCat(what, " on ", UtcTime(t),
                      ", after awareness and before the authorities were "
                      "informed (Art. 73(6): no alteration that may affect "
                      "the evaluation of the causes before informing them)"),
         r, Cite(*r)});
  }
}

void Checks(const Record& report, const Notifications& sent,
            std::vector<Attention>* out) {
  const auto& inc = report.event.incident_reported();
  const std::string id = IncidentId(report);
  if (inc.aware_at_ms() > static_cast<int64_t>(report.integrated_time_ms)) {
    out->push_back(
        {id,
         absl::StrCat("aware_at ", UtcTime(inc.aware_at_ms()),
                      " is later than the incident's own record was "
                      "integrated (",
                      UtcTime(report.integrated_time_ms),
                      "): awareness cannot be later than the first record"),
         &report, Cite(report)});
  }
  for (const std::string& ms : sent.States()) {
    if (std::find(inc.member_states().begin(), inc.member_states().end(), ms) ==
            inc.member_states().end() &&
        !inc.member_states().empty()) {
      out->push_back({id,
                      absl::StrCat("notified in '", ms,
                                   "', which the incident does not name "
                                   "among its Member States"),
                      &report, Cite(report)});
    }
  }
}

}  // namespace ailedger::reports::art73
