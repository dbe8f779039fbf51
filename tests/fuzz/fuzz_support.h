// What the fuzzers of tests/fuzz share: the bound on an input, what they trust
// (tests/fuzz/trust/, written with the corpora by make_corpus.sh: the corpus
// log's verifier keys and checkpoints, the signed-note vectors' keys) and a
// private scratch directory for the targets that read files.
//
// A target must bound its work (inputs over kMaxInput are ignored) and must
// never abort on valid behaviour: a refusal is a status, not a crash. It
// aborts (FUZZ_CHECK) only when a property every input must keep is broken.
#ifndef AILEDGER_TESTS_FUZZ_FUZZ_SUPPORT_H_
#define AILEDGER_TESTS_FUZZ_FUZZ_SUPPORT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "ledger/tlog/checkpoint.h"
#include "ledger/tlog/keys.h"

namespace ailedger::fuzz {

inline constexpr size_t kMaxInput = 64 * 1024;

struct Trust {
  VerifierKey log, admin, witness;
  std::vector<VerifierKey> note_keys;  // signed-note vectors, Tessera's log
  std::string newest_note;             // the log's newest checkpoint
  Checkpoint newest;
  std::string size10_note, size30_note;  // the log's at sizes 10 and 30
  Checkpoint size10;
};

// Loaded once (and libsodium started); aborts when trust/ is unusable, which
// is a broken checkout, not an input.
const Trust& GetTrust();

// A directory of this process (under /dev/shm when it exists: the targets that
// read files write one per input), removed at exit.
const std::string& ScratchDir();

// Aborts with `what` when `ok` is false: a property broken by this input.
void Check(bool ok, const char* what);

// No byte a terminal acts on but newline: valid UTF-8 without C0 controls
// (tab, CR and ESC included), DEL or C1 controls (ledger/base/
// terminal_escape.h).
bool SafeForTerminal(absl::string_view s);

inline absl::string_view AsView(const uint8_t* data, size_t size) {
  return absl::string_view(reinterpret_cast<const char*>(data), size);
}

}  // namespace ailedger::fuzz

#endif  // AILEDGER_TESTS_FUZZ_FUZZ_SUPPORT_H_
