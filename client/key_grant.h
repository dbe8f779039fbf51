// `ailedger key grant`: what the admin grants is stated on its own command
// line, and the key holder's request must ask for exactly that. The request is
// a file written by someone else; before this check an edited request
// (roles: admin, auditor) was signed unseen (issue 10, flaw 9).
#ifndef AILEDGER_CLIENT_KEY_GRANT_H_
#define AILEDGER_CLIENT_KEY_GRANT_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "ailedger/event.pb.h"

namespace ailedger {

// OK when `asked` (the request) asks for the same roles, kind, functions and
// scope as `granted` (the admin's flags). Otherwise FAILED_PRECONDITION naming
// the first field that differs, e.g. "request asks for role admin; --role
// grants publisher; not granting".
absl::Status CheckGrantRequest(const v1::KeyGranted& asked,
                               const v1::KeyGranted& granted);

// The grant, human-readable, one field a line, every string from the request
// quoted and escaped (ShownString), for the admin to see before it is signed.
std::string DescribeGrant(const v1::KeyGranted& g);

// `s` in double quotes, escaped by EscapeForTerminal
// (ledger/base/terminal_escape.h) so that nothing in it can move a terminal's
// cursor or reorder its text.
std::string ShownString(absl::string_view s);

}  // namespace ailedger

#endif  // AILEDGER_CLIENT_KEY_GRANT_H_
