// A C2SP tlog-witness v1.0.0 witness, without its HTTP transport: it cosigns a
// checkpoint only after checking the log's signature and a consistency proof
// from the last checkpoint it cosigned for that origin, so it never cosigns two
// inconsistent checkpoints. Its state (per origin: the latest cosigned size and
// root) is written durably before it answers; checking and updating are one
// atomic step.
//
// The wire format is ledger/tlog/witness_protocol.h. Answers (status, body):
//
// clang-format off
//   200  cosignature line(s)
//   400  malformed
//   403  no trusted log signature
//   404  unknown origin
//   409  old size differs (body "<latest>\n", text/x.tlog.size), or same size, different root
//   422  consistency proof does not verify
// clang-format on
//
// A log key rotation (docs/ARCHITECTURE.md, "Log key rotation"): the witness
// starts from the log keys of its configuration and follows a log to a new
// key only on a rotation proof (ledger/governance/log_key_rotation.h) posted
// to the ailedger extension POST kAddKeyRotationPath, checked under the keys
// it follows for that origin and consistent with what it cosigned; it keeps
// the proofs it followed beside its state (<hex origin>.rotations) and
// refuses (403) a checkpoint signed by a key the log did not rotate to, or
// only by a key the log left after its overlap or a declared compromise.
//
// clang-format off
//   add-key-rotation body:  "old <size>\n" <consistency proof between that size
//                           and the handover's> "\n" <rotation proof>
//   200 followed (or known already) | 400 malformed | 403 not proven by a key
//   it follows | 404 unknown origin | 409 old size differs (as add-checkpoint)
//   | 422 the proof does not verify or does not follow its chain
// clang-format on
//
// LatestCosigned answers the ailedger extension GET kLatestCosignedPath: the
// latest checkpoint this witness cosigned, with the log's signature and the
// cosignature, the proof behind a 409 "I have cosigned more than you", which
// tlog-witness carries only as a bare number. A log raises its high-water mark
// on that proof alone, never on the number.
#ifndef AILEDGER_WITNESS_WITNESS_H_
#define AILEDGER_WITNESS_WITNESS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ledger/tlog/checkpoint.h"
#include "ledger/tlog/keys.h"
#include "ledger/tlog/note.h"
#include "ledger/tlog/trust.h"
#include "ledger/tlog/witness_protocol.h"

namespace ailedger {

struct WitnessAnswer {
  int http_status = 200;
  std::string body;
  std::string content_type = "text/plain; charset=utf-8";
};

class Witness {
 public:
  // `log_keys`: the logs it witnesses (origin = key name). `state_dir` holds
  // one file per origin. `now_seconds` stamps cosignatures.
  static absl::StatusOr<std::unique_ptr<Witness>> Open(
      SigningKey cosigner, std::vector<VerifierKey> log_keys,
      std::string state_dir, std::function<uint64_t()> now_seconds);

  // Thread-safe.
  WitnessAnswer AddCheckpoint(absl::string_view body);
  // Thread-safe.
  WitnessAnswer AddKeyRotation(absl::string_view body);
  // The latest cosigned checkpoint of the log whose origin hashes to
  // `origin_id` (lower-case hex SHA-256): 200 with the note (the log's
  // signature and this witness's cosignature) | 404 unknown origin or nothing
  // cosigned yet. Thread-safe.
  WitnessAnswer LatestCosigned(absl::string_view origin_id);

  // After a restore from a backup (witness_catch_up.cc): `note`, a checkpoint
  // of a log this witness knows, signed by the log and cosigned by this
  // witness, proves that the witness cosigned that tree; the state for its
  // origin is raised to it when it is larger. What was done, in one line.
  // UNAUTHENTICATED without both signatures; DATA_LOSS when it has the
  // state's size but another root (the witness would have cosigned a fork).
  absl::StatusOr<std::string> CatchUp(absl::string_view note);

 private:
  struct Latest {
    uint64_t size = 0;
    Hash root{};
    std::string note;  // as cosigned; empty in state written before it was kept
  };
  Witness(SigningKey cosigner, std::vector<VerifierKey> log_keys,
          std::string state_dir, std::function<uint64_t()> now_seconds);
  std::string StatePath(const std::string& origin) const;
  absl::StatusOr<Latest> Load(const std::string& origin) const;
  // The configured keys of `origin` (none: NOT_FOUND) followed through the
  // rotation proofs kept for it. Requires mu_.
  absl::StatusOr<TrustAnchors> Anchors(const std::string& origin);

  const SigningKey cosigner_;
  const std::vector<VerifierKey> log_keys_;
  const std::string state_dir_;
  const std::function<uint64_t()> now_seconds_;
  std::mutex mu_;  // check-then-persist is atomic
  // Per origin: the configured keys and the rotations followed (under mu_).
  std::map<std::string, TrustAnchors> anchors_;
};

}  // namespace ailedger

#endif  // AILEDGER_WITNESS_WITNESS_H_
