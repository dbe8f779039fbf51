// reports/aia_report: the Canada AIA report over records built in memory:
// each duty evidenced / not evidenced / no record type, the level over time,
// reassessment after each substantial modification, the voluntary banner,
// and the scores of data/canada-aia/aia-scoring-test-vector.json through the
// report path (with the tool's section scores). The reference data itself:
// aia_reference_test.cc.
#include "reports/aia_report.h"

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ledger/aia/survey.h"
#include "ledger/merkle/hash.h"
#include "nlohmann/json.hpp"
#include "reports/aia_evidence.h"
#include "reports/aia_reference.h"

namespace ailedger::reports {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;

constexpr int64_t kDay = 86'400'000;
constexpr int64_t k2024 = 1704067200000;  // 2024-01-01T00:00:00Z
constexpr char kOrg[] = "Acme AI";
constexpr char kSystem[] = "credit";

std::string ReadData(const std::string& relative) {
  std::ifstream in(std::string(AILEDGER_DATA_DIR) + "/" + relative,
                   std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

const aia::Survey& Survey() { return *aia::ShippedSurveys().front(); }
const AiaReference& Ref() { return **ShippedAiaReference(); }

using Answers = std::vector<std::pair<std::string, std::vector<std::string>>>;

// Every raw-impact question at its most: level IV.
Answers MaxRisk() {
  Answers out;
  for (const aia::Question& q : Survey().questions()) {
    if (q.score_kind != 'R' || q.FreeText()) continue;
    std::vector<std::string> values;
    const aia::Choice* best = &q.choices[0];
    for (const aia::Choice& c : q.choices) {
      if (q.type == "checkbox") values.push_back(c.value);
      if (c.points > best->points) best = &c;
    }
    if (q.type != "checkbox") values.push_back(best->value);
    out.push_back({q.name, values});
  }
  return out;
}

// The vector's risk answers: raw 46, level II without mitigation.
Answers VectorRisk(const Json& vector) {
  Answers out;
  for (const auto& [id, v] : vector["risk_answers"].items()) {
    out.push_back({id, v.is_array() ? v.get<std::vector<std::string>>()
                                    : std::vector<std::string>{v}});
  }
  return out;
}

class AiaReportTest : public ::testing::Test {
 protected:
  // Appends a record: index and id from its position, recorded when it
  // occurred.
  const Record& Add(v1::Event e) {
    Record r;
    r.index = records_.size();
    r.integrated_time_ms = static_cast<uint64_t>(e.occurred_at_ms());
    r.event_id = Sha256Of(absl::StrCat("event ", r.index));
    r.event = std::move(e);
    records_.push_back(std::move(r));
    return records_.back();
  }
  static v1::Event Event(const std::string& type, int64_t t,
                         const std::string& system = kSystem,
                         const std::string& org = kOrg) {
    v1::Event e;
    e.set_event_type(type);
    e.set_organisation(org);
    e.set_occurred_at_ms(t);
    if (!system.empty()) {
      auto* s = e.add_subjects();
      s->set_kind("system");
      s->set_id(system);
    }
    return e;
  }
  // An AIA of the system with these answers; returns its index.
  uint64_t Assess(
      int64_t t, const Answers& answers, int claimed = 0,
      const std::string& set = "",
      v1::AiaApplicability applicability = v1::AIA_APPLICABILITY_VOLUNTARY) {
    v1::Event e = Event("ImpactAssessmentRecorded", t);
    auto* a = e.mutable_impact_assessment_recorded();
    a->set_framework("ca-dadm:aia");
    a->set_survey_version(Survey().version());
    a->set_applicability(applicability);
    a->set_requirement_set(set);
    for (const auto& [id, values] : answers) {
      v1::Answer* x = a->add_answers();
      x->set_question_id(id);
      for (const std::string& v : values) x->add_values(v);
    }
    if (claimed != 0) a->mutable_claimed()->set_level(claimed);
    return Add(std::move(e)).index;
  }
  uint64_t Release(int64_t t, const std::string& version, bool substantial) {
    v1::Event e = Event("ModelVersionReleased", t);
    e.mutable_model_version_released()->set_version(version);
    e.mutable_model_version_released()->set_substantial_modification(
        substantial);
    return Add(std::move(e)).index;
  }
  uint64_t Deploy(int64_t t, const std::string& version) {
    v1::Event e = Event("DeploymentRecorded", t);
    e.mutable_deployment_recorded()->set_version(version);
    return Add(std::move(e)).index;
  }
  uint64_t Approve(int64_t t, uint64_t target, const std::string& authority) {
    v1::Event e = Event("Approval", t, "");
    e.mutable_approval()->set_approves(
        std::string(AsBytes(records_[target].event_id)));
    e.mutable_approval()->set_decision(v1::DECISION_APPROVE);
    e.mutable_approval()->set_authority(authority);
    return Add(std::move(e)).index;
  }
  Report Build() {
    VerifyReport v;
    v.verified = true;
    auto r = AiaReport(records_, v, VerifyOptions{}, kSystem);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *std::move(r) : Report{};
  }
  static const Section* Find(const Report& r, const std::string& prefix) {
    for (const Section& s : r.sections) {
      if (s.title.rfind(prefix, 0) == 0) return &s;
    }
    ADD_FAILURE() << "no section " << prefix;
    return nullptr;
  }
  // The duties of the report's requirements, by requirement and duty text.
  static std::map<std::pair<std::string, std::string>, Json> Duties(
      const Report& r) {
    std::map<std::pair<std::string, std::string>, Json> out;
    for (const Json& d : r.data["requirements"]["duties"])
      out[{d["requirement"], d["duty"]}] = d;
    return out;
  }

  std::vector<Record> records_;
};

TEST_F(AiaReportTest, EachDutyIsEvidencedNotEvidencedOrHasNoRecordType) {
  const uint64_t aia = Assess(k2024, MaxRisk(), 4, "2023");
  v1::Event notice = Event("NoticePublished", k2024 + kDay);
  notice.mutable_notice_published()->set_channel("website");
  Add(notice);
  v1::Event review = Event("PeerReviewPublished", k2024 + 2 * kDay, "");
  review.mutable_peer_review_published()->set_reviewer("Univ. of Ottawa");
  review.mutable_peer_review_published()->set_reviewed_event_id(
      std::string(AsBytes(records_[aia].event_id)));
  review.mutable_peer_review_published()->set_reviewer_count(1);
  Add(review);
  // Training: the organisation's own counts (organisation-wide), another's
  // does not; a retracted GBA Plus does not.
  v1::Event course = Event("TrainingCompleted", k2024 + 3 * kDay, "");
  course.mutable_training_completed()->set_course("ADS oversight");
  Add(course);
  Add(Event("TrainingCompleted", k2024 + 3 * kDay, "", "Other Corp"));
  v1::Event gba = Event("GbaPlusRecorded", k2024 + 4 * kDay);
  const Record& gba_record = Add(gba);
  v1::Event retract = Event("Retraction", k2024 + 5 * kDay, "");
  retract.mutable_retraction()->set_retracts(
      std::string(AsBytes(gba_record.event_id)));
  Add(retract);
  // The deployment's approval counts, the assessment's does not.
  Approve(k2024 + 6 * kDay, aia, "CTO");
  const uint64_t deployment = Deploy(k2024 + 7 * kDay, "1.0.0");
  const uint64_t approval = Approve(k2024 + 8 * kDay, deployment, "CEO");

  Report r = Build();
  EXPECT_EQ(r.data["requirements"]["level"], 4);
  EXPECT_EQ(r.data["requirements"]["set"], "2023");
  auto d = Duties(r);
  const auto& notice_duty = d[{"Notice",
                               "Plain-language notice posted through all "
                               "service delivery channels in use"}];
  EXPECT_EQ(notice_duty["status"], kAiaEvidenced);
  EXPECT_EQ(notice_duty["evidence"], Json::array({1}));
  const auto status = [&](const std::string& req, const std::string& duty) {
    return d[{req, duty}]["status"];
  };
  EXPECT_EQ(status("Notice",
                   "The notice directs clients to the published Level I "
                   "explanation"),
            kAiaNoRecordType);
  EXPECT_EQ(status("Ensuring human involvement",
                   "The final decision is made by a human"),
            kAiaNoRecordType);
  bool peer = false, gba_seen = false, training = false, approval_seen = false;
  for (const auto& [key, duty] : d) {
    if (key.first == "Peer review") {
      peer = true;
      EXPECT_EQ(duty["status"], kAiaNotEvidenced);  // 1 expert of 2
      EXPECT_EQ(duty["detail"], "1 expert(s) of the 2 required");
      EXPECT_EQ(duty["evidence"], Json::array({2}));
    }
    if (key.first == "Gender-based Analysis Plus") {
      gba_seen = true;
      EXPECT_EQ(duty["status"], kAiaNotEvidenced);
      EXPECT_TRUE(duty["evidence"].empty());
    }
    if (key.first == "Training" && key.second == "Training is recurring") {
      training = true;
      EXPECT_EQ(duty["status"], kAiaNotEvidenced);
      EXPECT_EQ(duty["evidence"], Json::array({3}));
    }
    if (key.first == "Approval for the system to operate") {
      approval_seen = true;
      EXPECT_EQ(duty["status"], kAiaEvidenced);
      EXPECT_EQ(duty["evidence"], Json::array({approval}));
    }
  }
  EXPECT_TRUE(peer && gba_seen && training && approval_seen);
  const Section* s = Find(r, "Requirements for impact level IV");
  ASSERT_NE(s, nullptr);
  bool wide = false;
  for (const auto& row : s->tables[0].rows)
    wide = wide || row[3].find("organisation-wide") != std::string::npos;
  EXPECT_TRUE(wide);
  EXPECT_THAT(s->paragraphs[2], HasSubstr("1 retracted or superseded"));
  // The tool's text, untagged and on one line.
  ASSERT_EQ(s->tables[1].rows[3][0], "Gender-based Analysis Plus");
  EXPECT_THAT(s->tables[1].rows[3][1],
              HasSubstr("Ensure that the Gender-based Analysis Plus has been "
                        "consulted"));
  EXPECT_THAT(s->tables[1].rows[3][1], HasSubstr("includes: · An assessment"));

  // A second expert evidences the peer review.
  review.mutable_peer_review_published()->set_reviewer("NRC");
  review.set_occurred_at_ms(k2024 + 9 * kDay);
  Add(review);
  for (const auto& [key, duty] : Duties(Build())) {
    if (key.first == "Peer review") {
      EXPECT_EQ(duty["status"], kAiaEvidenced);
    }
  }
}

TEST_F(AiaReportTest, LevelOneAndPre2023ListOtherRequirements) {
  Assess(1600000000000, {{"projectDetailsPhase", {"item1"}}}, 1, "pre-2023",
         v1::AIA_APPLICABILITY_FEDERAL);  // 2020: raw 0, level I
  Report r = Build();
  EXPECT_EQ(r.data["requirements"]["set"], "pre-2023");
  EXPECT_EQ(r.data["requirements"]["level"], 1);
  std::map<std::string, std::string> status;
  for (const auto& [key, duty] : Duties(r)) status[key.first] = duty["status"];
  EXPECT_EQ(status["Peer Review"], kAiaNotRequired);
  EXPECT_EQ(status["Notice"], kAiaNotRequired);
  EXPECT_EQ(status["Contingency Planning"], kAiaNotRequired);
  EXPECT_EQ(status["Human-in-the-loop for decisions"], kAiaPermitted);
  EXPECT_EQ(status["Explanation Requirement"], kAiaNoRecordType);
  EXPECT_EQ(status.count("Gender-based Analysis Plus"), 0u);
  EXPECT_THAT(Find(r, "Applicability")->paragraphs[0],
              HasSubstr("federal institution"));
  ASSERT_EQ(r.envelope.reference_data.size(), 3u);
  EXPECT_EQ(r.envelope.reference_data[1].second, Ref().sets[0].file_sha256);
  EXPECT_EQ(r.envelope.reference_data[2].second, Ref().mapping_sha256);
}

TEST_F(AiaReportTest, LevelOverTimeInLogOrderWithTheChart) {
  const Json vector =
      Json::parse(ReadData("canada-aia/aia-scoring-test-vector.json"));
  Assess(k2024, {{"projectDetailsPhase", {"item1"}}}, 1, "2023");
  Assess(k2024 + 100 * kDay, VectorRisk(vector), 1, "pre-2023");  // II
  Release(k2024 + 150 * kDay, "2.0.0", true);
  Assess(k2024 + 200 * kDay, MaxRisk(), 4, "2023");
  Report r = Build();
  const Json& rows = r.data["level_over_time"];
  ASSERT_EQ(rows.size(), 3u);
  std::vector<int> levels;
  for (size_t i = 0; i < rows.size(); ++i) {
    levels.push_back(rows[i]["level"]);
    if (i > 0) {
      EXPECT_LT(rows[i - 1]["index"], rows[i]["index"]);
    }
  }
  EXPECT_THAT(levels, ::testing::ElementsAre(1, 2, 4));
  EXPECT_EQ(rows[1]["claimed_level"], 1);
  EXPECT_EQ(rows[1]["requirement_set_differs"], true);
  const Section* s = Find(r, "Impact level over time");
  ASSERT_NE(s, nullptr);
  EXPECT_THAT(s->tables[0].rows[1][3], HasSubstr("DIFFERS"));
  EXPECT_EQ(s->tables[0].rows[2][1], "2024-07-19");
  ASSERT_EQ(s->charts.size(), 1u);
  const Chart& c = s->charts[0];
  ASSERT_GE(c.series.size(), 1u);
  EXPECT_TRUE(c.series[0].step);
  ASSERT_EQ(c.series[0].points.size(), 3u);
  EXPECT_EQ(c.series[0].points[2].y, 4);
  EXPECT_THAT(c.series[0].points[2].cite, HasSubstr("idx 3 · "));
  ASSERT_EQ(c.breaks.size(), 1u);
  EXPECT_EQ(c.breaks[0].label, "2.0.0");
}

TEST_F(AiaReportTest, ASubstantialModificationWithoutReassessmentIsFlagged) {
  Assess(k2024, MaxRisk());
  Deploy(k2024 + kDay, "1.0.0");
  Release(k2024 + 10 * kDay, "1.1.0", false);  // not substantial: not listed
  Deploy(k2024 + 11 * kDay, "1.1.0");
  const uint64_t v2 = Release(k2024 + 20 * kDay, "2.0.0", true);
  const uint64_t v2_deploy = Deploy(k2024 + 21 * kDay, "2.0.0");
  const uint64_t v3 = Release(k2024 + 30 * kDay, "3.0.0", true);
  const uint64_t v3_aia = Assess(k2024 + 31 * kDay, MaxRisk());
  const uint64_t v3_deploy = Deploy(k2024 + 32 * kDay, "3.0.0");
  const uint64_t v4 = Release(k2024 + 40 * kDay, "4.0.0", true);
  Deploy(k2024 + 41 * kDay, "4.0.0");
  const uint64_t late = Assess(k2024 + 42 * kDay, MaxRisk());
  Report r = Build();
  const Json& m = r.data["substantial_modifications"];
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0]["release"], v2);
  EXPECT_EQ(m[0]["assessment"], v3_aia);  // after the deployment: still none
  EXPECT_EQ(m[0]["deployment"], v2_deploy);
  EXPECT_EQ(m[0]["flagged"], true);
  EXPECT_THAT(m[0]["finding"].get<std::string>(), HasSubstr("LATE"));
  EXPECT_EQ(m[1]["release"], v3);
  EXPECT_EQ(m[1]["assessment"], v3_aia);
  EXPECT_EQ(m[1]["deployment"], v3_deploy);
  EXPECT_EQ(m[1]["flagged"], false);
  EXPECT_EQ(m[2]["release"], v4);
  EXPECT_EQ(m[2]["assessment"], late);
  EXPECT_EQ(m[2]["flagged"], true);
  EXPECT_EQ(r.data["assessed_before_first_deployment"], true);

  // A rejected release that was never deployed needs no reassessment.
  const uint64_t v5 = Release(k2024 + 50 * kDay, "5.0.0", true);
  v1::Event reject = Event("Approval", k2024 + 51 * kDay, "");
  reject.mutable_approval()->set_approves(
      std::string(AsBytes(records_[v5].event_id)));
  reject.mutable_approval()->set_decision(v1::DECISION_REJECT);
  Add(reject);
  const Json with_rejected = Build().data["substantial_modifications"];
  ASSERT_EQ(with_rejected.size(), 4u);
  EXPECT_EQ(with_rejected[3]["flagged"], false);
  EXPECT_THAT(with_rejected[3]["finding"].get<std::string>(),
              HasSubstr("rejected"));
  const Report with_rejected_report = Build();
  const Section* level = Find(with_rejected_report, "Impact level over time");
  ASSERT_NE(level, nullptr);
  EXPECT_EQ(level->charts[0].breaks.size(), 3u);  // v5 left out
  records_.resize(late + 1);

  // With no assessment after it at all: NOT REASSESSED.
  records_.pop_back();
  const Json again = Build().data["substantial_modifications"];
  EXPECT_THAT(again[2]["finding"].get<std::string>(),
              HasSubstr("NOT REASSESSED"));
  EXPECT_EQ(again[2]["assessment"], nullptr);
}

TEST_F(AiaReportTest, ADeploymentBeforeEveryAssessmentIsSaid) {
  const uint64_t d = Deploy(k2024, "1.0.0");
  const uint64_t aia = Assess(k2024 + kDay, MaxRisk());
  // Published: the publication of this system's assessment counts, one of
  // another system's assessment does not.
  const uint64_t other = Assess(k2024 + kDay, MaxRisk());
  records_[other].event.mutable_subjects(0)->set_id("other");
  for (uint64_t target : {other, aia}) {
    v1::Event p = Event("AiaPublished", k2024 + 2 * kDay, "");
    p.mutable_aia_published()->set_assessment_event_id(
        std::string(AsBytes(records_[target].event_id)));
    Add(p);
  }
  Report r = Build();
  EXPECT_THAT(Find(r, "Assessment before deployment")->paragraphs[1],
              HasSubstr("first idx 4 · AiaPublished"));
  EXPECT_THAT(Find(r, "Assessment before deployment")->paragraphs[1],
              HasSubstr("AFTER the first deployment"));
  EXPECT_EQ(r.data["first_deployment"], d);
  EXPECT_EQ(r.data["assessed_before_first_deployment"], false);
  EXPECT_THAT(Find(r, "Assessment before deployment")->paragraphs[0],
              HasSubstr("NOT BEFORE DEPLOYMENT"));
  EXPECT_THAT(Find(r, "Applicability")->paragraphs[0],
              HasSubstr("VOLUNTARY USE"));
}

// data/canada-aia/aia-scoring-test-vector.json, all three cases, through the
// report: the scores, and section scores that sum to them.
TEST_F(AiaReportTest, TheVectorScoresAgreeThroughTheReport) {
  const Json vector =
      Json::parse(ReadData("canada-aia/aia-scoring-test-vector.json"));
  ASSERT_EQ(vector["survey_sha256"], ToHex(Survey().sha256()));
  const Answers risk = VectorRisk(vector);
  Answers full = risk;  // case 2: every Design mitigation question at its most
  for (const aia::Question& q : Survey().questions()) {
    if ((q.page != "dataQualityDesign" && q.page != "fairnessDesign" &&
         q.page != "privacyDesign") ||
        q.FreeText())
      continue;
    std::vector<std::string> values;
    const aia::Choice* best = &q.choices[0];
    for (const aia::Choice& c : q.choices) {
      if (q.type == "checkbox") values.push_back(c.value);
      if (c.points > best->points) best = &c;
    }
    if (q.type != "checkbox") values.push_back(best->value);
    full.push_back({q.name, values});
  }
  Answers below = full;  // case 3
  const Json& change =
      vector["case_3_mitigation_just_below"]["change_from_case_2"];
  for (auto& [id, values] : below) {
    if (!change.contains(id)) continue;
    const Json& v = change[id];
    values = v.is_array() ? v.get<std::vector<std::string>>()
                          : std::vector<std::string>{v};
  }
  Assess(k2024, risk);
  Assess(k2024 + kDay, full);
  Assess(k2024 + 2 * kDay, below);
  const Json got = Build().data["assessments"];
  ASSERT_EQ(got.size(), 3u);
  const char* cases[] = {"case_1_no_mitigation",
                         "case_2_full_design_mitigation",
                         "case_3_mitigation_just_below"};
  for (size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(cases[i]);
    const Json& want = vector[cases[i]];
    EXPECT_EQ(got[i]["raw_impact"], want["raw"]);
    EXPECT_EQ(got[i]["mitigation"], want["mitigation"]);
    EXPECT_EQ(got[i]["current_score"], want["current"]);
    EXPECT_EQ(got[i]["level"], want["level"]);
    int sums[2][2] = {};  // raw, mitigation x score, max
    for (const Json& s : got[i]["sections"]) {
      const int k = s["kind"] == "raw" ? 0 : 1;
      sums[k][0] += s["score"].get<int>();
      sums[k][1] += s["max"].get<int>();
    }
    EXPECT_EQ(sums[0][0], want["raw"].get<int>());
    EXPECT_EQ(sums[1][0], want["mitigation"].get<int>());
    EXPECT_EQ(sums[0][1], vector["max_raw_impact_score"].get<int>());
    EXPECT_EQ(sums[1][1],
              vector["max_mitigation_score_both_phases"].get<int>());
  }
  // riskProfile1 and riskProfile2 at 3 each, of 8 questions worth 15.
  const Json& first = got[0]["sections"][1];
  EXPECT_EQ(first["section"], "riskProfile");
  EXPECT_EQ(first["questions"], 8);
  EXPECT_EQ(first["score"], 6);
  EXPECT_EQ(first["max"], 15);
}

TEST_F(AiaReportTest, TheSameRecordsGiveTheSameBytes) {
  Assess(k2024, MaxRisk(), 3, "2023");
  Release(k2024 + kDay, "2.0.0", true);
  Deploy(k2024 + 2 * kDay, "2.0.0");
  const Report a = Build(), b = Build();
  EXPECT_EQ(RenderJson(a), RenderJson(b));
  EXPECT_EQ(RenderHtml(a), RenderHtml(b));
  EXPECT_EQ(RenderMarkdown(a), RenderMarkdown(b));
}

TEST_F(AiaReportTest, NoAssessmentOfTheSystemGivesNotFound) {
  Deploy(k2024, "1.0.0");
  VerifyReport v;
  auto r = AiaReport(records_, v, VerifyOptions{}, kSystem);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace ailedger::reports
