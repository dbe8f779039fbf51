#include "tests/testing/sequencer_events.h"

#include <atomic>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "ledger/governance/canonical.h"
#include "ledger/governance/genesis.h"
#include "ledger/governance/roles.h"
#include "ledger/tlog/contexts.h"

namespace ailedger::testing {

PendingAppend SignedPending(absl::string_view origin, const v1::Event& e,
                            const SigningKey& k) {
  PendingAppend p;
  p.event.event_bytes = CanonicalEncoding(e);
  p.event.signer = k.verifier().public_key();
  p.event.signature = k.Sign(EventSigningMessage(origin, p.event.event_bytes));
  p.parsed = e;
  p.event_id = EventId(origin, p.event.event_bytes);
  p.fields_version = 2;  // as CheckAppend validated them
  return p;
}

v1::Event TestGenesis(absl::string_view origin, const SigningKey& admin) {
  GenesisParams p;
  p.origin = std::string(origin);
  p.admin_public_key = admin.verifier().public_key();
  p.role_table_version = 2;
  return MakeGenesis(p);
}

v1::Event PublisherGrant(absl::string_view origin, const SigningKey& k,
                         const std::string& display_name) {
  const PublicKey pk = k.verifier().public_key();
  v1::Event e;
  e.set_event_type("KeyGranted");
  auto* g = e.mutable_key_granted();
  g->set_public_key(std::string(AsBytes(pk)));
  g->set_display_name(display_name);
  g->set_organisation("Acme AI");
  g->set_kind(v1::KEY_KIND_PERSON);
  g->add_roles(v1::ROLE_PUBLISHER);
  g->set_possession_signature(
      std::string(AsBytes(k.Sign(KeyPossessionMessage(origin, pk)))));
  return e;
}

v1::Event FreshGrant(absl::string_view origin) {
  static std::atomic<int> n{0};
  const SigningKey k = SigningKey::Generate("staff", kKeyTypeEd25519).value();
  return PublisherGrant(origin, k, "staff " + std::to_string(++n));
}

AppendOutcomes SubmitAndWait(Sequencer& seq, std::vector<PendingAppend> group) {
  const size_t events = group.size();
  absl::Notification done;
  AppendOutcomes out;
  const absl::Status queued =
      seq.Submit(std::move(group), [&](AppendOutcomes o) {
        out = std::move(o);
        done.Notify();
      });
  EXPECT_TRUE(queued.ok()) << queued;
  // A refused group never hears back: every event gets the refusal.
  if (!queued.ok()) return AppendOutcomes(events, queued);
  done.WaitForNotification();
  return out;
}

void ExpectNotAcknowledged(const absl::StatusOr<AppendReceipt>& r) {
  EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable) << r.status();
  EXPECT_NE(r.status().message().find("not acknowledged"), std::string::npos)
      << r.status();
}

}  // namespace ailedger::testing
