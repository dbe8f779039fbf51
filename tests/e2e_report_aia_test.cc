// `ailedger report aia` against a bundle of the real ailedgerd (role table
// version 3): the assessment is scored from its answers as the Government of
// Canada's tool does, the author's wrong claim is shown as differing, and a
// system with no assessment gives no report.
#include <nlohmann/json.hpp>

#include "ledger/aia/score.h"
#include "ledger/aia/survey.h"
#include "ledger/base/file_util.h"
#include "ledger/governance/envelope.h"
#include "ledger/governance/event_signature.h"
#include "ledger/governance/examples.h"
#include "ledger/tlog/contexts.h"
#include "tests/testing/e2e_fixture.h"

namespace ailedger {
namespace {

class ReportAiaTest : public testing::E2eTest {
 protected:
  uint32_t RulesVersion() const override { return 3; }

  std::string Push(v1::Event e) {
    auto* s = e.add_subjects();
    s->set_kind("system");
    s->set_id("chat");
    const SignedEvent signed_event =
        SignEvent(e, LoadKey("publisher"), testing::kE2eOrigin);
    auto r = Client(nullptr)->Append(AppendRequestOf(signed_event));
    EXPECT_TRUE(r.ok()) << e.event_type() << ": " << r.status();
    return std::string(
        AsBytes(EventId(testing::kE2eOrigin, signed_event.event_bytes)));
  }
  testing::ProcessResult Report(const std::string& system) {
    return Cli({"report", "aia", "--system", system, "--bundle", Path("b"),
                "--vkey", Vkey("log"), "--admin-vkey", Vkey("admin"), "--out",
                Path("out"), "--format", "json,md"});
  }
};

TEST_F(ReportAiaTest, ScoresFromTheAnswersAndShowsAWrongClaim) {
  const aia::Survey& survey = *aia::ShippedSurveys().front();
  v1::Event system = NewEvent("SystemRegistered", "Acme AI", 1700000000000);
  FillExampleBody(&system);
  Push(system);
  v1::Event q = NewEvent("QuestionnaireDefined", "Acme AI", 1700000000000);
  FillExampleBody(&q);
  auto* d = q.mutable_questionnaire_defined();
  d->set_framework("ca-dadm:aia");
  d->set_version("v" + survey.version());
  d->set_questionnaire_sha256(std::string(AsBytes(survey.sha256())));
  d->set_question_ids(0, "projectDetailsPhase");
  const std::string questionnaire = Push(q);
  v1::Event a = NewEvent("ImpactAssessmentRecorded", "Acme AI", 1700000000000);
  FillExampleBody(&a);
  auto* r = a.mutable_impact_assessment_recorded();
  r->set_framework("ca-dadm:aia");
  r->set_survey_version(survey.version());
  r->set_applicability(v1::AIA_APPLICABILITY_VOLUNTARY);
  r->set_requirement_set("2023");
  r->set_questionnaire_event_id(questionnaire);
  for (v1::Answer& answer : aia::ExampleAnswers(survey, 2, 11))
    *r->add_answers() = std::move(answer);
  const aia::Score score = aia::ComputeScore(survey, r->answers());
  r->mutable_claimed()->set_level(score.level == 4 ? 1 : score.level + 1);
  Push(a);
  ExportBundle("b");
  auto out = Report("chat");
  ASSERT_EQ(out.exit_code, 0) << out.out << out.err;
  const nlohmann::json j =
      nlohmann::json::parse(ReadSmallFile(Path("out/ca-aia.json")).value());
  ASSERT_EQ(j["data"]["assessments"].size(), 1u);
  const auto& x = j["data"]["assessments"][0];
  EXPECT_EQ(x["level"], score.level);
  EXPECT_EQ(x["raw_impact"], score.raw_impact);
  EXPECT_EQ(x["current_score"], score.current_score);
  EXPECT_EQ(x["claim_differs"], true);
  EXPECT_TRUE(x["unanswered_required"].empty());
  const std::string md = ReadSmallFile(Path("out/ca-aia.md")).value();
  EXPECT_NE(md.find("VOLUNTARY USE"), std::string::npos);
  EXPECT_NE(md.find("DIFFERS"), std::string::npos);
  auto none = Report("other");
  EXPECT_NE(none.exit_code, 0);
  EXPECT_NE(none.err.find("no Canada AIA"), std::string::npos) << none.err;
}

}  // namespace
}  // namespace ailedger
