// The signing contexts of docs/ARCHITECTURE.md ("Signing contexts"). Every
// signature covers a distinct context string and the log's origin, so nothing
// signed for one purpose or one log is valid for another. Each function returns
// the exact bytes that are signed or hashed.
//
// clang-format off
//   event            "ailedger/event/v1\n" || origin || "\n" || event_bytes
//   call             "ailedger/call/v1\n" || origin || "\n" || method || "\n" ||
//                    decimal(time_ms) || "\n" || nonce     (nonce: exactly 16 raw bytes)
//   key possession   "ailedger/key-possession/v1\n" || origin || "\n" || pubkey (32 raw bytes)
//   log key          "ailedger/log-key-possession/v1\n" || origin || "\n" || pubkey (32 raw
//   possession       bytes of the new log key, LogKeyRotated)
//   event id         SHA-256("ailedger/event-id/v1\n" || origin || "\n" || event_bytes)
//   seal commitment  SHA-256("ailedger/seal/v1" || salt (32 bytes) || plaintext)
// clang-format on
#ifndef AILEDGER_LEDGER_TLOG_CONTEXTS_H_
#define AILEDGER_LEDGER_TLOG_CONTEXTS_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ledger/merkle/hash.h"
#include "ledger/tlog/keys.h"

namespace ailedger {

inline constexpr size_t kCallNonceSize = 16;
inline constexpr size_t kSealSaltSize = 32;

std::string EventSigningMessage(absl::string_view origin,
                                absl::string_view event_bytes);

// How a signed call travels over gRPC, spelled once for the client and the
// server. The method signed is the full gRPC method name, kLedgerService
// followed by the RPC's name ("/ailedger.v1.Ledger/GetEntry"); the signer's
// key, the time, the nonce and the signature travel as these call-metadata
// entries (key, nonce and signature base64, time decimal ms).
inline constexpr char kLedgerService[] = "/ailedger.v1.Ledger/";
inline constexpr char kCallMetadataKey[] = "ailedger-key";
inline constexpr char kCallMetadataTime[] = "ailedger-time-ms";
inline constexpr char kCallMetadataNonce[] = "ailedger-nonce";
inline constexpr char kCallMetadataSignature[] = "ailedger-signature";

// INVALID_ARGUMENT unless the nonce is kCallNonceSize bytes and the method has
// no newline.
absl::StatusOr<std::string> CallSigningMessage(absl::string_view origin,
                                               absl::string_view method,
                                               int64_t time_ms,
                                               absl::string_view nonce);

std::string KeyPossessionMessage(absl::string_view origin,
                                 const PublicKey& granted);

// What a new log key signs to prove that its holder takes the log over
// (LogKeyRotated.possession_signature). A context of its own, so that a roster
// key's possession signature never passes for a log key's, nor the reverse.
std::string LogKeyPossessionMessage(absl::string_view origin,
                                    const PublicKey& new_log_key);

Hash EventId(absl::string_view origin, absl::string_view event_bytes);

// INVALID_ARGUMENT unless the salt is kSealSaltSize bytes.
absl::StatusOr<Hash> SealCommitment(absl::string_view salt,
                                    absl::string_view plaintext);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_TLOG_CONTEXTS_H_
