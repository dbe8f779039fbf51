// `ailedgerd restore --replay BUNDLE`: brings a restored copy of a log up to a
// later checkpoint its key signed, by appending the exact leaves an export
// bundle (docs/BUNDLE.md) holds after the copy's size.
//
// Before anything is written: the bundle verifies under the log key
// (VerifyBundle, every check `ailedger verify` makes) with the copy's latest
// checkpoint as the trusted one, so the bundle is proven to extend the copy
// (the root at the copy's size recomputed from its leaves, or its consistency
// proof); it starts at or before the copy's size and its leaves reach its
// checkpoint; and that checkpoint is at or beyond the key's high-water mark
// (the same root at the mark's size when the mark records one), so the result
// can be served.
//
// The leaves are then appended in order through the rules, as `init` appends
// (checked_append.h), each group of equal integration time at that time, so
// the writer makes each leaf's bytes again; each must equal the bundle's leaf.
// Nothing is signed: no checkpoint is stored below the bundle's size, and at
// its size the bundle's own signed checkpoint is stored, once the tree's root
// is its root. Finally an RFC 9162 consistency proof from the copy's size to
// the new size is read from the store and verified.
#ifndef AILEDGER_SERVER_REPLAY_H_
#define AILEDGER_SERVER_REPLAY_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "ledger/storage/rocksdb_store.h"
#include "ledger/tlog/keys.h"
#include "server/log_signer.h"

namespace ailedger {

struct ReplayReport {
  uint64_t from_size = 0, to_size = 0;
  Hash root{};
};

// `store` is the restored copy (checked: SummarizeStore and its checkpoint
// under `log_key`); `mark` the key's high-water mark. FAILED_PRECONDITION,
// naming what is missing, for a bundle that cannot bring the copy to the mark;
// DATA_LOSS if a replayed leaf or root differs from the bundle's.
absl::StatusOr<ReplayReport> ReplayBundle(RocksDbStore* store,
                                          const VerifierKey& log_key,
                                          const LogSigner::Mark& mark,
                                          const std::string& bundle_path);

}  // namespace ailedger

#endif  // AILEDGER_SERVER_REPLAY_H_
