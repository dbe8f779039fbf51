// The witness's add-checkpoint (C2SP tlog-witness v1.0.0, witness/witness.h):
// a request body parsed and answered by a witness of the corpus log that has
// cosigned its checkpoint at size 10 (its state is written afresh for every
// input, in a scratch directory). A 200 answer is a cosignature that verifies
// under the witness's key, and the latest cosigned checkpoint it then serves
// opens under the log's key and the witness's; no answer is a 500 (state
// trouble). Input: an add-checkpoint body.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "ledger/base/base64.h"
#include "ledger/merkle/hash.h"
#include "ledger/tlog/checkpoint.h"
#include "ledger/tlog/note.h"
#include "tests/fuzz/fuzz_support.h"
#include "witness/witness.h"

namespace ailedger::fuzz {
namespace {

struct Fixture {
  std::unique_ptr<Witness> witness;
  VerifierKey cosigner;
  std::string state_path;
};

const Fixture& GetFixture() {
  static const Fixture* f = [] {
    const Trust& trust = GetTrust();
    auto key = SigningKey::FromSeed("witness.fuzz", kKeyTypeCosignature,
                                    std::string(32, '\x5a'));
    Check(key.ok(), "fuzz witness key");
    auto* out = new Fixture;
    out->cosigner = key->verifier();
    const std::string dir = ScratchDir() + "/witness";
    auto w = Witness::Open(*std::move(key), {trust.log}, dir,
                           [] { return uint64_t{1780000000}; });
    Check(w.ok(), "fuzz witness");
    out->witness = *std::move(w);
    out->state_path = absl::StrCat(dir, "/", ToHex(Sha256Of(trust.log.name())));
    return out;
  }();
  return *f;
}

}  // namespace
}  // namespace ailedger::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ailedger;
  using namespace ailedger::fuzz;
  if (size > kMaxInput) return 0;
  const Trust& trust = GetTrust();
  const Fixture& f = GetFixture();
  // The state the witness holds: the checkpoint at size 10, cosigned.
  std::ofstream(f.state_path, std::ios::trunc)
      << trust.size10.size << "\n"
      << Base64Encode(AsBytes(trust.size10.root)) << "\n"
      << trust.size10_note;
  const WitnessAnswer a = f.witness->AddCheckpoint(AsView(data, size));
  Check(a.http_status != 500, "the witness failed on its own state");
  if (a.http_status != 200) return 0;
  auto req = ParseAddCheckpoint(AsView(data, size));
  Check(req.ok(), "cosigned a request that does not parse");
  auto parsed = ParseNote(req->checkpoint);
  Check(parsed.ok(), "cosigned a note that does not parse");
  const VerifierKey cosigner[] = {f.cosigner};
  Check(OpenNote(parsed->text + "\n" + a.body, cosigner).ok(),
        "a cosignature that does not verify");
  const WitnessAnswer latest =
      f.witness->LatestCosigned(ToHex(Sha256Of(trust.log.name())));
  Check(latest.http_status == 200 &&
            OpenCheckpoint(latest.body, trust.log, cosigner).ok(),
        "the latest cosigned checkpoint does not open");
  return 0;
}
