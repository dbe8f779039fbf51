// TreeWalk: reads a store's leaves in index order and builds its Merkle tree
// again from them, checking each leaf and each stored node on the way. For
// CopyLog (copy_log.h), which walks the source to copy it and the copy to
// check it.
//
// Each leaf must decode (ledger/tlog/leaf.h), name its own index and carry the
// hash of the leaf before it, as LogWriter wrote it. The perfect nodes each
// leaf completes are computed with CompactRange and compared with the store's
// stored nodes, in one batched read per chunk. The event-id row of every n-th
// leaf is looked up with FindEvent. Anything that differs is DATA_LOSS naming
// the store ("source", "copy"), the leaf or the node. Thread-compatible.
#ifndef AILEDGER_LEDGER_STORAGE_TREE_WALK_H_
#define AILEDGER_LEDGER_STORAGE_TREE_WALK_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "ledger/merkle/compact_range.h"
#include "ledger/storage/log_store.h"

namespace ailedger {

class TreeWalk {
 public:
  // `total`: the tree size walked to (its last leaf's event id is always
  // looked up); `check_event_ids_every`: n (0 looks up none).
  TreeWalk(const LogStore& store, std::string name, std::string origin,
           uint64_t total, uint64_t check_event_ids_every);

  // What a stretch of leaves adds: the rows of a CommitBatch.
  struct Chunk {
    std::vector<std::string> leaves;
    std::vector<std::pair<NodeId, Hash>> nodes;
    std::vector<std::pair<Hash, uint64_t>> event_ids;
    uint64_t bytes = 0;  // of the leaves
    void clear() { *this = Chunk(); }
  };

  // Tree sizes at which the caller wants the root (ascending, above size()),
  // and the roots, in order, as the walk passes them.
  struct RootsAt {
    std::vector<uint64_t> sizes;
    std::vector<Hash> roots;
  };

  // Reads the leaves from size() up to `end`, stopping once `max_bytes` of
  // leaves are read, and adds them to `*chunk` and the roots to `*roots`
  // (each when not null).
  absl::Status Next(uint64_t end, uint64_t max_bytes, Chunk* chunk,
                    RootsAt* roots = nullptr);

  uint64_t size() const { return range_.size(); }
  // The tree state of the leaves walked so far.
  TreeState state() const;
  uint64_t event_ids_checked() const { return event_ids_checked_; }

 private:
  // Checks one leaf and adds it to the tree: the nodes it completes and its
  // event id are added to `nodes` and `event_ids`.
  absl::Status Take(uint64_t index, const std::string& bytes,
                    std::vector<std::pair<NodeId, Hash>>* nodes,
                    std::vector<Hash>* event_ids, RootsAt* roots);
  absl::Status CheckNodes(
      const std::vector<std::pair<NodeId, Hash>>& nodes) const;
  absl::Status CheckEventId(uint64_t index, const Hash& id);

  const LogStore& store_;
  const std::string name_;
  const std::string origin_;
  const uint64_t total_;
  const uint64_t every_;
  CompactRange range_;
  Hash last_leaf_hash_{};
  uint64_t last_time_ms_ = 0;
  uint64_t event_ids_checked_ = 0;
};

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_STORAGE_TREE_WALK_H_
