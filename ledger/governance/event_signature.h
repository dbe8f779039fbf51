// An event's author signature: the one way an event is signed, and the one way
// its signature is checked (the server before the queue, the offline verifier
// for every leaf, verify-proof for the proven leaf, the client for a
// duplicate's receipt). The author signs the canonical bytes of the event for
// one log: Ed25519 over EventSigningMessage(origin, event_bytes)
// (ledger/tlog/contexts.h; docs/FORMATS.md, "Signing contexts"), so an event
// signed for one log is not valid in another.
#ifndef AILEDGER_LEDGER_GOVERNANCE_EVENT_SIGNATURE_H_
#define AILEDGER_LEDGER_GOVERNANCE_EVENT_SIGNATURE_H_

#include <string>

#include "absl/strings/string_view.h"
#include "ailedger/event.pb.h"
#include "ledger/tlog/keys.h"

namespace ailedger {

// An event's canonical bytes with its author's key and signature. Whether the
// signature verifies is the holder's business (VerifyEventSignature).
struct SignedEvent {
  PublicKey signer{};
  Signature signature{};
  std::string event_bytes;
};

// The canonical bytes of `event` (CanonicalEncoding), signed by `author` for
// the log `origin`.
SignedEvent SignEvent(const v1::Event& event, const SigningKey& author,
                      absl::string_view origin);

// True when `signature` is `signer`'s Ed25519 signature of `event_bytes` for
// the log `origin`. False for any other input, including a signature that is
// not 64 bytes.
bool VerifyEventSignature(absl::string_view origin,
                          absl::string_view event_bytes,
                          const PublicKey& signer, absl::string_view signature);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_GOVERNANCE_EVENT_SIGNATURE_H_
