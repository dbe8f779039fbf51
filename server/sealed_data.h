// Sealed attachments over the API, without gRPC: the author puts the material
// of an attachment of its own event (checked against the event's commitment
// before it is kept); clear text goes only to admins, auditors and the author;
// nothing is served once erased.
#ifndef AILEDGER_SERVER_SEALED_DATA_H_
#define AILEDGER_SERVER_SEALED_DATA_H_

#include <string>

#include "absl/status/statusor.h"
#include "ailedger/ledger.pb.h"
#include "ledger/keys.h"
#include "ledger/storage/log_store.h"
#include "server/sealed_store.h"

namespace ailedger {

std::string ErasedKey(const Hash& event_id,
                      uint32_t attachment);  // meta row key

class SealedData {
 public:
  // Borrowed pointers must outlive this. `sealed` may be null: then every call
  // is FAILED_PRECONDITION (no sealed store configured).
  SealedData(const LogStore* store, SealedStore* sealed)
      : store_(store), sealed_(sealed) {}

  absl::Status Put(const PublicKey& caller, const v1::PutSealedRequest& req);
  // `privileged`: the caller holds admin or auditor.
  absl::StatusOr<v1::GetSealedResponse> Get(const PublicKey& caller,
                                            bool privileged,
                                            const v1::GetSealedRequest& req);

 private:
  struct Target {
    PublicKey author;
    Hash event_id;
    Hash commitment;
  };
  absl::StatusOr<Target> Find(const std::string& event_id,
                              uint32_t attachment) const;

  const LogStore* const store_;
  SealedStore* const sealed_;
};

}  // namespace ailedger

#endif  // AILEDGER_SERVER_SEALED_DATA_H_
