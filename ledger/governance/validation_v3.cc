#include "ledger/governance/validation_v3.h"

#include <set>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "ledger/governance/frameworks.h"
#include "ledger/governance/iso42001.h"
#include "ledger/governance/validation_rules.h"

namespace ailedger::validation {
namespace {

constexpr absl::string_view kReportKinds[] = {
    "annual-impact", "iso42001-evidence", "ca-aia",  "eu-ai-act",
    "verification",  "art73-clocks",      "fairness"};

// EU member states and the EEA states the AI Act applies in (ISO 3166-1).
constexpr absl::string_view kEea[] = {
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR",
    "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL",
    "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO"};

bool Serious(v1::Severity s) {
  return s == v1::SEVERITY_SERIOUS || s == v1::SEVERITY_CRITICAL;
}

// The groups of a feature's cells, intersections joined as in v1.
std::set<std::string> GroupsOf(const v1::SensitiveFeature& f) {
  std::set<std::string> groups;
  for (const auto& c : f.cells())
    groups.insert(absl::StrJoin(c.group(), " x "));
  return groups;
}

absl::Status CheckPopulation(const v1::Population& p,
                             const std::string& field) {
  if (p.sampling() == v1::SAMPLING_SAMPLE && p.sampling_method().empty())
    return Missing(field + ".sampling_method");
  return absl::OkStatus();
}

absl::Status Fairness(const v1::Event& e) {
  const v1::FairnessSnapshot& f = e.fairness_snapshot();
  const std::string p = "fairness_snapshot.";
  if (!f.reference_group().empty()) {
    return Bad(p + "reference_group",
               "is per feature (features[].reference_group) since v2");
  }
  for (int i = 0; i < f.features_size(); ++i) {
    if (!GroupsOf(f.features(i)).count(f.features(i).reference_group())) {
      return Bad(absl::StrCat(p, "features[", i, "].reference_group"),
                 "must name one of that feature's groups");
    }
  }
  if (f.plan_event_id().empty() != f.plan_metric_id().empty()) {
    return Missing(
        p + (f.plan_event_id().empty() ? "plan_event_id" : "plan_metric_id"));
  }
  return CheckPopulation(f.population(), p + "population");
}

absl::Status GroupMetric(const v1::Event& e) {
  const v1::GroupMetricSnapshot& g = e.group_metric_snapshot();
  bool found = false;
  for (const auto& s : g.groups()) found |= s.group() == g.reference_group();
  if (!found) {
    return Bad("group_metric_snapshot.reference_group",
               "must name one of the groups");
  }
  if (g.plan_event_id().empty() != g.plan_metric_id().empty())
    return Missing("group_metric_snapshot.plan_metric_id");
  return CheckPopulation(g.population(), "group_metric_snapshot.population");
}

absl::Status Societal(const v1::Event& e) {
  const v1::SocietalMetricRecorded& m = e.societal_metric();
  if (m.has_uncertainty() &&
      m.uncertainty_kind() == v1::UNCERTAINTY_KIND_UNSPECIFIED)
    return Missing("societal_metric.uncertainty_kind");
  if (m.uncertainty_kind() == v1::UNCERTAINTY_KIND_CONFIDENCE_HALF_WIDTH &&
      !(m.confidence_level() > 0 && m.confidence_level() < 1)) {
    return Bad("societal_metric.confidence_level",
               "a level between 0 and 1 (e.g. 0.95) with a half-width");
  }
  return absl::OkStatus();
}

bool IsMetricId(absl::string_view id) {
  const size_t colon = id.find(':');
  return colon != absl::string_view::npos && colon > 0 &&
         colon + 1 < id.size() && id.find(' ') == absl::string_view::npos;
}

absl::Status Monitoring(const v1::Event& e) {
  std::set<std::string> ids;
  const auto& metrics = e.monitoring_plan().metrics();
  for (int i = 0; i < metrics.size(); ++i) {
    const v1::PlannedMetric& m = metrics[i];
    const std::string f = absl::StrCat("monitoring_plan.metrics[", i, "].");
    if (!IsMetricId(m.metric_id())) {
      return Bad(f + "metric_id",
                 "namespace:name, e.g. fairlearn:demographic_parity_ratio");
    }
    if (!ids.insert(m.metric_id()).second)
      return Bad(f + "metric_id", "appears twice in the plan");
    if (m.event_type() != "FairnessSnapshot" &&
        m.event_type() != "GroupMetricSnapshot")
      continue;
    if (m.method() == v1::METRIC_METHOD_UNSPECIFIED)
      return Missing(f + "method");
    if (m.comparator() == v1::COMPARATOR_UNSPECIFIED)
      return Missing(f + "comparator");
    if (!m.has_threshold()) return Missing(f + "threshold");
    if (!m.has_min_cell_count()) return Missing(f + "min_cell_count");
  }
  return absl::OkStatus();
}

absl::Status MemberStates(
    const google::protobuf::RepeatedPtrField<std::string>& states,
    const std::string& field) {
  for (int i = 0; i < states.size(); ++i) {
    if (!IsEeaMemberState(states[i])) {
      return Bad(absl::StrCat(field, "[", i, "]"),
                 "an EU/EEA member state (ISO 3166-1 alpha-2, e.g. DE)");
    }
  }
  return absl::OkStatus();
}

// Art. 3(49): a serious incident is one of its categories; the severity,
// the category and a "not serious" decision must say the same.
absl::Status Incident(const v1::Event& e) {
  const v1::IncidentReported& r = e.incident_reported();
  const std::string f = "incident_reported.";
  const bool category = !r.art3_49_category().empty();
  if (Serious(r.severity()) != category) {
    return Bad(f + "severity",
               category ? "an Art. 3(49) incident is SERIOUS or CRITICAL"
                        : "SERIOUS or CRITICAL needs art3_49_category");
  }
  if (r.death() && r.art3_49_category() != "a")
    return Bad(f + "art3_49_category", "a death is category (a)");
  if (category && r.member_states().empty())
    return Missing(f + "member_states");
  return MemberStates(r.member_states(), f + "member_states");
}

absl::Status IncidentUpdate(const v1::Event& e) {
  const v1::IncidentUpdated& u = e.incident_updated();
  const bool reclassifies = u.severity() != v1::SEVERITY_UNSPECIFIED ||
                            !u.art3_49_category().empty() ||
                            u.has_not_serious() || u.has_death() ||
                            u.has_widespread_infringement();
  if (reclassifies && u.reclassification_reason().empty())
    return Missing("incident_updated.reclassification_reason");
  if (Serious(u.severity()) && u.seriousness_established_at_ms() <= 0)
    return Missing("incident_updated.seriousness_established_at_ms");
  return absl::OkStatus();
}

absl::Status Notification(const v1::Event& e) {
  const v1::RegulatorNotificationSent& n = e.regulator_notification();
  if (n.regime() == v1::REGIME_OTHER && n.regime_other().empty())
    return Missing("regulator_notification.regime_other");
  if (n.regime() == v1::REGIME_EU_AI_ACT_ART73 &&
      !IsEeaMemberState(n.member_state())) {
    return Bad("regulator_notification.member_state",
               "an EU/EEA member state under Art. 73");
  }
  return absl::OkStatus();
}

absl::Status Control(const v1::Event& e) {
  const v1::ControlStatusUpdated& c = e.control_status_updated();
  const bool supplier = c.status() == v1::CONTROL_STATUS_BY_SUPPLIER ||
                        c.status() == v1::CONTROL_STATUS_SHARED;
  if (supplier && c.agreement_event_id().empty())
    return Missing("control_status_updated.agreement_event_id");  // A.10.2
  return absl::OkStatus();
}

bool IsControlId(const std::string& id) {
  return (absl::StartsWith(id, "x:") && id.size() > 2) || IsAnnexAControl(id);
}

absl::Status RiskTreatment(const v1::Event& e) {
  const auto& controls = e.risk_treated().controls();
  for (int i = 0; i < controls.size(); ++i) {
    if (!IsControlId(controls[i])) {
      return Bad(absl::StrCat("risk_treated.controls[", i, "]"),
                 absl::StrCat("'", controls[i],
                              "' is not an Annex A control id (A.6.2.4) nor "
                              "an own control \"x:NAME\""));
    }
  }
  return absl::OkStatus();
}

absl::Status Reference(const std::string& ref, const std::string& field) {
  if (ref.empty()) return absl::OkStatus();
  if (auto s = CheckFrameworkRef(ref, /*existing_clauses=*/true); !s.ok())
    return Bad(field, s.message());
  return absl::OkStatus();
}

absl::Status Report(const v1::Event& e) {
  for (absl::string_view k : kReportKinds) {
    if (k == e.report_published().kind()) return absl::OkStatus();
  }
  return Bad("report_published.kind",
             absl::StrCat("one of ", absl::StrJoin(kReportKinds, ", ")));
}

absl::Status ImpactAssessment(const v1::Event& e) {
  const v1::ImpactAssessmentRecorded& a = e.impact_assessment_recorded();
  const std::string f = "impact_assessment_recorded.";
  if (a.has_claimed() && a.claimed().has_level() &&
      (a.claimed().level() < 1 || a.claimed().level() > 4))
    return Bad(f + "claimed.level", "an impact level 1 to 4");
  if (a.framework() != "ca-dadm:aia") return absl::OkStatus();
  if (a.survey_version().empty()) return Missing(f + "survey_version");
  if (a.applicability() == v1::AIA_APPLICABILITY_UNSPECIFIED)
    return Missing(f + "applicability");
  if (a.requirement_set() != "pre-2023" && a.requirement_set() != "2023")
    return Bad(f + "requirement_set", "\"pre-2023\" or \"2023\"");
  if (a.questionnaire_event_id().empty())
    return Missing(f + "questionnaire_event_id");
  if (a.answers().empty()) return Missing(f + "answers");
  return absl::OkStatus();
}

absl::Status RoleAssignment(const v1::Event& e) {
  if (e.role_assigned().holder_public_key().size() != 32) {
    return Bad("role_assigned.holder_public_key",
               "the holder's 32-byte Ed25519 public key");
  }
  return absl::OkStatus();
}

using Rule = absl::Status (*)(const v1::Event&);

constexpr std::pair<absl::string_view, Rule> kRules[] = {
    {"FairnessSnapshot", Fairness},
    {"GroupMetricSnapshot", GroupMetric},
    {"SocietalMetricRecorded", Societal},
    {"MonitoringPlan", Monitoring},
    {"IncidentReported", Incident},
    {"IncidentUpdated", IncidentUpdate},
    {"RegulatorNotificationSent", Notification},
    {"ControlStatusUpdated", Control},
    {"RiskTreated", RiskTreatment},
    {"ReportPublished", Report},
    {"ImpactAssessmentRecorded", ImpactAssessment},
    {"RoleAssigned", RoleAssignment},
};

}  // namespace

const std::map<std::string, std::vector<std::string>>& Version3Table() {
  static const auto* table =
      new std::map<std::string, std::vector<std::string>>{
          {"FairnessSnapshot",
           {"features[].reference_group", "positive_label",
            "positive_is_favourable", "decision_threshold", "method_version",
            "population", "population.sampling"}},
          {"GroupMetricSnapshot",
           {"feature", "reference_group", "population", "population.sampling"}},
          {"SocietalMetricRecorded", {"value"}},
          {"MonitoringPlan", {"metrics[].metric_id", "metrics[].rationale"}},
          {"RegulatorNotificationSent",
           {"regime", "incident_event_id", "content_sha256"}},
          {"AuditStarted", {"auditee", "audit_type"}},
          {"AuditProgramme",
           {"audits", "audits[].audit_id", "audits[].type", "audits[].window"}},
          {"SystemRegistered", {"name"}},
          {"LogSegmentAnchored",
           {"digest_method", "model_versions", "log_owner", "log_party",
            "cadence_days"}},
          {"Approval", {"authority_event_id"}},
          {"RoleAssigned", {"holder_public_key"}},
          {"ReportPublished", {"period"}},
      };
  return *table;
}

absl::Status CheckVersion3Rules(const v1::Event& e) {
  if (e.schema_version() > 2)  // 0: not stated
    return Bad("schema_version", "1 or 2 (the vocabularies this log knows)");
  if (e.has_audit_finding()) {
    auto s =
        Reference(e.audit_finding().reference(), "audit_finding.reference");
    if (!s.ok()) return s;
  }
  if (e.has_nonconformity_raised()) {
    auto s = Reference(e.nonconformity_raised().reference(),
                       "nonconformity_raised.reference");
    if (!s.ok()) return s;
  }
  if (e.has_questionnaire_defined()) return CheckAiaQuestionnaire(e);
  for (const auto& [type, rule] : kRules) {
    if (type == e.event_type()) return rule(e);
  }
  return absl::OkStatus();
}

absl::Span<const absl::string_view> ReportKinds() { return kReportKinds; }

bool IsEeaMemberState(absl::string_view code) {
  for (absl::string_view c : kEea) {
    if (c == code) return true;
  }
  return false;
}

}  // namespace ailedger::validation
