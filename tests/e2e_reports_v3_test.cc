// `ailedger report fairness`, `report iso42001` and `report annual` against a
// bundle of the real ailedgerd (role table version 3): the worked fairness
// example (selection rates 0.50 and 0.30) is recomputed from its counts, its
// 0.6 ratio flagged by the four-fifths screen, as a screening flag; the SoA
// always has its 38 rows, those never written "not determined", and a clause
// without records says so.
#include <functional>
#include <nlohmann/json.hpp>

#include "ledger/base/file_util.h"
#include "ledger/governance/envelope.h"
#include "ledger/governance/event_signature.h"
#include "ledger/governance/examples.h"
#include "ledger/tlog/contexts.h"
#include "tests/testing/e2e_fixture.h"

namespace ailedger {
namespace {

class ReportsV3Test : public testing::E2eTest {
 protected:
  uint32_t RulesVersion() const override { return 3; }

  std::string Push(const std::string& type,
                   const std::function<void(v1::Event*)>& edit) {
    return PushExample(type, 1700000000000, edit);
  }
};

TEST_F(ReportsV3Test, RecomputedFromCountsAndScreened) {
  Push("SystemRegistered", nullptr);
  Push("ModelVersionReleased", [](v1::Event* e) {
    e->mutable_model_version_released()->set_version(
        ExampleFairnessSnapshot().model_version());
  });
  Push("FairnessSnapshot", nullptr);
  ExportBundle("b");
  auto r = Cli({"report", "fairness", "--system", "credit", "--bundle",
                Path("b"), "--vkey", Vkey("log"), "--admin-vkey", Vkey("admin"),
                "--out", Path("out"), "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const nlohmann::json j =
      nlohmann::json::parse(ReadSmallFile(Path("out/fairness.json")).value());
  EXPECT_EQ(j["data"]["snapshots"], 1);
  ASSERT_EQ(j["data"]["rows"].size(), 2u);
  const auto& b = j["data"]["rows"][1];
  EXPECT_EQ(b[2], "B");
  EXPECT_NE(b[4].get<std::string>().find("30/100 = 0.3000"), std::string::npos)
      << b;
  EXPECT_NE(b[6].get<std::string>().find("0.6000"), std::string::npos) << b;
  EXPECT_NE(b[6].get<std::string>().find("screening flag"), std::string::npos);
  EXPECT_EQ(j["data"]["rows"][0][6], "reference");
}

TEST_F(ReportsV3Test, TheSoaHasEveryRowAndSaysWhatIsMissing) {
  Push("ControlStatusUpdated", nullptr);  // A.6.2.8, implemented
  ExportBundle("b");
  auto r = Cli({"report", "iso42001", "--organisation", "Acme AI", "--bundle",
                Path("b"), "--vkey", Vkey("log"), "--admin-vkey", Vkey("admin"),
                "--out", Path("out"), "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const nlohmann::json j = nlohmann::json::parse(
      ReadSmallFile(Path("out/iso42001-evidence.json")).value());
  EXPECT_EQ(j["data"]["determined"], 1);
  ASSERT_EQ(j["data"]["soa"].size(), 38u);
  for (const auto& row : j["data"]["soa"]) {
    EXPECT_EQ(row[2], row[0] == "A.6.2.8" ? "implemented" : "not determined")
        << row;
  }
  // 4.1/4.2 context: the vocabulary has a record type, the log no record.
  EXPECT_EQ(j["data"]["clauses"][0][3], "no record");
  EXPECT_EQ(j["data"]["status"]["A.6.2.8"], "declared without evidence");
}

// The Art. 73 clock of the annual report: an initial report 20 days after
// awareness of a category (c) incident misses its 15 days.
TEST_F(ReportsV3Test, TheAnnualReportJudgesTheArt73Clock) {
  Push("SystemRegistered", nullptr);
  const std::string incident = Push("IncidentReported", nullptr);
  Push("RegulatorNotificationSent", [&](v1::Event* e) {
    auto* n = e->mutable_regulator_notification();
    n->set_incident_event_id(incident);
    n->set_sent_at_ms(1700000000000 + 20 * 86'400'000LL);
  });
  ExportBundle("b");
  auto r =
      Cli({"report", "annual", "--organisation", "Acme AI", "--year", "2023",
           "--bundle", Path("b"), "--vkey", Vkey("log"), "--admin-vkey",
           Vkey("admin"), "--out", Path("out"), "--format", "json,html"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const nlohmann::json j = nlohmann::json::parse(
      ReadSmallFile(Path("out/annual-impact.json")).value());
  const auto& incidents =
      j["data"]["Incidents and the EU AI Act Art. 73 clock"];
  // One Member State (DE): the initial report, "immediately", the complete
  // report.
  ASSERT_EQ(incidents.size(), 3u) << incidents;
  const auto& initial = incidents[0];
  EXPECT_EQ(initial[1], "DE");
  EXPECT_EQ(initial[2], "Art. 73(2) initial report within 15 days");
  // Aware Tue 2023-11-14 23:13 CET: day 15 is Wed 2023-11-29, ending at
  // midnight in Germany; no DE calendar ships for 2023.
  EXPECT_EQ(initial[4],
            "15 days: end of Wed 2023-11-29 (2023-11-29 23:00 UTC)");
  EXPECT_EQ(initial[5].get<std::string>().rfind("2023-12-04 22:13 UTC", 0), 0u)
      << initial[5];
  EXPECT_NE(initial[5].get<std::string>().find("day 20"), std::string::npos);
  EXPECT_EQ(initial[6], "not yet applicable (measured: MISSED)");
  EXPECT_EQ(initial[7].get<std::string>().rfind(
                "calendar days, holidays not applied", 0),
            0u)
      << initial[7];
  EXPECT_NE(initial[8].get<std::string>().find("art73-regime.json"),
            std::string::npos);
  EXPECT_EQ(incidents[2][6], "none recorded");  // no complete report
  bool regime_digest = false;
  for (const auto& [label, value] : j["envelope"].items())
    regime_digest |=
        label.rfind("Reference data: eu-ai-act/art73-regime", 0) == 0;
  EXPECT_TRUE(regime_digest) << j["envelope"];
  EXPECT_EQ(Cli({"report", "annual", "--organisation", "Acme AI", "--year",
                 "2024", "--bundle", Path("b"), "--vkey", Vkey("log"),
                 "--admin-vkey", Vkey("admin"), "--out", Path("out2")})
                    .exit_code == 0,
            false);  // nothing occurred in 2024
}

// --anchor: a ReportPublished of the annual report's files, anchored to the
// root of the bundle it was computed from and linking the previous one; the
// server accepts it (the root is the log's own) and the log still verifies
// offline (the verifier recomputes the anchored roots).
TEST_F(ReportsV3Test, AnAnchoredAnnualReportIsAcceptedAndVerifies) {
  Push("SystemRegistered", nullptr);
  const std::vector<std::string> report = {"report",
                                           "annual",
                                           "--organisation",
                                           "Acme AI",
                                           "--year",
                                           "2023",
                                           "--vkey",
                                           Vkey("log"),
                                           "--admin-vkey",
                                           Vkey("admin"),
                                           "--anchor",
                                           "--key",
                                           Path("publisher.key"),
                                           "--format",
                                           "json"};
  for (const std::string name : {"first", "second"}) {
    ExportBundle(name + ".bundle");
    const uint64_t size = Size();
    std::vector<std::string> args = report;
    args.insert(args.end(),
                {"--bundle", Path(name + ".bundle"), "--out", Path(name)});
    auto r = Cli(args);
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(Size(), size + 1);
  }
  ExportBundle("after.bundle");
  auto v = Cli({"verify", Path("after.bundle"), "--vkey", Vkey("log"),
                "--admin-vkey", Vkey("admin")});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_NE(v.out.find("awaiting approval"), std::string::npos);  // reports
}

}  // namespace
}  // namespace ailedger
