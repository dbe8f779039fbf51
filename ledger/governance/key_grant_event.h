// A KeyGranted event (docs/ROLES.md): a key joins the roster with its roles,
// carrying the holder's proof of possession over the log's origin
// (ledger/tlog/contexts.h, KeyPossessionMessage). The one place such a grant
// is built, for `ailedger key request`, the benchmarks and gen-history; an
// admin's key signs the event.
#ifndef AILEDGER_LEDGER_GOVERNANCE_KEY_GRANT_EVENT_H_
#define AILEDGER_LEDGER_GOVERNANCE_KEY_GRANT_EVENT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "ailedger/event.pb.h"
#include "ledger/tlog/keys.h"

namespace ailedger {

struct KeyGrantParams {
  std::string origin;  // the log the key joins
  std::string display_name;
  std::string organisation;  // the key's
  // The event's organisation (the granting admin's); "": `organisation`.
  std::string event_organisation;
  v1::KeyKind kind = v1::KEY_KIND_PERSON;
  std::vector<v1::Role> roles;
  std::vector<std::string> functions;
  std::string scope_organisation;
  std::string scope_system;
  int64_t occurred_at_ms = 0;  // 0: unset
};

// The grant of `holder`'s public key as `p` states, with the possession
// signature made by `holder`.
v1::Event MakeKeyGrant(const SigningKey& holder, const KeyGrantParams& p);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_GOVERNANCE_KEY_GRANT_EVENT_H_
