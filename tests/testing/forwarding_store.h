// A LogStore that forwards every call to another: the base of the test stores
// that fail or alter one kind of call (override that one; DoCommit to change
// commits) and pass the rest through unchanged.
#ifndef AILEDGER_TESTS_TESTING_FORWARDING_STORE_H_
#define AILEDGER_TESTS_TESTING_FORWARDING_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ledger/storage/log_store.h"

namespace ailedger::testing {

class ForwardingStore : public LogStore {
 public:
  // `inner` must outlive this store; it need not be constructed yet (a
  // subclass may pass its own member).
  explicit ForwardingStore(LogStore* inner) : inner_(inner) {}

  absl::StatusOr<TreeState> ReadTreeState() const override {
    return inner_->ReadTreeState();
  }
  absl::StatusOr<std::string> ReadLeaf(uint64_t index) const override {
    return inner_->ReadLeaf(index);
  }
  absl::StatusOr<std::vector<std::string>> ReadLeaves(
      uint64_t begin, uint64_t end) const override {
    return inner_->ReadLeaves(begin, end);
  }
  absl::StatusOr<std::vector<Hash>> ReadNodes(
      absl::Span<const NodeId> ids) const override {
    return inner_->ReadNodes(ids);
  }
  absl::StatusOr<std::string> ReadCheckpoint(uint64_t size) const override {
    return inner_->ReadCheckpoint(size);
  }
  absl::StatusOr<std::string> ReadLatestCheckpoint() const override {
    return inner_->ReadLatestCheckpoint();
  }
  absl::StatusOr<std::vector<std::pair<uint64_t, std::string>>> ScanCheckpoints(
      uint64_t begin, uint64_t end, size_t limit) const override {
    return inner_->ScanCheckpoints(begin, end, limit);
  }
  absl::StatusOr<std::optional<uint64_t>> FindEvent(
      const Hash& id) const override {
    return inner_->FindEvent(id);
  }
  absl::StatusOr<std::vector<std::optional<uint64_t>>> FindEvents(
      absl::Span<const Hash> ids) const override {
    return inner_->FindEvents(ids);
  }
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ScanIndex(
      const std::string& begin, const std::string& end,
      size_t limit) const override {
    return inner_->ScanIndex(begin, end, limit);
  }
  absl::StatusOr<std::optional<std::string>> ReadMeta(
      const std::string& key) const override {
    return inner_->ReadMeta(key);
  }
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ScanMeta(
      const std::string& begin, const std::string& end,
      size_t limit) const override {
    return inner_->ScanMeta(begin, end, limit);
  }
  absl::Status RewriteIndexRows(
      const std::vector<std::pair<std::string, std::string>>& put,
      const std::vector<std::string>& erase) override {
    return inner_->RewriteIndexRows(put, erase);
  }
  absl::Status WriteMeta(const std::string& key,
                         const std::string& value) override {
    return inner_->WriteMeta(key, value);
  }
  absl::Status Recover() override { return inner_->Recover(); }

 protected:
  absl::Status DoCommit(const CommitBatch& batch) override {
    return inner_->Commit(batch);
  }
  // The inner store's Commit checks the batch against its stored size.
  bool DoCommitChecksStoredSize() const override { return true; }

  LogStore* inner() const { return inner_; }

 private:
  LogStore* const inner_;
};

}  // namespace ailedger::testing

#endif  // AILEDGER_TESTS_TESTING_FORWARDING_STORE_H_
