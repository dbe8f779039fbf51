// The log's keys as a reader asks for them (GetLogInfo, the witness
// submitter): the key it signs with now and one rotation proof per
// LogKeyRotated (ledger/governance/log_key_rotation.h), made from the store:
// the rotation's leaf, its inclusion proof in the handover checkpoint (the
// batch's, whose size the rotation's batch wrote: meta_keys.h) and that
// checkpoint as stored, signed by the old and the new key.
#ifndef AILEDGER_SERVER_LOG_KEY_READS_H_
#define AILEDGER_SERVER_LOG_KEY_READS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ledger/storage/log_store.h"

namespace ailedger {

struct LogKeysNow {
  // The key the last rotation names; "" when the log never rotated (its
  // genesis's key, which the server knows).
  std::string current_key;
  std::vector<std::string> rotation_proofs;  // C2SP tlog-proofs, index order
};

// DATA_LOSS when a rotation's rows cannot be read back.
absl::StatusOr<LogKeysNow> ReadLogKeys(const LogStore& store);

}  // namespace ailedger

#endif  // AILEDGER_SERVER_LOG_KEY_READS_H_
