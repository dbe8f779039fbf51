// A tile directory (C2SP tlog-tiles, ledger/tlog/tiles.h) as `ailedger verify
// DIR` reads it: the checkpoint under the reader's trust, the entry bundle
// split and every tile rebuilt and compared (VerifyTreeOnly), and the entries
// read back (ForEachTileEntry). The input is written to a scratch directory:
// the checkpoint, and the first entry bundle and level-0 hash tile at the
// paths the checkpoint's size gives. An entry bundle that splits is also
// rebuilt by TileBuilder to the same bytes.
//
// Input: u16 big-endian checkpoint length, u16 big-endian entry bundle length,
// the checkpoint, the entry bundle, the hash tile (the rest).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "ledger/base/big_endian.h"
#include "ledger/tlog/note.h"
#include "ledger/tlog/tiles.h"
#include "tests/fuzz/fuzz_support.h"

namespace ailedger::fuzz {
namespace {

void Write(const std::filesystem::path& path, absl::string_view bytes) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary).write(bytes.data(), bytes.size());
}

// The entries split and rebuilt: the same bundle comes out.
void Rebuild(absl::string_view entries) {
  auto split = SplitEntryBundle(entries);
  if (!split.ok() || split->empty() || split->size() > kTileWidth) return;
  std::string emitted;
  TileBuilder b([&](const std::string& path, const std::string& bytes) {
    if (path.rfind("tile/entries/", 0) == 0) emitted = bytes;
    return absl::OkStatus();
  });
  for (const std::string& e : *split) Check(b.Add(e).ok(), "an entry refused");
  Check(b.Finish().ok(), "tiles not finished");
  Check(emitted == entries, "an entry bundle rebuilt to other bytes");
}

}  // namespace
}  // namespace ailedger::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ailedger;
  using namespace ailedger::fuzz;
  if (size < 4 || size > kMaxInput) return 0;
  const Trust& trust = GetTrust();
  absl::string_view in = AsView(data, size);
  const size_t cp_len = GetBigEndian16(in),
               entries_len = GetBigEndian16(in.substr(2));
  in.remove_prefix(4);
  if (cp_len + entries_len > in.size()) return 0;
  const absl::string_view note = in.substr(0, cp_len);
  const absl::string_view entries = in.substr(cp_len, entries_len);
  const absl::string_view hashes = in.substr(cp_len + entries_len);
  Rebuild(entries);

  const std::filesystem::path dir = ScratchDir() + "/tiles";
  std::filesystem::remove_all(dir);
  Write(dir / "checkpoint", note);
  uint64_t tree_size = 0;
  auto parsed = ParseNote(note);
  if (parsed.ok()) {
    if (auto cp = ParseCheckpoint(parsed->text); cp.ok()) tree_size = cp->size;
  }
  const uint64_t width = std::min<uint64_t>(tree_size, kTileWidth);
  if (width > 0) {
    Write(dir / TilePath(-1, 0, width), entries);
    Write(dir / TilePath(0, 0, width), hashes);
  }
  std::vector<VerifierKey> log_keys = trust.note_keys;
  log_keys.push_back(trust.log);
  auto report = VerifyTreeOnly(dir.string(), log_keys, {{trust.witness}, 0});
  if (report.ok()) {
    Check(report->checkpoint.size == tree_size, "verified another size");
  }
  uint64_t read = 0;
  auto s = ForEachTileEntry(dir.string(), width, [&](std::string) {
    ++read;
    return absl::OkStatus();
  });
  Check(!s.ok() || read == width, "entries read differ from the tile's width");
  return 0;
}
