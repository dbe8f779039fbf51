// The deferred half of the report-anchor rule, for the bundle verifier
// (replay_rule_state.h): a ReportPublished names the log's root at an earlier
// size (role table version 3, ledger/rules/engine.h), which a streaming
// verifier has passed by the time it reads the report. The claims are noted
// during the first pass; a second pass over the bundle's leaf records
// recomputes the roots at just those sizes (RFC 9162 section 2.1.1, with a
// compact range), in constant memory beyond the claims.
#ifndef AILEDGER_LEDGER_AUDIT_ANCHOR_REPLAY_H_
#define AILEDGER_LEDGER_AUDIT_ANCHOR_REPLAY_H_

#include <cstdint>
#include <istream>
#include <vector>

#include "absl/status/status.h"
#include "ledger/merkle/hash.h"

namespace ailedger {

class AnchorReplay {
 public:
  // The entry at `index` claims the root at `size` (size <= index) is `root`.
  void Note(uint64_t index, uint64_t size, const Hash& root) {
    claims_.push_back({index, size, root});
  }
  bool empty() const { return claims_.empty(); }

  // Checks the claims of entries before `before` against the roots of a
  // bundle from index 0, reading its leaf records again from the start (then
  // putting `in` back). The first wrong claim, in index order, fails
  // "index N: reference: report_published.root_hash: ...". UNAVAILABLE when
  // the stream cannot be read twice.
  absl::Status Check(std::istream* in, uint64_t before) const;

 private:
  struct Claim {
    uint64_t index, size;
    Hash root;
  };
  std::vector<Claim> claims_;  // in index order
};

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_AUDIT_ANCHOR_REPLAY_H_
