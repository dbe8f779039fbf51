// The log's signing key, kept outside the data directory, with the high-water
// mark of the largest tree size it has ever signed and committed in a file
// beside it (KEY.hwm).
//
// The log must never sign two different trees of one size, which is what
// restoring an old backup and appending would do. So: Sign refuses sizes below
// the mark; the mark is advanced (written and fsynced, atomically renamed)
// after each commit and before any caller is answered; and ailedgerd refuses to
// serve a store below the mark. Every checkpoint anyone has seen is therefore
// at or below the mark. Thread-safe.
#ifndef AILEDGER_SERVER_LOG_SIGNER_H_
#define AILEDGER_SERVER_LOG_SIGNER_H_

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "ledger/base/file_util.h"
#include "ledger/tlog/checkpoint.h"
#include "ledger/tlog/keys.h"

namespace ailedger {

class LogSigner {
 public:
  struct Mark {
    uint64_t size = 0;
    std::optional<Hash> root;  // unknown for marks raised by Advance
  };

  // Reads the key file (PRIVATE+KEY+...) and its .hwm (absent: 0). NOT_FOUND if
  // the key file is missing; FAILED_PRECONDITION if others may read it;
  // INVALID_ARGUMENT if it is malformed or not a type 0x01 key;
  // FAILED_PRECONDITION if the mark exists but cannot be read (it never
  // silently counts as 0).
  static absl::StatusOr<std::unique_ptr<LogSigner>> Open(
      const std::string& key_path);

  const VerifierKey& verifier() const { return key_.verifier(); }
  uint64_t high_water_mark() const;
  std::optional<Hash> high_water_root() const;  // when recorded

  // FAILED_PRECONDITION if cp.size is below the mark, or equal to it with
  // another root.
  absl::StatusOr<std::string> Sign(const Checkpoint& cp);

  // Records a committed tree as the mark (size and, when known, root), durably:
  // called after each commit and before any caller is answered, and at start-up
  // for a store above the mark. A crash between a signature and its commit
  // leaves the mark at the last commit, so nothing is bricked; a checkpoint is
  // only readable once committed.
  absl::Status Advance(uint64_t size, std::optional<Hash> root = std::nullopt);

  // Another key of this log (a key rotation's: server/log_keyring.h) whose
  // mark Advance moves first, so that neither key can sign below what was
  // committed. Set before use; null for none.
  void set_follower(LogSigner* follower) { follower_ = follower; }

 private:
  LogSigner(SigningKey key, std::string hwm_path, Mark mark);
  absl::Status Persist(const Mark& m);  // requires mu_

  const SigningKey key_;
  const std::string hwm_path_;
  mutable std::mutex mu_;
  Mark mark_;
  LogSigner* follower_ = nullptr;
};

}  // namespace ailedger

#endif  // AILEDGER_SERVER_LOG_SIGNER_H_
