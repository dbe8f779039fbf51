// An in-memory LogStore for tests and demos. Thread-safe. Nothing survives the
// object.
#ifndef AILEDGER_LEDGER_STORAGE_MEMORY_STORE_H_
#define AILEDGER_LEDGER_STORAGE_MEMORY_STORE_H_

#include <map>
#include <optional>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "ledger/storage/log_store.h"

namespace ailedger {

class MemoryStore final : public LogStore {
 public:
  absl::StatusOr<TreeState> ReadTreeState() const override;
  absl::StatusOr<std::string> ReadLeaf(uint64_t index) const override;
  absl::StatusOr<std::vector<std::string>> ReadLeaves(
      uint64_t begin, uint64_t end) const override;
  absl::StatusOr<std::vector<Hash>> ReadNodes(
      absl::Span<const NodeId> ids) const override;
  absl::StatusOr<std::string> ReadCheckpoint(uint64_t size) const override;
  absl::StatusOr<std::string> ReadLatestCheckpoint() const override;
  absl::StatusOr<std::vector<std::pair<uint64_t, std::string>>> ScanCheckpoints(
      uint64_t begin, uint64_t end, size_t limit) const override;
  absl::StatusOr<std::optional<uint64_t>> FindEvent(
      const Hash& event_id) const override;
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ScanIndex(
      const std::string& begin, const std::string& end,
      size_t limit) const override;
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ScanMeta(
      const std::string& begin, const std::string& end,
      size_t limit) const override;
  absl::StatusOr<std::optional<std::string>> ReadMeta(
      const std::string& key) const override;
  absl::Status RewriteIndexRows(
      const std::vector<std::pair<std::string, std::string>>& put,
      const std::vector<std::string>& erase) override;
  absl::Status WriteMeta(const std::string& key,
                         const std::string& value) override;

  // Test hooks that simulate a corrupted or tampered store.
  void OverwriteLeafForTesting(uint64_t index, std::string bytes);
  void OverwriteNodeForTesting(NodeId id, const Hash& hash);

 protected:
  absl::Status DoCommit(const CommitBatch& batch) override;

 private:
  mutable absl::Mutex mu_;
  std::map<uint64_t, std::string> leaves_ ABSL_GUARDED_BY(mu_);
  std::map<NodeId, Hash> nodes_ ABSL_GUARDED_BY(mu_);
  std::map<uint64_t, std::string> checkpoints_ ABSL_GUARDED_BY(mu_);
  std::map<Hash, uint64_t> event_ids_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::string> index_rows_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::string> meta_ ABSL_GUARDED_BY(mu_);
  std::optional<TreeState> state_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_STORAGE_MEMORY_STORE_H_
