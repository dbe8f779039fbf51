// One stream of events offered to both judges of the rules of state: the
// sequencer, in process (the server's checks before the queue, then the
// sequencer over a MemoryStore), and the offline verifier, over a bundle a
// forger wrote with every event in it, checked or not. For
// tests/rule_conformance_test.cc.
#ifndef AILEDGER_TESTS_TESTING_RULE_HARNESS_H_
#define AILEDGER_TESTS_TESTING_RULE_HARNESS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "ailedger/event.pb.h"
#include "ledger/audit/bundle_verifier.h"
#include "ledger/governance/event_signature.h"
#include "ledger/governance/roles.h"
#include "ledger/storage/memory_store.h"
#include "ledger/tlog/keys.h"

namespace ailedger::testing {

inline constexpr char kHarnessOrigin[] = "conformance.example/log";
// The harness's clock: every append and every leaf happens at this time.
inline constexpr int64_t kHarnessNowMs = 1'800'000'000'000;  // 2027-01-15

// A judge's verdict on one event: accepted, or refused by a named rule.
struct Verdict {
  bool accepted = false;
  std::string rule;  // engine.h's rule names; "" when accepted
  std::string message;
  bool operator==(const Verdict& o) const {
    return accepted == o.accepted && rule == o.rule;
  }
};
std::string ToString(const Verdict& v);

// An event of `type` by `organisation` about `subjects` ((kind, id) pairs),
// unique by `nonce`, with the worked example body (FillExampleBody).
v1::Event ExampleAbout(
    const std::string& type,
    const std::vector<std::pair<std::string, std::string>>& subjects,
    const std::string& nonce, const std::string& organisation);

class RuleHarness {
 public:
  RuleHarness();
  ~RuleHarness();

  const SigningKey& admin() const { return *admin_; }
  const SigningKey& log_key() const { return *log_key_; }

  SignedEvent Sign(const v1::Event& e, const SigningKey& author) const;
  // The genesis, by admin(), naming role table `version`.
  // Version 2 by default: the refusal cases of versions 1 and 2; the cases
  // of version 3 (vocabulary v2) name it.
  SignedEvent Genesis(uint32_t version = 2) const;
  // A KeyGranted by admin() for `key` (with its possession signature).
  SignedEvent Grant(const SigningKey& key, const std::string& organisation,
                    v1::Role role, const std::string& function = "") const;

  // The sequencer's verdict on each event, offered in order, each alone or all
  // in one batch.
  std::vector<Verdict> Sequence(const std::vector<SignedEvent>& events,
                                bool one_batch = false);
  // The verifier's report on a bundle from genesis holding exactly `events`
  // (as a forger who signs checkpoints with the log key would write it).
  VerifyReport ForgeAndVerify(const std::vector<SignedEvent>& events);
  // The root of the log holding exactly `events` (what a report anchors).
  Hash RootOf(const std::vector<SignedEvent>& events) const;
  // The verifier's verdict on the last of `events`, the others accepted: the
  // failure must be at its index.
  Verdict VerifyLast(const std::vector<SignedEvent>& events);

 private:
  TreeState Forge(MemoryStore* store,
                  const std::vector<SignedEvent>& events) const;

  std::string dir_;
  std::unique_ptr<SigningKey> admin_, log_key_;
};

}  // namespace ailedger::testing

#endif  // AILEDGER_TESTS_TESTING_RULE_HARNESS_H_
