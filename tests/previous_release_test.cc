// Logs written by the previous release (commit 1d5ff10, role table version 2,
// vocabulary v1) still verify under this one: the rules each entry is judged
// by are those in force when it was written (ledger/rules/engine.h). The
// bundles and keys are in tests/data/release-1d5ff10 (see its README).
#include <fstream>
#include <string>

#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "ledger/audit/bundle_verifier.h"
#include "tests/testing/test_data.h"

namespace ailedger {
namespace {

using testing::DataPath;
using testing::ReadDataFile;

VerifierKey KeyFile(const std::string& path) {
  std::string text = ReadDataFile(path);
  auto key = VerifierKey::Parse(std::string(absl::StripAsciiWhitespace(text)));
  EXPECT_TRUE(key.ok()) << path << ": " << key.status();
  return key.ok() ? *key : VerifierKey();
}

VerifyReport VerifyLog(const std::string& dir, bool has_auditor) {
  VerifyOptions o;
  o.log_keys.push_back(KeyFile(dir + "/log.key.pub"));
  o.admin = KeyFile(dir + "/admin.key.pub");
  if (has_auditor) {
    o.expected.emplace_back(v1::ROLE_AUDITOR,
                            KeyFile(dir + "/auditor.key.pub").public_key());
  }
  std::ifstream in(DataPath(dir + "/log.bundle"), std::ios::binary);
  auto report = VerifyBundle(&in, o);
  EXPECT_TRUE(report.ok()) << report.status();
  return report.ok() ? *report : VerifyReport();
}

class PreviousRelease : public ::testing::TestWithParam<const char*> {};

TEST_P(PreviousRelease, StillVerifiesUnderTheRulesItWasWrittenWith) {
  const std::string dir = std::string("release-1d5ff10/") + GetParam();
  const bool auditor = std::string(GetParam()) != "gen-history";
  VerifyReport r = VerifyLog(dir, auditor);
  EXPECT_TRUE(r.verified) << r.failure;
  EXPECT_EQ(r.from, 0u);
  EXPECT_GT(r.to, 25u);
  ASSERT_FALSE(r.rule_versions.empty());
  EXPECT_EQ(r.rule_versions.front(), std::make_pair(uint64_t{0}, 2u));
  bool warned = false;
  for (const std::string& w : r.warnings) {
    warned |= w.find(
                  "every entry checked without the rules of role table "
                  "version 3") != std::string::npos;
  }
  EXPECT_TRUE(warned) << "the reader is told which checks were not made";
}

INSTANTIATE_TEST_SUITE_P(Logs, PreviousRelease,
                         ::testing::Values("high-risk-provider",
                                           "small-deployer", "gen-history"),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& c : n)
                             if (c == '-') c = '_';
                           return n;
                         });

}  // namespace
}  // namespace ailedger
