// The CLI's JSON inputs (client/json_input.h), each tried on every input: an
// event for push and event-id, a --batch array of events, and a key request
// for key grant, which the admin's grant is checked against and shown before
// it is signed (client/key_grant.h). Each event then goes the way push sends
// it: its canonical encoding, checked by the server's rules on an event alone.
// Input: a JSON file.
#include <cstddef>
#include <cstdint>
#include <string>

#include "client/json_input.h"
#include "client/key_grant.h"
#include "ledger/governance/canonical.h"
#include "ledger/governance/roles.h"
#include "ledger/rules/engine.h"
#include "tests/fuzz/fuzz_support.h"

namespace ailedger::fuzz {
namespace {

constexpr int64_t kNowMs = 1780000000000;  // fixed, for replays

void CheckEvents(const std::string& text, bool batch) {
  auto events = EventsFromJson(text, batch);
  if (!events.ok()) return;
  Check(!events->empty(), "EventsFromJson returned no event and no error");
  for (const v1::Event& e : *events) {
    const std::string bytes = CanonicalEncoding(e);
    auto parsed = ParseCanonicalEvent(bytes);
    if (parsed.ok()) (void)CheckAlone(*parsed, kRoleTableVersion, kNowMs, 0);
  }
}

void CheckRequest(const std::string& text) {
  v1::KeyGranted asked;
  if (!FromJson(text, &asked, "request").ok()) return;
  v1::KeyGranted granted;
  granted.set_organisation("Corner Shop Finance");
  granted.set_kind(v1::KEY_KIND_PERSON);
  granted.add_roles(v1::ROLE_PUBLISHER);
  // What the admin reads on a terminal, from a file someone else wrote.
  const absl::Status s = CheckGrantRequest(asked, granted);
  Check(SafeForTerminal(s.message()), "a grant refusal can drive a terminal");
  Check(SafeForTerminal(DescribeGrant(asked)),
        "a grant's description can drive a terminal");
}

}  // namespace
}  // namespace ailedger::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ailedger::fuzz;
  if (size > kMaxInput) return 0;
  const std::string text(AsView(data, size));
  CheckEvents(text, /*batch=*/false);
  CheckEvents(text, /*batch=*/true);
  CheckRequest(text);
  return 0;
}
