// The sealed store: the key, salt and ciphertext of each sealed attachment, one
// file each in a directory of its own (--sealed-store), kept apart from the
// log's data directory so that it never enters exports or log backups. Erase
// overwrites the file with zeros, syncs, unlinks it and syncs the directory.
// Thread-safe (one file per attachment; writes are atomic renames).
//
// File "<hex event id>.<attachment>": u8 version=1 | [32] key | [32] salt |
// ciphertext.
#ifndef AILEDGER_SERVER_SEALED_STORE_H_
#define AILEDGER_SERVER_SEALED_STORE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "ledger/hash.h"

namespace ailedger {

class SealedStore {
 public:
  struct Material {
    std::string key, salt, ciphertext;
  };
  static absl::StatusOr<std::unique_ptr<SealedStore>> Open(
      const std::string& dir);

  absl::Status Put(const Hash& event_id, uint32_t attachment,
                   const Material& m);
  // NOT_FOUND when never sealed or erased.
  absl::StatusOr<Material> Get(const Hash& event_id, uint32_t attachment) const;
  // OK also when there is nothing to erase.
  absl::Status Erase(const Hash& event_id, uint32_t attachment);

 private:
  explicit SealedStore(std::string dir) : dir_(std::move(dir)) {}
  std::string PathOf(const Hash& event_id, uint32_t attachment) const;
  const std::string dir_;
};

}  // namespace ailedger

#endif  // AILEDGER_SERVER_SEALED_STORE_H_
