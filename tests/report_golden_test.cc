// Golden tests of each report's JSON on a fixed generated history (issue 13,
// "Tests"): tools/history.h makes the same events, byte for byte, with the
// same keys, for the same seed and size; each report built from them must be
// the file in tests/data/golden/ exactly. A change to a report shows here as
// a diff a reviewer reads; when it is intended, regenerate the files with
//   AILEDGER_UPDATE_GOLDEN=1 build/tests/report_golden_test
// and commit them with the change.
#include <cstdlib>
#include <fstream>

#include "gtest/gtest.h"
#include "ledger/tlog/contexts.h"
#include "reports/aia_report.h"
#include "reports/annual_report.h"
#include "reports/citations.h"
#include "reports/fairness_report.h"
#include "reports/iso42001_report.h"
#include "reports/restatements.h"
#include "reports/system_report.h"
#include "tests/testing/history_records.h"
#include "tests/testing/test_data.h"

namespace ailedger::reports {
namespace {

constexpr char kOrigin[] = "golden.ailedger.example/log";
constexpr char kProvider[] = "Aurora Credit AI";
constexpr char kSystem[] = "credit-scoring";

class ReportGoldenTest : public ::testing::Test {
 protected:
  // The history as a verified bundle would give it (no proofs: tlog_proof is
  // "", as for a ranged bundle).
  static void SetUpTestSuite() {
    log_ = new testing::HistoryLog(
        testing::HistoryAsVerified({kOrigin, 7, 600, 3, 3}, "golden admin"));
    records_ = &log_->records;
    verified_ = &log_->verified;
  }
  static void TearDownTestSuite() { delete log_; }

  // Compares `r`'s JSON (with its citations) to golden/NAME.json.
  void ExpectGolden(absl::StatusOr<Report> r, const std::string& name) {
    ASSERT_TRUE(r.ok()) << r.status();
    AttachCitations(*records_, ProofSource{}, *verified_, options_, &*r);
    const std::string json = RenderJson(*r);
    const std::string path = testing::DataPath("golden/" + name + ".json");
    if (std::getenv("AILEDGER_UPDATE_GOLDEN") != nullptr) {
      std::ofstream(path, std::ios::binary) << json;
      GTEST_SKIP() << "wrote " << path;
    }
    const std::string want = testing::ReadDataFile("golden/" + name + ".json");
    if (json == want) return;
    size_t line = 1, at = 0;
    while (at < json.size() && at < want.size() && json[at] == want[at])
      line += json[at++] == '\n';
    ADD_FAILURE() << name << ".json differs from line " << line
                  << "; regenerate with AILEDGER_UPDATE_GOLDEN=1 if intended:\n"
                  << json.substr(at > 200 ? at - 200 : 0, 400);
  }

  static testing::HistoryLog* log_;
  static std::vector<Record>* records_;
  static VerifyReport* verified_;
  VerifyOptions options_;
};
testing::HistoryLog* ReportGoldenTest::log_ = nullptr;
std::vector<Record>* ReportGoldenTest::records_ = nullptr;
VerifyReport* ReportGoldenTest::verified_ = nullptr;

TEST_F(ReportGoldenTest, Annual) {
  AnnualOptions a;
  a.organisation = kProvider;
  a.year = 2025;
  auto r = AnnualReport(*records_, *verified_, options_, a);
  ASSERT_TRUE(r.ok()) << r.status();
  AddRestatements(*records_, ProofSource{}, *verified_, a, &*r);
  ExpectGolden(std::move(r), "annual-2025");
}

TEST_F(ReportGoldenTest, Aia) {
  ExpectGolden(AiaReport(*records_, *verified_, options_, kSystem), "aia");
}

TEST_F(ReportGoldenTest, Fairness) {
  ExpectGolden(FairnessReport(*records_, *verified_, options_, kSystem),
               "fairness");
}

TEST_F(ReportGoldenTest, Iso42001) {
  ExpectGolden(Iso42001Report(*records_, *verified_, options_, kProvider),
               "iso42001");
}

TEST_F(ReportGoldenTest, SystemFactsheet) {
  ExpectGolden(SystemReport(*records_, *verified_, options_, kSystem),
               "system");
}

// The same inputs give the same bytes (a second build of each).
TEST_F(ReportGoldenTest, TwiceTheSameBytes) {
  auto a = FairnessReport(*records_, *verified_, options_, kSystem);
  auto b = FairnessReport(*records_, *verified_, options_, kSystem);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(RenderHtml(*a), RenderHtml(*b));
  EXPECT_EQ(RenderMarkdown(*a), RenderMarkdown(*b));
}

}  // namespace
}  // namespace ailedger::reports
