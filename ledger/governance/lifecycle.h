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

// The phase changes `e` makes, if its lifecycle rule allows it.
absl::StatusOr<std::vector<PhaseChange>> CheckLifecycle(
    const v1::Event& e, const PhaseLookup& lookup);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_GOVERNANCE_LIFECYCLE_H_
