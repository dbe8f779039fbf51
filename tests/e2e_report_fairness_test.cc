// `ailedger report fairness` and `report iso42001` against a bundle of the
// real ailedgerd (role table version 3): the worked fairness example
// (selection rates 0.50 and 0.30) is recomputed from its counts, its 0.6 ratio
// flagged by the four-fifths screen, as a screening flag; the SoA always has
// its 38 rows, those never written "not determined", and a clause without
// records says so.
#include <nlohmann/json.hpp>

#include "ledger/base/file_util.h"
#include "ledger/governance/envelope.h"
#include "ledger/governance/event_signature.h"
#include "ledger/governance/examples.h"
#include "tests/testing/e2e_fixture.h"

namespace ailedger {
namespace {

class ReportsV3Test : public testing::E2eTest {
 protected:
  uint32_t RulesVersion() const override { return 3; }

  void Push(const std::string& type, void (*edit)(v1::Event*)) {
    v1::Event e = NewEvent(type, "Acme AI", 1700000000000);
    auto* s = e.add_subjects();
    s->set_kind("system");
    s->set_id("credit");
    FillExampleBody(&e);
    if (edit) edit(&e);
    auto r = Client(nullptr)->Append(AppendRequestOf(
        SignEvent(e, LoadKey("publisher"), testing::kE2eOrigin)));
    ASSERT_TRUE(r.ok()) << type << ": " << r.status();
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
  EXPECT_EQ(j["data"]["clauses"][0][1], "NO RECORDS");  // 4.1/4.2 context
}

}  // namespace
}  // namespace ailedger
