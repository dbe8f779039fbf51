// The event decoder and the checks on an event alone, as the server runs them
// before its queue (server/append_checks.cc) and the verifier on every leaf:
// the canonical-event rule (ledger/governance/canonical.h), then the rules
// "fields" and "time" (CheckAlone: ValidateFields, with the v3 field checks
// of validation_v3.h) at every role table version. The same bytes are also
// read as a whole leaf (ledger/tlog/leaf.h), as the verifier reads a bundle's.
// Input: the event's bytes.
#include <cstddef>
#include <cstdint>

#include "ledger/audit/leaf_check.h"
#include "ledger/governance/canonical.h"
#include "ledger/governance/roles.h"
#include "ledger/governance/time_rules.h"
#include "ledger/rules/engine.h"
#include "ledger/tlog/leaf.h"
#include "tests/fuzz/fuzz_support.h"

namespace ailedger::fuzz {
namespace {

constexpr int64_t kNowMs = 1780000000000;  // 2026-05-28: fixed, for replays

void CheckEvent(absl::string_view bytes) {
  auto e = ParseCanonicalEvent(bytes);
  if (!e.ok()) return;
  Check(CanonicalEncoding(*e) == bytes,
        "an event accepted as canonical re-encodes to other bytes");
  for (uint32_t v = 0; v <= kRoleTableVersion; ++v)
    (void)CheckAlone(*e, v, kNowMs, kMaxClockSkewMs);
}

}  // namespace
}  // namespace ailedger::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ailedger;
  using namespace ailedger::fuzz;
  if (size > kMaxLeafSize) return 0;
  const Trust& trust = GetTrust();
  const absl::string_view bytes = AsView(data, size);
  CheckEvent(bytes);
  const Checked leaf = CheckOne(trust.log.name(), std::string(bytes));
  if (leaf.leaf.ok()) {
    auto again = EncodeLeaf(*leaf.leaf);
    Check(again.ok() && *again == bytes,
          "a decoded leaf re-encodes to other bytes");
    CheckEvent(leaf.leaf->event_bytes);
  }
  return 0;
}
