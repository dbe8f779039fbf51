// The versioned table of event type -> required role (role table version 1).
// This is the one place in the code that says which role may write which event;
// docs/ROLES.md lists the same table for readers. A signer must hold the role
// at the event's index, within its scope.
#ifndef AILEDGER_LEDGER_ROLES_H_
#define AILEDGER_LEDGER_ROLES_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ailedger/event.pb.h"

namespace ailedger {

inline constexpr uint32_t kRoleTableVersion = 1;

// INVALID_ARGUMENT naming the type when it is not in the table.
absl::StatusOr<v1::Role> RequiredRole(absl::string_view event_type);

// Whether an event of this type names its signer's own roster organisation as
// its `organisation`. True for every type but the admin's (Genesis,
// KeyGranted, KeyRevoked, LogKeyRotated, Erasure): those act for the log as a
// whole and name the organisation concerned (a KeyGranted, the grantee's).
// Auditors write in their own firm's name and name the audited organisations
// as "organisation" subjects; an organisation's records can then be neither
// written nor corrected nor retracted by another's key.
bool NamesSignersOrganisation(absl::string_view event_type);

// Every event type of the table, in its order.
std::vector<absl::string_view> EventTypes();

absl::string_view RoleName(v1::Role role);  // "admin", "publisher", ...
// INVALID_ARGUMENT unless one of "admin", "publisher", "auditor", "reader".
absl::StatusOr<v1::Role> ParseRole(absl::string_view name);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_ROLES_H_
