#include "tests/testing/history_records.h"

#include <algorithm>
#include <map>

#include "ledger/base/crypto_init.h"
#include "ledger/merkle/hash.h"

namespace ailedger::testing {
namespace {

// The signer summary a grant gives (what VerifyReport::signers holds).
void NoteGrant(const v1::KeyGranted& k, std::map<PublicKey, SignerSummary>* s) {
  SignerSummary summary;
  if (k.public_key().size() != summary.key.size()) return;
  std::copy(k.public_key().begin(), k.public_key().end(), summary.key.begin());
  summary.name = k.display_name();
  summary.organisation = k.organisation();
  for (int role : k.roles())
    summary.roles.push_back(static_cast<v1::Role>(role));
  (*s)[summary.key] = summary;
}

}  // namespace

HistoryLog HistoryAsVerified(const history::Options& options,
                             const std::string& admin_seed) {
  InitCrypto();
  const Hash seed = HashLeaf(admin_seed);
  const SigningKey admin =
      SigningKey::FromSeed("admin", kKeyTypeEd25519, AsBytes(seed)).value();
  history::History h(options, &admin);
  HistoryLog log;
  std::map<PublicKey, SignerSummary> signers;
  for (auto batch = h.Next(100); !batch.empty(); batch = h.Next(100)) {
    for (history::Generated& g : batch) {
      reports::Record r;
      r.index = log.records.size() + 1;
      r.integrated_time_ms = static_cast<uint64_t>(g.occurred_at_ms);
      r.event_id = g.event_id;
      r.signer = g.signed_event.signer;
      r.leaf_hash = HashLeaf(g.signed_event.event_bytes);
      if (!r.event.ParseFromString(g.signed_event.event_bytes)) continue;
      if (r.event.has_key_granted()) NoteGrant(r.event.key_granted(), &signers);
      log.records.push_back(std::move(r));
    }
  }
  for (const auto& [key, s] : signers) log.verified.signers.push_back(s);
  log.verified.verified = true;
  log.verified.origin = options.origin;
  log.verified.to = log.verified.checkpoint_size = log.records.size() + 1;
  log.verified.roster_complete = true;
  return log;
}

}  // namespace ailedger::testing
