// tools/history.h against the domain review's gen-history defects (G1-G9 of
// /work/shared/reviews/2026-11-domain-review.md §3.5): each test reads the
// generated events the way a report would and checks what the review found
// wrong is right now, and that the deliberate imperfections are still there.
#include <map>
#include <set>

#include "gtest/gtest.h"
#include "ledger/aia/score.h"
#include "ledger/aia/survey.h"
#include "ledger/governance/iso42001.h"
#include "tools/history.h"

namespace ailedger::history {
namespace {

constexpr int64_t kDayMs = 86400000;

struct Logged {
  v1::Event event;
  std::string signer;  // public key bytes
  Hash id{};
};

class HistoryStoryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    InitCrypto();
    static const Hash admin_seed = HashLeaf("admin");
    static const SigningKey admin =
        SigningKey::FromSeed("admin", kKeyTypeEd25519, AsBytes(admin_seed))
            .value();
    History h({"history.test/log", 1, 3000, 3, 3}, &admin);
    log_ = new std::vector<Logged>;
    for (auto batch = h.Next(100); !batch.empty(); batch = h.Next(100)) {
      for (const Generated& g : batch) {
        Logged l;
        EXPECT_TRUE(l.event.ParseFromString(g.signed_event.event_bytes));
        l.signer = std::string(AsBytes(g.signed_event.signer));
        l.id = g.event_id;
        log_->push_back(std::move(l));
      }
    }
  }
  static void TearDownTestSuite() { delete log_; }

  static const v1::Event* ById(const std::string& id) {
    for (const Logged& l : *log_) {
      if (std::string(AsBytes(l.id)) == id) return &l.event;
    }
    return nullptr;
  }
  static std::string SubjectOf(const v1::Event& e, const std::string& kind) {
    for (const auto& s : e.subjects()) {
      if (s.kind() == kind) return s.id();
    }
    return "";
  }

  static std::vector<Logged>* log_;
};
std::vector<Logged>* HistoryStoryTest::log_ = nullptr;

// G1: complete answers from the shipped survey, with the score they give.
TEST_F(HistoryStoryTest, AiaAnswersComeFromTheShippedSurvey) {
  int assessments = 0;
  for (const Logged& l : *log_) {
    const v1::Event& e = l.event;
    if (!e.has_impact_assessment_recorded() ||
        e.impact_assessment_recorded().framework() != "ca-dadm:aia")
      continue;
    ++assessments;
    const auto& a = e.impact_assessment_recorded();
    const v1::Event* q = ById(a.questionnaire_event_id());
    ASSERT_NE(q, nullptr);
    const aia::Survey* survey =
        aia::FindSurvey(q->questionnaire_defined().questionnaire_sha256());
    ASSERT_NE(survey, nullptr);
    EXPECT_EQ(q->questionnaire_defined().version(), survey->version());
    EXPECT_EQ(a.survey_version(), survey->version());
    EXPECT_EQ(a.applicability(), v1::AIA_APPLICABILITY_VOLUNTARY);
    EXPECT_EQ(a.requirement_set(), "2023");
    EXPECT_TRUE(aia::CheckAnswers(*survey, a.answers(), "answers").ok());
    EXPECT_TRUE(aia::UnansweredRequired(*survey, a.answers()).empty());
    const aia::Score score = aia::ComputeScore(*survey, a.answers());
    EXPECT_EQ(a.claimed().level(), static_cast<uint32_t>(score.level));
    EXPECT_EQ(a.claimed().current_score(),
              static_cast<uint32_t>(score.current_score));
    EXPECT_GE(score.raw_impact, 1);
  }
  EXPECT_GT(assessments, 3);
}

// G2: a *_sha256 field is plain SHA-256.
TEST_F(HistoryStoryTest, DigestsArePlainSha256) {
  for (const Logged& l : *log_) {
    if (!l.event.has_dataset_registered()) continue;
    EXPECT_EQ(l.event.dataset_registered().dataset_sha256(),
              std::string(AsBytes(Sha256Of(SubjectOf(l.event, "system")))));
  }
}

// A record entered late says why, and its time is its own, not the log's.
TEST_F(HistoryStoryTest, ABackfilledRecordSaysWhy) {
  int backfilled = 0;
  int64_t latest = 0;
  for (const Logged& l : *log_) {
    const int64_t at = l.event.occurred_at_ms();
    if (!l.event.backfill_reason().empty()) {
      ++backfilled;
      EXPECT_GE(latest - at, 20 * kDayMs);
    }
    latest = std::max(latest, at);
  }
  EXPECT_EQ(backfilled, 1);
}

// G3: all 38 rows, distinct justifications, each treatment a row cites
// chose its control, and every row reviewed again within its interval.
TEST_F(HistoryStoryTest, SoaCoversAnnexAWithEvidenceAndReviews) {
  std::map<std::string, int64_t> last;  // control -> last row time
  std::set<std::string> justifications;
  int versions = 0;
  for (const Logged& l : *log_) {
    const v1::Event& e = l.event;
    if (e.has_soa_version_defined()) {
      ++versions;
      EXPECT_EQ(e.soa_version_defined().row_event_ids_size(), 38);
    }
    if (!e.has_control_status_updated()) continue;
    const auto& c = e.control_status_updated();
    justifications.insert(c.justification());
    auto [it, fresh] = last.emplace(c.control_id(), e.occurred_at_ms());
    if (!fresh) {
      EXPECT_LE(e.occurred_at_ms() - it->second,
                int64_t{c.review_interval_days()} * kDayMs)
          << c.control_id();
      it->second = e.occurred_at_ms();
    }
    if (c.status() == v1::CONTROL_STATUS_IMPLEMENTED) {
      EXPECT_GT(c.evidence_event_ids_size(), 0) << c.control_id();
    }
    for (const std::string& t : c.risk_treatment_event_ids()) {
      const v1::Event* treated = ById(t);
      ASSERT_NE(treated, nullptr);
      const auto& controls = treated->risk_treated().controls();
      EXPECT_NE(std::find(controls.begin(), controls.end(), c.control_id()),
                controls.end())
          << c.control_id();
    }
  }
  const int64_t end = 1782777600000;  // 2026-06-30, the history's end
  for (const auto& [control, at] : last)
    EXPECT_LE(end - at, 365 * kDayMs) << control << " stale at the end";
  EXPECT_EQ(last.size(), AnnexAControls().size());
  EXPECT_EQ(justifications.size(), AnnexAControls().size());
  EXPECT_GE(versions, 3);
}

// G4 and G5: residual risk inside the criteria; each approval by the holder
// of the role it cites, and the DPO approves DPIAs only.
TEST_F(HistoryStoryTest, ApprovalsByTheRightPersonWithinTheCriteria) {
  std::map<std::string, std::string> type_of;  // event id -> type
  int approvals = 0;
  for (const Logged& l : *log_) {
    const v1::Event& e = l.event;
    type_of[std::string(AsBytes(l.id))] = e.event_type();
    if (e.has_risk_treated()) {
      EXPECT_EQ(e.risk_treated().residual_likelihood(), "rare");
      EXPECT_EQ(e.risk_treated().residual_severity(), "minor");
    }
    if (!e.has_approval()) continue;
    ++approvals;
    const v1::Event* role = ById(e.approval().authority_event_id());
    ASSERT_NE(role, nullptr);
    ASSERT_TRUE(role->has_role_assigned());
    EXPECT_EQ(role->role_assigned().holder_public_key(), l.signer);
    const std::string& approved = type_of[e.approval().approves()];
    if (role->role_assigned().role() == "dpo") {
      EXPECT_EQ(approved, "PrivacyAssessmentRecorded");
    }
    if (approved == "RiskTreated") {
      EXPECT_EQ(role->role_assigned().role(), "risk_owner");
    }
  }
  EXPECT_GT(approvals, 20);
}

// G6 and G7: the deployer's FRIA before it deploys the high-risk system;
// notifications only for serious incidents of the high-risk system, to the
// Member State where they occurred, each completed.
TEST_F(HistoryStoryTest, FriaBeforeDeploymentAndIncidentsRouted) {
  bool fria = false;
  std::map<std::string, std::string> system_of;  // incident id -> system
  std::map<std::string, std::set<int>> kinds;    // incident -> kinds sent
  for (const Logged& l : *log_) {
    const v1::Event& e = l.event;
    const std::string system = SubjectOf(e, "system");
    if (e.has_impact_assessment_recorded() &&
        e.impact_assessment_recorded().framework() == "euaia:art27")
      fria |= system == "credit-scoring";
    if (e.has_deployment_recorded() && system == "credit-scoring") {
      EXPECT_TRUE(fria);
    }
    if (e.has_incident_reported()) {
      system_of[std::string(AsBytes(l.id))] = system;
      EXPECT_EQ(e.incident_reported().member_states(0), "IE");
    }
    if (e.has_regulator_notification()) {
      const auto& n = e.regulator_notification();
      EXPECT_EQ(system_of[n.incident_event_id()], "credit-scoring");
      EXPECT_EQ(n.member_state(), "IE");
      EXPECT_EQ(n.regime(), v1::REGIME_EU_AI_ACT_ART73);
      kinds[n.incident_event_id()].insert(n.kind());
    }
  }
  EXPECT_TRUE(fria);
  ASSERT_FALSE(kinds.empty());
  for (const auto& [id, sent] : kinds)
    EXPECT_EQ(sent.size(), 2u);  // initial and complete
}

// G8: a snapshot below four fifths is answered by an incident record of its
// system within two days.
TEST_F(HistoryStoryTest, FairnessBreachesAreEscalated) {
  int breaches = 0;
  for (size_t i = 0; i < log_->size(); ++i) {
    const v1::Event& e = (*log_)[i].event;
    if (!e.has_fairness_snapshot() || !e.supersedes().empty()) continue;
    std::map<std::string, double> rate;
    for (const auto& c : e.fairness_snapshot().features(0).cells()) {
      rate[c.group(0)] = static_cast<double>(c.tp() + c.fp()) /
                         (c.tp() + c.fp() + c.tn() + c.fn());
    }
    if (rate["60+"] / rate["40-59"] >= 0.8) continue;
    ++breaches;
    bool answered = false;
    for (size_t j = i + 1; j < log_->size() && !answered; ++j) {
      const v1::Event& f = (*log_)[j].event;
      if (f.occurred_at_ms() > e.occurred_at_ms() + 2 * kDayMs) break;
      answered = (f.has_incident_reported() || f.has_incident_updated()) &&
                 SubjectOf(f, "system") == SubjectOf(e, "system");
    }
    EXPECT_TRUE(answered) << SubjectOf(e, "system");
  }
  EXPECT_GE(breaches, 3);
}

// G9: the programme is Aurora's own and the audits use its planned ids.
TEST_F(HistoryStoryTest, AuditsFollowTheAuditeesProgramme) {
  std::set<std::string> planned;
  int audits = 0;
  for (const Logged& l : *log_) {
    const v1::Event& e = l.event;
    if (e.has_audit_programme()) {
      EXPECT_EQ(e.organisation(), "Aurora Credit AI");
      for (const auto& a : e.audit_programme().audits())
        planned.insert(a.audit_id());
    }
    if (e.has_audit_started()) {
      ++audits;
      EXPECT_EQ(planned.count(SubjectOf(e, "audit")), 1u);
      EXPECT_EQ(e.audit_started().auditee(), "Aurora Credit AI");
    }
  }
  EXPECT_GE(audits, 2);
}

}  // namespace
}  // namespace ailedger::history
