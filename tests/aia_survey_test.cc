// ledger/aia: the shipped Canada AIA survey, the checks of answers against it,
// the tool's scoring (data/canada-aia/aia-scoring-test-vector.json) and the
// example answer sets.
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ledger/aia/score.h"
#include "ledger/aia/survey.h"
#include "ledger/aia/visible_if.h"
#include "ledger/merkle/hash.h"
#include "nlohmann/json.hpp"

namespace ailedger::aia {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Answers = google::protobuf::RepeatedPtrField<v1::Answer>;

constexpr char kSurveySha256[] =
    "2438b9020a1d8f8c536dcf40ea95842479c447deb59dae919e48ea30567142a8";
constexpr char kPrefix[] = "impact_assessment_recorded.answers";

std::string ReadData(const std::string& relative) {
  std::ifstream in(std::string(AILEDGER_DATA_DIR) + "/" + relative,
                   std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

const Survey& Shipped() {
  static const Survey* s = FindSurvey(*FromHex(kSurveySha256));
  return *s;
}

void Add(Answers& answers, const std::string& id,
         const std::vector<std::string>& values) {
  v1::Answer* a = answers.Add();
  a->set_question_id(id);
  for (const std::string& v : values) a->add_values(v);
}

TEST(AiaSurveyTest, ShippedSurveyIsFoundByItsDigestOnly) {
  ASSERT_NE(FindSurvey(*FromHex(kSurveySha256)), nullptr);
  EXPECT_EQ(ToHex(Shipped().sha256()), kSurveySha256);
  EXPECT_EQ(Shipped().version(), "1.0.1");
  EXPECT_THAT(ShippedSurveys(), ElementsAre(&Shipped()));
  // The digest gen-history used to write, which names no file.
  EXPECT_EQ(FindSurvey(AsBytes(HashLeaf("survey-enfr.json v1.0.1"))), nullptr);
  std::string flipped = *FromHex(kSurveySha256);
  flipped[31] ^= 1;
  EXPECT_EQ(FindSurvey(flipped), nullptr);
  EXPECT_EQ(FindSurvey(""), nullptr);
  EXPECT_EQ(FindSurvey(kSurveySha256), nullptr);  // hex, not raw bytes
}

TEST(AiaSurveyTest, EmbeddedSurveyIsTheDataFile) {
  const std::string file = ReadData("canada-aia/survey-enfr.json");
  ASSERT_EQ(file.size(), 398312u);
  EXPECT_EQ(Sha256Of(file), Shipped().sha256());
}

TEST(AiaSurveyTest, MaximaAndCountsMatchTheReview) {
  EXPECT_EQ(Shipped().max_raw(), 167);
  EXPECT_EQ(Shipped().max_mitigation(), 154);
  std::map<std::string, int> counts;  // "R radiogroup" -> n
  for (const Question& q : Shipped().questions()) {
    if (q.score_kind != 'N' && !q.FreeText()) {
      ++counts[std::string(1, q.score_kind) + " " + q.type];
    }
  }
  EXPECT_EQ(counts, (std::map<std::string, int>{{"R radiogroup", 47},
                                                {"R dropdown", 15},
                                                {"R checkbox", 8},
                                                {"M radiogroup", 82},
                                                {"M checkbox", 8}}));
}

TEST(AiaSurveyTest, QuestionsCarryChoicesKindsAndForks) {
  const Survey& s = Shipped();
  const Question* risk = s.Find("riskProfile1");
  ASSERT_NE(risk, nullptr);
  ASSERT_EQ(risk->choices.size(), 2u);
  EXPECT_EQ(risk->choices[0].value, "item1-3");
  EXPECT_EQ(risk->choices[0].points, 3);
  EXPECT_EQ(risk->choices[1].value, "item2-0");
  EXPECT_EQ(risk->choices[1].points, 0);
  EXPECT_EQ(risk->score_kind, 'R');
  EXPECT_EQ(risk->page, "riskProfile");
  EXPECT_EQ(risk->panel, "riskProfilePanel-RS");

  const Question* phase = s.Find("projectDetailsPhase");
  ASSERT_NE(phase, nullptr);
  ASSERT_EQ(phase->choices.size(), 2u);
  EXPECT_EQ(phase->choices[0].value, "item1");
  EXPECT_EQ(phase->choices[0].text_en, "Design");
  EXPECT_EQ(phase->choices[0].text_fr, "Conception");
  EXPECT_EQ(phase->choices[1].value, "item2");
  EXPECT_EQ(phase->choices[1].text_en, "Implementation");
  EXPECT_TRUE(phase->required);
  EXPECT_EQ(phase->score_kind, 'N');
  EXPECT_EQ(phase->title_en, "Project Phase");
  EXPECT_EQ(phase->title_fr, "Phase du projet");

  EXPECT_EQ(s.Find("impact1"), nullptr);              // not in the survey
  EXPECT_EQ(s.Find("welcome1"), nullptr);             // html: no answer
  EXPECT_EQ(s.Find("riskProfilePanel-RS"), nullptr);  // a panel
  EXPECT_EQ(s.Find("projectDetailsDepartment-NS")->score_kind, 'N');
  EXPECT_EQ(s.Find("fairnessDesign1")->score_kind, 'M');
  EXPECT_EQ(s.Find("impact3")->fork, 0);
  EXPECT_EQ(s.Find("riskProfile9")->fork, 1);  // its own visibleIf
  EXPECT_EQ(s.Find("riskProfile10")->fork, 2);
  EXPECT_EQ(s.Find("fairnessDesign21")->fork, 1);  // its page's visibleIf
  EXPECT_EQ(s.Find("privacyImplementation1")->fork, 2);
  EXPECT_EQ(s.Find("fairnessDesign21")->MaxPoints(), 5);  // checkbox: sum
}

TEST(AiaSurveyTest, ParseRefusesWhatIsNotASurvey) {
  EXPECT_EQ(Survey::Parse("not json").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Survey::Parse(R"({"pages": 3})").status().code(),
            absl::StatusCode::kInvalidArgument);
  // Well formed, but no version text.
  EXPECT_EQ(Survey::Parse(R"({"pages": []})").status().code(),
            absl::StatusCode::kInvalidArgument);
  auto twice = Survey::Parse(
      R"({"pages": [{"name": "p", "elements": [
          {"type": "html", "name": "w", "html": "Algorithmic Impact Assessment v9.9"},
          {"type": "text", "name": "a"}, {"type": "comment", "name": "a"}]}]})");
  EXPECT_THAT(twice.status().message(), HasSubstr("a appears twice"));
}

TEST(AiaSurveyTest, CheckQuestionIdsNamesTheUnknownId) {
  google::protobuf::RepeatedPtrField<std::string> ids;
  *ids.Add() = "riskProfile1";
  *ids.Add() = "projectDetailsPhase";
  EXPECT_TRUE(CheckQuestionIds(Shipped(), ids, "q.question_ids").ok());
  *ids.Add() = "impact1";
  absl::Status st = CheckQuestionIds(Shipped(), ids, "q.question_ids");
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(st.message(), HasSubstr("q.question_ids[2]: 'impact1'"));
  *ids.Mutable(2) = "welcome1";  // exists, but takes no answer
  EXPECT_FALSE(CheckQuestionIds(Shipped(), ids, "q.question_ids").ok());
}

Answers ValidDesignAnswers() {
  Answers a;
  Add(a, "projectDetailsPhase", {"item1"});
  Add(a, "riskProfile1", {"item1-3"});
  Add(a, "decisionSector1", {"item2-1", "item3-1"});
  Add(a, "projectDetailsTitle", {"Credit scoring"});
  Add(a, "fairnessDesign1", {"item1-1"});
  return a;
}

void ExpectRefused(const Answers& a, const std::string& field,
                   const std::string& what) {
  absl::Status st = CheckAnswers(Shipped(), a, kPrefix);
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument) << st;
  const std::string message(st.message());
  EXPECT_THAT(message, HasSubstr(std::string(kPrefix) + field));
  EXPECT_THAT(message, HasSubstr(what));
}

TEST(AiaSurveyTest, CheckAnswersAcceptsAValidSet) {
  EXPECT_TRUE(CheckAnswers(Shipped(), ValidDesignAnswers(), kPrefix).ok());
  EXPECT_TRUE(CheckAnswers(Shipped(), Answers(), kPrefix).ok());
}

TEST(AiaSurveyTest, CheckAnswersRefusesEachDefectNamingTheField) {
  Answers a = ValidDesignAnswers();
  Add(a, "impact1", {"item1-1"});
  ExpectRefused(a, "[5].question_id", "'impact1' is not a question");

  a = ValidDesignAnswers();
  a.Mutable(0)->set_values(0, "item2-0");
  ExpectRefused(
      a, "[0].values",
      "'item2-0' is not a choice of projectDetailsPhase (item1, item2)");

  a = ValidDesignAnswers();
  a.Mutable(1)->add_values("item2-0");
  ExpectRefused(a, "[1].values", "radiogroup question and takes one value");

  a = ValidDesignAnswers();
  a.Mutable(0)->set_values(0, "item2");  // Implementation: Design is hidden
  ExpectRefused(a, "[4].question_id", "fairnessDesign1 belongs to the Design");

  a = ValidDesignAnswers();
  Add(a, "riskProfile1", {"item2-0"});
  ExpectRefused(a, "[5].question_id", "riskProfile1 is answered twice");

  a = ValidDesignAnswers();
  a.Mutable(2)->clear_values();
  ExpectRefused(a, "[2].values", "no value given for decisionSector1");

  a = ValidDesignAnswers();
  a.Mutable(2)->add_values("item2-1");
  ExpectRefused(a, "[2].values", "'item2-1' is given twice");

  a = ValidDesignAnswers();
  a.Mutable(3)->add_values("second text");
  ExpectRefused(a, "[3].values", "takes exactly one text, got 2");
}

TEST(AiaSurveyTest, ForkIsNotEnforcedWithoutAPhase) {
  Answers a;
  Add(a, "fairnessDesign1", {"item1-1"});
  Add(a, "fairnessImplementation1", {"item1-1"});
  EXPECT_TRUE(CheckAnswers(Shipped(), a, kPrefix).ok());
  EXPECT_EQ(AnsweredPhase(a), 0);
}

TEST(AiaSurveyTest, UnansweredRequiredListsRequiredQuestions) {
  EXPECT_THAT(UnansweredRequired(Shipped(), Answers()),
              ElementsAre("projectDetailsPhase"));
  Answers no_value;
  Add(no_value, "projectDetailsPhase", {});
  EXPECT_THAT(UnansweredRequired(Shipped(), no_value),
              ElementsAre("projectDetailsPhase"));
  EXPECT_TRUE(UnansweredRequired(Shipped(), ValidDesignAnswers()).empty());
}

// data/canada-aia/aia-scoring-test-vector.json, all three cases.
class AiaScoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    vector_ = nlohmann::json::parse(
        ReadData("canada-aia/aia-scoring-test-vector.json"));
    for (const auto& [id, v] : vector_["risk_answers"].items()) {
      Add(risk_, id,
          v.is_array() ? v.get<std::vector<std::string>>()
                       : std::vector<std::string>{v});
    }
  }

  // Case 2: every question of the Design data quality, fairness and privacy
  // pages at its highest-valued choice (a checkbox: all its choices).
  Answers FullDesignMitigation() const {
    Answers a = risk_;
    for (const Question& q : Shipped().questions()) {
      if (q.page != "dataQualityDesign" && q.page != "fairnessDesign" &&
          q.page != "privacyDesign") {
        continue;
      }
      if (q.FreeText()) continue;
      std::vector<std::string> values;
      const Choice* best = &q.choices[0];
      for (const Choice& c : q.choices) {
        if (q.type == "checkbox") values.push_back(c.value);
        if (c.points > best->points) best = &c;
      }
      if (q.type != "checkbox") values.push_back(best->value);
      Add(a, q.name, values);
    }
    return a;
  }

  void ExpectCase(const Answers& a, const char* name) {
    SCOPED_TRACE(name);
    const nlohmann::json& want = vector_[name];
    Score got = ComputeScore(Shipped(), a);
    EXPECT_EQ(got.raw_impact, want["raw"].get<int>());
    EXPECT_EQ(got.mitigation, want["mitigation"].get<int>());
    EXPECT_EQ(got.current_score, want["current"].get<int>());
    EXPECT_EQ(got.level, want["level"].get<int>());
    EXPECT_EQ(got.max_raw, vector_["max_raw_impact_score"].get<int>());
    EXPECT_EQ(got.max_mitigation,
              vector_["max_mitigation_score_both_phases"].get<int>());
    EXPECT_EQ(got.mitigation_applied, got.current_score != got.raw_impact);
    EXPECT_TRUE(CheckAnswers(Shipped(), a, kPrefix).ok());
  }

  nlohmann::json vector_;
  Answers risk_;
};

TEST_F(AiaScoreTest, VectorSurveyIsTheShippedOne) {
  EXPECT_EQ(vector_["survey_sha256"].get<std::string>(), kSurveySha256);
}

TEST_F(AiaScoreTest, Case1NoMitigation) {
  ExpectCase(risk_, "case_1_no_mitigation");
}

TEST_F(AiaScoreTest, Case2FullDesignMitigation) {
  ExpectCase(FullDesignMitigation(), "case_2_full_design_mitigation");
}

TEST_F(AiaScoreTest, Case3MitigationJustBelowTheThreshold) {
  Answers a = FullDesignMitigation();
  const nlohmann::json& change =
      vector_["case_3_mitigation_just_below"]["change_from_case_2"];
  for (v1::Answer& answer : a) {
    if (!change.contains(answer.question_id())) continue;
    const nlohmann::json& v = change[answer.question_id()];
    answer.clear_values();
    for (const std::string& s : v.is_array() ? v.get<std::vector<std::string>>()
                                             : std::vector<std::string>{v}) {
      answer.add_values(s);
    }
  }
  ExpectCase(a, "case_3_mitigation_just_below");
}

TEST_F(AiaScoreTest, OtherForkMitigationDoesNotCount) {
  Answers a = FullDesignMitigation();
  Add(a, "projectDetailsPhase", {"item2"});  // Implementation hides Design
  Score got = ComputeScore(Shipped(), a);
  EXPECT_EQ(got.raw_impact, 46);
  EXPECT_EQ(got.mitigation, 0);
  EXPECT_EQ(got.level, 2);
  *a.Mutable(a.size() - 1)->mutable_values(0) = "item1";
  EXPECT_EQ(ComputeScore(Shipped(), a).mitigation, 67);
}

TEST(AiaVisibleIfTest, EvaluatesTheSurveySubset) {
  AnswerValue radio{{"item1-2"}, false}, box{{"item6", "item2"}, true};
  auto lookup = [&](absl::string_view n) -> const AnswerValue* {
    return n == "r" ? &radio : n == "b" ? &box : nullptr;
  };
  EXPECT_TRUE(*EvaluateVisibleIf("", lookup));
  EXPECT_TRUE(*EvaluateVisibleIf(R"({r} = "item1-2")", lookup));
  EXPECT_FALSE(*EvaluateVisibleIf(R"({r} = "item1")", lookup));
  EXPECT_TRUE(*EvaluateVisibleIf(R"({r} contains "item1")", lookup));
  EXPECT_TRUE(*EvaluateVisibleIf(R"({b} contains ["item6"])", lookup));
  EXPECT_FALSE(*EvaluateVisibleIf(R"({b} contains "item6-1")", lookup));
  EXPECT_FALSE(*EvaluateVisibleIf(R"({x} = "item1")", lookup));
  EXPECT_TRUE(*EvaluateVisibleIf(
      R"(({r} = "a" or {r} = "item1-2") and {b} contains "item2")", lookup));
  EXPECT_FALSE(EvaluateVisibleIf(R"({r} > 3)", lookup).ok());
  EXPECT_FALSE(EvaluateVisibleIf(R"({r} = "a)", lookup).ok());
  // Every condition in the shipped survey is in the subset.
  for (const Question& q : Shipped().questions()) {
    EXPECT_TRUE(EvaluateVisibleIf(q.visible_if, lookup).ok()) << q.name;
  }
}

TEST(AiaExampleAnswersTest, CompleteValidAndDeterministic) {
  for (int phase : {1, 2}) {
    for (uint64_t seed : {0u, 1u, 42u}) {
      SCOPED_TRACE(testing::Message() << "phase " << phase << " seed " << seed);
      std::vector<v1::Answer> ex = ExampleAnswers(Shipped(), phase, seed);
      Answers a(ex.begin(), ex.end());
      EXPECT_TRUE(CheckAnswers(Shipped(), a, kPrefix).ok())
          << CheckAnswers(Shipped(), a, kPrefix);
      EXPECT_TRUE(UnansweredRequired(Shipped(), a).empty());
      EXPECT_EQ(AnsweredPhase(a), phase);
      std::set<std::string> answered;
      for (const v1::Answer& x : ex) answered.insert(x.question_id());
      for (const Question& q : Shipped().questions()) {
        bool in_phase = q.fork == 0 || q.fork == phase;
        if (!in_phase) {
          EXPECT_FALSE(answered.count(q.name)) << q.name;
        }
        // Every question of the phase shown whatever the answers is answered.
        bool unconditional =
            q.visible_if.empty() ||
            (q.fork != 0 &&
             q.visible_if.find("projectDetailsPhase") != std::string::npos);
        if (in_phase && unconditional) {
          EXPECT_TRUE(answered.count(q.name)) << q.name;
        }
      }
      EXPECT_EQ(ExampleAnswers(Shipped(), phase, seed).size(), ex.size());
    }
  }
  auto a = ExampleAnswers(Shipped(), 1, 7), b = ExampleAnswers(Shipped(), 1, 8);
  std::string sa, sb;
  for (const auto& x : a) sa += x.SerializeAsString();
  for (const auto& x : ExampleAnswers(Shipped(), 1, 7))
    sb += x.SerializeAsString();
  EXPECT_EQ(sa, sb);  // same seed, same answers
  sb.clear();
  for (const auto& x : b) sb += x.SerializeAsString();
  EXPECT_NE(sa, sb);  // another seed, other answers
}

}  // namespace
}  // namespace ailedger::aia
