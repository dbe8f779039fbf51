// A C2SP tlog-witness v1.0.0 witness, without its HTTP transport: it cosigns a
// checkpoint only after checking the log's signature and a consistency proof
// from the last checkpoint it cosigned for that origin, so it never cosigns two
// inconsistent checkpoints. Its state (per origin: the latest cosigned size and
// root) is written durably before it answers; checking and updating are one
// atomic step.
//
// add-checkpoint body:  "old <size>\n" <base64 hash>\n ... "\n" <checkpoint
// note> Answers (status, body):  200 cosignature line(s) | 400 malformed | 403
// no trusted log signature | 404 unknown origin | 409 old size differs (body
// "<latest>\n", text/x.tlog.size) or same size, different root | 422
// consistency proof does not verify.
#ifndef AILEDGER_LEDGER_WITNESS_H_
#define AILEDGER_LEDGER_WITNESS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ledger/checkpoint.h"
#include "ledger/keys.h"

namespace ailedger {

struct AddCheckpointRequest {
  uint64_t old_size = 0;
  std::vector<Hash> proof;
  std::string checkpoint;  // the signed note
};

std::string FormatAddCheckpoint(const AddCheckpointRequest& r);
// INVALID_ARGUMENT on anything but the exact format (at most 63 proof lines).
absl::StatusOr<AddCheckpointRequest> ParseAddCheckpoint(absl::string_view body);

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

 private:
  struct Latest {
    uint64_t size = 0;
    Hash root{};
  };
  Witness(SigningKey cosigner, std::vector<VerifierKey> log_keys,
          std::string state_dir, std::function<uint64_t()> now_seconds);
  std::string StatePath(const std::string& origin) const;
  absl::StatusOr<Latest> Load(const std::string& origin) const;

  const SigningKey cosigner_;
  const std::vector<VerifierKey> log_keys_;
  const std::string state_dir_;
  const std::function<uint64_t()> now_seconds_;
  std::mutex mu_;  // check-then-persist is atomic
};

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_WITNESS_H_
