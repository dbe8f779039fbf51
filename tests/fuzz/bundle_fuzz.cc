// Export bundles (docs/BUNDLE.md) read and verified offline
// (ledger/audit/bundle_verifier.h) from memory, as `ailedger verify` does,
// trusting the corpus log's key, its admin, its witness (no quorum, so that the
// seeds verify in full and mutations reach every record) and its checkpoint at
// size 30. Input: a bundle.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "ledger/audit/bundle_verifier.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ailedger;
  using namespace ailedger::fuzz;
  if (size > kMaxInput) return 0;
  const Trust& trust = GetTrust();
  VerifyOptions o;
  o.log_keys = {trust.log};
  o.admin = trust.admin;
  o.witness_policy = {{trust.witness}, 0};
  o.trusted_checkpoint = trust.size30_note;
  o.threads = 1;
  std::istringstream in(std::string(AsView(data, size)));
  auto report = VerifyBundle(&in, o);
  if (!report.ok()) return 0;
  if (report->verified) {
    Check(report->failure.empty(), "verified with a failure");
    Check(report->from <= report->to && report->to <= report->checkpoint_size,
          "verified a range beyond its checkpoint");
  } else {
    Check(!report->failure.empty() && !report->failed_check.empty(),
          "a failure that names no check");
  }
  return 0;
}
