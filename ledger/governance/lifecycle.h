// Lifecycle order and references to subjects (docs/FORMATS.md, "Rule tables").
// Lifecycle table version 1:
//
// - system: SystemRegistered (none -> active). ClassificationAssessed,
//   ModelVersionReleased, DeploymentRecorded, RolledBack and
//   LogSegmentAnchored need it active. SystemDecommissioned (active -> ended):
//   no release after decommissioning.
// - incident: IncidentReported (none -> active). IncidentUpdated and
//   RegulatorNotificationSent need it open. IncidentClosed (active -> ended):
//   no update after closing.
// - partner: PartnerRegistered (none -> active). DueDiligenceRecorded and
//   AgreementRecorded need it registered.
// - audit: AuditStarted (none -> active). AuditFinding needs it open.
//   AuditClosed (active -> ended).
//
// Lifecycle table version 2 (role table version 3, lifecycle_v3.cc), besides:
//
// - release: ModelVersionReleased makes (system, version) released. An event
//   that names a model version (DeploymentRecorded.version, RolledBack's
//   from_ and to_version, ModelVersionReleased.previous_version,
//   FairnessSnapshot, GroupMetricSnapshot, HumanOverrideLogged and
//   ExplanationMethodRecorded .model_version) needs it released for its
//   "system" subject on this log, unless it cites another log's entry with
//   its proof (external_refs with a tlog_proof): a provider's release.
// - measurements, assessments and incidents (FairnessSnapshot,
//   GroupMetricSnapshot, SocietalMetricRecorded, ImpactAssessmentRecorded,
//   IncidentReported, TestReport, HumanOverrideLogged,
//   ExplanationMethodRecorded) name a "system" subject that is registered
//   (active or decommissioned: reports flag records after decommissioning).
// - SystemRegistered.deployers are roster organisations or registered
//   "partner" subjects; predecessor_system and SystemDecommissioned
//   .successor_system are registered systems.
// - report: a ReportPublished links the previous report of its kind by the
//   same organisation (previous_report_event_id) once there is one.
//
// A missing subject of the kind a type needs is INVALID_ARGUMENT naming
// `subjects`; a subject in the wrong phase is FAILED_PRECONDITION naming it.
// The sequencer keeps phases in meta rows (ledger/storage/meta_keys.h); the
// verifier replays them from genesis.
#ifndef AILEDGER_LEDGER_GOVERNANCE_LIFECYCLE_H_
#define AILEDGER_LEDGER_GOVERNANCE_LIFECYCLE_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ailedger/event.pb.h"

namespace ailedger {

enum class Phase : char { kNone = '0', kActive = '1', kEnded = '2' };

struct PhaseChange {
  std::string key;  // PhaseKey(kind, id)
  Phase phase;
};

// A subject's key: "<kind>\0<id>".
std::string PhaseKey(const std::string& kind, const std::string& id);

using PhaseLookup =
    std::function<absl::StatusOr<Phase>(const std::string& key)>;

struct LifecycleLookups {
  PhaseLookup phase;
  // Whether an organisation has a key on the roster (version 3's deployers).
  std::function<bool(const std::string& organisation)> roster_organisation;
};

// The phase changes `e` makes, if its lifecycle rule allows it, under role
// table version `version` (roles.h: the rules above from version 3 on).
absl::StatusOr<std::vector<PhaseChange>> CheckLifecycle(
    const v1::Event& e, const LifecycleLookups& lookups, uint32_t version);

// Whether `type` names a registered system under version 3 (measurements,
// assessments, incidents, test reports): records the verifier lists when
// that system was decommissioned before them.
bool NamesRegisteredSystem(absl::string_view type);

// The key of a released model version, and of the latest report of a kind.
std::string ReleaseKey(const std::string& system, const std::string& version);
std::string ReportKey(const std::string& organisation, const std::string& kind);

// The release and report phases `e` sets (lifecycle_v3.cc), unchecked: kept
// under every version so that version 3's rules find them after adoption.
void NoteReleasesAndReports(const v1::Event& e,
                            std::vector<PhaseChange>* changes);

// Version 3's rules (lifecycle_v3.cc), adding to `changes`.
absl::Status CheckLifecycleV3(const v1::Event& e,
                              const LifecycleLookups& lookups,
                              std::vector<PhaseChange>* changes);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_GOVERNANCE_LIFECYCLE_H_
