#include "ledger/tlog/note.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "ledger/base/base64.h"
#include "ledger/base/big_endian.h"
#include "ledger/base/utf8.h"

namespace ailedger {
namespace {

constexpr absl::string_view kSigPrefix =
    "\xE2\x80\x94 ";  // U+2014 EM DASH, space

absl::Status CheckCharacters(absl::string_view note, absl::string_view what) {
  if (note.size() > kMaxNoteSize) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": larger than ", kMaxNoteSize, " bytes"));
  }
  if (!IsValidUtf8(note)) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": not UTF-8"));
  }
  for (unsigned char c : note) {
    if (c < 0x20 && c != '\n') {
      return absl::InvalidArgumentError(
          absl::StrCat(what, ": control character other than newline"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<NoteSignature> ParseSignatureLine(absl::string_view line) {
  if (line.substr(0, kSigPrefix.size()) != kSigPrefix) {
    return absl::InvalidArgumentError(
        "note: signature line must start with '— '");
  }
  line.remove_prefix(kSigPrefix.size());
  size_t space = line.find(' ');
  if (space == absl::string_view::npos) {
    return absl::InvalidArgumentError("note: signature line has no signature");
  }
  NoteSignature sig;
  sig.name = std::string(line.substr(0, space));
  if (!IsValidKeyName(sig.name)) {
    return absl::InvalidArgumentError(
        "note: invalid key name in signature line");
  }
  auto raw = Base64Decode(line.substr(space + 1), "note signature");
  if (!raw.ok()) return raw.status();
  if (raw->size() < 5) {
    return absl::InvalidArgumentError("note: signature too short");
  }
  const auto* b = reinterpret_cast<const uint8_t*>(raw->data());
  sig.key_id = (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) |
               (uint32_t{b[2]} << 8) | b[3];
  sig.signature = raw->substr(4);
  return sig;
}

// Checks one signature against one key of the same name and ID.
bool SignatureVerifies(const VerifierKey& key, absl::string_view text,
                       const NoteSignature& sig,
                       std::optional<uint64_t>* timestamp) {
  if (key.type() == kKeyTypeEd25519) {
    return Ed25519Verify(key.public_key(), text, sig.signature);
  }
  if (sig.signature.size() != 8 + 64) return false;
  uint64_t ts = GetBigEndian64(sig.signature);
  *timestamp = ts;
  return Ed25519Verify(key.public_key(), CosignatureMessage(ts, text),
                       absl::string_view(sig.signature).substr(8));
}

}  // namespace

absl::StatusOr<ParsedNote> ParseNote(absl::string_view note) {
  if (auto s = CheckCharacters(note, "note"); !s.ok()) return s;
  if (note.empty() || note.back() != '\n') {
    return absl::InvalidArgumentError("note: must end with a newline");
  }
  size_t split = note.rfind("\n\n");
  if (split == absl::string_view::npos) {
    return absl::InvalidArgumentError("note: no blank line before signatures");
  }
  ParsedNote parsed;
  parsed.text = std::string(note.substr(0, split + 1));
  absl::string_view sigs = note.substr(split + 2);
  if (sigs.empty())
    return absl::InvalidArgumentError("note: no signature lines");
  sigs.remove_suffix(1);  // the final newline
  for (absl::string_view line : absl::StrSplit(sigs, '\n')) {
    if (parsed.signatures.size() == kMaxNoteSignatures) {
      return absl::InvalidArgumentError(
          absl::StrCat("note: more than ", kMaxNoteSignatures, " signatures"));
    }
    auto sig = ParseSignatureLine(line);
    if (!sig.ok()) return sig.status();
    sig->line = std::string(line);
    parsed.signatures.push_back(*std::move(sig));
  }
  return parsed;
}

std::string CosignatureMessage(uint64_t timestamp, absl::string_view text) {
  return absl::StrCat("cosignature/v1\ntime ", timestamp, "\n", text);
}

std::string SignatureLine(const SigningKey& key, absl::string_view text,
                          uint64_t timestamp) {
  const VerifierKey& v = key.verifier();
  std::string raw = BigEndian64(v.key_id()).substr(4);
  if (v.type() == kKeyTypeCosignature) {
    raw += BigEndian64(timestamp);
    Signature s = key.Sign(CosignatureMessage(timestamp, text));
    raw.append(reinterpret_cast<const char*>(s.data()), s.size());
  } else {
    Signature s = key.Sign(text);
    raw.append(reinterpret_cast<const char*>(s.data()), s.size());
  }
  return absl::StrCat(kSigPrefix, v.name(), " ", Base64Encode(raw), "\n");
}

absl::StatusOr<std::string> SignNote(absl::string_view text,
                                     absl::Span<const SigningKey* const> keys,
                                     uint64_t timestamp) {
  if (auto s = CheckCharacters(text, "note text"); !s.ok()) return s;
  if (text.empty() || text.back() != '\n') {
    return absl::InvalidArgumentError("note text: must end with a newline");
  }
  if (keys.empty() || keys.size() > kMaxNoteSignatures) {
    return absl::InvalidArgumentError("note: need 1 to 100 signing keys");
  }
  std::string out = absl::StrCat(text, "\n");
  for (const SigningKey* k : keys) out += SignatureLine(*k, text, timestamp);
  return out;
}

size_t CountCosignatures(const VerifiedNote& note) {
  size_t n = 0;
  for (const auto& v : note.verified) n += v.key.type() == kKeyTypeCosignature;
  return n;
}

absl::StatusOr<VerifiedNote> OpenNote(absl::string_view note,
                                      absl::Span<const VerifierKey> keys) {
  auto parsed = ParseNote(note);
  if (!parsed.ok()) return parsed.status();
  VerifiedNote out;
  out.text = parsed->text;
  for (NoteSignature& sig : parsed->signatures) {
    bool known = false, ok = false;
    for (const VerifierKey& key : keys) {
      if (key.name() != sig.name || key.key_id() != sig.key_id) continue;
      known = true;
      std::optional<uint64_t> ts;
      if (SignatureVerifies(key, out.text, sig, &ts)) {
        ok = true;
        // A key counts once, however often its line repeats (as Go's
        // note.Open).
        bool seen = false;
        for (const auto& v : out.verified) {
          seen |= v.key.public_key() == key.public_key() &&
                  v.key.type() == key.type();
        }
        if (!seen) out.verified.push_back({key, ts});
        break;
      }
    }
    if (known && !ok) {
      return absl::UnauthenticatedError(absl::StrCat(
          "note: signature by known key '", sig.name, "' does not verify"));
    }
    if (!known) out.unknown.push_back(std::move(sig));
  }
  if (out.verified.empty()) {
    return absl::UnauthenticatedError("note: no signature by a known key");
  }
  return out;
}

}  // namespace ailedger
