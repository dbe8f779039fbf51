#include "ledger/audit/key_rotation_records.h"

#include "absl/strings/str_cat.h"
#include "ailedger/bundle.pb.h"
#include "ledger/audit/verify_failure.h"
#include "ledger/governance/canonical.h"
#include "ledger/governance/log_key_rotation.h"
#include "ledger/merkle/verify.h"

namespace ailedger {

absl::Status CheckRotationRecord(const std::string& payload,
                                 const TrustAnchors& anchors,
                                 const LogKeyRotation& replayed,
                                 const RosterRef& ref,
                                 const Checkpoint& newest) {
  const uint64_t at = replayed.index;
  v1::KeyRotationRecord record;
  if (auto s = ParseCanonical(payload, &record, "key rotation record");
      !s.ok()) {
    return Fail(at, "key rotation", s.message());
  }
  auto proven = VerifyRotationProof(record.rotation_proof(), anchors);
  if (!proven.ok()) return Fail(at, "key rotation", proven.status().message());
  if (proven->rotation.index != at || proven->leaf_hash != ref.leaf_hash ||
      ref.index != at) {
    return Fail(at, "key rotation",
                absl::StrCat("the record proves the rotation at index ",
                             proven->rotation.index,
                             ", not the LogKeyRotated replayed at index ", at));
  }
  std::vector<Hash> hashes;
  for (const std::string& h : record.hashes()) {
    auto hash = HashFromBytes(h, "key rotation record hashes");
    if (!hash.ok()) return Fail(at, "key rotation", hash.status().message());
    hashes.push_back(*hash);
  }
  // RFC 9162 section 2.1.4.2: the handover's tree is a prefix of the bundle's.
  if (proven->handover_size > newest.size) {
    return Fail(
        at, "key rotation",
        absl::StrCat("the handover checkpoint of size ", proven->handover_size,
                     " is beyond the bundle's checkpoint, ", newest.size));
  }
  if (auto s = VerifyConsistency(proven->handover_size, newest.size, hashes,
                                 proven->handover_root, newest.root);
      !s.ok()) {
    return Fail(
        at, "key rotation",
        absl::StrCat("the handover checkpoint of size ", proven->handover_size,
                     " is not consistent with the bundle's: ", s.message()));
  }
  return absl::OkStatus();
}

}  // namespace ailedger
