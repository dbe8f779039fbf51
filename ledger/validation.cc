#include "ledger/validation.h"

#include <cctype>
#include <cmath>
#include <set>

#include "absl/strings/str_cat.h"

namespace ailedger {
namespace {

absl::Status Missing(absl::string_view field) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
}

absl::Status Bad(absl::string_view field, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", why));
}

absl::Status CheckPeriod(const v1::Period& p, bool present,
                         absl::string_view field) {
  if (!present) return Missing(field);
  if (p.start_ms() <= 0 || p.end_ms() <= p.start_ms()) {
    return Bad(field, "a period needs 0 < start_ms < end_ms");
  }
  return absl::OkStatus();
}

absl::Status CheckFeature(const v1::SensitiveFeature& f,
                          const std::string& field,
                          std::set<std::string>* single_groups) {
  if (f.name().empty()) return Missing(field + ".name");
  if (f.cells_size() < 2) return Bad(field + ".cells", "at least two groups");
  for (int i = 0; i < f.cells_size(); ++i) {
    const auto& c = f.cells(i);
    if (c.group().empty())
      return Missing(absl::StrCat(field, ".cells[", i, "].group"));
    for (const auto& g : c.group()) {
      if (g.empty())
        return Bad(absl::StrCat(field, ".cells[", i, "].group"),
                   "empty group name");
    }
    if (c.group_size() == 1) single_groups->insert(c.group(0));
  }
  return absl::OkStatus();
}

absl::Status CheckFairness(const v1::Event& e) {
  if (!e.has_fairness_snapshot()) return Missing("fairness_snapshot");
  const v1::FairnessSnapshot& f = e.fairness_snapshot();
  if (f.model_version().empty())
    return Missing("fairness_snapshot.model_version");
  if (f.evaluation_dataset_sha256().size() != 32) {
    return Bad("fairness_snapshot.evaluation_dataset_sha256",
               "a 32-byte SHA-256 digest");
  }
  if (!std::isfinite(f.decision_threshold())) {
    return Bad("fairness_snapshot.decision_threshold", "not a finite number");
  }
  if (auto s = CheckPeriod(f.label_window(), f.has_label_window(),
                           "fairness_snapshot.label_window");
      !s.ok())
    return s;
  if (auto s = CheckPeriod(f.decision_window(), f.has_decision_window(),
                           "fairness_snapshot.decision_window");
      !s.ok())
    return s;
  if (f.features().empty()) return Missing("fairness_snapshot.features");
  std::set<std::string> groups;
  for (int i = 0; i < f.features_size(); ++i) {
    auto s = CheckFeature(f.features(i),
                          absl::StrCat("fairness_snapshot.features[", i, "]"),
                          &groups);
    if (!s.ok()) return s;
  }
  if (f.favourable_outcome().empty())
    return Missing("fairness_snapshot.favourable_outcome");
  if (!groups.count(f.reference_group())) {
    return Bad("fairness_snapshot.reference_group",
               "must name one of the snapshot's groups");
  }
  if (f.membership_source() == v1::MEMBERSHIP_SOURCE_UNSPECIFIED) {
    return Missing("fairness_snapshot.membership_source");
  }
  if (!(f.share_unknown() >= 0 && f.share_unknown() <= 1)) {
    return Bad("fairness_snapshot.share_unknown", "a share between 0 and 1");
  }
  return absl::OkStatus();
}

absl::Status CheckGroupMetric(const v1::Event& e) {
  if (!e.has_group_metric_snapshot()) return Missing("group_metric_snapshot");
  const v1::GroupMetricSnapshot& g = e.group_metric_snapshot();
  if (g.outcome().empty()) return Missing("group_metric_snapshot.outcome");
  if (auto s = CheckPeriod(g.window(), g.has_window(),
                           "group_metric_snapshot.window");
      !s.ok())
    return s;
  if (g.groups().empty()) return Missing("group_metric_snapshot.groups");
  for (int i = 0; i < g.groups_size(); ++i) {
    const auto& s = g.groups(i);
    const std::string field =
        absl::StrCat("group_metric_snapshot.groups[", i, "]");
    if (s.group().empty()) return Missing(field + ".group");
    if (!std::isfinite(s.sum()) || !(s.sum_of_squares() >= 0)) {
      return Bad(field, "sum must be finite and sum_of_squares non-negative");
    }
    if (s.n() == 0 && (s.sum() != 0 || s.sum_of_squares() != 0)) {
      return Bad(field, "a group of n = 0 has sums of 0");
    }
  }
  return absl::OkStatus();
}

absl::Status CheckSocietal(const v1::Event& e) {
  if (!e.has_societal_metric()) return Missing("societal_metric");
  const v1::SocietalMetricRecorded& m = e.societal_metric();
  if (m.name().empty()) return Missing("societal_metric.name");
  if (m.unit().empty()) return Missing("societal_metric.unit");
  if (m.population().empty()) return Missing("societal_metric.population");
  if (m.method_version().empty())
    return Missing("societal_metric.method_version");
  if (auto s =
          CheckPeriod(m.period(), m.has_period(), "societal_metric.period");
      !s.ok())
    return s;
  if (!std::isfinite(m.value()) || !std::isfinite(m.baseline())) {
    return Bad("societal_metric.value", "value and baseline must be finite");
  }
  if (!(m.uncertainty() >= 0) || !std::isfinite(m.uncertainty())) {
    return Bad("societal_metric.uncertainty", "non-negative");
  }
  return absl::OkStatus();
}

absl::Status CheckIncident(const v1::Event& e) {
  if (!e.has_incident_reported()) return Missing("incident_reported");
  const v1::IncidentReported& r = e.incident_reported();
  if (r.harm_types().empty()) return Missing("incident_reported.harm_types");
  if (r.severity() == v1::SEVERITY_UNSPECIFIED)
    return Missing("incident_reported.severity");
  if (r.aware_at_ms() <= 0) return Missing("incident_reported.aware_at_ms");
  if (r.causal_link_at_ms() != 0 && r.causal_link_at_ms() < r.aware_at_ms()) {
    return Bad("incident_reported.causal_link_at_ms", "before aware_at_ms");
  }
  if (r.deciding_party() == v1::PARTY_UNSPECIFIED) {
    return Missing("incident_reported.deciding_party");
  }
  const std::string& c = r.art3_49_category();
  if (!c.empty() && c != "a" && c != "b" && c != "c" && c != "d") {
    return Bad("incident_reported.art3_49_category",
               "one of a, b, c, d (Art. 3(49))");
  }
  if (r.not_serious() && r.not_serious_reason().empty()) {
    return Missing("incident_reported.not_serious_reason");
  }
  if (r.not_serious() && (!c.empty() || r.death())) {
    return Bad("incident_reported.not_serious",
               "contradicts art3_49_category or death");
  }
  if (!r.not_serious() && c.empty()) {
    return Missing(
        "incident_reported.art3_49_category");  // or a "not serious" decision
  }
  return absl::OkStatus();
}

absl::Status CheckNotification(const v1::Event& e) {
  if (!e.has_regulator_notification()) return Missing("regulator_notification");
  const v1::RegulatorNotificationSent& n = e.regulator_notification();
  if (n.authority().empty()) return Missing("regulator_notification.authority");
  const std::string& ms = n.member_state();
  if (ms.size() != 2 || !std::isupper(static_cast<unsigned char>(ms[0])) ||
      !std::isupper(static_cast<unsigned char>(ms[1]))) {
    return Bad("regulator_notification.member_state",
               "an ISO 3166-1 alpha-2 code");
  }
  if (n.kind() == v1::NOTIFICATION_KIND_UNSPECIFIED) {
    return Missing("regulator_notification.kind");
  }
  if (n.sent_at_ms() <= 0) return Missing("regulator_notification.sent_at_ms");
  return absl::OkStatus();
}

absl::Status CheckSystem(const v1::Event& e) {
  if (!e.has_system_registered()) return Missing("system_registered");
  const v1::SystemRegistered& r = e.system_registered();
  if (r.intended_purpose().empty())
    return Missing("system_registered.intended_purpose");
  if (r.provider().empty()) return Missing("system_registered.provider");
  if (r.owner().empty()) return Missing("system_registered.owner");
  if (r.eu_role() == v1::EU_ROLE_UNSPECIFIED)
    return Missing("system_registered.eu_role");
  if (r.risk_class() == v1::RISK_CLASS_UNSPECIFIED) {
    return Missing("system_registered.risk_class");
  }
  if (r.risk_class() == v1::RISK_CLASS_HIGH && r.annex_iii_point().empty()) {
    return Missing("system_registered.annex_iii_point");  // which high-risk use
  }
  if (r.jurisdictions().empty())
    return Missing("system_registered.jurisdictions");
  return absl::OkStatus();
}

absl::Status CheckRelease(const v1::Event& e) {
  if (!e.has_model_version_released()) return Missing("model_version_released");
  const v1::ModelVersionReleased& r = e.model_version_released();
  if (r.version().empty()) return Missing("model_version_released.version");
  if (r.version() == r.previous_version()) {
    return Bad("model_version_released.previous_version", "equals the version");
  }
  if (r.artifact_sha256().size() != 32) {
    return Bad("model_version_released.artifact_sha256",
               "a 32-byte SHA-256 digest");
  }
  if (r.substantial_modification() && r.modification_rationale().empty()) {
    return Missing("model_version_released.modification_rationale");
  }
  for (int i = 0; i < r.datasheet_sha256_size(); ++i) {
    if (r.datasheet_sha256(i).size() != 32) {
      return Bad(
          absl::StrCat("model_version_released.datasheet_sha256[", i, "]"),
          "a 32-byte SHA-256 digest");
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateFields(const v1::Event& e) {
  if (e.event_type() == "SystemRegistered") return CheckSystem(e);
  if (e.event_type() == "ModelVersionReleased") return CheckRelease(e);
  if (e.event_type() == "IncidentReported") return CheckIncident(e);
  if (e.event_type() == "RegulatorNotificationSent")
    return CheckNotification(e);
  if (e.event_type() == "FairnessSnapshot") return CheckFairness(e);
  if (e.event_type() == "GroupMetricSnapshot") return CheckGroupMetric(e);
  if (e.event_type() == "SocietalMetricRecorded") return CheckSocietal(e);
  return absl::OkStatus();
}

}  // namespace ailedger
