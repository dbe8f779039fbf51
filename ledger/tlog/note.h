// C2SP signed-note v1.0.0: a text signed by one or more keys, and C2SP
// tlog-cosignature v1.0.1 (type 0x04) timestamped witness cosignatures over
// checkpoint texts.
//
// clang-format off
//   note      = text ("\n"-terminated) "\n" 1*signature-line
//   signature = "— " key-name " " base64(key ID[4] || sig) "\n"
//   0x01 sig  = Ed25519(text)                                    (signed-note, "Ed25519")
//   0x04 sig  = u64be time || Ed25519("cosignature/v1\ntime " time "\n" || text)
//                                                                (tlog-cosignature, "Signed message")
// clang-format on
//
// Parsing is strict: valid UTF-8, no control characters but newline, canonical
// base64, at most kMaxNoteSignatures signature lines and kMaxNoteSize bytes.
// Verification ignores signatures from keys it was not given (a name and key ID
// must both match), fails on a bad signature by a given key, and fails unless
// at least one given key verified. Thread-safe free functions.
#ifndef AILEDGER_LEDGER_TLOG_NOTE_H_
#define AILEDGER_LEDGER_TLOG_NOTE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "ledger/tlog/keys.h"

namespace ailedger {

inline constexpr size_t kMaxNoteSignatures = 100;
inline constexpr size_t kMaxNoteSize = 64 * 1024;

struct NoteSignature {
  std::string name;
  uint32_t key_id = 0;
  std::string signature;  // the bytes after the key ID
  std::string line;       // the exact line, without its newline
};

struct ParsedNote {
  std::string text;  // including its final newline
  std::vector<NoteSignature> signatures;
};

// Format checks only; nothing is verified.
absl::StatusOr<ParsedNote> ParseNote(absl::string_view note);

// One signature line (with its newline) by `key` over `text`. For a cosigner
// key (type 0x04), `timestamp` is the cosignature's time in Unix seconds; it is
// ignored for type 0x01.
std::string SignatureLine(const SigningKey& key, absl::string_view text,
                          uint64_t timestamp = 0);

// text || "\n" || one line per key. INVALID_ARGUMENT unless text is a valid
// note text.
absl::StatusOr<std::string> SignNote(absl::string_view text,
                                     absl::Span<const SigningKey* const> keys,
                                     uint64_t timestamp = 0);

// The message a cosigner signs (tlog-cosignature v1.0.1, "Signed message").
std::string CosignatureMessage(uint64_t timestamp, absl::string_view text);

struct VerifiedSignature {
  VerifierKey key;  // which of the keys passed to OpenNote (a copy)
  std::optional<uint64_t> timestamp;  // set for cosignatures
};

struct VerifiedNote {
  std::string text;
  std::vector<VerifiedSignature> verified;  // in note order
  // Lines from keys not given: not verified.
  std::vector<NoteSignature> unknown;
};

// Signatures among `verified` by cosigner (type 0x04) keys: one per key.
size_t CountCosignatures(const VerifiedNote& note);

// Parses and verifies. UNAUTHENTICATED when a given key's signature is bad or
// when no given key signed; INVALID_ARGUMENT when the note is malformed.
absl::StatusOr<VerifiedNote> OpenNote(absl::string_view note,
                                      absl::Span<const VerifierKey> keys);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_TLOG_NOTE_H_
