// The sealed store: the key, salt and ciphertext of each sealed attachment, one
// file each in a directory of its own (--sealed-store), kept apart from the
// log's data directory so that it never enters exports or log backups.
//
// Thread-safe. Put, Get and Erase of one attachment are serialised by a lock
// per attachment (striped), so that a put whose precondition ("not erased")
// held cannot land its file after an Erase of the same attachment: the erase
// runs wholly before the put (which then sees the erasure marker) or wholly
// after it (and destroys what it wrote). Writes go to a unique temporary file
// (mkstemp) in the same directory, then an atomic rename.
//
// File "<hex event id>.<attachment>": u8 version=1 | [32] key | [32] salt |
// ciphertext. Temporaries: "<file>.tmp.XXXXXX".
#ifndef AILEDGER_SERVER_SEALED_STORE_H_
#define AILEDGER_SERVER_SEALED_STORE_H_

#include <array>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "ledger/merkle/hash.h"

namespace ailedger {

// OK when `sealed_dir` lies outside `data_dir`: their canonical paths
// (symlinks resolved, "." and ".." removed) are compared component by
// component, so "./data/sealed" and "/abs/data/x" are inside "data" and
// "data-sealed" is not. INVALID_ARGUMENT naming both paths otherwise.
absl::Status CheckSealedStoreOutside(const std::string& sealed_dir,
                                     const std::string& data_dir);

class SealedStore {
 public:
  struct Material {
    std::string key, salt, ciphertext;
  };
  // Says whether an attachment is erased (from the log's erasure markers).
  using ErasedFn = std::function<absl::StatusOr<bool>(const Hash&, uint32_t)>;

  static absl::StatusOr<std::unique_ptr<SealedStore>> Open(
      const std::string& dir);

  // Under the attachment's lock: runs `allowed` and, only if it is OK, writes
  // the material durably. Its error is returned unchanged.
  absl::Status Put(const Hash& event_id, uint32_t attachment, const Material& m,
                   const std::function<absl::Status()>& allowed);
  // NOT_FOUND when there is no material on disk. The caller decides whether
  // the attachment was erased (the marker, not the disk, says so).
  absl::StatusOr<Material> Get(const Hash& event_id, uint32_t attachment) const;
  // Overwrites the file with zeros, syncs, unlinks it and syncs the directory.
  // OK when there is no file; any step that fails is an INTERNAL error naming
  // the file and the reason (a symbolic link is removed, never written
  // through; a directory or unwritable file in its place is an error).
  absl::Status Erase(const Hash& event_id, uint32_t attachment);
  // At start, before any Put: destroys the temporaries of puts that never
  // finished (a crash) and the material of every attachment `erased` names
  // (a file restored from a backup, or an erasure that failed earlier).
  // Returns how many files it destroyed; on failure, tries the rest and
  // returns the first error.
  absl::StatusOr<int> Sweep(const ErasedFn& erased);

 private:
  explicit SealedStore(std::string dir) : dir_(std::move(dir)) {}
  std::string PathOf(const Hash& event_id, uint32_t attachment) const;
  absl::Mutex& LockOf(const Hash& event_id, uint32_t attachment) const;
  absl::Status Destroy(const std::string& path);

  const std::string dir_;
  mutable std::array<absl::Mutex, 64> stripes_;
};

}  // namespace ailedger

#endif  // AILEDGER_SERVER_SEALED_STORE_H_
