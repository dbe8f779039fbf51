#include "ledger/governance/key_grant_event.h"

#include "ledger/governance/envelope.h"
#include "ledger/governance/event_types.h"
#include "ledger/tlog/contexts.h"

namespace ailedger {

v1::Event MakeKeyGrant(const SigningKey& holder, const KeyGrantParams& p) {
  const PublicKey& pk = holder.verifier().public_key();
  v1::Event e = NewEvent(
      kKeyGranted,
      p.event_organisation.empty() ? p.organisation : p.event_organisation,
      p.occurred_at_ms);
  v1::KeyGranted* g = e.mutable_key_granted();
  g->set_public_key(std::string(AsBytes(pk)));
  g->set_display_name(p.display_name);
  g->set_organisation(p.organisation);
  g->set_kind(p.kind);
  for (v1::Role r : p.roles) g->add_roles(r);
  for (const std::string& f : p.functions) g->add_functions(f);
  g->set_scope_organisation(p.scope_organisation);
  g->set_scope_system(p.scope_system);
  g->set_possession_signature(
      std::string(AsBytes(holder.Sign(KeyPossessionMessage(p.origin, pk)))));
  return e;
}

}  // namespace ailedger
