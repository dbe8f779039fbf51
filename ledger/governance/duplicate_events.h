// The server logs an event once: a second append of the same bytes by the same
// signer answers with the first copy's receipt, by another signer it is
// refused (ledger/storage/store_rule_state.h, EarlierCopy, through the event id
// index). A log whose operator holds the log key can still be re-signed with an
// event repeated at a second index, inflating every count made from it; the
// offline verifier finds that here.
//
// Memory is bounded whatever the log's size (a ledger may hold tens of
// millions of events): ids are collected in a buffer of at most
// `memory_budget` bytes; a full buffer is sorted and spilled as a run to an
// unlinked temporary file (in TMPDIR, 40 bytes an event); Finish merges the
// runs. Without a spill nothing touches the disk.
#ifndef AILEDGER_LEDGER_GOVERNANCE_DUPLICATE_EVENTS_H_
#define AILEDGER_LEDGER_GOVERNANCE_DUPLICATE_EVENTS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "ledger/merkle/hash.h"

namespace ailedger {

class DuplicateEvents {
 public:
  explicit DuplicateEvents(size_t memory_budget);
  ~DuplicateEvents();
  DuplicateEvents(const DuplicateEvents&) = delete;
  DuplicateEvents& operator=(const DuplicateEvents&) = delete;

  // The event with id `id` is logged at `index`. INTERNAL when a run cannot be
  // written.
  absl::Status Add(const Hash& id, uint64_t index);

  // The entry at `index` cites the event `id` (evidence may cite any earlier
  // entry, ledger/governance/references.h): Finish checks, in the same merge,
  // that it is logged at a smaller index. Memory grows with the citations.
  void Want(const Hash& id, uint64_t index);

  // After the last Add: FAILED_PRECONDITION "index N: duplicate of the event
  // at index M" for the smallest such N (M the first index of that event), or
  // OK when every id is distinct; INTERNAL when a run cannot be read back.
  absl::Status Finish();

  // After Finish: the entry with the smallest index whose wanted id is not
  // logged before it, with that id; nullopt when every citation resolves.
  std::optional<std::pair<uint64_t, Hash>> unresolved() const {
    return unresolved_;
  }

  size_t runs() const { return runs_.size(); }

  struct Entry {
    Hash id;
    uint64_t index;
  };

 private:
  struct Run {
    uint64_t offset, count;  // in entries
  };
  absl::Status Spill();

  const size_t max_entries_;
  std::vector<Entry> wanted_;
  std::optional<std::pair<uint64_t, Hash>> unresolved_;
  std::vector<Entry> buffer_;
  std::vector<Run> runs_;
  int fd_ = -1;  // the spill file, unlinked at creation
  uint64_t spilled_ = 0;
};

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_GOVERNANCE_DUPLICATE_EVENTS_H_
