#include "tests/testing/bundle_records.h"

#include <cstring>
#include <fstream>

#include "gtest/gtest.h"
#include "ledger/merkle/compact_range.h"
#include "ledger/tlog/checkpoint.h"

namespace ailedger::testing {

std::vector<BundleRecord> ReadRecords(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  BundleReader r(&in);
  EXPECT_TRUE(r.ReadMagic().ok());
  std::vector<BundleRecord> out;
  for (auto rec = r.Next(); rec.ok(); rec = r.Next())
    out.push_back(*std::move(rec));
  return out;
}

void WriteRecords(const std::string& path,
                  const std::vector<BundleRecord>& records) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  BundleWriter w(&out);
  for (const auto& r : records) ASSERT_TRUE(w.Write(r.type, r.payload).ok());
}

std::vector<std::string> RechainAndSign(std::vector<Leaf> leaves,
                                        const SigningKey& log_key,
                                        std::string* checkpoint) {
  std::vector<std::string> out;
  CompactRange range;
  Hash prev{};
  for (Leaf& x : leaves) {
    x.prev_leaf_hash = prev;
    out.push_back(EncodeLeaf(x).value());
    prev = HashLeaf(out.back());
    range.Append(prev, nullptr);
  }
  *checkpoint =
      SignCheckpoint({log_key.verifier().name(), range.size(), range.Root()},
                     log_key)
          .value();
  return out;
}

void ReplaceEvent(Leaf& leaf, const v1::AppendRequest& replacement) {
  leaf.event_bytes = replacement.event();
  std::memcpy(leaf.signer.data(), replacement.signer().data(), 32);
  std::memcpy(leaf.signature.data(), replacement.signature().data(), 64);
}

void ReplaceLeafAndResign(std::vector<BundleRecord>& records, size_t index,
                          const v1::AppendRequest& replacement,
                          const SigningKey& log_key) {
  size_t first = 0;
  while (records[first].type != RecordType::kLeaf) ++first;
  std::vector<Leaf> leaves;
  size_t end = first;
  for (; records[end].type == RecordType::kLeaf; ++end) {
    leaves.push_back(DecodeLeaf(records[end].payload).value());
  }
  ReplaceEvent(leaves[index], replacement);
  std::string checkpoint;
  const auto encoded = RechainAndSign(std::move(leaves), log_key, &checkpoint);
  for (size_t i = 0; i < encoded.size(); ++i) {
    records[first + i].payload = encoded[i];
  }
  ASSERT_EQ(records[end].type, RecordType::kCheckpoint);
  records[end].payload = checkpoint;
}

std::string Chomp(std::string s) {
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

}  // namespace ailedger::testing
