// The ISO/IEC 42001 evidence pack over the generated history (tools/history.h:
// all 38 SoA rows written, each with the events that show it operates), as
// records the way a verified bundle gives them, signers from the roster's
// grants: every row determined, most evidenced, every evidence row cited,
// and the pack rendered in each form the same way twice.
#include <cstdlib>
#include <fstream>
#include <map>

#include "gtest/gtest.h"
#include "ledger/tlog/contexts.h"
#include "reports/iso42001_report.h"
#include "tests/testing/history_records.h"

namespace ailedger::reports {
namespace {

constexpr char kOrigin[] = "iso.ailedger.example/log";
constexpr char kProvider[] = "Aurora Credit AI";

class Iso42001HistoryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    log_ = new testing::HistoryLog(
        testing::HistoryAsVerified({kOrigin, 11, 1500, 3, 3}, "iso admin"));
    records_ = &log_->records;
    verified_ = &log_->verified;
  }
  static void TearDownTestSuite() { delete log_; }
  static testing::HistoryLog* log_;
  static std::vector<Record>* records_;
  static VerifyReport* verified_;
};
testing::HistoryLog* Iso42001HistoryTest::log_ = nullptr;
std::vector<Record>* Iso42001HistoryTest::records_ = nullptr;
VerifyReport* Iso42001HistoryTest::verified_ = nullptr;

TEST_F(Iso42001HistoryTest, EveryRowDeterminedAndMostEvidenced) {
  auto r = Iso42001Report(*records_, *verified_, VerifyOptions(), kProvider);
  ASSERT_TRUE(r.ok()) << r.status();
  const nlohmann::json& d = r->data;
  EXPECT_EQ(d["determined"], 38);
  std::map<std::string, int> by_status;
  for (const auto& [id, status] : d["status"].items())
    ++by_status[status.get<std::string>()];
  EXPECT_EQ(by_status["not determined"], 0);
  EXPECT_GE(by_status["evidenced"] + by_status["stale"], 28) << d["status"];
  for (const auto& row : d["evidence_cited"]) {
    if (row[2] != "") {
      EXPECT_EQ(row[2].get<std::string>().rfind("idx ", 0), 0u) << row;
    }
  }
  auto again =
      Iso42001Report(*records_, *verified_, VerifyOptions(), kProvider);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(RenderHtml(*r), RenderHtml(*again));
  EXPECT_EQ(RenderMarkdown(*r), RenderMarkdown(*again));
  EXPECT_EQ(RenderJson(*r), RenderJson(*again));
  if (const char* dir = std::getenv("AILEDGER_ISO42001_DUMP")) {
    std::ofstream(std::string(dir) + "/iso42001.md") << RenderMarkdown(*r);
    std::ofstream(std::string(dir) + "/iso42001.html") << RenderHtml(*r);
  }
}

}  // namespace
}  // namespace ailedger::reports
