// The versioned table of event type -> required role, and the version of the
// rules of state a log is checked under. This is the one place in the code that
// says which role may write which event and which version's rules apply;
// docs/ROLES.md lists the same for readers. A signer must hold the role at the
// event's index, within its scope.
#ifndef AILEDGER_LEDGER_GOVERNANCE_ROLES_H_
#define AILEDGER_LEDGER_GOVERNANCE_ROLES_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ailedger/event.pb.h"

namespace ailedger {

// The role table version `ailedger genesis` writes. A log is checked under the
// version its genesis names (Roster::role_table_version()), for the whole log:
//   1  the table of roles and scopes.
//   2  the same table, and three rules of state (docs/ROLES.md, "Role table
//      version 2"): an event but the admin's names its signer's roster
//      organisation (NamesSignersOrganisation, in the roster); approvals count
//      only from the record's own organisation or the parties it binds
//      (approvals.h); identifiers hold no control character, free text none
//      but tab, newline and carriage return (validation_text.h).
//   3  vocabulary v2 (docs/VOCABULARY.md, "Vocabulary v2"): the fields and
//      types v2 added are required and checked (validation_v3.h), references
//      resolve further (references.h: evidence, authorities, plans, reports
//      anchored to the log's own roots), versions named are released on the
//      log (lifecycle.h), AIA answers are checked against the shipped survey
//      (ledger/aia/survey.h), and AuditProgramme is the auditee's own record
//      (a publisher's, no longer an auditor's).
// A RulesVersionAdopted raises the version from the next index on.
inline constexpr uint32_t kRoleTableVersion = 3;

// Whether this code checks logs whose genesis names `version` (1 to 3).
bool IsKnownRoleTableVersion(uint32_t version);

// Whether the rules that version 3 added apply under `version` (3 and later,
// and 0: a roster that has seen no genesis yet is held to the strict rules).
bool AppliesVersion3Rules(uint32_t version);

// Whether the rules that version 2 added apply under `version`: for every
// version but 1, so that a log written under version 1 still verifies under
// the rules it was written with, and a roster that has seen no genesis yet
// (version 0) is held to the strict ones.
bool AppliesVersion2Rules(uint32_t version);

// The version whose rules apply to `e` in a log of `log_version` (0 when no
// genesis is logged yet): the log's, but for a Genesis, the version it names.
uint32_t RulesVersionOf(const v1::Event& e, uint32_t log_version);

// INVALID_ARGUMENT naming the type when it is not in the table. `version`: the
// role table version in force (AuditProgramme moved from auditor to publisher
// in version 3).
absl::StatusOr<v1::Role> RequiredRole(absl::string_view event_type,
                                      uint32_t version = kRoleTableVersion);

// Whether an event of this type names its signer's own roster organisation as
// its `organisation`. True for every type but the admin's (Genesis,
// KeyGranted, KeyRevoked, LogKeyRotated, Erasure): those act for the log as a
// whole and name the organisation concerned (a KeyGranted, the grantee's).
// Auditors write in their own firm's name and name the audited organisations
// as "organisation" subjects; an organisation's records can then be neither
// written nor corrected nor retracted by another's key. A rule of role table
// version 2: the roster checks it only where AppliesVersion2Rules.
bool NamesSignersOrganisation(absl::string_view event_type);

// Every event type of the table, in its order.
std::vector<absl::string_view> EventTypes();

absl::string_view RoleName(v1::Role role);  // "admin", "publisher", ...
// INVALID_ARGUMENT unless one of "admin", "publisher", "auditor", "reader".
absl::StatusOr<v1::Role> ParseRole(absl::string_view name);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_GOVERNANCE_ROLES_H_
