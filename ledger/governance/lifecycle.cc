#include "ledger/governance/lifecycle.h"

#include "absl/strings/str_cat.h"
#include "ledger/governance/roles.h"

namespace ailedger {
namespace {

struct Rule {
  absl::string_view type, kind;
  Phase required;
  Phase next;  // == required when the event changes nothing
};

constexpr Rule kRules[] = {
    {"SystemRegistered", "system", Phase::kNone, Phase::kActive},
    {"ClassificationAssessed", "system", Phase::kActive, Phase::kActive},
    {"ModelVersionReleased", "system", Phase::kActive, Phase::kActive},
    {"DeploymentRecorded", "system", Phase::kActive, Phase::kActive},
    {"RolledBack", "system", Phase::kActive, Phase::kActive},
    {"LogSegmentAnchored", "system", Phase::kActive, Phase::kActive},
    {"SystemDecommissioned", "system", Phase::kActive, Phase::kEnded},
    {"IncidentReported", "incident", Phase::kNone, Phase::kActive},
    {"IncidentUpdated", "incident", Phase::kActive, Phase::kActive},
    {"RegulatorNotificationSent", "incident", Phase::kActive, Phase::kActive},
    {"IncidentClosed", "incident", Phase::kActive, Phase::kEnded},
    {"PartnerRegistered", "partner", Phase::kNone, Phase::kActive},
    {"DueDiligenceRecorded", "partner", Phase::kActive, Phase::kActive},
    {"AgreementRecorded", "partner", Phase::kActive, Phase::kActive},
    {"AuditStarted", "audit", Phase::kNone, Phase::kActive},
    {"AuditFinding", "audit", Phase::kActive, Phase::kActive},
    {"AuditClosed", "audit", Phase::kActive, Phase::kEnded},
};

std::string Describe(absl::string_view kind, const std::string& id,
                     Phase phase) {
  const bool system = kind == "system";
  switch (phase) {
    case Phase::kNone:
      return absl::StrCat(kind, " '", id,
                          system || kind == "partner" ? "' is not registered"
                                                      : "' was never opened");
    case Phase::kActive:
      return absl::StrCat(kind, " '", id,
                          system || kind == "partner"
                              ? "' is already registered"
                              : "' is already open");
    case Phase::kEnded:
      return absl::StrCat(
          kind, " '", id,
          system ? "' has been decommissioned" : "' has been closed");
  }
  return "";
}

}  // namespace

std::string PhaseKey(const std::string& kind, const std::string& id) {
  return absl::StrCat(kind, std::string(1, '\0'), id);
}

std::string ReleaseKey(const std::string& system, const std::string& version) {
  return PhaseKey("release",
                  absl::StrCat(system, std::string(1, '\0'), version));
}

std::string ReportKey(const std::string& organisation,
                      const std::string& kind) {
  return PhaseKey("report",
                  absl::StrCat(organisation, std::string(1, '\0'), kind));
}

absl::StatusOr<std::vector<PhaseChange>> CheckLifecycle(
    const v1::Event& e, const LifecycleLookups& lookups, uint32_t version) {
  const PhaseLookup& lookup = lookups.phase;
  std::vector<PhaseChange> changes;
  // A correction restates an event that already passed its rule: it changes no
  // phase.
  if (!e.supersedes().empty()) return changes;
  for (const Rule& rule : kRules) {
    if (rule.type != e.event_type()) continue;
    bool named = false;
    for (const auto& s : e.subjects()) {
      if (s.kind() != rule.kind) continue;
      named = true;
      const std::string key = PhaseKey(s.kind(), s.id());
      auto phase = lookup(key);
      if (!phase.ok()) return phase.status();
      if (*phase != rule.required) {
        return absl::FailedPreconditionError(
            absl::StrCat("subjects: ", Describe(rule.kind, s.id(), *phase)));
      }
      if (rule.next != rule.required) changes.push_back({key, rule.next});
    }
    if (!named) {
      return absl::InvalidArgumentError(absl::StrCat(
          "subjects: a ", rule.type, " names its '", rule.kind, "' subject"));
    }
  }
  if (AppliesVersion3Rules(version)) {
    if (auto s = CheckLifecycleV3(e, lookups, &changes); !s.ok()) return s;
  } else {
    // Recorded at every version, so that a log moved to version 3 knows the
    // releases and reports logged before.
    NoteReleasesAndReports(e, &changes);
  }
  return changes;
}

}  // namespace ailedger
