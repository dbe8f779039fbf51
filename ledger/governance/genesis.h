// The log's first event (docs/FORMATS.md, "Genesis"; roster.h checks it): the
// one place a Genesis is built, for `ailedger genesis`, the benchmarks and the
// tests.
#ifndef AILEDGER_LEDGER_GOVERNANCE_GENESIS_H_
#define AILEDGER_LEDGER_GOVERNANCE_GENESIS_H_

#include <cstdint>
#include <string>

#include "ailedger/event.pb.h"
#include "ledger/governance/roles.h"
#include "ledger/tlog/keys.h"

namespace ailedger {

struct GenesisParams {
  std::string origin;
  // The log's C2SP verifier key (VerifierKey::ToString), named after origin.
  std::string log_verifier_key;
  PublicKey admin_public_key{};
  std::string admin_name;
  // The admin's organisation, also the event's.
  std::string organisation = "unspecified";
  int64_t occurred_at_ms = 0;
  uint32_t role_table_version = kRoleTableVersion;
  // A successor log only (server/restore.h): the predecessor's origin and its
  // last checkpoint, the signed note (Roster checks its form).
  std::string predecessor_origin;
  std::string predecessor_checkpoint;
};

v1::Event MakeGenesis(const GenesisParams& p);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_GOVERNANCE_GENESIS_H_
