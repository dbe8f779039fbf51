// The fairness report and the metric time series (reports/fairness_report.h,
// metric_series.h) over in-memory records: the shared vector printed as it
// computes, intersectional cells, undefined denominators, insufficient data,
// public-edition suppression of a cell and of everything derivable from it,
// series breaks on a model version and a decision threshold, breaches of a
// plan threshold, Holm against Benjamini-Hochberg, and byte-identical output.
#include "reports/fairness_report.h"

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reports/annual_report.h"
#include "reports/metric_series.h"
#include "reports/series_sections.h"

namespace ailedger::reports {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr int64_t kDay = 86'400'000;
constexpr int64_t kStart = 1'735'689'600'000;  // 2025-01-01

struct Cell {
  std::vector<std::string> group;
  uint64_t tp, fp, tn, fn;
};

class Log {
 public:
  const Record& Add(v1::Event e) {
    Record r;
    r.index = records_.size();
    r.integrated_time_ms = e.occurred_at_ms() + 3'600'000;
    r.event_id.fill(static_cast<uint8_t>(r.index + 1));
    r.event = std::move(e);
    records_.push_back(std::move(r));
    return records_.back();
  }
  std::string Id(size_t index) const {
    return std::string(AsBytes(records_[index].event_id));
  }
  const std::vector<Record>& records() const { return records_; }

 private:
  std::vector<Record> records_;
};

v1::Event Ev(const std::string& type, int day) {
  v1::Event e;
  e.set_event_type(type);
  e.set_schema_version(2);
  e.set_organisation("Acme AI");
  auto* s = e.add_subjects();
  s->set_kind("system");
  s->set_id("credit");
  e.set_occurred_at_ms(kStart + day * kDay);
  return e;
}

// A snapshot of one feature, measured over the 30 days before `day`.
v1::Event Snapshot(int day, const std::vector<Cell>& cells,
                   const std::string& reference,
                   const std::string& version = "1.0", double threshold = 0.5) {
  v1::Event e = Ev("FairnessSnapshot", day);
  auto* f = e.mutable_fairness_snapshot();
  f->set_model_version(version);
  f->set_decision_threshold(threshold);
  f->mutable_decision_window()->set_start_ms(kStart + (day - 30) * kDay);
  f->mutable_decision_window()->set_end_ms(kStart + day * kDay);
  f->set_positive_is_favourable(true);
  f->set_positive_label("repaid");
  f->set_method_version("pipeline 1");
  f->set_membership_source(v1::MEMBERSHIP_SOURCE_SELF_DECLARED);
  f->mutable_population()->set_deployer("Bank");
  f->mutable_population()->set_region("DE");
  f->mutable_population()->set_sampling(v1::SAMPLING_CENSUS);
  auto* feature = f->add_features();
  feature->set_name(cells[0].group.size() > 1 ? "sex x age" : "group");
  feature->set_reference_group(reference);
  for (const Cell& c : cells) {
    auto* cell = feature->add_cells();
    for (const auto& g : c.group) cell->add_group(g);
    cell->set_tp(c.tp);
    cell->set_fp(c.fp);
    cell->set_tn(c.tn);
    cell->set_fn(c.fn);
  }
  return e;
}

// The shared fairness-test-vector.json's groups.
const std::vector<Cell> kVector = {{{"A"}, 40, 10, 40, 10},
                                   {{"B"}, 21, 9, 51, 19}};

v1::Event Plan(const std::string& metric_id, double threshold,
               uint64_t min_cell = 30) {
  v1::Event e = Ev("MonitoringPlan", 0);
  auto* m = e.mutable_monitoring_plan()->add_metrics();
  m->set_name("selection-rate ratio");
  m->set_event_type("FairnessSnapshot");
  m->set_metric_id(metric_id);
  m->set_threshold(threshold);
  m->set_comparison("at least");
  m->set_method(v1::METRIC_METHOD_BETWEEN_GROUPS);
  m->set_comparator(v1::COMPARATOR_REFERENCE_GROUP);
  m->set_min_cell_count(min_cell);
  m->set_rationale("the four-fifths screen on favourable decisions");
  auto* s = e.mutable_monitoring_plan()->add_metrics();
  s->set_name("appeals upheld");
  s->set_event_type("SocietalMetricRecorded");
  s->set_metric_id("acme:appeals_upheld");
  s->set_threshold(5);
  s->set_comparison("at most");
  s->set_rationale("upheld appeals are decisions that should not stand");
  return e;
}

void AnswerPlan(const Log& log, size_t plan, const std::string& metric_id,
                v1::Event* e) {
  e->mutable_fairness_snapshot()->set_plan_event_id(log.Id(plan));
  e->mutable_fairness_snapshot()->set_plan_metric_id(metric_id);
}

absl::StatusOr<Report> Build(const Log& log, const MetricOptions& o = {}) {
  VerifyReport v;
  v.verified = true;
  return FairnessReport(log.records(), v, VerifyOptions(), "credit", o);
}

const Section& SectionNamed(const Report& r, const std::string& title) {
  for (const Section& s : r.sections) {
    if (s.title == title) return s;
  }
  ADD_FAILURE() << "no section " << title;
  return r.sections[0];
}

// The disparities table's value of `metric` (first match).
std::string Disparity(const Report& r, const std::string& metric) {
  for (const auto& row : r.data["disparities"]) {
    if (row[2] == metric) return row[4];
  }
  ADD_FAILURE() << "no disparity " << metric;
  return "";
}

const Series* Find(const SeriesSet& s, const std::string& metric,
                   const std::string& group) {
  for (const Series& x : s.series) {
    if (x.metric == metric && x.group == group) return &x;
  }
  return nullptr;
}

TEST(FairnessReportTest, TheSharedVectorAsPrinted) {
  Log log;
  log.Add(Snapshot(30, kVector, "A"));
  auto r = Build(log);
  ASSERT_TRUE(r.ok()) << r.status();
  const auto& rows = r->data["rows"];
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][6], "reference");
  EXPECT_THAT(rows[1][4].get<std::string>(), HasSubstr("30/100 = 0.3000"));
  EXPECT_THAT(rows[1][6].get<std::string>(),
              HasSubstr("0.6000 (0.420–0.858) screening flag"));
  EXPECT_THAT(rows[1][8].get<std::string>(), HasSubstr("21/40 = 0.5250"));
  EXPECT_EQ(Disparity(*r, "fairlearn:demographic_parity_ratio"),
            "0.6000 (3/5)");
  EXPECT_EQ(Disparity(*r, "fairlearn:equalized_odds_difference (worst_case)"),
            "0.2750 (11/40)");
  EXPECT_EQ(Disparity(*r, "aif360:statistical_parity_difference"),
            "-0.2000 (-1/5)");
  EXPECT_EQ(Disparity(*r, "aif360:average_odds_difference"),
            "-0.1625 (-13/80)");
  EXPECT_THAT(Disparity(*r, "overall TPR"), HasSubstr("61/90"));
  // One snapshot, one other group: three tests corrected together.
  EXPECT_EQ(r->data["tests_corrected_together"], 3);
}

TEST(FairnessReportTest, IntersectionalCellsAreGroups) {
  Log log;
  log.Add(Snapshot(30,
                   {{{"female", "18-39"}, 40, 10, 40, 10},
                    {{"female", "60+"}, 20, 5, 60, 15},
                    {{"male", "18-39"}, 45, 5, 40, 10},
                    {{"male", "60+"}, 30, 10, 50, 10}},
                   "male x 18-39"));
  auto r = Build(log);
  ASSERT_TRUE(r.ok()) << r.status();
  const auto& rows = r->data["rows"];
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[1][1], "sex x age");
  EXPECT_EQ(rows[1][2], "female x 60+");
  EXPECT_EQ(rows[2][6], "reference");
  EXPECT_THAT(rows[1][4].get<std::string>(), HasSubstr("25/100 = 0.2500"));
  // female x 60+ against the highest (male x 18-39, 50/100): 1/2.
  EXPECT_THAT(rows[1][5].get<std::string>(), HasSubstr("0.5000"));
}

TEST(FairnessReportTest, AnEmptyDenominatorIsUndefinedNeverZero) {
  Log log;
  // B has no actual positives: TPR and the odds metrics have no value.
  log.Add(Snapshot(30, {{{"A"}, 40, 10, 40, 10}, {{"B"}, 0, 9, 91, 0}}, "A"));
  auto r = Build(log);
  ASSERT_TRUE(r.ok()) << r.status();
  const auto& b = r->data["rows"][1];
  EXPECT_EQ(b[8], "undefined (an empty denominator)");
  EXPECT_EQ(b[10], "undefined (an empty denominator)");
  EXPECT_EQ(Disparity(*r, "fairlearn:equal_opportunity_ratio"), "undefined");
  EXPECT_EQ(Disparity(*r, "aif360:average_odds_difference"), "undefined");
  const SeriesSet s = BuildMetricSeries(log.records(), {{"credit"}}, {});
  const Series* tpr = Find(s, "TPR", "B");
  ASSERT_NE(tpr, nullptr);
  EXPECT_EQ(tpr->points[0].state, PointState::kUndefined);
  EXPECT_FALSE(tpr->points[0].value.defined);
}

TEST(FairnessReportTest, BelowThePlansMinimumNIsInsufficientData) {
  Log log;
  log.Add(Plan("fairlearn:demographic_parity_ratio", 0.8, 50));
  v1::Event e =
      Snapshot(30, {{{"A"}, 40, 10, 40, 10}, {{"B"}, 10, 5, 20, 5}}, "A");
  AnswerPlan(log, 0, "fairlearn:demographic_parity_ratio", &e);
  log.Add(e);
  auto r = Build(log);
  ASSERT_TRUE(r.ok()) << r.status();
  const auto& b = r->data["rows"][1];
  EXPECT_EQ(b[3], "40");
  EXPECT_EQ(b[4], "insufficient data (B: n 40 < 50)");
  EXPECT_EQ(b[6], "insufficient data");
  EXPECT_EQ(b[7], "insufficient data");
  EXPECT_EQ(Disparity(*r, "fairlearn:demographic_parity_ratio"),
            "insufficient data (B: n 40 < 50)");
  EXPECT_EQ(r->data["tests_corrected_together"], 0);
  // The plan metric is not evaluated, so no breach either.
  const SeriesSet s = BuildMetricSeries(log.records(), {{"credit"}}, {});
  const Series* plan = Find(
      s, "plan: fairlearn:demographic_parity_ratio (between_groups, unsigned)",
      "all groups");
  ASSERT_NE(plan, nullptr);
  EXPECT_EQ(plan->points[0].state, PointState::kInsufficientData);
  EXPECT_FALSE(plan->points[0].breach);
  // The reader's minimum overrides the plan's.
  MetricOptions o;
  o.min_n = 10;
  auto low = Build(log, o);
  ASSERT_TRUE(low.ok());
  EXPECT_THAT(low->data["rows"][1][4].get<std::string>(),
              HasSubstr("15/40 = 0.3750"));
}

// C (n 9, selection 7/9) is the highest group: in the public edition its
// counts, rates, tests, every ratio to it, the overall and the Fairlearn
// disparities are suppressed; nothing of it is printed anywhere.
TEST(FairnessReportTest, PublicEditionSuppressesACellAndWhatDerivesFromIt) {
  Log log;
  log.Add(Snapshot(
      30,
      {{{"A"}, 40, 10, 40, 10}, {{"B"}, 21, 9, 51, 19}, {{"C"}, 3, 4, 1, 1}},
      "A"));
  MetricOptions o;
  o.edition = Edition::kPublic;
  o.min_n = 1;
  auto r = Build(log, o);
  ASSERT_TRUE(r.ok()) << r.status();
  const auto& rows = r->data["rows"];
  ASSERT_EQ(rows.size(), 3u);
  for (size_t i = 3; i < rows[2].size(); ++i) {
    EXPECT_EQ(rows[2][i], "suppressed (<10)") << i;
  }
  EXPECT_EQ(rows[0][5], "suppressed (<10)");  // A to the highest, C
  EXPECT_EQ(rows[1][5], "suppressed (<10)");
  EXPECT_THAT(rows[1][6].get<std::string>(), HasSubstr("0.6000"));  // to A
  EXPECT_EQ(Disparity(*r, "overall selection rate"), "suppressed (<10)");
  EXPECT_EQ(Disparity(*r, "fairlearn:demographic_parity_ratio"),
            "suppressed (<10)");
  for (const std::string& form :
       {RenderJson(*r), RenderMarkdown(*r), RenderHtml(*r)}) {
    EXPECT_THAT(form, Not(HasSubstr("7/9")));
    EXPECT_THAT(form, Not(HasSubstr("0.7778")));
    EXPECT_THAT(form, Not(HasSubstr("87/209")));  // the overall selection
  }
  EXPECT_THAT(RenderMarkdown(*r), HasSubstr("edition | public"));
  const SeriesSet s = BuildMetricSeries(log.records(), {{"credit"}}, o);
  EXPECT_EQ(Find(s, "selection rate", "C")->points[0].state,
            PointState::kSuppressed);
  EXPECT_EQ(Find(s, "impact ratio to the highest group", "B")->points[0].state,
            PointState::kSuppressed);
  // The auditor edition prints them.
  MetricOptions auditor;
  auditor.min_n = 1;
  auto full = Build(log, auditor);
  ASSERT_TRUE(full.ok());
  EXPECT_THAT(full->data["rows"][2][4].get<std::string>(),
              HasSubstr("7/9 = 0.7778"));
}

TEST(FairnessReportTest, ASeriesBreaksWhenTheModelVersionChanges) {
  Log log;
  log.Add(Snapshot(30, kVector, "A", "1.0"));
  log.Add(Snapshot(60, kVector, "A", "1.0"));
  log.Add(Snapshot(90, kVector, "A", "2.0"));
  const SeriesSet s = BuildMetricSeries(log.records(), {{"credit"}}, {});
  const Series* b = Find(s, "selection rate", "B");
  ASSERT_NE(b, nullptr);
  ASSERT_EQ(b->points.size(), 3u);
  EXPECT_EQ(b->points[1].break_reason, "");
  EXPECT_EQ(b->points[2].break_reason, "model version 1.0 → 2.0");
  EXPECT_EQ(b->Segments(), 2u);
  // The chart draws two lines for B, not joined, and one break marker.
  const std::vector<Chart> charts = SeriesCharts(s);
  const Chart* rate = nullptr;
  for (const Chart& c : charts) {
    if (c.title == "credit: selection rate") rate = &c;
  }
  ASSERT_NE(rate, nullptr);
  std::vector<std::string> lines;
  for (const ChartSeries& line : rate->series) lines.push_back(line.name);
  EXPECT_THAT(lines, ::testing::ElementsAre("A", "A · segment 2", "B",
                                            "B · segment 2"));
  ASSERT_EQ(rate->breaks.size(), 1u);
  EXPECT_EQ(rate->breaks[0].label, "model version 1.0 → 2.0");
  EXPECT_THAT(rate->breaks[0].cite, ::testing::StartsWith("idx 2 · "));
}

TEST(FairnessReportTest, ASeriesBreaksWhenTheDecisionThresholdChanges) {
  Log log;
  log.Add(Snapshot(30, kVector, "A", "1.0", 0.5));
  log.Add(Snapshot(60, kVector, "A", "1.0", 0.6));
  const SeriesSet s = BuildMetricSeries(log.records(), {{"credit"}}, {});
  const Series* b = Find(s, "impact ratio to the reference group", "B");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->points[1].break_reason, "decision threshold 0.5 → 0.6");
  auto r = Build(log);
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(RenderMarkdown(*r),
              HasSubstr("BREAK: decision threshold 0.5 → 0.6"));
}

TEST(FairnessReportTest, BreachesAreFlaggedAgainstThePlanThreshold) {
  Log log;
  log.Add(Plan("aif360:disparate_impact", 0.8));
  v1::Event low = Snapshot(30, kVector, "A");  // B/A = 0.6
  AnswerPlan(log, 0, "aif360:disparate_impact", &low);
  log.Add(low);
  v1::Event fine =
      Snapshot(60, {{{"A"}, 40, 10, 40, 10}, {{"B"}, 35, 10, 45, 10}}, "A");
  AnswerPlan(log, 0, "aif360:disparate_impact", &fine);  // 0.9
  log.Add(fine);
  v1::Event appeals = Ev("SocietalMetricRecorded", 60);
  appeals.mutable_societal_metric()->set_name("appeals upheld");
  appeals.mutable_societal_metric()->set_unit("%");
  appeals.mutable_societal_metric()->set_value(6.5);
  log.Add(appeals);
  const SeriesSet s = BuildMetricSeries(log.records(), {{"credit"}}, {});
  const Series* di =
      Find(s, "plan: aif360:disparate_impact (signed, to the reference)", "B");
  ASSERT_NE(di, nullptr);
  ASSERT_EQ(di->points.size(), 2u);
  EXPECT_TRUE(di->points[0].breach);
  EXPECT_FALSE(di->points[1].breach);
  ASSERT_TRUE(di->points[0].threshold);
  EXPECT_FALSE(di->points[0].threshold->screening);
  EXPECT_THAT(di->points[0].threshold->source,
              HasSubstr("plan metric aif360:disparate_impact: at least 0.8 "
                        "(idx 0 · MonitoringPlan"));
  const Series* upheld = Find(s, "appeals upheld", "");
  ASSERT_NE(upheld, nullptr);
  EXPECT_TRUE(upheld->points[0].breach);  // 6.5 > at most 5
  auto r = Build(log);
  ASSERT_TRUE(r.ok()) << r.status();
  const Section& flagged =
      SectionNamed(*r, "Metric time series: breaches and screening flags");
  EXPECT_EQ(flagged.paragraphs[0],
            "2 breach(es) of a plan threshold; 2 four-fifths screening "
            "flag(s), which are screening flags, not findings.");
  ASSERT_EQ(flagged.tables.size(), 1u);
  EXPECT_THAT(flagged.tables[0].rows[0][9], ::testing::StartsWith("idx 1 · "));
}

TEST(FairnessReportTest, HolmAndBenjaminiHochbergDiffer) {
  // Three groups against A over two periods: 12 tests.
  const std::vector<Cell> cells = {
      {{"A"}, 40, 10, 40, 10}, {{"B"}, 30, 10, 45, 15}, {{"C"}, 26, 9, 50, 15}};
  Log log;
  log.Add(Snapshot(30, cells, "A"));
  log.Add(Snapshot(60, kVector, "A"));
  const Plans plans(log.records());
  const RecordStatus status(log.records());
  MetricOptions holm, bh;
  bh.adjust = AdjustMethod::kBenjaminiHochberg;
  const SystemAnalysis h = AnalyseSystem(log.records(), plans, status, "credit",
                                         0, kStart * 2, holm);
  const SystemAnalysis b =
      AnalyseSystem(log.records(), plans, status, "credit", 0, kStart * 2, bh);
  ASSERT_EQ(h.family, 9u);  // 2 x 3 + 1 x 3
  std::vector<double> raw, hp, bp;
  for (size_t s = 0; s < 2; ++s) {
    for (TestedRate t :
         {TestedRate::kSelectionRate, TestedRate::kTpr, TestedRate::kFpr}) {
      const auto& tests = h.snapshots[s].Tests(0, t);
      for (size_t g = 0; g < tests.size(); ++g) {
        raw.push_back(*tests[g].p);
        hp.push_back(*h.snapshots[s].AdjustedP(0, t)[g]);
        bp.push_back(*b.snapshots[s].AdjustedP(0, t)[g]);
      }
    }
  }
  EXPECT_EQ(hp, HolmAdjust(raw));
  EXPECT_EQ(bp, BenjaminiHochbergAdjust(raw));
  EXPECT_NE(hp, bp);
  auto rb = Build(log, bh);
  ASSERT_TRUE(rb.ok());
  EXPECT_THAT(RenderMarkdown(*rb),
              HasSubstr("multiple-comparison method | Benjamini-Hochberg"));
}

TEST(FairnessReportTest, SupersededSnapshotsAreLeftOutAndSaidSo) {
  Log log;
  log.Add(Snapshot(30, kVector, "A"));
  v1::Event fixed = Snapshot(30, kVector, "A");
  fixed.set_supersedes(log.Id(0));
  fixed.set_supersedes_reason("wrong labels");
  log.Add(fixed);
  auto r = Build(log);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->data["rows"].size(), 2u);
  EXPECT_THAT(RenderMarkdown(*r),
              HasSubstr("superseded by idx 1: wrong labels (not analysed)"));
  const SeriesSet s = BuildMetricSeries(log.records(), {{"credit"}}, {});
  EXPECT_EQ(Find(s, "selection rate", "B")->points.size(), 1u);
}

TEST(FairnessReportTest, OutputIsDeterministicAndOptionsAreChecked) {
  Log log;
  log.Add(Plan("fairlearn:demographic_parity_ratio", 0.8));
  v1::Event e = Snapshot(30, kVector, "A");
  AnswerPlan(log, 0, "fairlearn:demographic_parity_ratio", &e);
  log.Add(e);
  log.Add(Snapshot(60, kVector, "A", "2.0"));
  auto a = Build(log), b = Build(log);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(RenderJson(*a), RenderJson(*b));
  EXPECT_EQ(RenderMarkdown(*a), RenderMarkdown(*b));
  EXPECT_EQ(RenderHtml(*a), RenderHtml(*b));
  MetricOptions bad;
  bad.alpha = 1;
  EXPECT_EQ(Build(log, bad).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(Build(log, bad).status().message()),
              HasSubstr("alpha"));
  Log none;
  none.Add(Ev("SystemRegistered", 0));
  EXPECT_EQ(Build(none).status().code(), absl::StatusCode::kNotFound);
}

// The annual report's section: the year's records only, the same
// parameters in the envelope, breaches flagged, the public edition honoured.
TEST(FairnessReportTest, TheAnnualReportHasTheYearsMetricSeries) {
  Log log;
  log.Add(Plan("aif360:disparate_impact", 0.8));
  v1::Event low = Snapshot(30, kVector, "A");  // 2025, B/A = 0.6
  AnswerPlan(log, 0, "aif360:disparate_impact", &low);
  log.Add(low);
  log.Add(Snapshot(400, kVector, "A"));  // 2026: not in the 2025 report
  AnnualOptions a;
  a.organisation = "Acme AI";
  a.year = 2025;
  a.metrics.edition = Edition::kPublic;
  VerifyReport v;
  v.verified = true;
  auto r = AnnualReport(log.records(), v, VerifyOptions(), a);
  ASSERT_TRUE(r.ok()) << r.status();
  const Section& series =
      SectionNamed(*r, "Fairness and societal-impact metrics");
  EXPECT_FALSE(series.charts.empty());
  const auto& json = r->data["metric_series"];
  for (const auto& s : json) {
    for (const auto& p : s["points"]) {
      EXPECT_THAT(p["evidence"].get<std::string>(),
                  ::testing::StartsWith("idx 1 · "));
    }
  }
  const Section& flagged = SectionNamed(
      *r, "Fairness and societal-impact metrics: breaches and screening flags");
  EXPECT_THAT(flagged.paragraphs[0],
              HasSubstr("1 breach(es) of a plan threshold"));
  EXPECT_THAT(RenderMarkdown(*r), HasSubstr("edition | public"));
}

TEST(FairnessReportTest, MetricOptionsFromFlags) {
  MetricOptions o;
  EXPECT_TRUE(SetMetricOption("alpha", "0.01", &o).ok());
  EXPECT_TRUE(SetMetricOption("adjust", "bh", &o).ok());
  EXPECT_TRUE(SetMetricOption("min-n", "50", &o).ok());
  EXPECT_TRUE(SetMetricOption("edition", "public", &o).ok());
  EXPECT_TRUE(SetMetricOption("min-cell", "20", &o).ok());
  EXPECT_EQ(o.alpha, 0.01);
  EXPECT_EQ(o.adjust, AdjustMethod::kBenjaminiHochberg);
  EXPECT_EQ(o.min_n, 50u);
  EXPECT_EQ(o.SuppressBelow(), 20u);
  for (const auto& [flag, value] :
       std::vector<std::pair<std::string, std::string>>{
           {"alpha", "1"},
           {"alpha", "x"},
           {"adjust", "bonferroni"},
           {"edition", "draft"},
           {"min-cell", "0"},
           {"min-n", "-3"},
           {"colour", "red"}}) {
    absl::Status s = SetMetricOption(flag, value, &o);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << flag;
    EXPECT_THAT(std::string(s.message()), HasSubstr("--" + flag)) << flag;
  }
}

TEST(FairnessReportTest, AlphaSetsTheIntervalLevel) {
  EXPECT_EQ(TwoSidedZ(0.05), kZ95);
  EXPECT_NEAR(TwoSidedZ(0.01), 2.5758293035489004, 1e-12);
  EXPECT_NEAR(TwoSidedZ(0.10), 1.6448536269514722, 1e-12);
}

}  // namespace
}  // namespace ailedger::reports
