#include "tests/fuzz/fuzz_support.h"

#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/stubs/logging.h"
#include "ledger/base/crypto_init.h"
#include "ledger/base/file_util.h"
#include "ledger/base/utf8.h"
#include "ledger/tlog/note.h"

namespace ailedger::fuzz {
namespace {

std::string Read(const char* name) {
  auto text = ReadSmallFile(std::string(AILEDGER_FUZZ_TRUST_DIR "/") + name);
  if (!text.ok()) {
    std::fprintf(stderr, "fuzz trust: %s\n", text.status().ToString().c_str());
    std::abort();
  }
  return *text;
}

VerifierKey Key(absl::string_view text) {
  auto k = VerifierKey::Parse(absl::StripAsciiWhitespace(text));
  Check(k.ok(), "fuzz trust: a verifier key does not parse");
  return *k;
}

Checkpoint Parsed(const std::string& note) {
  auto parsed = ParseNote(note);
  Check(parsed.ok(), "fuzz trust: a checkpoint is not a note");
  auto cp = ParseCheckpoint(parsed->text);
  Check(cp.ok(), "fuzz trust: a checkpoint does not parse");
  return *cp;
}

Trust Load() {
  InitCrypto();
  // A rejected input is not news: protobuf's parse errors would flood stderr
  // and slow fuzzing down.
  google::protobuf::SetLogHandler(nullptr);
  Trust t;
  t.log = Key(Read("log.vkey"));
  t.admin = Key(Read("admin.vkey"));
  t.witness = Key(Read("witness.vkey"));
  for (absl::string_view line :
       absl::StrSplit(Read("notes.vkeys"), '\n', absl::SkipWhitespace())) {
    t.note_keys.push_back(Key(line));
  }
  t.newest_note = Read("checkpoint");
  t.newest = Parsed(t.newest_note);
  t.size10_note = Read("checkpoint10");
  t.size10 = Parsed(t.size10_note);
  t.size30_note = Read("checkpoint30");
  return t;
}

}  // namespace

const Trust& GetTrust() {
  static const Trust* trust = new Trust(Load());
  return *trust;
}

const std::string& ScratchDir() {
  static const std::string* dir = [] {
    const bool shm = std::filesystem::is_directory("/dev/shm");
    std::string pattern =
        shm ? "/dev/shm/ailedger-fuzz-XXXXXX"
            : std::filesystem::temp_directory_path().string() +
                  "/ailedger-fuzz-XXXXXX";
    Check(mkdtemp(pattern.data()) != nullptr,
          "fuzz: cannot make a scratch dir");
    auto* d = new std::string(pattern);
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(ScratchDir(), ec);
    });
    return d;
  }();
  return *dir;
}

void Check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz property broken: %s\n", what);
  std::abort();
}

bool SafeForTerminal(absl::string_view s) {
  if (!IsValidUtf8(s)) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if ((c < 0x20 && c != '\n') || c == 0x7F) return false;
    // U+0080..U+009F are C2 80..C2 9F in UTF-8.
    if (c == 0xC2 && i + 1 < s.size() &&
        static_cast<unsigned char>(s[i + 1]) < 0xA0) {
      return false;
    }
  }
  return true;
}

}  // namespace ailedger::fuzz
