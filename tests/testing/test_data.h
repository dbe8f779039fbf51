// Access to the conformance data in tests/data/ (see tests/data/README.md).
#ifndef AILEDGER_TESTS_TESTING_TEST_DATA_H_
#define AILEDGER_TESTS_TESTING_TEST_DATA_H_

#include <string>
#include <vector>

#include "ledger/merkle/hash.h"
#include "nlohmann/json.hpp"

namespace ailedger::testing {

// Absolute path of a file under tests/data/.
std::string DataPath(const std::string& relative);
// The file's bytes; fails the current test (and returns "") if it cannot be
// read.
std::string ReadDataFile(const std::string& relative);
nlohmann::json ReadJson(const std::string& relative);
// Every regular file under a data directory, sorted.
std::vector<std::string> ListDataFiles(const std::string& relative_dir);

Hash HexHash(const std::string& hex);
std::string Unbase64(const std::string& b64);

}  // namespace ailedger::testing

#endif  // AILEDGER_TESTS_TESTING_TEST_DATA_H_
