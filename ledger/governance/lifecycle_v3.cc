// Lifecycle table version 2, the rules of role table version 3
// (ledger/governance/lifecycle.h): versions named are released, measurements
// name a registered system, deployers and successors resolve, reports link
// their predecessor.
#include <utility>

#include "absl/strings/str_cat.h"
#include "ledger/governance/lifecycle.h"

namespace ailedger {
namespace {

// The types that name a registered system (active or decommissioned).
constexpr absl::string_view kNeedSystem[] = {
    "FairnessSnapshot",       "GroupMetricSnapshot",
    "SocietalMetricRecorded", "ImpactAssessmentRecorded",
    "IncidentReported",       "TestReport",
    "HumanOverrideLogged",    "ExplanationMethodRecorded"};

// The model versions `e` names, with their fields.
std::vector<std::pair<std::string, std::string>> VersionsNamed(
    const v1::Event& e) {
  std::vector<std::pair<std::string, std::string>> v;
  auto add = [&v](const std::string& field, const std::string& version) {
    if (!version.empty()) v.emplace_back(field, version);
  };
  if (e.has_deployment_recorded())
    add("deployment_recorded.version", e.deployment_recorded().version());
  if (e.has_rolled_back()) {
    add("rolled_back.from_version", e.rolled_back().from_version());
    add("rolled_back.to_version", e.rolled_back().to_version());
  }
  if (e.has_model_version_released()) {
    add("model_version_released.previous_version",
        e.model_version_released().previous_version());
  }
  if (e.has_fairness_snapshot())
    add("fairness_snapshot.model_version",
        e.fairness_snapshot().model_version());
  if (e.has_group_metric_snapshot()) {
    add("group_metric_snapshot.model_version",
        e.group_metric_snapshot().model_version());
  }
  if (e.has_human_override_logged()) {
    add("human_override_logged.model_version",
        e.human_override_logged().model_version());
  }
  if (e.has_explanation_method_recorded()) {
    add("explanation_method_recorded.model_version",
        e.explanation_method_recorded().model_version());
  }
  return v;
}

// A provider's release cited from its own log, with the proof.
bool CitesProvenEntry(const v1::Event& e) {
  for (const auto& r : e.external_refs()) {
    if (!r.tlog_proof().empty()) return true;
  }
  return false;
}

absl::StatusOr<Phase> PhaseOf(const LifecycleLookups& l,
                              const std::string& key) {
  return l.phase(key);
}

std::vector<std::string> Systems(const v1::Event& e) {
  std::vector<std::string> ids;
  for (const auto& s : e.subjects()) {
    if (s.kind() == "system") ids.push_back(s.id());
  }
  return ids;
}

absl::Status CheckRegistered(const LifecycleLookups& l, const std::string& id,
                             const std::string& field) {
  auto phase = PhaseOf(l, PhaseKey("system", id));
  if (!phase.ok()) return phase.status();
  if (*phase == Phase::kNone) {
    return absl::FailedPreconditionError(
        absl::StrCat(field, ": system '", id, "' is not registered"));
  }
  return absl::OkStatus();
}

absl::Status CheckSystems(const v1::Event& e, const LifecycleLookups& l) {
  if (!NamesRegisteredSystem(e.event_type())) return absl::OkStatus();
  const std::vector<std::string> systems = Systems(e);
  if (systems.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "subjects: a ", e.event_type(), " names its 'system' subject"));
  }
  for (const std::string& id : systems) {
    if (auto s = CheckRegistered(l, id, "subjects"); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status CheckReleased(const v1::Event& e, const LifecycleLookups& l) {
  const auto named = VersionsNamed(e);
  if (named.empty() || CitesProvenEntry(e)) return absl::OkStatus();
  const std::vector<std::string> systems = Systems(e);
  if (systems.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("subjects: a ", e.event_type(),
                     " that names a model version names its 'system'"));
  }
  for (const auto& [field, version] : named) {
    for (const std::string& system : systems) {
      auto phase = PhaseOf(l, ReleaseKey(system, version));
      if (!phase.ok()) return phase.status();
      if (*phase != Phase::kNone) continue;
      return absl::FailedPreconditionError(absl::StrCat(
          field, ": version '", version, "' of system '", system,
          "' is not released on this log (a ModelVersionReleased), nor cited "
          "from another log with its proof (external_refs[].tlog_proof)"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckDeployers(const v1::Event& e, const LifecycleLookups& l) {
  const auto& deployers = e.system_registered().deployers();
  for (int i = 0; i < deployers.size(); ++i) {
    if (l.roster_organisation && l.roster_organisation(deployers[i])) continue;
    auto phase = PhaseOf(l, PhaseKey("partner", deployers[i]));
    if (!phase.ok()) return phase.status();
    if (*phase != Phase::kNone) continue;
    return absl::FailedPreconditionError(absl::StrCat(
        "system_registered.deployers[", i, "]: '", deployers[i],
        "' is neither an organisation on the roster nor a registered partner"));
  }
  const std::string& before = e.system_registered().predecessor_system();
  if (before.empty()) return absl::OkStatus();
  return CheckRegistered(l, before, "system_registered.predecessor_system");
}

absl::Status CheckReport(const v1::Event& e, const LifecycleLookups& l) {
  const std::string key =
      ReportKey(e.organisation(), e.report_published().kind());
  auto phase = PhaseOf(l, key);
  if (!phase.ok()) return phase.status();
  if (*phase != Phase::kNone &&
      e.report_published().previous_report_event_id().empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("report_published.previous_report_event_id: required: ",
                     e.organisation(), " published a '",
                     e.report_published().kind(), "' report before"));
  }
  return absl::OkStatus();
}

}  // namespace

bool NamesRegisteredSystem(absl::string_view type) {
  for (absl::string_view t : kNeedSystem) {
    if (t == type) return true;
  }
  return false;
}

absl::Status CheckLifecycleV3(const v1::Event& e, const LifecycleLookups& l,
                              std::vector<PhaseChange>* changes) {
  if (auto s = CheckSystems(e, l); !s.ok()) return s;
  if (auto s = CheckReleased(e, l); !s.ok()) return s;
  if (e.has_system_registered()) return CheckDeployers(e, l);
  if (e.has_system_decommissioned() &&
      !e.system_decommissioned().successor_system().empty()) {
    return CheckRegistered(l, e.system_decommissioned().successor_system(),
                           "system_decommissioned.successor_system");
  }
  if (e.has_report_published()) {
    if (auto s = CheckReport(e, l); !s.ok()) return s;
  }
  NoteReleasesAndReports(e, changes);
  return absl::OkStatus();
}

void NoteReleasesAndReports(const v1::Event& e,
                            std::vector<PhaseChange>* changes) {
  if (e.has_model_version_released()) {
    for (const std::string& system : Systems(e)) {
      changes->push_back(
          {ReleaseKey(system, e.model_version_released().version()),
           Phase::kActive});
    }
  }
  if (e.has_report_published()) {
    changes->push_back(
        {ReportKey(e.organisation(), e.report_published().kind()),
         Phase::kActive});
  }
}

}  // namespace ailedger
