// Bounded reads of files named on command lines (issue 10, "files are read
// with no size limit").
#include "ledger/base/file_util.h"

#include <sstream>
#include <string>

#include "gtest/gtest.h"

namespace ailedger {
namespace {

TEST(FileUtilTest, ANeverEndingFileIsRefusedAtTheCapNotReadWhole) {
  // /dev/zero never ends: an unbounded read would exhaust memory.
  auto read = ReadSmallFile("/dev/zero", 1 << 20);
  ASSERT_EQ(read.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(read.status().message(), "/dev/zero: larger than 1048576 bytes");
}

TEST(FileUtilTest, AStreamAtTheCapIsReadOneByteMoreIsRefused) {
  std::istringstream exact(std::string(100, 'x'));
  auto ok = ReadBounded(exact, "stdin", 100);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->size(), 100u);
  std::istringstream over(std::string(101, 'x'));
  EXPECT_EQ(ReadBounded(over, "stdin", 100).status(),
            absl::OutOfRangeError("stdin: larger than 100 bytes"));
}

TEST(FileUtilTest, AMissingFileIsNotFound) {
  EXPECT_EQ(ReadSmallFile("/nonexistent/ailedger").status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace ailedger
