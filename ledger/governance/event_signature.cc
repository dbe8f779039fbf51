#include "ledger/governance/event_signature.h"

#include "ledger/governance/canonical.h"
#include "ledger/tlog/contexts.h"

namespace ailedger {

SignedEvent SignEvent(const v1::Event& event, const SigningKey& author,
                      absl::string_view origin) {
  SignedEvent signed_event;
  signed_event.event_bytes = CanonicalEncoding(event);
  signed_event.signer = author.verifier().public_key();
  signed_event.signature =
      author.Sign(EventSigningMessage(origin, signed_event.event_bytes));
  return signed_event;
}

bool VerifyEventSignature(absl::string_view origin,
                          absl::string_view event_bytes,
                          const PublicKey& signer,
                          absl::string_view signature) {
  return Ed25519Verify(signer, EventSigningMessage(origin, event_bytes),
                       signature);
}

}  // namespace ailedger
