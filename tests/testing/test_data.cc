#include "tests/testing/test_data.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "gtest/gtest.h"
#include "ledger/base/base64.h"

namespace ailedger::testing {

std::string DataPath(const std::string& relative) {
  return std::string(AILEDGER_TEST_DATA_DIR) + "/" + relative;
}

std::string ReadDataFile(const std::string& relative) {
  std::ifstream in(DataPath(relative), std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << DataPath(relative);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

nlohmann::json ReadJson(const std::string& relative) {
  return nlohmann::json::parse(ReadDataFile(relative));
}

std::vector<std::string> ListDataFiles(const std::string& relative_dir) {
  std::vector<std::string> out;
  for (const auto& e :
       std::filesystem::recursive_directory_iterator(DataPath(relative_dir))) {
    if (e.is_regular_file()) {
      out.push_back(std::filesystem::relative(e.path(), DataPath("")).string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

Hash HexHash(const std::string& hex) {
  auto bytes = FromHex(hex);
  EXPECT_TRUE(bytes.ok()) << hex;
  auto h = HashFromBytes(bytes.value_or(""), "hex");
  EXPECT_TRUE(h.ok()) << hex;
  return h.value_or(Hash{});
}

std::string Unbase64(const std::string& b64) {
  auto raw = Base64Decode(b64, "test data");
  EXPECT_TRUE(raw.ok()) << b64;
  return raw.value_or("");
}

}  // namespace ailedger::testing
