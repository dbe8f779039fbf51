#include "reports/system_report.h"

#include <functional>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "reports/contradictions.h"
#include "reports/system_sections.h"

namespace ailedger::reports {
namespace {

using factsheet::Context;
using factsheet::Day;
using factsheet::EnumText;
using factsheet::Gap;
using factsheet::IsCurrent;
using factsheet::OrNot;
using factsheet::Ref;
using factsheet::Status;

constexpr int64_t kDayMs = 86'400'000;
constexpr int64_t kLateAfterMs = 7 * kDayMs;

Section Identity(const Context& c, const std::vector<const Record*>& regs,
                 const Record& reg, nlohmann::json* data) {
  const v1::SystemRegistered& s = reg.event.system_registered();
  Section out{"Identity", {}, {{{"field", "value", "status", "evidence"}, {}}}};
  const std::string status = Status(c, reg), cite = Cite(reg);
  *data = Ref(c, reg);
  const auto row = [&](const std::string& field, const std::string& value) {
    out.tables[0].rows.push_back({field, value, status, cite});
    (*data)[field] = value;
  };
  row("name", OrNot(s.name()));
  row("intended purpose", OrNot(s.intended_purpose()));
  row("provider", OrNot(s.provider()));
  row("deployers", s.deployers().empty() ? "none named"
                                         : absl::StrJoin(s.deployers(), ", "));
  row("EU role", EnumText(v1::EuRole_Name(s.eu_role()), "EU_ROLE_"));
  row("risk class",
      EnumText(v1::RiskClass_Name(s.risk_class()), "RISK_CLASS_"));
  row("Annex III point", OrNot(s.annex_iii_point()));
  row("jurisdictions", s.jurisdictions().empty()
                           ? "none named"
                           : absl::StrJoin(s.jurisdictions(), ", "));
  row("owner", OrNot(s.owner()));
  row("placed on the market", s.placed_on_market_ms() == 0
                                  ? "not placed"
                                  : Day(s.placed_on_market_ms()));
  row("put into service", s.put_into_service_ms() == 0
                              ? "not put into service"
                              : Day(s.put_into_service_ms()));
  row("predecessor system",
      s.predecessor_system().empty() ? "none" : s.predecessor_system());
  // A successor is named by the decommissioning, or by the successor's own
  // registration (predecessor_system).
  (*data)["successors"] = nlohmann::json::array();
  const auto successor = [&](const Record& r, const std::string& name,
                             const std::string& how) {
    out.tables[0].rows.push_back(
        {"successor system", name + how, Status(c, r), Cite(r)});
    (*data)["successors"].push_back(
        {{"index", r.index}, {"system", name}, {"status", Status(c, r)}});
  };
  for (const Record* r : c.about) {
    if (r->event.has_system_decommissioned() &&
        !r->event.system_decommissioned().successor_system().empty())
      successor(*r, r->event.system_decommissioned().successor_system(),
                " (named at decommissioning)");
  }
  for (const auto& [index, r] : c.by_index) {
    if (r->event.has_system_registered() &&
        r->event.system_registered().predecessor_system() == c.system &&
        !factsheet::NamesSubject(r->event, "system", c.system))
      successor(*r, factsheet::SubjectOf(r->event, "system"),
                " (its registration names this system as predecessor)");
  }
  for (const Record* r : regs) {
    if (r != &reg)
      out.paragraphs.push_back(
          absl::StrCat("Another registration of the system: ", Status(c, *r),
                       " (", Cite(*r), ")."));
  }
  return out;
}

// What a lifecycle record says, or "" for a record of another kind.
std::string LifecycleWhat(const v1::Event& e) {
  if (e.has_system_registered())
    return absl::StrCat("registered: ", OrNot(e.system_registered().name()));
  if (e.has_classification_assessed()) {
    const auto& a = e.classification_assessed();
    return absl::StrCat(
        "classified ",
        EnumText(v1::RiskClass_Name(a.risk_class()), "RISK_CLASS_"),
        a.art6_basis().empty() ? "" : ", Art. " + a.art6_basis());
  }
  if (e.has_dataset_registered())
    return absl::StrCat("dataset ", e.dataset_registered().name(), " ",
                        e.dataset_registered().version());
  if (e.has_test_report())
    return "test report of version " + e.test_report().model_version();
  if (e.has_model_version_released())
    return absl::StrCat("release ", e.model_version_released().version(),
                        e.model_version_released().substantial_modification()
                            ? " (substantial modification)"
                            : "");
  if (e.has_deployment_recorded()) {
    const auto& d = e.deployment_recorded();
    return absl::StrCat("deployment of ", d.version(), " to ", d.deployer(),
                        " (", d.environment(), ")",
                        d.effective_at_ms() == 0
                            ? ""
                            : ", effective " + Day(d.effective_at_ms()));
  }
  if (e.has_rolled_back()) {
    const auto& b = e.rolled_back();
    return absl::StrCat("roll-back from ", b.from_version(), " to ",
                        b.to_version(), " (", b.environment(),
                        "): ", b.reason());
  }
  if (e.has_log_segment_anchored()) {
    const auto& l = e.log_segment_anchored();
    return absl::StrCat("log segment ", Day(l.period().start_ms()), " to ",
                        Day(l.period().end_ms()), ", ", l.record_count(),
                        " records");
  }
  if (e.has_conformity_declared())
    return absl::StrCat("conformity declared (",
                        e.conformity_declared().procedure(), ")");
  if (e.has_eu_database_registered())
    return absl::StrCat("EU database registration under Art. ",
                        e.eu_database_registered().article(), ": ",
                        e.eu_database_registered().registration_id());
  if (e.has_document_retention())
    return "document retention: " +
           EnumText(v1::RetentionAction_Name(e.document_retention().action()),
                    "RETENTION_ACTION_");
  if (e.has_system_decommissioned())
    return "decommissioned: " + e.system_decommissioned().reason();
  return "";
}

// Measurements, releases, deployments, assessments and incidents recorded
// after the system's decommissioning.
bool AfterEndMatters(const v1::Event& e) {
  return e.has_model_version_released() || e.has_deployment_recorded() ||
         e.has_rolled_back() || e.has_fairness_snapshot() ||
         e.has_group_metric_snapshot() || e.has_societal_metric() ||
         e.has_impact_assessment_recorded() || e.has_incident_reported() ||
         e.has_human_override_logged();
}

Section Lifecycle(const Context& c, nlohmann::json* data,
                  std::vector<Gap>* gaps) {
  Section out{"Lifecycle (log order)",
              {},
              {{{"occurred", "event", "what", "status", "evidence"}, {}}}};
  *data = nlohmann::json::array();
  const Record* end = nullptr;
  for (const Record* r : c.about) {
    const std::string what = LifecycleWhat(r->event);
    if (what.empty()) continue;
    out.tables[0].rows.push_back({Day(r->event.occurred_at_ms()),
                                  r->event.event_type(), what, Status(c, *r),
                                  Cite(*r)});
    nlohmann::json j = Ref(c, *r);
    j["what"] = what;
    data->push_back(std::move(j));
    if (r->event.has_system_decommissioned() && IsCurrent(c, *r) && !end)
      end = r;
  }
  if (end == nullptr) return out;
  for (const Record* r : c.about) {
    if (r->index > end->index && AfterEndMatters(r->event))
      gaps->push_back({"after decommissioning",
                       absl::StrCat(r->event.event_type(),
                                    " recorded after the decommissioning (idx ",
                                    end->index, ")"),
                       Cite(*r)});
  }
  return out;
}

struct Expected {
  const char* item;
  std::function<bool(const v1::Event&)> is;
};

// Records a system is expected to have, by the vocabulary's types; and what
// the vocabulary has no type for (VOCABULARY.md, "Not in v2").
Section Completeness(const Context& c, const v1::SystemRegistered& reg,
                     bool complete_range, std::vector<Gap> gaps,
                     nlohmann::json* data) {
  // clang-format off
  std::vector<Expected> expected = {
    {"impact assessment", [](const v1::Event& e) { return e.has_impact_assessment_recorded(); }},
    {"risk assessment", [](const v1::Event& e) { return e.has_risk_assessed(); }},
    {"classification (EU AI Act Art. 6)", [](const v1::Event& e) { return e.has_classification_assessed(); }},
    {"privacy assessment (DPIA or PIA)", [](const v1::Event& e) { return e.has_privacy_assessment_recorded(); }},
    {"monitoring plan (Art. 72)", [](const v1::Event& e) { return e.has_monitoring_plan(); }},
    {"metrics", [](const v1::Event& e) { return e.has_fairness_snapshot() || e.has_group_metric_snapshot() || e.has_societal_metric(); }},
    {"model release", [](const v1::Event& e) { return e.has_model_version_released(); }},
    {"deployment", [](const v1::Event& e) { return e.has_deployment_recorded(); }},
    {"test report (Annex IV 2(g))", [](const v1::Event& e) { return e.has_test_report(); }},
    {"operational log segments (Art. 12, 19)", [](const v1::Event& e) { return e.has_log_segment_anchored(); }},
  };
  const bool high = reg.risk_class() == v1::RISK_CLASS_HIGH;
  if (high) {
    expected.push_back({"conformity declaration (Art. 43, 47)", [](const v1::Event& e) { return e.has_conformity_declared(); }});
    expected.push_back({"EU database registration (Art. 49)", [](const v1::Event& e) { return e.has_eu_database_registered(); }});
  }
  // clang-format on
  std::vector<Gap> own;
  for (const Expected& x : expected) {
    bool found = false;
    for (const Record* r : c.about)
      found = found || (IsCurrent(c, *r) && x.is(r->event));
    if (!found) own.push_back({x.item, "no record", ""});
  }
  if (high) {
    own.push_back({"instructions for use (Art. 13)", "no record type", ""});
    own.push_back(
        {"FRIA notified to the authority (Art. 27(3))", "no record type", ""});
  }
  for (const Record* r : c.about) {
    const int64_t lag =
        static_cast<int64_t>(r->integrated_time_ms) - r->event.occurred_at_ms();
    if (lag > kLateAfterMs)
      own.push_back(
          {"late record",
           absl::StrCat("recorded ", lag / kDayMs, " days after it occurred",
                        r->event.backfill_reason().empty()
                            ? ""
                            : ": backfill, " + r->event.backfill_reason()),
           Cite(*r)});
  }
  gaps.insert(gaps.begin(), own.begin(), own.end());
  Section out{
      "Completeness",
      {complete_range
           ? "The verified range starts at index 0 with the roster proven: "
             "what is missing below is missing from the log."
           : "The verified range does not start at index 0 with the roster "
             "proven: a record said missing below may lie outside it.",
       "\"no record\": the vocabulary has a type for it and the verified "
       "records hold none current about this system; \"no record type\": "
       "the vocabulary has no type for it, so the log cannot show it."},
      {{{"item", "finding", "evidence"}, {}},
       {{"record", "correction", "evidence"}, {}}}};
  *data = nlohmann::json::object();
  (*data)["gaps"] = nlohmann::json::array();
  for (const Gap& g : gaps) {
    out.tables[0].rows.push_back({g.item, g.finding, g.evidence});
    (*data)["gaps"].push_back({{"item", g.item}, {"finding", g.finding}});
  }
  if (gaps.empty()) out.paragraphs.push_back("Nothing expected is missing.");
  (*data)["corrections"] = nlohmann::json::array();
  for (const Record* r : c.about) {
    if (IsCurrent(c, *r)) continue;
    out.tables[1].rows.push_back(
        {r->event.event_type(), Status(c, *r), Cite(*r)});
    (*data)["corrections"].push_back(Ref(c, *r));
  }
  if (out.tables[1].rows.empty()) {
    out.tables.pop_back();
    out.paragraphs.push_back(
        "No record about the system is superseded or "
        "retracted.");
  }
  return out;
}

}  // namespace

absl::StatusOr<Report> SystemReport(const std::vector<Record>& records,
                                    const VerifyReport& verified,
                                    const VerifyOptions& options,
                                    const std::string& system) {
  const Context c = factsheet::BuildContext(records, verified, system);
  std::vector<const Record*> regs;
  for (const Record* r : c.about) {
    if (r->event.has_system_registered() &&
        factsheet::NamesSubject(r->event, "system", system))
      regs.push_back(r);
  }
  if (regs.empty()) {
    return absl::NotFoundError(absl::StrCat("no SystemRegistered for system '",
                                            system,
                                            "' in the verified records"));
  }
  const Record* reg = regs.back();  // the last current one, else the last
  for (auto it = regs.rbegin(); it != regs.rend(); ++it) {
    if (IsCurrent(c, **it)) {
      reg = *it;
      break;
    }
  }
  Report out;
  out.kind = "system-factsheet";
  out.title = absl::StrCat("System factsheet: ", system);
  out.envelope = EnvelopeOf(verified, options);
  out.envelope.parameters = {
      {"system", system},
      {"as of", Day(c.as_of_ms) + " (the last record's integration time)"},
      {"late after", absl::StrCat(kLateAfterMs / kDayMs, " days")},
      {"minimum n", "the plan metric's, else 30"}};
  out.data["system"] = system;
  std::vector<Gap> gaps;
  out.sections.push_back(Identity(c, regs, *reg, &out.data["identity"]));
  out.sections.push_back(Lifecycle(c, &out.data["lifecycle"], &gaps));
  factsheet::AddVersions(c, &out, &gaps);
  factsheet::AddAssessments(c, &out, &gaps);
  factsheet::AddMetrics(c, &out, &gaps);
  factsheet::AddIncidents(c, &out, &gaps);
  factsheet::AddApprovals(c, &out, &gaps);
  factsheet::AddAudits(c, &out, &gaps);
  // Statements about the system that a party's own records contradict, and
  // the checks that could not be made (contradictions.h).
  ContradictionOptions contradictions;
  contradictions.complete_range = out.envelope.complete_range;
  for (const Contradiction& x :
       FindContradictions(records, "", contradictions)) {
    if (x.system != system || x.verdict == Verdict::kAgrees) continue;
    std::vector<std::string> cites = {x.statement};
    cites.insert(cites.end(), x.evidence.begin(), x.evidence.end());
    gaps.push_back({absl::StrCat(VerdictName(x.verdict), ": ", x.check),
                    x.difference, absl::StrJoin(cites, "; ")});
  }
  out.sections.push_back(Completeness(
      c, reg->event.system_registered(), out.envelope.complete_range,
      std::move(gaps), &out.data["completeness"]));
  return out;
}

}  // namespace ailedger::reports
