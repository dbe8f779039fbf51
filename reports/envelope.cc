#include "ledger/base/base64.h"
#include "reports/report.h"

namespace ailedger::reports {

Envelope EnvelopeOf(const VerifyReport& r, const VerifyOptions& o) {
  Envelope e;
  e.origin = r.origin;
  for (const VerifierKey& k : o.log_keys) e.log_keys.push_back(k.ToString());
  e.from = r.from;
  e.to = r.to;
  e.complete_range = r.verified && r.from == 0 && r.roster_complete;
  e.checkpoint_size = r.checkpoint_size;
  e.checkpoint_root = Base64Encode(AsBytes(r.root));
  e.cosignatures = r.cosignatures;
  e.witnessed = r.witnessed;
  e.verified = r.verified;
  e.failure = r.failure;
  return e;
}

}  // namespace ailedger::reports
