// The annual impact report over the generated history (tools/history.h, as
// report_golden_test builds it in memory): each deliberate imperfection of
// the history that belongs to an annual report is visible in the report of
// the year it happens in.
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "reports/annual_report.h"
#include "tests/testing/history_records.h"

namespace ailedger::reports {
namespace {

constexpr char kOrigin[] = "golden.ailedger.example/log";
constexpr char kProvider[] = "Aurora Credit AI";

class AnnualHistoryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    log_ = new testing::HistoryLog(
        testing::HistoryAsVerified({kOrigin, 7, 600, 3, 3}, "golden admin"));
    records_ = &log_->records;
    verified_ = &log_->verified;
    reports_ = new std::map<int, Report>;
    for (int year : {2023, 2024, 2025}) {
      AnnualOptions a;
      a.organisation = kProvider;
      a.year = year;
      auto r = AnnualReport(*records_, *verified_, VerifyOptions{}, a);
      ASSERT_TRUE(r.ok()) << r.status();
      (*reports_)[year] = *std::move(r);
    }
  }
  static void TearDownTestSuite() {
    delete log_;
    delete reports_;
  }

  // Whether a row of a section of `year` whose title starts with `title`
  // holds every one of `parts`.
  static bool HasRow(int year, const std::string& title,
                     const std::vector<std::string>& parts) {
    for (const Section& s : reports_->at(year).sections) {
      if (!absl::StartsWith(s.title, title)) continue;
      for (const Table& t : s.tables) {
        for (const auto& row : t.rows) {
          const std::string line = absl::StrJoin(row, " | ");
          bool all = true;
          for (const std::string& p : parts)
            all = all && absl::StrContains(line, p);
          if (all) return true;
        }
      }
    }
    return false;
  }

  // Whether a paragraph of such a section holds `part`.
  static bool HasText(int year, const std::string& title,
                      const std::string& part) {
    for (const Section& s : reports_->at(year).sections) {
      if (!absl::StartsWith(s.title, title)) continue;
      for (const std::string& p : s.paragraphs)
        if (absl::StrContains(p, part)) return true;
    }
    return false;
  }

  static testing::HistoryLog* log_;
  static std::vector<Record>* records_;
  static VerifyReport* verified_;
  static std::map<int, Report>* reports_;
};
testing::HistoryLog* AnnualHistoryTest::log_ = nullptr;
std::vector<Record>* AnnualHistoryTest::records_ = nullptr;
VerifyReport* AnnualHistoryTest::verified_ = nullptr;
std::map<int, Report>* AnnualHistoryTest::reports_ = nullptr;

// INC-2 (June 2024): the initial report 20 days after awareness, past the
// 15-day deadline, before the duty applies.
TEST_F(AnnualHistoryTest, TheLateNotificationIsMissed) {
  EXPECT_TRUE(HasRow(2024, "Incidents and the EU AI Act",
                     {"INC-2", "initial report within 15 days", "day 20",
                      "not yet applicable (measured: MISSED)"}));
  EXPECT_FALSE(HasRow(2025, "Incidents and the EU AI Act", {"MISSED"}));
}

// Every snapshot's "undisclosed" band (8-17 people) is under the plan's 30.
TEST_F(AnnualHistoryTest, TheSmallGroupIsInsufficientData) {
  for (int year : {2024, 2025}) {
    EXPECT_TRUE(HasRow(year, "Fairness and societal-impact metrics",
                       {"undisclosed", "insufficient data", "< 30"}))
        << year;
  }
}

// credit-scoring's fourth release (2.0.0, June 2024) rejected by the CTO.
TEST_F(AnnualHistoryTest, TheRejectedReleaseIsSaid) {
  EXPECT_TRUE(HasRow(2024, "Releases, deployments",
                     {"credit-scoring", "2.0.0", "REJECTED by Aurora"}));
  EXPECT_TRUE(HasRow(2024, "Completeness: approvals pending and rejected",
                     {"ModelVersionReleased", "REJECTED"}));
  EXPECT_TRUE(HasRow(2024, "Completeness: expected records missing",
                     {"approval of release 2.0.0", "REJECTED"}));
  EXPECT_TRUE(HasRow(2024, "Impact assessments",
                     {"credit-scoring", "the release was rejected"}));
}

// The 60+ band at 0.7 of the reference in quarters 3 to 5, flagged, and the
// incident the plan's escalation opens.
TEST_F(AnnualHistoryTest, TheFairnessBreachIsFlaggedWithItsIncident) {
  EXPECT_TRUE(HasRow(2024, "Fairness and societal-impact metrics: breaches",
                     {"credit-scoring", "60+", "0.69", "at least 0.8"}));
  EXPECT_TRUE(HasRow(2024, "Incidents by harm type",
                     {"FB-credit-scoring-Q3", "minor", "not serious"}));
}

// The residual-risk acceptances' condition, never closed.
TEST_F(AnnualHistoryTest, TheOpenApprovalConditionIsMissing) {
  for (int year : {2023, 2024, 2025}) {
    EXPECT_TRUE(HasRow(year, "Completeness: expected records missing",
                       {"closing of approval conditions", "credit-scoring",
                        "OPEN", "re-assess after two quarterly snapshots"}))
        << year;
  }
}

// Segments anchored when the filler comes round: none for credit-scoring,
// fewer than the 30-day cadence asks for support-assistant.
TEST_F(AnnualHistoryTest, TheIrregularLogSegmentsAreMissing) {
  EXPECT_TRUE(HasRow(2025, "Completeness: expected records missing",
                     {"log segments", "credit-scoring", "NO SEGMENT"}));
  EXPECT_TRUE(HasRow(2025, "Completeness: expected records missing",
                     {"log segments", "support-assistant", "IRREGULAR: 8",
                      "cadence of 30 days"}));
  EXPECT_TRUE(HasRow(2024, "Audits, findings",
                     {"observation", "anchored irregularly"}));
}

// The ethics board's first review, recorded 21 days late with its reason.
TEST_F(AnnualHistoryTest, TheBackfilledRecordIsLate) {
  EXPECT_TRUE(HasRow(2023, "Completeness: late records",
                     {"AdvisoryBoardReview", "21 days late",
                      "backfill, minutes approved at the board's next "
                      "meeting"}));
}

// The third feedback record, retracted as a duplicate: listed with the
// reason, not counted as received.
TEST_F(AnnualHistoryTest, TheRetractedDuplicateFeedbackIsWithdrawn) {
  EXPECT_TRUE(HasRow(2023, "Complaints and feedback",
                     {"RETRACTED by idx", "recorded twice"}));
  EXPECT_TRUE(
      HasText(2023, "Complaints and feedback", "5 received, 1 withdrawn"));
  EXPECT_TRUE(HasRow(2023, "Completeness: corrections and retractions",
                     {"StakeholderFeedbackReceived",
                      "retraction: recorded "
                      "twice"}));
}

// A corrective action verified 15 days after its due date, and the audits
// the programme planned, held in their windows.
TEST_F(AnnualHistoryTest, CorrectiveActionsShowTheirTimeToClosure) {
  EXPECT_TRUE(HasRow(2024, "Audits, findings",
                     {"evaluation skipped", "effective", "LATE by 14 days"}));
  EXPECT_TRUE(HasRow(2024, "Audits, findings", {"IA-1", "held in its window"}));
  EXPECT_TRUE(HasRow(2025, "Completeness: expected records missing",
                     {"effectiveness of a corrective action", "LATE"}));
}

TEST_F(AnnualHistoryTest, PartnersAndFrameworksAreCovered) {
  EXPECT_TRUE(HasRow(2025, "Partners",
                     {"Aurora Credit AI", "Corner Shop Finance (provider)",
                      "approved", "binding"}));
  EXPECT_TRUE(HasRow(2025, "Framework coverage", {"euaia"}));
  EXPECT_TRUE(
      HasRow(2025, "Framework coverage", {"NIST AI RMF 1.0 (categories)"}));
}

// The deployer's report: the systems it uses, its deployments and FRIA, the
// provider it registered with its due diligence, its feedback.
TEST_F(AnnualHistoryTest, TheDeployersReportHasItsOwnSide) {
  AnnualOptions a;
  a.organisation = "Corner Shop Finance";
  a.year = 2025;
  auto r = AnnualReport(*records_, *verified_, VerifyOptions{}, a);
  ASSERT_TRUE(r.ok()) << r.status();
  const auto has = [&](const std::string& title,
                       const std::vector<std::string>& parts) {
    for (const Section& s : r->sections) {
      if (!absl::StartsWith(s.title, title)) continue;
      for (const Table& t : s.tables) {
        for (const auto& row : t.rows) {
          const std::string line = absl::StrJoin(row, " | ");
          bool all = true;
          for (const std::string& p : parts)
            all = all && absl::StrContains(line, p);
          if (all) return true;
        }
      }
    }
    return false;
  };
  EXPECT_TRUE(has("Systems and model versions", {"credit-scoring", "high"}));
  EXPECT_TRUE(has("Releases, deployments",
                  {"deployment to Corner Shop Finance", "approved by Corner"}));
  EXPECT_TRUE(has("Impact assessments", {"euaia:art27", "Corner Shop"}));
  EXPECT_TRUE(has("Partners", {"Aurora Credit AI", "approved"}));
  EXPECT_TRUE(has("Complaints and feedback", {"complaint", "email"}));
}

TEST_F(AnnualHistoryTest, TheSameRecordsGiveTheSameBytes) {
  AnnualOptions a;
  a.organisation = kProvider;
  a.year = 2024;
  auto again = AnnualReport(*records_, *verified_, VerifyOptions{}, a);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(RenderJson(*again), RenderJson(reports_->at(2024)));
  EXPECT_EQ(RenderMarkdown(*again), RenderMarkdown(reports_->at(2024)));
}

}  // namespace
}  // namespace ailedger::reports
