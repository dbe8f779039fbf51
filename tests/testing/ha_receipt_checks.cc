#include "tests/testing/ha_receipt_checks.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "ledger/audit/bundle.h"
#include "ledger/merkle/compact_range.h"
#include "ledger/tlog/tlog_proof.h"
#include "tests/testing/bundle_records.h"

namespace ailedger::testing {

std::vector<Hash> BundleLeafHashes(const std::string& path,
                                   const VerifierKey& log_key,
                                   Checkpoint* checkpoint) {
  std::vector<Hash> leaves;
  for (const BundleRecord& rec : ReadRecords(path)) {
    if (rec.type == RecordType::kLeaf) leaves.push_back(HashLeaf(rec.payload));
    if (rec.type == RecordType::kCheckpoint) {
      auto cp = OpenCheckpoint(rec.payload, log_key);
      EXPECT_TRUE(cp.ok()) << cp.status();
      if (cp.ok()) *checkpoint = cp->checkpoint;
    }
  }
  return leaves;
}

std::set<std::string> LostAppends(LedgerClient& reader,
                                  const std::vector<AckedAppend>& acked,
                                  const std::vector<Hash>& leaves) {
  std::set<std::string> lost;
  auto report = [&](const v1::Receipt& r, const std::string& why) {
    if (lost.insert(r.event_id()).second && lost.size() <= 5) {
      ADD_FAILURE() << "the append acknowledged at index " << r.index() << ": "
                    << why;
    }
  };
  for (const AckedAppend& a : acked) {
    const v1::Receipt& r = a.receipt;
    v1::GetEntryRequest req;
    req.set_index(r.index());
    auto e = reader.GetEntry(req);
    if (!e.ok()) {
      report(r, e.status().ToString());
    } else if (AsBytes(HashLeaf(e->leaf())) != r.leaf_hash()) {
      report(r, "the log serves another leaf there");
    }
    if (r.index() >= leaves.size() ||
        AsBytes(leaves[r.index()]) != r.leaf_hash()) {
      report(r, "not in the export at its index");
    }
  }
  return lost;
}

size_t ExpectReceiptCheckpointsAgree(const std::vector<AckedAppend>& acked,
                                     const std::vector<Hash>& leaves,
                                     const VerifierKey& log_key) {
  std::map<uint64_t, std::set<Hash>> roots;  // size -> roots signed for it
  size_t bad = 0;
  for (const AckedAppend& a : acked) {
    absl::StatusOr<VerifiedCheckpoint> cp = absl::UnknownError("unchecked");
    auto proof = ParseTlogProof(a.receipt.tlog_proof());
    auto leaf = HashFromBytes(a.receipt.leaf_hash(), "leaf_hash");
    if (!proof.ok()) {
      cp = proof.status();
    } else if (!leaf.ok()) {
      cp = leaf.status();
    } else {  // the log key's signature, and the leaf at proof.index
      cp = VerifyTlogProof(*proof, *leaf, log_key);
    }
    if (!cp.ok()) {
      if (++bad <= 5) {
        ADD_FAILURE() << "receipt " << a.receipt.index() << ": " << cp.status();
      }
      continue;
    }
    roots[cp->checkpoint.size].insert(cp->checkpoint.root);
  }
  EXPECT_EQ(bad, 0u) << "receipts whose tlog-proof does not verify";
  for (const auto& [size, set] : roots) {
    EXPECT_EQ(set.size(), 1u)
        << "size " << size << " signed with " << set.size() << " roots";
    EXPECT_LE(size, leaves.size())
        << "a receipt's checkpoint is beyond the exported log";
  }
  CompactRange range;
  size_t compared = 0;
  for (const Hash& h : leaves) {
    range.Append(h, nullptr);
    auto it = roots.find(range.size());
    if (it == roots.end()) continue;
    ++compared;
    EXPECT_EQ(ToHex(*it->second.begin()), ToHex(range.Root()))
        << "the checkpoint of size " << range.size()
        << " names another root than the exported leaves'";
  }
  EXPECT_EQ(compared, roots.size());
  return roots.size();
}

}  // namespace ailedger::testing
