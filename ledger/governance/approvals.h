// Approvals and segregation of duties (docs/ARCHITECTURE.md, "Identity, roles
// and the roster"; docs/FORMATS.md, "Rule tables"). Approval rule table
// version 1: which event types take approvals, and the function an approver
// must hold.
//
// clang-format off
//   ModelVersionReleased, DeploymentRecorded, ImpactAssessmentRecorded,
//   PolicyPublished, ReportPublished, AgreementRecorded,
//   SoaVersionDefined (vocabulary v2)                     -> "approver"
//   RiskTreated (residual-risk acceptance)                -> "risk_owner"
//   PrivacyAssessmentRecorded                             -> "dpo"
// clang-format on
//
// Two-party records bind organisations and count only once each party has
// approved: an AgreementRecorded (the author's organisation and every
// "partner" or "organisation" subject), and a joint audit, an AuditStarted
// naming two or more "organisation" subjects (the audited organisations; the
// approver's function is "approver").
//
// An Approval names the approved event by its event id; the approver is not its
// author, is not a service account (checked by the roster), belongs to the
// record's own organisation (its envelope `organisation`) or, for a two-party
// record, to one of the parties it binds, and holds the function. An approver
// of an unrelated organisation is refused: its word is not the organisation's.
// That organisation rule is one of role table version 2 (roles.h): in a log
// whose genesis names version 1, any organisation's approver counts, as it did
// when the log was written. The same code runs in the sequencer and in the
// offline verifier; each supplies how to look an event up.
#ifndef AILEDGER_LEDGER_GOVERNANCE_APPROVALS_H_
#define AILEDGER_LEDGER_GOVERNANCE_APPROVALS_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "ailedger/event.pb.h"
#include "ledger/governance/roles.h"
#include "ledger/merkle/hash.h"
#include "ledger/tlog/keys.h"

namespace ailedger {

// The function an approver of `event_type` must hold, or nullopt if the type
// takes none.
std::optional<std::string> ApprovalFunction(absl::string_view event_type);

struct ApprovableEvent {
  uint64_t index = 0;
  PublicKey author{};
  std::string event_type;
  // For two-party records (PartiesOf): the organisations that must each
  // approve. Empty: one approval, by the record's own organisation, suffices.
  std::vector<std::string> parties;
  // The record's own organisation (its envelope `organisation`).
  std::string organisation;
  // The role table version of the log it is on (Roster::role_table_version):
  // whether only its own organisation, or its parties, decide on it.
  uint32_t role_table_version = kRoleTableVersion;
};

// The parties of `e` if it binds two organisations, else empty.
std::vector<std::string> PartiesOf(const v1::Event& e);
// Whether `e` takes approvals: its type has a rule, or it binds parties.
bool TakesApprovals(const v1::Event& e);
// What approvals need to know of `e`, logged at `index` by `author` in a log
// of role table version `role_table_version`.
ApprovableEvent ApprovableOf(uint64_t index, const PublicKey& author,
                             const v1::Event& e, uint32_t role_table_version);

using EventLookup =
    std::function<absl::StatusOr<std::optional<ApprovableEvent>>(const Hash&)>;

// Checks an Approval by `approver` (already on the roster as `member`):
// FAILED_PRECONDITION if it names no event or an event type that takes no
// approval; PERMISSION_DENIED if the approver is the author, belongs to an
// organisation that may not approve the record (naming both organisations;
// role table version 2 and later) or lacks the function; INVALID_ARGUMENT if
// the body is malformed.
absl::Status CheckApproval(const v1::Event& approval, const PublicKey& approver,
                           const v1::RosterMember& member,
                           const EventLookup& lookup);

// Events that take approvals, and which of them have an approving Approval: for
// the verifier's list of what still lacks approval. Memory grows with
// approvable events only.
class ApprovalBook {
 public:
  void NoteEvent(const Hash& event_id, const ApprovableEvent& e);
  // `approver_organisation`: the roster organisation of the approval's signer.
  void NoteApproval(const v1::Approval& a,
                    const std::string& approver_organisation);
  absl::StatusOr<std::optional<ApprovableEvent>> Find(
      const Hash& event_id) const;
  // A superseded or retracted event awaits nothing any more (its correction
  // takes its own approvals).
  void NoteWithdrawn(const Hash& event_id);
  // Only decisions of the record's own organisation (or of its parties) count
  // (role table version 2 and later; under version 1, every organisation's).
  // Not yet approved (by every party), and not rejected.
  std::vector<ApprovableEvent> Pending() const;
  // Not approved, and rejected by the latest decision of some organisation.
  std::vector<ApprovableEvent> Rejected() const;

 private:
  enum class Status { kPending, kApproved, kRejected };
  Status StatusOf(const Hash& id, const ApprovableEvent& e) const;
  std::vector<ApprovableEvent> With(Status status) const;

  std::map<Hash, ApprovableEvent> events_;
  // The latest decision of each organisation, by approved event.
  std::map<Hash, std::map<std::string, v1::Decision>> decisions_;
};

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_GOVERNANCE_APPROVALS_H_
