// Witness cosignatures (C2SP tlog-cosignature v1.0.1, key type 0x04), read two
// ways. As a cosigned checkpoint under a reader's witness policy
// (ledger/tlog/trust.h), with a quorum of 1 and of 2. And as a witness's
// answer to the log's newest checkpoint, which the log appends to the
// checkpoint's text and opens with that witness's key alone
// (server/witness_submitter.cc). Input: a cosigned checkpoint, or an answer's
// body (its cosignature lines).
#include <cstddef>
#include <cstdint>
#include <string>

#include "ledger/tlog/note.h"
#include "ledger/tlog/trust.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ailedger;
  using namespace ailedger::fuzz;
  if (size > kMaxInput) return 0;
  const Trust& trust = GetTrust();
  const absl::string_view in = AsView(data, size);
  for (size_t quorum : {1, 2}) {
    const TrustAnchors anchors{{trust.log}, {{trust.witness}, quorum}};
    auto cp = OpenTrustedCheckpoint(in, anchors);
    if (!cp.ok()) continue;
    Check(cp->cosignatures >= quorum, "a checkpoint trusted below quorum");
    Check(cp->witness_times.size() == cp->cosignatures,
          "a cosignature without its time");
  }
  // The answer as the log reads it.
  auto newest = ParseNote(trust.newest_note);
  Check(newest.ok(), "the trusted checkpoint does not parse");
  const std::string answered = newest->text + "\n" + std::string(in);
  auto parsed = ParseNote(answered);
  const VerifierKey witness[] = {trust.witness};
  auto opened = OpenNote(answered, witness);
  if (opened.ok()) {
    Check(parsed.ok(), "an answer opened that does not parse");
    Check(CountCosignatures(*opened) == 1, "one witness counted twice");
  }
  return 0;
}
