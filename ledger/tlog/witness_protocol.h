// The C2SP tlog-witness v1.0.0 wire format, spoken by both sides: the log that
// submits checkpoints (server/witness_submitter.h) and the witness that cosigns
// them (witness/witness.h).
//
// clang-format off
//   add-checkpoint body:  "old <size>\n" <base64 hash>"\n" ... "\n" <checkpoint note>
// clang-format on
//
// An ailedger extension, GET kLatestCosignedPath<hex SHA-256 of the origin>,
// answers the latest checkpoint a witness cosigned (the proof behind a 409);
// another, POST kAddKeyRotationPath, shows it a log key rotation.
#ifndef AILEDGER_LEDGER_TLOG_WITNESS_PROTOCOL_H_
#define AILEDGER_LEDGER_TLOG_WITNESS_PROTOCOL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ledger/merkle/hash.h"
#include "ledger/tlog/note.h"

namespace ailedger {

// The largest add-checkpoint body: "old <size>\n", at most 63 proof lines of
// 45 bytes, an empty line and a note of at most kMaxNoteSize bytes.
inline constexpr size_t kMaxAddCheckpointSize = kMaxNoteSize + 4096;

inline constexpr char kLatestCosignedPath[] = "/ailedger/v1/latest-cosigned/";
// An ailedger extension: POST a log key rotation proof, in the add-checkpoint
// format with the proof in the checkpoint's place (witness/witness.h).
inline constexpr char kAddKeyRotationPath[] = "/ailedger/v1/add-key-rotation";
// kLatestCosignedPath followed by the hex SHA-256 of `origin`.
std::string LatestCosignedPath(absl::string_view origin);

struct AddCheckpointRequest {
  uint64_t old_size = 0;
  std::vector<Hash> proof;
  std::string checkpoint;  // the signed note
};

std::string FormatAddCheckpoint(const AddCheckpointRequest& r);
// INVALID_ARGUMENT on anything but the exact format (at most 63 proof lines,
// at most kMaxAddCheckpointSize bytes).
absl::StatusOr<AddCheckpointRequest> ParseAddCheckpoint(absl::string_view body);

// A decimal with no sign, no leading zero and no overflow (the sizes of
// tlog-witness and of checkpoints).
bool ParseCanonicalDecimal(absl::string_view s, uint64_t* v);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_TLOG_WITNESS_PROTOCOL_H_
