// Fresh paths under the test temp directory, for tests that write files.
#ifndef AILEDGER_TESTS_TESTING_TEMP_DIR_H_
#define AILEDGER_TESTS_TESTING_TEMP_DIR_H_

#include <unistd.h>

#include <filesystem>
#include <string>

#include "gtest/gtest.h"
#include "ledger/base/crypto_init.h"

namespace ailedger::testing {

// A path under the test temp directory unique to this process and call
// ("ailedger-NAME-PID-N"), with nothing there.
inline std::string FreshTempPath(const std::string& name) {
  static int counter = 0;
  auto p = std::filesystem::path(::testing::TempDir()) /
           ("ailedger-" + name + "-" + std::to_string(getpid()) + "-" +
            std::to_string(counter++));
  std::filesystem::remove_all(p);
  return p.string();
}

// A fixture with the crypto library initialised and a fresh path `dir_`
// (not created), removed after the test.
class TempDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    InitCrypto();
    dir_ = FreshTempPath("test");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string dir_;
};

}  // namespace ailedger::testing

#endif  // AILEDGER_TESTS_TESTING_TEMP_DIR_H_
