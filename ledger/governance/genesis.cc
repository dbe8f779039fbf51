#include "ledger/governance/genesis.h"

#include "ledger/governance/envelope.h"
#include "ledger/governance/event_types.h"
#include "ledger/tlog/leaf.h"

namespace ailedger {

v1::Event MakeGenesis(const GenesisParams& p) {
  v1::Event e = NewEvent(kGenesis, p.organisation, p.occurred_at_ms);
  v1::Genesis* g = e.mutable_genesis();
  g->set_origin(p.origin);
  g->set_log_verifier_key(p.log_verifier_key);
  g->set_leaf_version(kLeafVersion);
  g->set_role_table_version(p.role_table_version);
  g->set_admin_public_key(std::string(AsBytes(p.admin_public_key)));
  if (!p.admin_name.empty()) g->set_admin_name(p.admin_name);
  g->set_admin_organisation(p.organisation);
  if (!p.predecessor_origin.empty()) {
    g->set_predecessor_origin(p.predecessor_origin);
  }
  if (!p.predecessor_checkpoint.empty()) {
    g->set_predecessor_checkpoint(p.predecessor_checkpoint);
  }
  return e;
}

}  // namespace ailedger
