// Lifecycle table version 2, the rules of role table version 3
// (ledger/governance/lifecycle.h): versions named are released, measurements
// name a registered system, deployers and successors resolve, reports link
// their predecessor.
#include <utility>

#include "absl/strings/str_cat.h"
#include "ledger/governance/lifecycle.h"
#include "ledger/merkle/verify.h"
#include "ledger/tlog/checkpoint.h"
#include "ledger/tlog/note.h"
#include "ledger/tlog/tlog_proof.h"

namespace ailedger {
namespace {

// The types that name a registered system (active or decommissioned).
constexpr absl::string_view kNeedSystem[] = {
    "FairnessSnapshot",       "GroupMetricSnapshot",
    "SocietalMetricRecorded", "ImpactAssessmentRecorded",
    "IncidentReported",       "TestReport",
    "HumanOverrideLogged",    "ExplanationMethodRecorded"};

absl::Status Unbound(const std::string& field, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", why));
}

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

// Whether `r`'s proof (C2SP tlog-proof) is of that entry of that log: its
// checkpoint names r.origin, and r.leaf_hash at r.index is included under its
// root (RFC 9162 section 2.1.3.2). The checkpoint's signature is the other
// log's, whose key only the reader knows: the reports check it.
absl::Status CheckCitedProof(const v1::ExternalEntryRef& r,
                             const std::string& field) {
  auto proof = ParseTlogProof(r.tlog_proof());
  if (!proof.ok()) return Unbound(field, proof.status().message());
  auto note = ParseNote(proof->checkpoint);
  if (!note.ok()) return Unbound(field, note.status().message());
  auto cp = ParseCheckpoint(note->text);
  if (!cp.ok()) return Unbound(field, cp.status().message());
  if (cp->origin != r.origin() || proof->index != r.index())
    return Unbound(field, "names another log or entry than the reference");
  auto leaf = HashFromBytes(r.leaf_hash(), field);
  if (!leaf.ok()) return leaf.status();
  if (auto s = VerifyInclusion(proof->index, cp->size, *leaf, proof->hashes,
                               cp->root);
      !s.ok())
    return Unbound(field, s.message());
  return absl::OkStatus();
}

// A provider's release cited from its own log, with a proof of that entry.
absl::StatusOr<bool> CitesProvenEntry(const v1::Event& e) {
  bool cited = false;
  for (int i = 0; i < e.external_refs_size(); ++i) {
    const v1::ExternalEntryRef& r = e.external_refs(i);
    if (r.tlog_proof().empty()) continue;
    auto s =
        CheckCitedProof(r, absl::StrCat("external_refs[", i, "].tlog_proof"));
    if (!s.ok()) return s;
    cited = true;
  }
  return cited;
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
  if (named.empty()) return absl::OkStatus();
  auto cited = CitesProvenEntry(e);
  if (!cited.ok() || *cited) return cited.status();
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
