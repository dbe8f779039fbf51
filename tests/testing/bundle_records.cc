#include "tests/testing/bundle_records.h"

#include <fstream>

#include "gtest/gtest.h"

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

std::string Chomp(std::string s) {
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

}  // namespace ailedger::testing
