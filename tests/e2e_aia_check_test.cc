// `ailedger aia-check` (issue 12, "Canada AIA"): the real binary, offline, on
// ImpactAssessmentRecorded events answered from the shipped survey: invalid
// answers and a claimed score the answers do not give fail (exit 1),
// incompleteness is reported but is not a failure (exit 0), an unusable survey
// choice is a usage error (exit 2).
#include <filesystem>
#include <string>
#include <vector>

#include "absl/algorithm/container.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "ailedger/event.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "ledger/aia/score.h"
#include "ledger/aia/survey.h"
#include "ledger/base/file_util.h"
#include "ledger/merkle/hash.h"
#include "nlohmann/json.hpp"
#include "tests/testing/process.h"
#include "tests/testing/temp_dir.h"

namespace ailedger::testing {
namespace {

const aia::Survey& TheSurvey() { return *aia::ShippedSurveys().back(); }

class AiaCheckTest : public TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    std::filesystem::create_directories(dir_);
  }

  // A Canada AIA answered with `answers`, the claim left unstated.
  static v1::Event Assessment(const std::vector<v1::Answer>& answers) {
    v1::Event e;
    e.set_event_type("ImpactAssessmentRecorded");
    e.set_organisation("Example Ltd");
    auto* a = e.mutable_impact_assessment_recorded();
    a->set_framework("ca-dadm:aia");
    a->set_survey_version(TheSurvey().version());
    for (const v1::Answer& x : answers) *a->add_answers() = x;
    return e;
  }
  static void Claim(v1::Event& e, const aia::Score& s) {
    auto* c = e.mutable_impact_assessment_recorded()->mutable_claimed();
    c->set_raw_impact(s.raw_impact);
    c->set_mitigation(s.mitigation);
    c->set_current_score(s.current_score);
    c->set_level(s.level);
  }
  // Writes `e` as the JSON `ailedger push` reads; its path.
  std::string Write(const google::protobuf::Message& e,
                    const std::string& name) {
    std::string json;
    google::protobuf::util::JsonPrintOptions o;
    o.preserve_proto_field_names = true;
    EXPECT_TRUE(google::protobuf::util::MessageToJsonString(e, &json, o).ok());
    const std::string path = dir_ + "/" + name;
    EXPECT_TRUE(WriteFileDurably(path, json, 0644).ok());
    return path;
  }
  static ProcessResult Check(std::vector<std::string> args) {
    args.insert(args.begin(), {AILEDGER_CLI_PATH, "aia-check"});
    return RunProcess(args);
  }
  static aia::Score Score(const v1::Event& e) {
    return aia::ComputeScore(TheSurvey(),
                             e.impact_assessment_recorded().answers());
  }
};

TEST_F(AiaCheckTest, CompleteValidAnswersWithTheRightClaimPass) {
  v1::Event e = Assessment(aia::ExampleAnswers(TheSurvey(), 1, 7));
  const aia::Score s = Score(e);
  Claim(e, s);
  auto r = Check({Write(e, "aia.json")});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.err, "");
  for (const std::string& want :
       {absl::StrCat("survey: Canada AIA v", TheSurvey().version(), " sha256 ",
                     ToHex(TheSurvey().sha256())),
        std::string("phase: Design"), std::string("answers valid ("),
        std::string("required questions: complete"),
        absl::StrCat("raw_impact ", s.raw_impact, " of max_raw ", s.max_raw,
                     "  (claimed ", s.raw_impact, ": matches)"),
        std::string("level ")}) {
    EXPECT_TRUE(absl::StrContains(r.out, want)) << want << "\n" << r.out;
  }
  EXPECT_FALSE(absl::StrContains(r.out, "differs")) << r.out;
  // The Implementation fork, from stdin, with the claim unstated.
  v1::Event impl = Assessment(aia::ExampleAnswers(TheSurvey(), 2, 9));
  std::string json;
  google::protobuf::util::JsonPrintOptions o;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(impl, &json, o).ok());
  auto stdin_run = RunProcess({AILEDGER_CLI_PATH, "aia-check", "-"}, json);
  EXPECT_EQ(stdin_run.exit_code, 0) << stdin_run.out << stdin_run.err;
  EXPECT_TRUE(absl::StrContains(stdin_run.out, "phase: Implementation"))
      << stdin_run.out;
  EXPECT_TRUE(absl::StrContains(stdin_run.out, "(claimed: not stated)"))
      << stdin_run.out;
}

// The shipped survey v1.0.1 marks one question isRequired: the phase, without
// which neither fork is chosen.
TEST_F(AiaCheckTest, MissingRequiredAnswersAreListedButDoNotFail) {
  std::vector<std::string> required;
  for (const aia::Question& q : TheSurvey().questions())
    if (q.required) required.push_back(q.name);
  ASSERT_FALSE(required.empty());
  std::vector<v1::Answer> answers = aia::ExampleAnswers(TheSurvey(), 1, 3);
  std::erase_if(answers, [&](const v1::Answer& a) {
    return absl::c_linear_search(required, a.question_id());
  });
  auto r = Check({Write(Assessment(answers), "aia.json")});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(absl::StrContains(
      r.out, absl::StrCat("required questions: ", required.size(),
                          " unanswered: ", absl::StrJoin(required, " "), "\n")))
      << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "phase: none\n")) << r.out;
  EXPECT_TRUE(absl::StrContains(r.out, "answers valid")) << r.out;
  // No answers at all: the same list, still not a failure.
  auto empty = Check({Write(Assessment({}), "empty.json"), "--json"});
  EXPECT_EQ(empty.exit_code, 0) << empty.out << empty.err;
  auto j = nlohmann::json::parse(empty.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << empty.out;
  EXPECT_EQ(j["complete"], false);
  EXPECT_EQ(j["unanswered_required"], nlohmann::json(required));
  EXPECT_EQ(j["score"]["raw_impact"], 0);
}

TEST_F(AiaCheckTest, InvalidChoicesAreEachNamedByTheirField) {
  std::vector<v1::Answer> answers = aia::ExampleAnswers(TheSurvey(), 1, 5);
  std::vector<int> broken;
  for (int i = 0; i < static_cast<int>(answers.size()) && broken.size() < 2;
       ++i) {
    const aia::Question* q = TheSurvey().Find(answers[i].question_id());
    if (q->type == "radiogroup" && q->name != aia::kPhaseQuestion) {
      answers[i].set_values(0, "item99");
      broken.push_back(i);
    }
  }
  ASSERT_EQ(broken.size(), 2u);
  auto r = Check({Write(Assessment(answers), "aia.json")});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(absl::StrContains(r.out, "answers invalid: 2 problems")) << r.out;
  for (int i : broken) {
    EXPECT_TRUE(absl::StrContains(
        r.out, absl::StrCat("impact_assessment_recorded.answers[", i,
                            "].values: 'item99' is not a choice of ",
                            answers[i].question_id())))
        << i << "\n"
        << r.out;
  }
  EXPECT_TRUE(absl::StrContains(
      r.err, absl::StrCat("impact_assessment_recorded.answers[", broken[0],
                          "].values")))
      << r.err;
}

TEST_F(AiaCheckTest, AClaimedLevelTheAnswersDoNotGiveFails) {
  v1::Event e = Assessment(aia::ExampleAnswers(TheSurvey(), 1, 11));
  const aia::Score s = Score(e);
  Claim(e, s);
  const int wrong = s.level % 4 + 1;
  e.mutable_impact_assessment_recorded()->mutable_claimed()->set_level(wrong);
  auto r = Check({Write(e, "aia.json")});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  const char* roman[] = {"I", "II", "III", "IV"};
  EXPECT_TRUE(absl::StrContains(
      r.out, absl::StrCat("level ", roman[s.level - 1], "  (claimed ",
                          roman[wrong - 1], ": differs)")))
      << r.out;
  EXPECT_TRUE(absl::StrContains(r.err, "claimed level differs")) << r.err;
  EXPECT_TRUE(absl::StrContains(r.out, "answers valid")) << r.out;
}

TEST_F(AiaCheckTest, JsonCarriesTheComputedScoreAndTheClaim) {
  v1::Event e = Assessment(aia::ExampleAnswers(TheSurvey(), 2, 13));
  const aia::Score s = Score(e);
  e.mutable_impact_assessment_recorded()->mutable_claimed()->set_raw_impact(
      s.raw_impact + 1);
  auto r = Check({Write(e, "aia.json"), "--json"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  auto j = nlohmann::json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  EXPECT_EQ(j["survey_sha256"], ToHex(TheSurvey().sha256()));
  EXPECT_EQ(j["phase"], "Implementation");
  EXPECT_EQ(j["valid"], true);
  EXPECT_EQ(j["complete"], true);
  EXPECT_EQ(j["score"]["raw_impact"], s.raw_impact);
  EXPECT_EQ(j["score"]["mitigation"], s.mitigation);
  EXPECT_EQ(j["score"]["mitigation_applied"], s.mitigation_applied);
  EXPECT_EQ(j["score"]["current_score"], s.current_score);
  EXPECT_EQ(j["score"]["level"], s.level);
  EXPECT_EQ(j["score"]["max_raw"], TheSurvey().max_raw());
  EXPECT_EQ(j["claimed"]["raw_impact"], s.raw_impact + 1);
  EXPECT_TRUE(j["claimed"]["level"].is_null()) << r.out;
  EXPECT_EQ(j["differs"], nlohmann::json::array({"raw_impact"}));
}

TEST_F(AiaCheckTest, TheSurveyComesFromADigestOrAQuestionnaire) {
  v1::Event e = Assessment(aia::ExampleAnswers(TheSurvey(), 1, 17));
  const std::string path = Write(e, "aia.json");
  auto unknown = Check({path, "--survey-sha256", std::string(64, '0')});
  EXPECT_EQ(unknown.exit_code, 2) << unknown.out << unknown.err;
  EXPECT_TRUE(absl::StrContains(unknown.err, "--survey-sha256")) << unknown.err;
  EXPECT_EQ(unknown.out, "");
  auto by_digest =
      Check({path, "--survey-sha256", ToHex(TheSurvey().sha256())});
  EXPECT_EQ(by_digest.exit_code, 0) << by_digest.out << by_digest.err;
  v1::Event q;
  q.set_event_type("QuestionnaireDefined");
  q.mutable_questionnaire_defined()->set_framework("ca-dadm:aia");
  q.mutable_questionnaire_defined()->set_questionnaire_sha256(
      std::string(AsBytes(TheSurvey().sha256())));
  auto by_q = Check({path, "--questionnaire", Write(q, "q.json")});
  EXPECT_EQ(by_q.exit_code, 0) << by_q.out << by_q.err;
  // Without either, the event's survey_version must name the shipped survey.
  e.mutable_impact_assessment_recorded()->set_survey_version("0.9");
  auto guess = Check({Write(e, "old.json")});
  EXPECT_EQ(guess.exit_code, 2) << guess.out << guess.err;
  EXPECT_TRUE(absl::StrContains(guess.err, "--survey-sha256")) << guess.err;
  // Named explicitly, the survey it does not match is a problem of the event,
  // and what the event says reaches the terminal escaped.
  e.mutable_impact_assessment_recorded()->set_survey_version("\x1b[2J0.9");
  auto mismatch = Check(
      {Write(e, "old.json"), "--survey-sha256", ToHex(TheSurvey().sha256())});
  EXPECT_EQ(mismatch.exit_code, 1) << mismatch.out << mismatch.err;
  EXPECT_TRUE(absl::StrContains(
      mismatch.out, "impact_assessment_recorded.survey_version: '\\u001b[2J"))
      << mismatch.out;
  EXPECT_FALSE(absl::StrContains(mismatch.out + mismatch.err, "\x1b"));
}

TEST_F(AiaCheckTest, OtherEventsAreRefusedAsUsage) {
  v1::Event e = Assessment({});
  e.mutable_impact_assessment_recorded()->set_framework("euaia:art27");
  auto fria = Check({Write(e, "fria.json")});
  EXPECT_EQ(fria.exit_code, 2) << fria.out << fria.err;
  EXPECT_TRUE(
      absl::StrContains(fria.err, "impact_assessment_recorded.framework"))
      << fria.err;
  auto missing = Check({dir_ + "/nope.json"});
  EXPECT_EQ(missing.exit_code, 2) << missing.err;
}

}  // namespace
}  // namespace ailedger::testing
