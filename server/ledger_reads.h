// The read side of the service, without gRPC: entries, checkpoints, proofs and
// queries, each checked against the committed tree before it is returned
// (TreeReader). Thread-safe; the store must outlive it.
#ifndef AILEDGER_SERVER_LEDGER_READS_H_
#define AILEDGER_SERVER_LEDGER_READS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "ledger/storage/log_store.h"

namespace ailedger {

struct EntryBytes {
  uint64_t index = 0;
  std::string leaf;
};

struct InclusionAnswer {
  uint64_t index = 0;
  uint64_t tree_size = 0;
  std::string leaf;
  std::vector<Hash> hashes;
  std::string checkpoint;  // for tree_size, when one is stored
};

struct QuerySpec {
  std::string subject_kind, subject_id, event_type, organisation;
  int64_t from_ms = 0, to_ms = 0;  // 0 = unbounded
};

struct QueryPage {
  std::vector<EntryBytes> entries;
  uint64_t next_index = 0;
  bool done = false;
};

class LedgerReads {
 public:
  // `max_page`: the most entries any one answer carries. Default in ailedgerd:
  // 1000.
  LedgerReads(const LogStore* store, size_t max_page)
      : store_(store), max_page_(max_page) {}

  // By index (OUT_OF_RANGE beyond the log) or by event id (NOT_FOUND if
  // absent).
  absl::StatusOr<EntryBytes> EntryAt(uint64_t index) const;
  absl::StatusOr<EntryBytes> EntryById(const std::string& event_id) const;

  absl::StatusOr<std::string> LatestCheckpoint() const;
  absl::StatusOr<std::string> CheckpointAt(uint64_t size) const;
  // The newest checkpoint with witness cosignatures; NOT_FOUND when none yet.
  absl::StatusOr<std::string> LatestCosignedCheckpoint() const;
  // The earliest cosigned checkpoint kept whose size is above `size`.
  absl::StatusOr<std::string> CosignedAfter(uint64_t size) const;

  // tree_size 0 = the latest size.
  absl::StatusOr<InclusionAnswer> Inclusion(uint64_t index,
                                            uint64_t tree_size) const;
  absl::StatusOr<std::vector<Hash>> Consistency(uint64_t first,
                                                uint64_t second) const;

  // At most max_page entries of [start, end); end 0 = the current size.
  absl::StatusOr<std::vector<EntryBytes>> Entries(uint64_t start,
                                                  uint64_t end) const;

  // One page of entries matching `spec`, from `start` on, in index order.
  absl::StatusOr<QueryPage> Query(const QuerySpec& spec, uint64_t start,
                                  size_t page_size) const;

  // The event id index lookup alone.
  absl::StatusOr<uint64_t> IndexOfEvent(const std::string& event_id) const;
  absl::StatusOr<TreeState> State() const { return store_->ReadTreeState(); }
  const LogStore* store() const { return store_; }
  size_t max_page() const { return max_page_; }

 private:
  absl::StatusOr<bool> Matches(const QuerySpec& spec,
                               const std::string& leaf) const;
  absl::StatusOr<QueryPage> QueryByIndexRows(const QuerySpec& spec,
                                             const std::string& prefix,
                                             uint64_t start, size_t page) const;
  absl::StatusOr<std::optional<uint32_t>> NextDay(uint32_t day,
                                                  uint32_t last) const;
  absl::StatusOr<QueryPage> QueryByDays(const QuerySpec& spec, uint64_t start,
                                        size_t page) const;
  absl::StatusOr<QueryPage> QueryByScan(const QuerySpec& spec, uint64_t start,
                                        size_t page) const;

  const LogStore* const store_;
  const size_t max_page_;
};

}  // namespace ailedger

#endif  // AILEDGER_SERVER_LEDGER_READS_H_
