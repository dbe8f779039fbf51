#include "ledger/audit/witnessed_checkpoints.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "ailedger/bundle.pb.h"
#include "ledger/audit/verify_failure.h"
#include "ledger/governance/canonical.h"
#include "ledger/merkle/verify.h"

namespace ailedger {
namespace {

absl::Status Bad(uint64_t size, absl::string_view why) {
  return Fail(size, "cosigned checkpoint", why);
}

}  // namespace

absl::StatusOr<WitnessedCheckpoint> CheckCosignedRecord(
    const std::string& payload, const TrustAnchors& anchors,
    const Checkpoint& newest, uint64_t after) {
  v1::CosignedCheckpoint record;
  if (!record.ParseFromString(payload) ||
      CanonicalEncoding(record) != payload) {
    return Fail("cosigned checkpoint", "not a canonical CosignedCheckpoint");
  }
  TrustAnchors any_quorum = anchors;
  any_quorum.witness_policy.quorum = 0;
  auto cp = OpenTrustedCheckpoint(record.note(), any_quorum);
  if (IsOutsideKeyWindow(cp.status())) {
    return MarkOutsideKeyWindow(
        Fail("cosigned checkpoint", cp.status().message()));
  }
  if (!cp.ok()) return Fail("cosigned checkpoint", cp.status().message());
  const Checkpoint& c = cp->checkpoint;
  if (c.origin != newest.origin) return Bad(c.size, "another log's origin");
  if (c.size <= after || c.size > newest.size) {
    return Bad(c.size, absl::StrCat("sizes must rise, above ", after,
                                    ", up to the bundle's ", newest.size));
  }
  std::vector<Hash> hashes;
  for (const std::string& h : record.hashes()) {
    auto hash = HashFromBytes(h, "hashes");
    if (!hash.ok()) return Bad(c.size, hash.status().message());
    hashes.push_back(*hash);
  }
  // RFC 9162 section 2.1.4.2: the older tree is a prefix of the newest.
  if (auto s =
          VerifyConsistency(c.size, newest.size, hashes, c.root, newest.root);
      !s.ok()) {
    return Bad(c.size, absl::StrCat("not consistent with the bundle's "
                                    "checkpoint: ",
                                    s.message()));
  }
  return WitnessedCheckpoint{c.size, cp->witness_times};
}

const WitnessedCheckpoint* WitnessedHolding(
    const std::vector<WitnessedCheckpoint>& witnessed, uint64_t index) {
  auto it = std::upper_bound(
      witnessed.begin(), witnessed.end(), index,
      [](uint64_t i, const WitnessedCheckpoint& w) { return i < w.size; });
  return it == witnessed.end() ? nullptr : &*it;
}

}  // namespace ailedger
