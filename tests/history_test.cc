// tools/history.h: the generated history is deterministic, reaches the size
// asked, passes field validation, and tells the story the issue asks for.
#include "tools/history.h"

#include <map>

#include "gtest/gtest.h"
#include "ledger/governance/canonical.h"
#include "ledger/governance/validation.h"

namespace ailedger::history {
namespace {

std::vector<v1::Event> Generate(uint64_t seed, uint64_t events,
                                std::vector<Hash>* ids = nullptr) {
  InitCrypto();
  static const Hash admin_seed = HashLeaf("admin");
  static const SigningKey admin =
      SigningKey::FromSeed("admin", kKeyTypeEd25519, AsBytes(admin_seed))
          .value();
  History h({"history.test/log", seed, events, 3, 3}, &admin);
  std::vector<v1::Event> out;
  for (auto batch = h.Next(100); !batch.empty(); batch = h.Next(100)) {
    for (const Generated& g : batch) {
      out.emplace_back();
      EXPECT_TRUE(out.back().ParseFromString(g.signed_event.event_bytes));
      EXPECT_TRUE(VerifyEventSignature(
          "history.test/log", g.signed_event.event_bytes, g.signed_event.signer,
          AsBytes(g.signed_event.signature)));
      if (ids) ids->push_back(g.event_id);
    }
  }
  return out;
}

TEST(HistoryTest, SameSeedSameEventsOtherSeedOthers) {
  std::vector<Hash> a, b, c;
  Generate(7, 800, &a);
  Generate(7, 800, &b);
  Generate(8, 800, &c);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

TEST(HistoryTest, ReachesTheSizeAskedAndEveryEventIsValid) {
  const auto events = Generate(1, 5000);
  EXPECT_GE(events.size(), 5000u);
  EXPECT_LE(events.size(), 5100u);
  for (const v1::Event& e : events) {
    ASSERT_TRUE(ValidateFields(e).ok())
        << e.event_type() << ": " << ValidateFields(e);
  }
}

// Selection rate of `group` over the reference's, from raw counts.
double Ratio(const v1::SensitiveFeature& f, const std::string& group) {
  std::map<std::string, double> rate;
  for (const auto& c : f.cells()) {
    const double n = c.tp() + c.fp() + c.tn() + c.fn();
    rate[c.group(0)] = (c.tp() + c.fp()) / n;
  }
  return rate[group] / rate["40-59"];
}

TEST(HistoryTest, TellsTheStory) {
  const auto events = Generate(1, 3000);
  std::map<std::string, int> types;
  int rejected = 0, substantial = 0, late = 0, in_time = 0, small = 0;
  std::vector<double> ratios;
  std::map<std::string, int64_t> aware;  // incident -> aware_at
  for (const v1::Event& e : events) {
    ++types[e.event_type()];
    if (e.has_approval() && e.approval().decision() == v1::DECISION_REJECT)
      ++rejected;
    if (e.has_model_version_released() &&
        e.model_version_released().substantial_modification())
      ++substantial;
    if (e.has_incident_reported())
      aware[e.subjects(1).id()] = e.incident_reported().aware_at_ms();
    if (e.has_regulator_notification() &&
        e.regulator_notification().kind() == v1::NOTIFICATION_KIND_INITIAL) {
      const int64_t days = (e.regulator_notification().sent_at_ms() -
                            aware[e.subjects(1).id()]) /
                           86400000;
      (days > 15 ? late : in_time)++;
    }
    if (e.has_fairness_snapshot() && e.subjects(0).id() == "credit-scoring") {
      const auto& f = e.fairness_snapshot().features(0);
      ratios.push_back(Ratio(f, "60+"));
      for (const auto& c : f.cells())
        small += c.tp() + c.fp() + c.tn() + c.fn() < 20;
    }
  }
  EXPECT_EQ(rejected, 1);
  EXPECT_GE(substantial, 2);
  EXPECT_GE(late, 1);
  EXPECT_GE(in_time, 1);
  EXPECT_GT(small, 0);
  ASSERT_GE(ratios.size(), 8u);
  EXPECT_GE(ratios[0], 0.8);  // fine, then drifts below four fifths
  EXPECT_LT(*std::min_element(ratios.begin(), ratios.end()), 0.8);
  EXPECT_GE(ratios.back(), 0.8);  // and recovers
  for (const char* t :
       {"KeyRevoked", "Erasure", "Retraction", "AuditFinding",
        "CorrectiveActionRecorded", "EffectivenessVerified", "AuditClosed",
        "ImpactAssessmentRecorded", "DeploymentRecorded", "AgreementRecorded",
        "StakeholderFeedbackReceived", "AdvisoryBoardReview",
        "SocietalMetricRecorded", "GroupMetricSnapshot", "SystemDecommissioned",
        "ManagementReviewHeld"}) {
    EXPECT_GT(types[t], 0) << t;
  }
  EXPECT_GT(types["ImpactAssessmentRecorded"], 3);  // revised AIAs
}

}  // namespace
}  // namespace ailedger::history
