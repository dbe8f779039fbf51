// Sealed attachments over the API, without gRPC: the author puts the material
// of an attachment of its own event (checked against the event's commitment
// before it is kept); clear text goes only to admins, auditors and the author;
// nothing is served once erased: every read and every put consults the
// erasure marker that the sequencer writes in the same atomic batch as the
// Erasure's leaf, whatever files are on disk.
#ifndef AILEDGER_SERVER_SEALED_DATA_H_
#define AILEDGER_SERVER_SEALED_DATA_H_

#include <string>

#include "absl/status/statusor.h"
#include "ailedger/ledger.pb.h"
#include "ledger/storage/log_store.h"
#include "ledger/storage/meta_keys.h"
#include "ledger/tlog/keys.h"
#include "server/sealed_store.h"

namespace ailedger {

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
  // At start: destroys what is on disk for erased attachments (restored from
  // a backup, or an erasure that failed) and temporaries of unfinished puts.
  // The number of files destroyed.
  absl::StatusOr<int> Sweep();

 private:
  struct Target {
    PublicKey author;
    Hash event_id;
    Hash commitment;
  };
  absl::StatusOr<Target> Find(const std::string& event_id,
                              uint32_t attachment) const;
  // OK when the attachment is not erased; FAILED_PRECONDITION naming the
  // Erasure's index when it is.
  absl::Status NotErased(const Hash& event_id, uint32_t attachment) const;
  void DestroyLeftover(const Hash& event_id, uint32_t attachment);

  const LogStore* const store_;
  SealedStore* const sealed_;
};

}  // namespace ailedger

#endif  // AILEDGER_SERVER_SEALED_DATA_H_
