// The rules of single event types beyond required fields (validation.h,
// layer 4). Required fields, digests, periods and finite numbers have been
// checked when these run.
#include "ledger/governance/validation_rules.h"

#include <cctype>
#include <functional>
#include <set>
#include <utility>

#include "absl/strings/str_join.h"
#include "ledger/governance/iso42001.h"

namespace ailedger::validation {
namespace {

// The cells of every feature, and the share of unknown membership. Under
// version 3 the reference group is per feature (validation_v3.cc).
absl::Status FairnessCells(const v1::Event& e, std::set<std::string>* out) {
  const v1::FairnessSnapshot& f = e.fairness_snapshot();
  std::set<std::string>& groups = *out;  // cells' groups, intersections joined
  for (int i = 0; i < f.features_size(); ++i) {
    const std::string field =
        absl::StrCat("fairness_snapshot.features[", i, "]");
    const v1::SensitiveFeature& feature = f.features(i);
    if (feature.name().empty()) return Missing(field + ".name");
    if (feature.cells_size() < 2)
      return Bad(field + ".cells", "at least two groups");
    for (int k = 0; k < feature.cells_size(); ++k) {
      const auto& c = feature.cells(k);
      const std::string cell = absl::StrCat(field, ".cells[", k, "].group");
      if (c.group().empty()) return Missing(cell);
      for (const auto& g : c.group()) {
        if (g.empty()) return Bad(cell, "empty group name");
      }
      groups.insert(absl::StrJoin(c.group(), " x "));  // "female x 60+"
    }
  }
  if (!(f.share_unknown() >= 0 && f.share_unknown() <= 1)) {
    return Bad("fairness_snapshot.share_unknown", "a share between 0 and 1");
  }
  return absl::OkStatus();
}

absl::Status Fairness(const v1::Event& e) {
  std::set<std::string> groups;
  if (auto s = FairnessCells(e, &groups); !s.ok()) return s;
  if (!groups.count(e.fairness_snapshot().reference_group())) {
    return Bad("fairness_snapshot.reference_group",
               "must name one of the snapshot's groups");
  }
  return absl::OkStatus();
}

absl::Status GroupMetric(const v1::Event& e) {
  const v1::GroupMetricSnapshot& g = e.group_metric_snapshot();
  for (int i = 0; i < g.groups_size(); ++i) {
    const v1::GroupStat& s = g.groups(i);
    const std::string field =
        absl::StrCat("group_metric_snapshot.groups[", i, "]");
    if (!(s.sum_of_squares() >= 0))
      return Bad(field, "sum_of_squares must be non-negative");
    if (s.n() == 0 && (s.sum() != 0 || s.sum_of_squares() != 0))
      return Bad(field, "a group of n = 0 has sums of 0");
  }
  return absl::OkStatus();
}

absl::Status Societal(const v1::Event& e) {
  if (!(e.societal_metric().uncertainty() >= 0))
    return Bad("societal_metric.uncertainty", "non-negative");
  return absl::OkStatus();
}

// The serious-incident categories of EU AI Act Art. 3(49), points (a)-(d).
bool IsArt349Category(const std::string& c) {
  return c == "a" || c == "b" || c == "c" || c == "d";
}

absl::Status Incident(const v1::Event& e) {
  const v1::IncidentReported& r = e.incident_reported();
  if (r.causal_link_at_ms() != 0 && r.causal_link_at_ms() < r.aware_at_ms())
    return Bad("incident_reported.causal_link_at_ms", "before aware_at_ms");
  const std::string& c = r.art3_49_category();
  if (!c.empty() && !IsArt349Category(c)) {
    return Bad("incident_reported.art3_49_category",
               "one of a, b, c, d (Art. 3(49))");
  }
  if (r.not_serious() && r.not_serious_reason().empty())
    return Missing("incident_reported.not_serious_reason");
  if (r.not_serious() && (!c.empty() || r.death())) {
    return Bad("incident_reported.not_serious",
               "contradicts art3_49_category or death");
  }
  if (!r.not_serious() && c.empty()) {
    return Bad("incident_reported.art3_49_category",
               "required, or a not_serious decision with its reason");
  }
  return absl::OkStatus();
}

absl::Status IncidentUpdate(const v1::Event& e) {
  const std::string& c = e.incident_updated().art3_49_category();
  if (!c.empty() && !IsArt349Category(c)) {
    return Bad("incident_updated.art3_49_category",
               "one of a, b, c, d (Art. 3(49))");
  }
  return absl::OkStatus();
}

absl::Status Notification(const v1::Event& e) {
  const std::string& ms = e.regulator_notification().member_state();
  if (ms.size() != 2 || !std::isupper(static_cast<unsigned char>(ms[0])) ||
      !std::isupper(static_cast<unsigned char>(ms[1]))) {
    return Bad("regulator_notification.member_state",
               "an ISO 3166-1 alpha-2 code");
  }
  return absl::OkStatus();
}

absl::Status System(const v1::Event& e) {
  const v1::SystemRegistered& r = e.system_registered();
  if (r.risk_class() == v1::RISK_CLASS_HIGH && r.annex_iii_point().empty())
    return Missing("system_registered.annex_iii_point");  // which use
  return absl::OkStatus();
}

absl::Status Release(const v1::Event& e) {
  const v1::ModelVersionReleased& r = e.model_version_released();
  if (r.version() == r.previous_version())
    return Bad("model_version_released.previous_version", "equals the version");
  if (r.substantial_modification() && r.modification_rationale().empty())
    return Missing("model_version_released.modification_rationale");
  return absl::OkStatus();
}

// EU AI Act Art. 6(3): the conditions (a)-(d), and profiling is always
// high-risk.
absl::Status Classification(const v1::Event& e) {
  const v1::ClassificationAssessed& c = e.classification_assessed();
  const std::string& k = c.art6_3_condition();
  const bool high = c.risk_class() == v1::RISK_CLASS_HIGH;
  if (!k.empty() && k != "a" && k != "b" && k != "c" && k != "d") {
    return Bad("classification_assessed.art6_3_condition",
               "one of a, b, c, d (Art. 6(3))");
  }
  if (c.profiling() && !high) {
    return Bad("classification_assessed.risk_class",
               "an Annex III system that profiles natural persons is always "
               "high-risk (Art. 6(3))");
  }
  if (!k.empty() && high) {
    return Bad("classification_assessed.art6_3_condition",
               "an Art. 6(3) condition concludes not high-risk");
  }
  return absl::OkStatus();
}

absl::Status LogSegment(const v1::Event& e) {
  const v1::LogSegmentAnchored& l = e.log_segment_anchored();
  if (l.retain_until_ms() < l.period().end_ms())
    return Bad("log_segment_anchored.retain_until_ms",
               "before the period ends");
  return absl::OkStatus();
}

absl::Status UniqueIds(const std::vector<std::string>& ids,
                       const std::string& field) {
  std::set<std::string> seen;
  for (size_t i = 0; i < ids.size(); ++i) {
    const std::string name = absl::StrCat(field, "[", i, "]");
    if (ids[i].empty()) return Missing(name);
    if (!seen.insert(ids[i]).second) return Bad(name, "repeated");
  }
  return absl::OkStatus();
}

std::vector<std::string> AnswerIds(
    const google::protobuf::RepeatedPtrField<v1::Answer>& answers) {
  std::vector<std::string> ids;
  for (const auto& a : answers) ids.push_back(a.question_id());
  return ids;
}

absl::Status Questionnaire(const v1::Event& e) {
  const auto& q = e.questionnaire_defined().question_ids();
  return UniqueIds({q.begin(), q.end()}, "questionnaire_defined.question_ids");
}

absl::Status CheckFria(const v1::FriaElements& f) {
  const std::pair<const std::string*, const char*> parts[] = {
      {&f.processes(), "processes"},
      {&f.period_and_frequency(), "period_and_frequency"},
      {&f.affected_categories(), "affected_categories"},
      {&f.specific_risks(), "specific_risks"},
      {&f.human_oversight(), "human_oversight"},
      {&f.measures_if_materialised(), "measures_if_materialised"},
  };
  for (const auto& [value, name] : parts) {
    if (value->empty())
      return Missing(absl::StrCat("impact_assessment_recorded.fria.", name));
  }
  return absl::OkStatus();
}

// A questionnaire-based framework needs the questionnaire and the answers; an
// Art. 27 FRIA its six elements; an ISO/IEC 42005 assessment its scope,
// system information and impacts.
absl::Status ImpactAssessment(const v1::Event& e) {
  const v1::ImpactAssessmentRecorded& a = e.impact_assessment_recorded();
  const std::string f = "impact_assessment_recorded.";
  if (auto s = UniqueIds(AnswerIds(a.answers()), f + "answers.question_id");
      !s.ok())
    return s;
  if (a.framework() == "ca-dadm:aia") {
    if (a.questionnaire_event_id().empty())
      return Missing(f + "questionnaire_event_id");
    if (a.answers().empty()) return Missing(f + "answers");
  }
  if (a.framework() == "euaia:art27") return CheckFria(a.fria());
  if (a.framework() == "iso42005") {
    if (a.scope().empty()) return Missing(f + "scope");
    if (a.system_information().empty())
      return Missing(f + "system_information");
    if (a.impacts().empty()) return Missing(f + "impacts");
  }
  return absl::OkStatus();
}

absl::Status RiskCriteria(const v1::Event& e) {
  const v1::RiskCriteriaDefined& c = e.risk_criteria_defined();
  if (c.likelihood_scale_size() < 2)
    return Bad("risk_criteria_defined.likelihood_scale", "at least two levels");
  if (c.severity_scale_size() < 2)
    return Bad("risk_criteria_defined.severity_scale", "at least two levels");
  return absl::OkStatus();
}

absl::Status Privacy(const v1::Event& e) {
  const std::string& k = e.privacy_assessment_recorded().kind();
  if (k != "dpia" && k != "pia")
    return Bad("privacy_assessment_recorded.kind", "\"dpia\" or \"pia\"");
  return absl::OkStatus();
}

absl::Status Monitoring(const v1::Event& e) {
  const auto& metrics = e.monitoring_plan().metrics();
  for (int i = 0; i < metrics.size(); ++i) {
    const std::string& c = metrics[i].comparison();
    if (!c.empty() && c != "at least" && c != "at most") {
      return Bad(absl::StrCat("monitoring_plan.metrics[", i, "].comparison"),
                 "\"at least\" or \"at most\"");
    }
  }
  return absl::OkStatus();
}

absl::Status Override(const v1::Event& e) {
  const v1::HumanOverrideLogged& o = e.human_override_logged();
  if (o.original_outcome() == o.final_outcome())
    return Bad("human_override_logged.final_outcome", "equals the original");
  return absl::OkStatus();
}

absl::Status ExplanationMethod(const v1::Event& e) {
  const std::string& s = e.explanation_method_recorded().scope();
  if (s != "global" && s != "local")
    return Bad("explanation_method_recorded.scope", "\"global\" or \"local\"");
  return absl::OkStatus();
}

// The provider's answers cover the five A.10 topics; the deployer's evaluation
// names the answers it evaluates and decides.
absl::Status DueDiligence(const v1::Event& e) {
  const v1::DueDiligenceRecorded& d = e.due_diligence_recorded();
  const std::string f = "due_diligence_recorded.";
  if (d.kind() == v1::DUE_DILIGENCE_KIND_EVALUATION) {
    if (d.answers_event_id().empty()) return Missing(f + "answers_event_id");
    if (d.outcome() == v1::DECISION_UNSPECIFIED) return Missing(f + "outcome");
    if (d.evaluation().empty()) return Missing(f + "evaluation");
    return absl::OkStatus();
  }
  const std::pair<const std::string*, const char*> topics[] = {
      {&d.ethical_principles(), "ethical_principles"},
      {&d.bias_prevention(), "bias_prevention"},
      {&d.privacy_and_security(), "privacy_and_security"},
      {&d.transparency(), "transparency"},
      {&d.complaints_process(), "complaints_process"},
  };
  for (const auto& [value, name] : topics) {
    if (value->empty()) return Missing(f + name);
  }
  return UniqueIds(AnswerIds(d.answers()), f + "answers.question_id");
}

absl::Status Context(const v1::Event& e) {
  const v1::ContextRecorded& c = e.context_recorded();
  if (c.external_issues().empty() && c.internal_issues().empty())
    return Missing("context_recorded.external_issues");  // or internal ones
  return absl::OkStatus();
}

// A Statement-of-Applicability row (ISO/IEC 42001:2023 6.1.3).
absl::Status Control(const v1::Event& e) {
  const v1::ControlStatusUpdated& c = e.control_status_updated();
  const std::string f = "control_status_updated.";
  const bool own =
      c.control_id().rfind("x:", 0) == 0 && c.control_id().size() > 2;
  if (!own && !IsAnnexAControl(c.control_id())) {
    return Bad(f + "control_id",
               absl::StrCat("'", c.control_id(),
                            "' is not an ISO/IEC 42001:2023 Annex A control "
                            "(e.g. A.6.2.8) nor an own control \"x:NAME\""));
  }
  const bool na = c.status() == v1::CONTROL_STATUS_NOT_APPLICABLE;
  if (na == c.applicable())
    return Bad(f + "status", "not applicable exactly when applicable is false");
  const bool supplier = c.status() == v1::CONTROL_STATUS_BY_SUPPLIER ||
                        c.status() == v1::CONTROL_STATUS_SHARED;
  if (supplier && c.contract_clause().empty())
    return Missing(f + "contract_clause");  // A.10.2
  return absl::OkStatus();
}

using Rule = absl::Status (*)(const v1::Event&);

constexpr std::pair<absl::string_view, Rule> kRules[] = {
    {"FairnessSnapshot", Fairness},
    {"GroupMetricSnapshot", GroupMetric},
    {"SocietalMetricRecorded", Societal},
    {"IncidentReported", Incident},
    {"IncidentUpdated", IncidentUpdate},
    {"RegulatorNotificationSent", Notification},
    {"SystemRegistered", System},
    {"ModelVersionReleased", Release},
    {"ClassificationAssessed", Classification},
    {"LogSegmentAnchored", LogSegment},
    {"QuestionnaireDefined", Questionnaire},
    {"ImpactAssessmentRecorded", ImpactAssessment},
    {"RiskCriteriaDefined", RiskCriteria},
    {"PrivacyAssessmentRecorded", Privacy},
    {"MonitoringPlan", Monitoring},
    {"HumanOverrideLogged", Override},
    {"ExplanationMethodRecorded", ExplanationMethod},
    {"DueDiligenceRecorded", DueDiligence},
    {"ContextRecorded", Context},
    {"ControlStatusUpdated", Control},
};

}  // namespace

absl::Status CheckTypeRules(const v1::Event& e, bool version3) {
  std::set<std::string> groups;
  if (version3 && e.event_type() == "FairnessSnapshot")
    return FairnessCells(e, &groups);  // the reference: validation_v3.cc
  for (const auto& [type, rule] : kRules) {
    if (type == e.event_type()) return rule(e);
  }
  return absl::OkStatus();
}

}  // namespace ailedger::validation
