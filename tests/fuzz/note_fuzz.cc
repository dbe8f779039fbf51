// Signed notes (C2SP signed-note v1.0.0) and checkpoints (tlog-checkpoint
// v1.0.0): parsed, opened under every key the fuzzers trust (the corpus log's,
// its witness's, the signed-note vectors' and Tessera's), and opened as a
// checkpoint of the corpus log and of each of those keys. A note or checkpoint
// that parses prints back to the same bytes: the parsers are strict, so there
// is one way to write each. Input: a note.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "ledger/tlog/checkpoint.h"
#include "ledger/tlog/note.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ailedger;
  using namespace ailedger::fuzz;
  if (size > kMaxInput) return 0;
  const Trust& trust = GetTrust();
  const absl::string_view note = AsView(data, size);
  auto parsed = ParseNote(note);
  if (parsed.ok()) {
    std::string again = parsed->text + "\n";
    for (const NoteSignature& s : parsed->signatures)
      absl::StrAppend(&again, s.line, "\n");
    Check(again == note, "a parsed note prints back to other bytes");
    auto cp = ParseCheckpoint(parsed->text);
    if (cp.ok()) {
      Check(cp->ToText() == parsed->text,
            "a parsed checkpoint prints back to other bytes");
    }
  }
  std::vector<VerifierKey> keys = trust.note_keys;
  keys.insert(keys.end(), {trust.log, trust.admin, trust.witness});
  auto opened = OpenNote(note, keys);
  if (opened.ok()) {
    Check(!opened->verified.empty(), "a note opened with no verified key");
    Check(parsed.ok(), "a note opened that does not parse");
  }
  const VerifierKey witnesses[] = {trust.witness};
  auto cp = OpenCheckpoint(note, trust.log, witnesses);
  if (cp.ok()) Check(cp->checkpoint.origin == trust.log.name(), "origin");
  for (const VerifierKey& k : trust.note_keys) (void)OpenCheckpoint(note, k);
  return 0;
}
