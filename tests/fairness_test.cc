// reports/fairness: the shared fairness test vector reproduced exactly, the
// review's HRP-25 worked check (Wilson, Katz), Fisher, Holm and BH against
// values derived by hand, and the undefined / insufficient-data states.
#include "reports/fairness.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "ailedger/event.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reports/exact.h"
#include "reports/intervals.h"
#include "tests/testing/test_data.h"

namespace ailedger::reports {
namespace {

using ::testing::HasSubstr;

constexpr char kVector[] = "domain/fairness-test-vector.json";

// "3/5", "-1/5", "1" -> Fraction.
Fraction ParseFraction(const std::string& s) {
  std::vector<std::string> parts = absl::StrSplit(s, '/');
  Fraction f;
  EXPECT_TRUE(absl::SimpleAtoi(parts[0], &f.num)) << s;
  if (parts.size() == 2) {
    EXPECT_TRUE(absl::SimpleAtoi(parts[1], &f.den)) << s;
  }
  return f;
}

// The value equals the fraction exactly, and its double to 1e-12.
void ExpectExact(const Value& v, const std::string& want,
                 const std::string& what) {
  SCOPED_TRACE(what);
  const Fraction f = ParseFraction(want);
  ASSERT_TRUE(v.defined);
  ASSERT_TRUE(v.exact.has_value());
  EXPECT_EQ(*v.exact, f) << v.ToString() << " want " << want;
  EXPECT_NEAR(v.value, static_cast<double>(f.num) / f.den, 1e-12);
}

ConfusionCounts Counts(const nlohmann::json& j) {
  return ConfusionCounts{
      .tp = j["TP"], .fp = j["FP"], .tn = j["TN"], .fn = j["FN"]};
}

class FairnessVectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    v_ = testing::ReadJson(kVector);
    const std::string privileged = v_["aif360_privileged"];
    for (const auto& [name, counts] : v_["groups"].items()) {
      groups_.push_back(GroupCounts{name, Counts(counts)});
    }
    absl::StatusOr<FairnessResult> r = ComputeFairness(
        "vector", groups_, privileged, Positive::kFavourable, {.min_n = 1});
    ASSERT_TRUE(r.ok()) << r.status();
    r_ = *r;
  }
  const GroupRates& Group(const std::string& name) {
    for (const GroupRates& g : r_.groups) {
      if (g.group == name) return g;
    }
    ADD_FAILURE() << "no group " << name;
    return r_.overall;
  }

  nlohmann::json v_;
  std::vector<GroupCounts> groups_;
  FairnessResult r_;
};

void ExpectRates(const GroupRates& g, const nlohmann::json& want) {
  SCOPED_TRACE(g.group);
  EXPECT_EQ(g.n, want["n"].get<uint64_t>());
  ExpectExact(g.selection_rate.value, want["selection_rate"], "selection_rate");
  ExpectExact(g.tpr.value, want["tpr"], "tpr");
  ExpectExact(g.fpr.value, want["fpr"], "fpr");
}

TEST_F(FairnessVectorTest, PerGroupAndOverallRates) {
  ASSERT_EQ(v_["per_group"].size(), 2u);  // the 2-group case
  for (const auto& [name, want] : v_["per_group"].items()) {
    ExpectRates(Group(name), want);
  }
  ExpectRates(r_.overall, v_["overall"]);
  // The counts are kept unreduced beside the reduced fraction.
  EXPECT_EQ(Group("B").selection_rate.count, 30u);
  EXPECT_EQ(Group("B").selection_rate.denominator, 100u);
}

TEST_F(FairnessVectorTest, EveryFairlearnValue) {
  const FairlearnMetrics& bg = r_.between_groups;
  const FairlearnMetrics& to = r_.to_overall;
  const std::map<std::string, const Value*> fields = {
      {"demographic_parity_difference", &bg.demographic_parity_difference},
      {"demographic_parity_ratio", &bg.demographic_parity_ratio},
      {"equalized_odds_difference(agg=worst_case)",
       &bg.equalized_odds_difference},
      {"equalized_odds_difference(agg=mean)",
       &bg.equalized_odds_difference_mean},
      {"equalized_odds_ratio(agg=worst_case)", &bg.equalized_odds_ratio},
      {"equalized_odds_ratio(agg=mean)", &bg.equalized_odds_ratio_mean},
      {"equal_opportunity_difference", &bg.equal_opportunity_difference},
      {"equal_opportunity_ratio", &bg.equal_opportunity_ratio},
      {"demographic_parity_difference(method=to_overall)",
       &to.demographic_parity_difference},
      {"demographic_parity_ratio(method=to_overall)",
       &to.demographic_parity_ratio},
  };
  ASSERT_EQ(v_["fairlearn"].size(), fields.size());
  for (const auto& [key, want] : v_["fairlearn"].items()) {
    auto it = fields.find(key);
    ASSERT_NE(it, fields.end())
        << "the vector has a value not checked: " << key;
    ExpectExact(*it->second, want, key);
  }
}

TEST_F(FairnessVectorTest, ToOverallEqualOpportunityByHand) {
  // TPR overall 61/90: A 4/5 is 11/90 away, B 21/40 is 11/72 away; ratios
  // (61/90)/(4/5) = 61/72 and (21/40)/(61/90) = 189/244.
  ExpectExact(r_.to_overall.equal_opportunity_difference, "11/72", "diff");
  ExpectExact(r_.to_overall.equal_opportunity_ratio, "189/244", "ratio");
}

TEST_F(FairnessVectorTest, EveryAif360Value) {
  ASSERT_EQ(r_.aif360.size(), 1u);
  const Aif360Metrics& m = r_.aif360[0];
  EXPECT_EQ(m.unprivileged, v_["aif360_unprivileged"].get<std::string>());
  const std::map<std::string, const Value*> fields = {
      {"statistical_parity_difference", &m.statistical_parity_difference},
      {"disparate_impact", &m.disparate_impact},
      {"equal_opportunity_difference", &m.equal_opportunity_difference},
      {"average_odds_difference", &m.average_odds_difference},
      {"average_abs_odds_difference", &m.average_abs_odds_difference},
  };
  ASSERT_EQ(v_["aif360"].size(), fields.size());
  for (const auto& [key, want] : v_["aif360"].items()) {
    auto it = fields.find(key);
    ASSERT_NE(it, fields.end())
        << "the vector has a value not checked: " << key;
    ExpectExact(*it->second, want, key);
  }
}

TEST_F(FairnessVectorTest, FourFifthsAgainstHighest) {
  const nlohmann::json& ff = v_["four_fifths_rule"];
  EXPECT_EQ(r_.highest_group, "A");
  std::vector<std::string> flagged;
  ASSERT_EQ(r_.vs_highest.size(), ff["impact_ratios_vs_highest"].size());
  for (const ImpactRatio& ir : r_.vs_highest) {
    EXPECT_EQ(ir.comparator, "A");
    ExpectExact(ir.ratio, ff["impact_ratios_vs_highest"][ir.group], ir.group);
    if (ir.screening_flag) flagged.push_back(ir.group);
  }
  EXPECT_EQ(flagged, ff["flagged"].get<std::vector<std::string>>());
  // A against itself: ratio 1, no interval.
  EXPECT_FALSE(r_.vs_highest[0].katz.defined);
  // Against the reference (A here): the same ratio, with an interval.
  ASSERT_EQ(r_.vs_reference.size(), 1u);
  ExpectExact(r_.vs_reference[0].ratio, "3/5", "B vs reference");
  EXPECT_TRUE(r_.vs_reference[0].screening_flag);
  EXPECT_TRUE(r_.vs_reference[0].katz.defined);
}

TEST(FairnessTest, FavourableNegativeSwapsTheCounts) {
  // A model that predicts default: the favourable decisions are TN+FN.
  std::vector<GroupCounts> groups = {{"A", {40, 10, 40, 10}},
                                     {"B", {21, 9, 51, 19}}};
  auto r = ComputeFairness("f", groups, "A", Positive::kUnfavourable, {});
  ASSERT_TRUE(r.ok()) << r.status();
  ExpectExact(r->groups[1].selection_rate.value, "7/10", "(TN+FN)/n");
  ExpectExact(r->groups[1].tpr.value, "17/20", "TN/(TN+FP)");
  ExpectExact(r->groups[1].fpr.value, "19/40", "FN/(FN+TP)");
  EXPECT_EQ(r->groups[1].counts.tp, 21u);  // recorded counts kept
  EXPECT_EQ(r->highest_group, "B");
  ExpectExact(r->aif360[0].disparate_impact, "7/5", "DI");
}

// The review's §1.5 worked check on HRP-25, with the cells of its §5.1
// (60+ and 18-39). The reference 40-59 cell is derived from the table's
// rates (n 8,940, SR 0.5112, TPR 0.907, FPR 0.130): 3978/592/3962/408.
TEST(FairnessTest, ReviewHrp25WorkedCheck) {
  std::vector<GroupCounts> groups = {{"18-39", {4120, 610, 3890, 380}},
                                     {"40-59", {3978, 592, 3962, 408}},
                                     {"60+", {1210, 160, 1790, 240}}};
  auto r =
      ComputeFairness("age band", groups, "40-59", Positive::kFavourable, {});
  ASSERT_TRUE(r.ok()) << r.status();
  const double k = 5e-4;  // the review prints three decimals
  const struct {
    double sr, lo, hi, tpr, fpr;
  } want[] = {{0.5256, 0.515, 0.536, 0.916, 0.136},
              {0.5112, 0.501, 0.522, 0.907, 0.130},
              {0.4029, 0.387, 0.420, 0.834, 0.082}};
  for (int i = 0; i < 3; ++i) {
    const GroupRates& g = r->groups[i];
    SCOPED_TRACE(g.group);
    EXPECT_NEAR(g.selection_rate.value.value, want[i].sr, 5e-5);
    EXPECT_NEAR(g.selection_rate.wilson.lower, want[i].lo, k);
    EXPECT_NEAR(g.selection_rate.wilson.upper, want[i].hi, k);
    EXPECT_NEAR(g.tpr.value.value, want[i].tpr, k);
    EXPECT_NEAR(g.fpr.value.value, want[i].fpr, k);
  }
  EXPECT_EQ(r->highest_group, "18-39");
  const ImpactRatio& high = r->vs_highest[2];
  EXPECT_EQ(high.group, "60+");
  ExpectExact(high.ratio, "6165/8041", "1370/3400 / 4730/9000");
  EXPECT_NEAR(high.ratio.value, 0.767, k);
  EXPECT_NEAR(high.katz.lower, 0.733, k);
  EXPECT_NEAR(high.katz.upper, 0.802, k);
  EXPECT_TRUE(high.screening_flag);
  EXPECT_TRUE(high.interval_straddles_four_fifths);
  EXPECT_NEAR(r->vs_highest[1].ratio.value, 0.973, k);
  const ImpactRatio& ref = r->vs_reference[1];
  EXPECT_EQ(ref.group, "60+");
  ExpectExact(ref.ratio, "61239/77690", "1370/3400 / 4570/8940");
  EXPECT_NEAR(ref.ratio.value, 0.788, k);
  EXPECT_NEAR(ref.katz.lower, 0.753, k);
  EXPECT_NEAR(ref.katz.upper, 0.825, k);
  EXPECT_TRUE(ref.screening_flag);
  EXPECT_TRUE(ref.interval_straddles_four_fifths);
  EXPECT_NEAR(r->vs_reference[0].ratio.value, 1.028, k);
  EXPECT_FALSE(r->vs_reference[0].screening_flag);
  // 60+ against the reference is far from chance.
  ASSERT_TRUE(r->fisher_vs_reference[1].p.has_value());
  EXPECT_LT(*r->fisher_vs_reference[1].p, 1e-20);
}

TEST(FairnessTest, EmptyDenominatorIsUndefinedNeverZero) {
  std::vector<GroupCounts> groups = {{"a", {5, 5, 5, 5}},
                                     {"b", {0, 3, 7, 0}},   // no positives
                                     {"c", {0, 0, 0, 0}}};  // no one
  auto r = ComputeFairness("f", groups, "a", Positive::kFavourable, {});
  ASSERT_TRUE(r.ok()) << r.status();
  const GroupRates& b = r->groups[1];
  const GroupRates& c = r->groups[2];
  EXPECT_FALSE(b.tpr.value.defined);
  EXPECT_FALSE(b.tpr.wilson.defined);
  EXPECT_EQ(b.tpr.value.ToString(), "undefined");
  EXPECT_TRUE(b.fpr.value.defined);
  EXPECT_FALSE(c.selection_rate.value.defined);
  EXPECT_FALSE(c.selection_rate.wilson.defined);
  EXPECT_FALSE(r->between_groups.demographic_parity_difference.defined);
  EXPECT_FALSE(r->between_groups.equal_opportunity_ratio.defined);
  EXPECT_FALSE(r->to_overall.equalized_odds_difference.defined);
  EXPECT_FALSE(r->aif360[0].equal_opportunity_difference.defined);
  EXPECT_TRUE(r->aif360[0].statistical_parity_difference.defined);
  EXPECT_FALSE(r->aif360[1].statistical_parity_difference.defined);
  EXPECT_FALSE(r->vs_reference[1].ratio.defined);
  EXPECT_FALSE(r->vs_reference[1].screening_flag);
  EXPECT_FALSE(r->fisher_vs_reference[1].p.has_value());
  // The highest group is chosen among defined rates; c has no entry ratio.
  EXPECT_EQ(r->highest_group, "a");
  EXPECT_FALSE(r->vs_highest[2].ratio.defined);
}

TEST(FairnessTest, ZeroReferenceRateMakesRatiosUndefined) {
  std::vector<GroupCounts> groups = {{"a", {0, 0, 5, 5}}, {"b", {1, 1, 4, 4}}};
  auto r = ComputeFairness("f", groups, "a", Positive::kFavourable, {});
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->aif360[0].disparate_impact.defined);
  ExpectExact(r->aif360[0].statistical_parity_difference, "1/5", "SPD");
  EXPECT_FALSE(r->vs_reference[0].katz.defined);
  ExpectExact(r->between_groups.demographic_parity_ratio, "0", "min/max");
}

TEST(FairnessTest, InsufficientDataBelowMinimumN) {
  std::vector<GroupCounts> groups = {{"big", {40, 10, 40, 10}},
                                     {"small", {5, 1, 3, 0}}};
  auto r =
      ComputeFairness("f", groups, "big", Positive::kFavourable, {.min_n = 10});
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->groups[0].insufficient_data);
  EXPECT_TRUE(r->groups[1].insufficient_data);  // n = 9 < 10
  EXPECT_TRUE(r->aif360[0].insufficient_data);
  EXPECT_TRUE(r->vs_reference[0].insufficient_data);
  EXPECT_TRUE(r->fisher_vs_reference[0].insufficient_data);
  EXPECT_TRUE(r->vs_highest[0].insufficient_data);  // compared with small
  // Still computed, so that a report can say what it withholds.
  ExpectExact(r->groups[1].selection_rate.value, "2/3", "6/9");
  auto ok =
      ComputeFairness("f", groups, "big", Positive::kFavourable, {.min_n = 9});
  EXPECT_FALSE(ok->groups[1].insufficient_data);
}

TEST(FairnessTest, FourFifthsIsStrictlyLessThan) {
  // b's rate 4/10 is exactly 4/5 of a's 1/2: not flagged (29 CFR 1607.4(D)
  // "less than four-fifths"), however the doubles round.
  std::vector<GroupCounts> groups = {{"a", {4, 1, 4, 1}}, {"b", {2, 2, 3, 3}}};
  auto r = ComputeFairness("f", groups, "a", Positive::kFavourable, {});
  ASSERT_TRUE(r.ok());
  ExpectExact(r->vs_highest[1].ratio, "4/5", "b / a");
  EXPECT_FALSE(r->vs_highest[1].screening_flag);
  EXPECT_FALSE(r->vs_reference[0].screening_flag);
  EXPECT_TRUE(r->vs_reference[0].interval_straddles_four_fifths);
}

TEST(FairnessTest, ToOverallRatioInvertsRatiosAboveOne) {
  // SR a 9/10, b 1/2, overall 54/100: a/overall = 5/3 counts as 3/5
  // (Fairlearn's ratio_sub_one), below b's 25/27.
  std::vector<GroupCounts> groups = {{"a", {9, 0, 1, 0}},
                                     {"b", {45, 0, 45, 0}}};
  auto r = ComputeFairness("f", groups, "", Positive::kFavourable, {});
  ASSERT_TRUE(r.ok());
  ExpectExact(r->to_overall.demographic_parity_ratio, "3/5", "ratio");
  ExpectExact(r->to_overall.demographic_parity_difference, "9/25", "diff");
}

TEST(FairnessTest, RefusesBadGroups) {
  std::vector<GroupCounts> one = {{"a", {1, 1, 1, 1}}};
  EXPECT_EQ(
      ComputeFairness("f", one, "", Positive::kFavourable, {}).status().code(),
      absl::StatusCode::kInvalidArgument);
  std::vector<GroupCounts> dup = {{"a", {1, 1, 1, 1}}, {"a", {1, 1, 1, 1}}};
  auto d = ComputeFairness("f", dup, "", Positive::kFavourable, {});
  EXPECT_THAT(d.status().message(), HasSubstr("groups[1].group \"a\""));
  std::vector<GroupCounts> two = {{"a", {1, 1, 1, 1}}, {"b", {1, 1, 1, 1}}};
  auto u = ComputeFairness("f", two, "c", Positive::kFavourable, {});
  EXPECT_THAT(u.status().message(), HasSubstr("reference_group \"c\""));
  auto none = ComputeFairness("f", two, "", Positive::kFavourable, {});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->aif360.empty());
  EXPECT_TRUE(none->vs_reference.empty());
  const uint64_t big = UINT64_MAX / 2;
  std::vector<GroupCounts> huge = {{"a", {big, big, big, 1}},
                                   {"b", {1, 1, 1, 1}}};
  EXPECT_THAT(ComputeFairness("f", huge, "", Positive::kFavourable, {})
                  .status()
                  .message(),
              HasSubstr("groups[0]: counts overflow"));
}

TEST(FairnessTest, SnapshotFeaturesAndIntersectionalCells) {
  v1::FairnessSnapshot s;
  s.set_reference_group("A");
  auto* sex = s.add_features();
  sex->set_name("sex");
  auto add = [](v1::SensitiveFeature* f, std::vector<std::string> group,
                uint64_t tp, uint64_t fp, uint64_t tn, uint64_t fn) {
    v1::ConfusionCell* c = f->add_cells();
    for (const std::string& g : group) c->add_group(g);
    c->set_tp(tp);
    c->set_fp(fp);
    c->set_tn(tn);
    c->set_fn(fn);
  };
  add(sex, {"A"}, 40, 10, 40, 10);
  add(sex, {"B"}, 21, 9, 51, 19);
  auto* both = s.add_features();
  both->set_name("sex x age band");
  both->set_reference_group("male x 18-39");
  add(both, {"male", "18-39"}, 40, 10, 40, 10);
  add(both, {"female", "60+"}, 21, 9, 51, 19);

  auto unset = ComputeSnapshotFairness(s, {});
  EXPECT_EQ(unset.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(unset.status().message(), HasSubstr("positive_is_favourable"));

  s.set_positive_is_favourable(true);
  auto r = ComputeSnapshotFairness(s, {});
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].reference_group, "A");  // the snapshot's, a group here
  EXPECT_EQ((*r)[1].feature, "sex x age band");
  EXPECT_EQ((*r)[1].groups[1].group, "female x 60+");
  EXPECT_EQ((*r)[1].reference_group, "male x 18-39");
  ExpectExact((*r)[1].aif360[0].disparate_impact, "3/5", "DI");

  s.set_positive_is_favourable(false);
  ExpectExact(
      (*ComputeSnapshotFairness(s, {}))[0].groups[1].selection_rate.value,
      "7/10", "unfavourable positive");

  both->set_reference_group("nobody");
  auto bad = ComputeSnapshotFairness(s, {});
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("features[1]"));
}

TEST(IntervalsTest, FisherAgainstExactFractions) {
  // Hypergeometric sums by hand (R's fisher.test gives the same):
  // tea tasting [[3,1],[1,3]]: (1+16+16+1)/70 = 17/35.
  EXPECT_NEAR(*FisherExactTwoSided(3, 1, 1, 3), 17.0 / 35, 1e-12);
  // [[1,9],[11,3]]: 41/14858 (R: 0.002759).
  EXPECT_NEAR(*FisherExactTwoSided(1, 9, 11, 3), 41.0 / 14858, 1e-14);
  // [[10,20],[30,5]]: 111975301/4314897996591.
  EXPECT_NEAR(
      *FisherExactTwoSided(10, 20, 30, 5) / (111975301.0 / 4314897996591.0),
      1.0, 1e-9);
  EXPECT_EQ(*FisherExactTwoSided(0, 5, 0, 7), 1.0);  // empty margin
  // The observed table is the most likely: p = 1, also for large n.
  EXPECT_NEAR(*FisherExactTwoSided(500000, 500000, 500000, 500000), 1.0, 1e-12);
  EXPECT_NEAR(*FisherExactTwoSided(2, 2, 2, 2), 1.0, 1e-12);
  EXPECT_FALSE(FisherExactTwoSided(0, 0, 0, 0).has_value());
}

TEST(IntervalsTest, HolmAndBenjaminiHochberg) {
  // By hand, as R's p.adjust: sorted 0.005, 0.01, 0.03, 0.04 (m = 4).
  // Holm: 4*.005=.02, 3*.01=.03, 2*.03=.06, max(.06, 1*.04)=.06.
  // BH: from the top: .04, min(.04, 4/3*.03)=.04, min(.04, 2*.01)=.02,
  //     min(.02, 4*.005)=.02.
  const std::vector<double> p = {0.01, 0.04, 0.03, 0.005};
  const std::vector<double> holm = HolmAdjust(p);
  const std::vector<double> bh = BenjaminiHochbergAdjust(p);
  const std::vector<double> want_holm = {0.03, 0.06, 0.06, 0.02};
  const std::vector<double> want_bh = {0.02, 0.04, 0.04, 0.02};
  for (size_t i = 0; i < p.size(); ++i) {
    EXPECT_NEAR(holm[i], want_holm[i], 1e-15) << i;
    EXPECT_NEAR(bh[i], want_bh[i], 1e-15) << i;
  }
  EXPECT_EQ(HolmAdjust(std::vector<double>{0.5, 0.6})[1], 1.0);  // capped
  EXPECT_TRUE(HolmAdjust({}).empty());
}

TEST(IntervalsTest, WilsonAndKatzEdges) {
  EXPECT_FALSE(WilsonInterval(0, 0, kZ95).defined);
  const Interval zero = WilsonInterval(0, 20, kZ95);
  ASSERT_TRUE(zero.defined);
  EXPECT_EQ(zero.lower, 0.0);
  EXPECT_GT(zero.upper, 0.1);  // never a zero-width interval at 0
  EXPECT_FALSE(KatzLogInterval(0, 10, 5, 10, kZ95).defined);
}

TEST(ExactTest, FallsBackToDoubleBeyondInt64) {
  const Value tiny = Value::Ratio(1, 4000000000ULL);
  const Value sq = Mul(tiny, tiny);  // 1/1.6e19: the denominator overflows
  ASSERT_TRUE(sq.defined);
  EXPECT_FALSE(sq.exact.has_value());
  EXPECT_DOUBLE_EQ(sq.value, 1.0 / 1.6e19);
  EXPECT_EQ(Value::Ratio(6, 4).ToString(), "3/2");
  EXPECT_EQ(Sub(Value::Ratio(3, 10), Value::Ratio(1, 2)).ToString(), "-1/5");
  EXPECT_EQ(Value::Ratio(1, 0).ToString(), "undefined");
}

}  // namespace
}  // namespace ailedger::reports
