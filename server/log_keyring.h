// The log's signing keys across a key rotation (docs/ARCHITECTURE.md, "Log key
// rotation"): the key of `serve --log-key` and, when given, the key of
// `--next-log-key`, each a LogSigner with its own high-water mark (KEY.hwm).
//
// The operator starts the server with both keys before the admin appends the
// LogKeyRotated that names the next key; the same command line serves on
// through and after the rotation. Which loaded keys sign a checkpoint follows
// the log's chain of keys after its batch (LogKeyChain, from the rules):
//
// clang-format off
//   each loaded key the chain lets sign the checkpoint's size signs it;
//   the checkpoint of the rotation's own batch (the handover) is signed by the
//   key the rotation leaves too, whatever its overlap: it is the old key's
//   word that the log rotated, which a reader holding only the old key follows;
//   no loaded key may sign: FAILED_PRECONDITION, the batch is refused.
// clang-format on
//
// So during the overlap checkpoints carry both signatures, and after it only
// the new key's. Both marks move with every commit while both keys are loaded
// (the first key's Advance moves the other's: LogSigner::set_follower), so the
// next key's mark starts at the log's size when it is loaded and neither key
// can sign below what was committed. Thread-safe after Open.
#ifndef AILEDGER_SERVER_LOG_KEYRING_H_
#define AILEDGER_SERVER_LOG_KEYRING_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ledger/storage/log_store.h"
#include "ledger/storage/log_writer.h"
#include "ledger/tlog/checkpoint.h"
#include "ledger/tlog/log_key_chain.h"
#include "server/log_signer.h"

namespace ailedger {

class LogKeyring {
 public:
  // `primary`: the --log-key signer (the sequencer advances it); it must
  // outlive the keyring. `next_key_file`: --next-log-key, "" for none; it must
  // be a type 0x01 key named like the primary and another key.
  static absl::StatusOr<std::unique_ptr<LogKeyring>> Open(
      LogSigner* primary, const std::string& next_key_file);
  ~LogKeyring();

  // At start-up, against the log's chain (the stored roster's) and its tree:
  // FAILED_PRECONDITION, naming the flag to give, unless every loaded key is a
  // key of the chain or (the next key) not yet rotated to, the log's current
  // key is loaded, and no loaded key has signed beyond the tree.
  absl::Status CheckStart(const LogKeyChain& chain,
                          const TreeState& state) const;

  // Signs `cp` as the header says. A batch with no chain is signed by the
  // primary alone (`ailedgerd init`).
  absl::StatusOr<std::string> Sign(const Checkpoint& cp,
                                   const SigningBatch& batch) const;
  BatchCheckpointSigner Signer() const {
    return [this](const Checkpoint& cp, const SigningBatch& b) {
      return Sign(cp, b);
    };
  }

  // `note` signed by one of the loaded keys: the store's own latest
  // checkpoint. FAILED_PRECONDITION naming who signed it otherwise.
  absl::StatusOr<VerifiedCheckpoint> OpenOwn(absl::string_view note) const;

 private:
  LogKeyring(LogSigner* primary, std::unique_ptr<LogSigner> next);
  std::vector<LogSigner*> loaded() const;

  LogSigner* const primary_;
  const std::unique_ptr<LogSigner> next_;
};

}  // namespace ailedger

#endif  // AILEDGER_SERVER_LOG_KEYRING_H_
