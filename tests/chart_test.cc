// reports/chart: the three chart kinds in their three forms. The SVG has a
// mark per point, threshold, break, event, deadline and cell, breaches are
// marked and listed, text from a log is escaped, the same chart gives the
// same bytes, an empty chart says "no data", and the Markdown and JSON forms
// carry the data. The HTML page can make no request.
#include "reports/chart.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "reports/chart_svg.h"
#include "reports/report.h"

namespace ailedger::reports {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr int64_t kJan1 = 1735689600000;  // 2025-01-01T00:00:00Z
constexpr int64_t kDay = 86'400'000;

size_t Count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t at = s.find(what); at != std::string::npos;
       at = s.find(what, at + what.size()))
    ++n;
  return n;
}

// The <svg>...</svg> of an HTML fragment, or "".
std::string SvgOf(const std::string& html) {
  const size_t a = html.find("<svg"), b = html.find("</svg>");
  if (a == std::string::npos || b == std::string::npos) return "";
  return html.substr(a, b + 6 - a);
}

// Why `xml` is not well-formed (tags balanced, every & an entity), or "".
std::string WellFormed(const std::string& xml) {
  std::vector<std::string> open;
  for (size_t i = 0; i < xml.size(); ++i) {
    if (xml[i] == '&') {
      bool entity = false;
      for (const char* e : {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;"})
        entity |= xml.compare(i, strlen(e), e) == 0;
      if (!entity) return absl::StrCat("bare & at ", i);
      continue;
    }
    if (xml[i] == '>') return absl::StrCat("bare > at ", i);
    if (xml[i] != '<') continue;
    const size_t end = xml.find('>', i);
    if (end == std::string::npos) return "unterminated tag";
    const std::string tag = xml.substr(i + 1, end - i - 1);
    i = end;
    if (tag.find('<') != std::string::npos) return "< inside a tag";
    if (tag[0] == '/') {
      if (open.empty() || open.back() != tag.substr(1))
        return absl::StrCat("unbalanced </", tag.substr(1), ">");
      open.pop_back();
    } else if (tag.back() != '/') {
      open.push_back(tag.substr(0, tag.find_first_of(" \n")));
    }
  }
  return open.empty() ? "" : absl::StrCat("unclosed <", open.back(), ">");
}

Chart FairnessChart() {
  Chart c;
  c.kind = Chart::Kind::kSeries;
  c.title = "Selection-rate ratio to the reference group";
  c.caption = "Four-fifths screening threshold dashed.";
  c.y_label = "ratio";
  c.y_min = 0;
  c.y_max = 1.2;
  c.series = {{"18-25",
               {{kJan1, 0.91, false, "idx 3 · FairnessSnapshot"},
                {kJan1 + 31 * kDay, 0.75, true, "idx 9 · FairnessSnapshot"},
                {kJan1 + 59 * kDay, 0.82, false, "idx 14 · FairnessSnapshot"}}},
              {"65+",
               {{kJan1, 1.0, false, "idx 3 · FairnessSnapshot"},
                {kJan1 + 31 * kDay, 0.97, false, "idx 9 · FairnessSnapshot"}}}};
  c.thresholds = {{0.8, "four-fifths"}};
  c.breaks = {{kJan1 + 45 * kDay, "model v2", "idx 12 · ModelReleased"}};
  return c;
}

Chart IncidentChart() {
  Chart c;
  c.kind = Chart::Kind::kTimeline;
  c.title = "Serious incidents and the Art. 73 deadline";
  c.rows = {{"INC-1 wrongful denial",
             "",
             {{kJan1, "aware", "idx 20 · IncidentReported"},
              {kJan1 + 10 * kDay, "reported", "idx 24 · IncidentReported"}},
             DeadlineOutcome::kMet,
             kJan1 + 15 * kDay,
             "Art. 73(2) 15 days"},
            {"INC-2 data leak",
             "reported late",
             {{kJan1 + 20 * kDay, "aware", "idx 30 · IncidentReported"},
              {kJan1 + 40 * kDay, "reported", "idx 35 · IncidentReported"}},
             DeadlineOutcome::kMissed,
             kJan1 + 35 * kDay,
             "Art. 73(2) 15 days"}};
  return c;
}

Chart SoaChart() {
  Chart c;
  c.kind = Chart::Kind::kGrid;
  c.title = "Statement of Applicability";
  c.columns = {"applicable", "evidence", "review"};
  c.grid = {{"A.2.2 AI policy",
             {{"yes", CellStatus::kEvidenced, "idx 5 · SoaEntry"},
              {"", CellStatus::kMissing, ""},
              {"STALE", CellStatus::kStale, ""}}},
            {"A.3.2 Roles",
             {{"", CellStatus::kNotDetermined, ""},
              {"", CellStatus::kNotDetermined, ""},
              {"n/a", CellStatus::kNotApplicable, ""}}}};
  return c;
}

Report ReportWith(std::vector<Chart> charts) {
  Report r;
  r.kind = "fairness";
  r.title = "Charts";
  r.sections.push_back({"Fairness", {"A paragraph."}, {}, std::move(charts)});
  return r;
}

TEST(ChartTest, SeriesDrawsAMarkPerPointThresholdAndBreak) {
  const std::string html = ChartHtml(FairnessChart(), "c1");
  const std::string svg = SvgOf(html);
  ASSERT_TRUE(
      absl::StartsWith(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_EQ(WellFormed(svg), "");
  EXPECT_EQ(Count(svg, "<g class=\"pt\">"), 4u);  // 5 points, 1 a breach
  EXPECT_EQ(Count(svg, "<g class=\"pt breach\">"), 1u);
  EXPECT_EQ(Count(svg, "<g class=\"threshold\">"), 1u);
  EXPECT_EQ(Count(svg, "<g class=\"break\">"), 1u);
  EXPECT_EQ(Count(svg, "<g class=\"series\">"), 2u);
  // The breach is filled red, labelled and listed with its evidence.
  EXPECT_THAT(svg, HasSubstr("B1 BREACH 18-25 2025-02-01: 0.750"));
  EXPECT_THAT(svg, HasSubstr("fill=\"#c00000\""));
  EXPECT_THAT(html, HasSubstr("<li>B1: 18-25, 2025-02-01: 0.750 (idx 9 · "));
  EXPECT_THAT(svg, HasSubstr(">four-fifths 0.800<"));
  EXPECT_THAT(svg, HasSubstr(">2025-01-06<"));  // a date tick: a Monday, UTC
  EXPECT_THAT(svg, HasSubstr("<title id=\"c1-t\">Selection-rate ratio"));
  // Greyscale: the second series is dashed, not only another colour.
  EXPECT_THAT(svg, HasSubstr("stroke-dasharray=\"6 3\""));
}

TEST(ChartTest, StepSeriesWithNamedTicksForLevels) {
  Chart c;
  c.title = "AIA impact level";
  c.y_min = 1;
  c.y_max = 4;
  c.y_ticks = {
      {1, "Level I"}, {2, "Level II"}, {3, "Level III"}, {4, "Level IV"}};
  c.series = {{"credit-scoring",
               {{kJan1, 2, false, ""}, {kJan1 + 90 * kDay, 3, false, ""}},
               true}};
  const std::string svg = SvgOf(ChartHtml(c, "lv"));
  EXPECT_EQ(WellFormed(svg), "");
  EXPECT_THAT(svg, HasSubstr(">Level IV<"));
  // A step: across at the old level, then up; never a diagonal.
  EXPECT_THAT(svg, ::testing::ContainsRegex("<path d=\"M[0-9.]+ [0-9.]+H"));
  EXPECT_THAT(svg, Not(HasSubstr(">0.000<")));  // named ticks only
}

TEST(ChartTest, TimelineMarksEventsAndDeadlinesMetOrMissed) {
  const std::string svg = SvgOf(ChartHtml(IncidentChart(), "t"));
  EXPECT_EQ(WellFormed(svg), "");
  EXPECT_EQ(Count(svg, "<g class=\"ev\">"), 4u);
  EXPECT_EQ(Count(svg, "<g class=\"deadline met\">"), 1u);
  EXPECT_EQ(Count(svg, "<g class=\"deadline missed\">"), 1u);
  EXPECT_THAT(svg, HasSubstr("font-weight=\"bold\">MISSED</text>"));
  const std::string md = RenderMarkdown(ReportWith({IncidentChart()}));
  EXPECT_THAT(md, HasSubstr("| INC-2 data leak | deadline: Art. 73(2) 15 days "
                            "| 2025-02-05 | MISSED |"));
  EXPECT_THAT(md, HasSubstr("| INC-1 wrongful denial | reported | 2025-01-11 "
                            "|  | idx 24 |"));
  EXPECT_THAT(md, HasSubstr("| INC-2 data leak | reported late |"));
}

TEST(ChartTest, GridColoursAndHatchesEachCellWithALegend) {
  const std::string svg = SvgOf(ChartHtml(SoaChart(), "soa"));
  EXPECT_EQ(WellFormed(svg), "");
  EXPECT_EQ(Count(svg, "<g class=\"cell\">"), 6u);
  EXPECT_THAT(svg, HasSubstr("fill=\"url(#soa-hatch)\""));  // missing
  EXPECT_THAT(svg, HasSubstr("<pattern id=\"soa-hatch\""));
  EXPECT_THAT(svg, HasSubstr(">not determined</text>"));  // cell and legend
  EXPECT_THAT(svg, HasSubstr(">STALE</text>"));
  const std::string md = RenderMarkdown(ReportWith({SoaChart()}));
  EXPECT_THAT(md, HasSubstr("| A.2.2 AI policy | yes | missing | STALE |"));
  EXPECT_THAT(md, HasSubstr("| A.2.2 AI policy | applicable | idx 5 |"));
}

TEST(ChartTest, HostileTextIsEscapedInEveryKind) {
  const std::string evil = "<script>alert(\"x\")</script>'\x1b[2J&";
  Chart s = FairnessChart();
  s.title = evil;
  s.series[0].name = evil;
  s.thresholds[0].label = evil;
  s.breaks[0].label = evil;
  Chart t = IncidentChart();
  t.rows[0].label = evil;
  t.rows[0].events[0].label = evil;
  t.rows[0].deadline_label = evil;
  Chart g = SoaChart();
  g.columns[0] = evil;
  g.grid[0].label = evil;
  g.grid[0].cells[0].text = evil;
  const std::string html = RenderHtml(ReportWith({s, t, g}));
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("alert(\"x\")")));
  EXPECT_THAT(html, Not(HasSubstr("\x1b")));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(&quot;x&quot;)"));
  for (const Chart* c : {&s, &t, &g}) {
    EXPECT_EQ(WellFormed(SvgOf(ChartHtml(*c, "h"))), "") << c->title;
  }
  const std::string md = RenderMarkdown(ReportWith({s, t, g}));
  EXPECT_THAT(md, Not(HasSubstr("<script")));
}

TEST(ChartTest, SameChartSameBytes) {
  EXPECT_EQ(ChartHtml(FairnessChart(), "a"), ChartHtml(FairnessChart(), "a"));
  const Report r = ReportWith({FairnessChart(), IncidentChart(), SoaChart()});
  EXPECT_EQ(RenderHtml(r), RenderHtml(r));
  EXPECT_EQ(RenderMarkdown(r), RenderMarkdown(r));
  EXPECT_EQ(RenderJson(r), RenderJson(r));
}

TEST(ChartTest, AnEmptyChartSaysNoData) {
  Chart series = FairnessChart();
  for (ChartSeries& s : series.series) s.points.clear();
  Chart timeline = IncidentChart();
  for (TimelineRow& r : timeline.rows) {
    r.events.clear();
    r.outcome = DeadlineOutcome::kNone;
  }
  Chart grid = SoaChart();
  grid.grid.clear();
  for (const Chart* c : {&series, &timeline, &grid}) {
    EXPECT_TRUE(ChartEmpty(*c));
    const std::string html = ChartHtml(*c, "e");
    EXPECT_THAT(html, HasSubstr("no data"));
    EXPECT_THAT(html, Not(HasSubstr("<svg")));
    EXPECT_TRUE(ChartTables(*c).empty());
  }
  EXPECT_FALSE(ChartEmpty(FairnessChart()));
  const std::string md = RenderMarkdown(ReportWith({series}));
  EXPECT_THAT(md, HasSubstr("No data."));
  EXPECT_THAT(md, Not(HasSubstr("| series |")));
}

TEST(ChartTest, MarkdownTableHoldsTheData) {
  const std::string md = RenderMarkdown(ReportWith({FairnessChart()}));
  EXPECT_THAT(md, HasSubstr("**Chart: Selection-rate ratio to the reference "
                            "group.**"));
  EXPECT_THAT(md,
              HasSubstr("| series | time (UTC) | ratio | flag | evidence |"));
  // A citation shows as its index (compact); the JSON carries it whole.
  EXPECT_THAT(md, HasSubstr("| 18-25 | 2025-02-01 | 0.750 | BREACH | idx 9 |"));
  EXPECT_THAT(md, HasSubstr("| 65+ | 2025-01-01 | 1.000 |  | idx 3 |"));
  EXPECT_THAT(md, HasSubstr("|  |  | 0.800 | threshold: four-fifths |  |"));
  EXPECT_THAT(md,
              HasSubstr("| 2025-02-15 |  | series break: model v2 | idx 12 |"));
  // The chart comes before the section's tables, after its paragraphs.
  EXPECT_LT(md.find("A paragraph."), md.find("**Chart:"));
}

TEST(ChartTest, JsonCarriesTheSeries) {
  const nlohmann::json j = nlohmann::json::parse(
      RenderJson(ReportWith({FairnessChart(), SoaChart()})));
  ASSERT_EQ(j["charts"].size(), 2u);
  const nlohmann::json& c = j["charts"][0];
  EXPECT_EQ(c["kind"], "series");
  EXPECT_EQ(c["section"], "Fairness");
  EXPECT_EQ(c["series"][0]["name"], "18-25");
  EXPECT_EQ(c["series"][0]["points"].size(), 3u);
  EXPECT_EQ(c["series"][0]["points"][1]["y"], 0.75);
  EXPECT_EQ(c["series"][0]["points"][1]["breach"], true);
  EXPECT_EQ(c["series"][0]["points"][1]["day"], "2025-02-01");
  EXPECT_EQ(c["series"][0]["points"][1]["cite"], "idx 9 · FairnessSnapshot");
  EXPECT_EQ(c["thresholds"][0]["y"], 0.8);
  EXPECT_EQ(c["breaks"][0]["label"], "model v2");
  EXPECT_EQ(j["charts"][1]["rows"][0]["cells"][1]["status"], "missing");
  EXPECT_EQ(ChartJson(IncidentChart())["rows"][1]["deadline"]["outcome"],
            "MISSED");
}

TEST(ChartTest, ThePageCanMakeNoRequest) {
  const std::string html =
      RenderHtml(ReportWith({FairnessChart(), IncidentChart(), SoaChart()}));
  EXPECT_THAT(html, HasSubstr("<meta http-equiv=\"Content-Security-Policy\" "
                              "content=\"default-src 'none'"));
  // The only URL is the SVG namespace name, which is never fetched.
  EXPECT_EQ(Count(html, "http://") + Count(html, "https://"),
            Count(html, "xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_THAT(html, Not(HasSubstr("href")));
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, HasSubstr("break-inside:avoid"));
  // Ids unique in the page: each chart its own prefix.
  EXPECT_EQ(Count(html, "id=\"chart1-t\""), 1u);
  EXPECT_EQ(Count(html, "id=\"chart3-hatch\""), 1u);
}

// The numeric tick labels of a series SVG (right-aligned at the axis).
std::vector<double> YTicks(const std::string& svg) {
  std::vector<double> out;
  static const std::regex tick("text-anchor=\"end\">([-0-9.]+)</text>");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), tick);
       it != std::sregex_iterator(); ++it)
    out.push_back(std::stod((*it)[1]));
  return out;
}

// The date labels under a time axis: (x, label).
std::vector<std::pair<double, std::string>> DateLabels(const std::string& svg) {
  std::vector<std::pair<double, std::string>> out;
  static const std::regex label(
      "<text x=\"([0-9.]+)\" y=\"[0-9.]+\" text-anchor=\"middle\">"
      "([0-9]{4}(-[0-9]{2}){0,2})</text>");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), label);
       it != std::sregex_iterator(); ++it)
    out.push_back({std::stod((*it)[1]), (*it)[2]});
  return out;
}

Chart SeriesOver(double lo, double hi, std::optional<double> threshold) {
  Chart c;
  c.title = "t";
  c.series = {
      {"s", {{kJan1, lo, false, ""}, {kJan1 + 30 * kDay, hi, false, ""}}}};
  if (threshold) c.thresholds = {{*threshold, "plan"}};
  return c;
}

// Ticks on round numbers: a step of 1, 2, 2.5 or 5 x 10^k, at most seven
// ticks, the first and last around every point and threshold.
TEST(ChartTest, YTicksAreRoundNumbersCoveringTheDataAndThresholds) {
  // The reviewed chart: ratios 0.6 to 1.0 and the four-fifths line gave
  // 0.580, 0.690, 0.800, 0.910, 1.020.
  EXPECT_EQ(YTicks(SvgOf(ChartHtml(SeriesOver(0.6, 1.0, 0.8), "a"))),
            (std::vector<double>{0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1}));
  const std::string svg = SvgOf(ChartHtml(SeriesOver(0.6, 1.0, 0.8), "a"));
  EXPECT_THAT(svg, HasSubstr(">0.6</text>"));  // the step's decimals
  EXPECT_THAT(svg, Not(HasSubstr(">0.580<")));
  // A rate's fixed 0 and 1.2.
  EXPECT_EQ(YTicks(SvgOf(ChartHtml(FairnessChart(), "f"))),
            (std::vector<double>{0, 0.2, 0.4, 0.6, 0.8, 1.0, 1.2}));
  const struct {
    double lo, hi;
    std::optional<double> threshold;
  } cases[] = {{0.59, 0.72, 0.8},        {3, 97, std::nullopt},
               {-0.2, 0.05, 0},          {1234, 1240, 1250},
               {0.5, 0.5, std::nullopt}, {0.0012, 0.0019, std::nullopt},
               {-3e6, 7e6, 1e5}};
  for (const auto& k : cases) {
    SCOPED_TRACE(absl::StrCat(k.lo, "..", k.hi));
    const std::vector<double> t =
        YTicks(SvgOf(ChartHtml(SeriesOver(k.lo, k.hi, k.threshold), "c")));
    ASSERT_GE(t.size(), 3u);
    EXPECT_LE(t.size(), 7u);
    EXPECT_LE(t.front(), std::min(k.lo, k.threshold.value_or(k.lo)));
    EXPECT_GE(t.back(), std::max(k.hi, k.threshold.value_or(k.hi)));
    const double step = t[1] - t[0];
    const double mantissa = step / std::pow(10, std::floor(std::log10(step)));
    EXPECT_TRUE(
        std::fabs(mantissa - 1) < 1e-6 || std::fabs(mantissa - 2) < 1e-6 ||
        std::fabs(mantissa - 2.5) < 1e-6 || std::fabs(mantissa - 5) < 1e-6)
        << step;
    for (size_t i = 1; i < t.size(); ++i)
      EXPECT_NEAR(t[i] - t[i - 1], step, step * 1e-6);
    for (double v : t) EXPECT_NEAR(std::round(v / step) * step, v, step * 1e-6);
  }
}

TEST(ChartTest, AThresholdLabelDoesNotRepeatItsValue) {
  Chart c = FairnessChart();
  c.thresholds = {{0.8, "four-fifths screen 0.8"}, {0.9, "at least 0.9"}};
  const std::string svg = SvgOf(ChartHtml(c, "r"));
  EXPECT_THAT(svg, HasSubstr(">four-fifths screen 0.8</text>"));
  EXPECT_THAT(svg, HasSubstr(">at least 0.9</text>"));
  EXPECT_THAT(svg, Not(HasSubstr("0.8 0.800")));
  EXPECT_THAT(svg, Not(HasSubstr("0.9 0.900")));
  c.thresholds = {{0.8, "plan 0.85 target"}};  // another number: kept
  EXPECT_THAT(SvgOf(ChartHtml(c, "r")), HasSubstr(">plan 0.85 target 0.800<"));
}

// Date labels on round dates, never closer than a label's width (the
// reviewed timeline drew 2023-11-26 and 2023-11-29 almost touching).
TEST(ChartTest, DateLabelsAreRoundAndKeepApart) {
  constexpr int64_t kNov14 = 1699920000000 + 22 * 3'600'000 + 13 * 60'000;
  Chart reviewed;
  reviewed.kind = Chart::Kind::kTimeline;
  reviewed.title = "Incidents";
  reviewed.rows = {{"INC-1 DE",
                    "",
                    {{kNov14, "aware", ""}},
                    DeadlineOutcome::kNotApplicable,
                    1701298800000,  // 2023-11-29T23:00:00Z
                    "Art. 73(2)"}};
  const auto labels = DateLabels(SvgOf(ChartHtml(reviewed, "d")));
  ASSERT_GE(labels.size(), 3u);
  EXPECT_EQ(labels.front().second, "2023-11-15");  // every 4 days
  for (const int64_t span :
       {int64_t{3'600'000}, 2 * kDay, 15 * kDay, 59 * kDay, 200 * kDay,
        366 * kDay, 5 * 366 * kDay, 40 * 366 * kDay, 3000 * 366 * kDay}) {
    SCOPED_TRACE(span);
    for (Chart c : {SeriesOver(0.1, 0.2, std::nullopt), reviewed}) {
      if (c.kind == Chart::Kind::kSeries) {
        c.series[0].points[1].t_ms = kJan1 + span;
      } else {
        c.rows[0].events[0].t_ms = kJan1;
        c.rows[0].deadline_ms = kJan1 + span;
      }
      const auto l = DateLabels(SvgOf(ChartHtml(c, "s")));
      ASSERT_FALSE(l.empty());
      if (span >= 2 * kDay) {
        EXPECT_GE(l.size(), 2u);
      }
      for (size_t i = 1; i < l.size(); ++i) {
        const double width =
            6.4 *
            static_cast<double>(l[i].second.size() + l[i - 1].second.size()) /
            2;
        EXPECT_GE(l[i].first - l[i - 1].first, width + 8)
            << l[i - 1].second << " " << l[i].second;
      }
    }
  }
}

// The envelope's label/value rows have no header row, empty or hidden.
TEST(ChartTest, NoEmptyHeaderRow) {
  const std::string html = RenderHtml(ReportWith({}));
  const size_t envelope = html.find("<table");
  ASSERT_NE(envelope, std::string::npos);
  EXPECT_EQ(html.compare(envelope, 31, "<table class=\"envelope\"><tbody>"), 0)
      << html.substr(envelope, 80);
  EXPECT_THAT(html, Not(HasSubstr("<th></th>")));
  EXPECT_THAT(html, Not(HasSubstr("thead{display:none}")));
  // A table with a header keeps it.
  Report r = ReportWith({});
  r.sections[0].tables = {{{"a", ""}, {{"1", "2"}}}};
  EXPECT_THAT(RenderHtml(r), HasSubstr("<thead><tr><th"));
}

constexpr char kCite4[] =
    "idx 4 · FairnessSnapshot · Acme AI · occ 2023-09-04 · rec 2026-12-01 "
    "(+1184 d) · id f5cdc913dd37501c";
constexpr char kCite2[] =
    "idx 2 · SystemRegistered · Acme AI · occ 2023-06-01 · rec 2026-12-01 "
    "(+1279 d) · id 7012701240c1231c";

// A cell holding citations shows "idx N" (the full line in its title); the
// section "Evidence cited" and the JSON keep every citation whole.
TEST(ChartTest, CitationCellsAreCompactWithTheFullTextInTheTitle) {
  Report r = ReportWith({});
  r.data["cite"] = kCite4;
  r.sections[0].tables = {
      {{"evidence", "group", "records", "note"},
       {{kCite4, "A", absl::StrCat(kCite4, "; ", kCite2), "idx 4 is late"},
        {absl::StrCat(kCite2, " (the registration)"), "B", "", "idx 9"}}}};
  r.sections.push_back(
      {"Evidence cited", {}, {{{"idx", "cite"}, {{"4", kCite4}}}}});
  const std::string html = RenderHtml(r);
  EXPECT_THAT(html, HasSubstr(absl::StrCat("class=\"cite\" title=\"", kCite4,
                                           "\">idx&nbsp;4</td>")));
  EXPECT_THAT(html, HasSubstr(absl::StrCat("title=\"", kCite4, "; ", kCite2,
                                           "\">idx&nbsp;4; idx&nbsp;2</td>")));
  // Text after the citation is kept; text that is no citation is as it was.
  EXPECT_THAT(html, HasSubstr("\">idx&nbsp;2 (the registration)</td>"));
  EXPECT_THAT(html, HasSubstr("<td>idx 4 is late</td>"));
  EXPECT_THAT(html, HasSubstr("<td>idx 9</td>"));
  // Evidence cited: whole, no title.
  EXPECT_THAT(html,
              HasSubstr(absl::StrCat(
                  "<td>4</td><td>",
                  absl::StrReplaceAll(kCite4, {{"sS", "s<wbr>S"}}), "</td>")));
  EXPECT_EQ(Count(html, absl::StrCat("title=\"", kCite4, "\"")), 1u);

  const std::string md = RenderMarkdown(r);
  EXPECT_THAT(md, HasSubstr("| idx 4 | A | idx 4; idx 2 | idx 4 is late |"));
  EXPECT_THAT(md, HasSubstr("| idx 2 (the registration) | B |  | idx 9 |"));
  EXPECT_THAT(md, HasSubstr(absl::StrCat("| 4 | ", kCite4, " |")));
  EXPECT_EQ(nlohmann::json::parse(RenderJson(r))["data"]["cite"], kCite4);
}

// A table of many columns gets each column a minimum width from its longest
// word and prints on a landscape page with its section.
TEST(ChartTest, WideTablesPrintLandscapeAndColumnsKeepTheirWords) {
  Report r = ReportWith({});
  Table narrow{{"control", "status"}, {{"A.6.1.2", "not determined"}}};
  Table wide{{}, {{}}};
  for (int j = 0; j < 13; ++j) {
    wide.header.push_back(absl::StrCat("favourable", j));
    wide.rows[0].push_back("significant");
  }
  r.sections[0].tables = {narrow, {{"n", "x"}, {{"1", "2"}}}};
  r.sections.push_back({"Groups", {"text"}, {wide}});
  const std::string html = RenderHtml(r);
  EXPECT_THAT(html, HasSubstr("@page wide{size:A4 landscape}"));
  EXPECT_THAT(html, HasSubstr("section.wide,table.wide{page:wide}"));
  EXPECT_THAT(html, HasSubstr("<section>\n<h2>Fairness</h2>"));
  EXPECT_THAT(html,
              HasSubstr("<section class=\"wide\">\n<h2>Groups</h2>\n<p>"));
  EXPECT_EQ(Count(html, "<table class=\"wide\">"), 1u);
  EXPECT_EQ(Count(html, "<table>"), 2u);  // narrow and small
  // With a chart, the section turns; with several, it stays portrait (two
  // charts to a page) and only its wide table turns.
  r.sections[1].charts = {FairnessChart()};
  EXPECT_THAT(RenderHtml(r),
              HasSubstr("<section class=\"wide\">\n<h2>Groups</h2>"));
  r.sections[1].charts = {FairnessChart(), IncidentChart()};
  const std::string charts = RenderHtml(r);
  EXPECT_THAT(charts, HasSubstr("<section>\n<h2>Groups</h2>"));
  EXPECT_EQ(Count(charts, "<table class=\"wide\">"), 1u);
  // "control" (7 bold characters) and "determined" (10) are not squeezed.
  static const std::regex th("<th style=\"min-width:([0-9.]+)em\">control<");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(html, m, th)) << html;
  EXPECT_GE(std::stod(m[1]), 7 * 0.6);
  static const std::regex th2("<th style=\"min-width:([0-9.]+)em\">status<");
  ASSERT_TRUE(std::regex_search(html, m, th2));
  EXPECT_GE(std::stod(m[1]), 10 * 0.6);
  // The wide table's minima fit a landscape page (82 em), with padding.
  static const std::regex col("min-width:([0-9.]+)em\">favourable");
  double sum = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), col);
       it != std::sregex_iterator(); ++it)
    sum += std::stod((*it)[1]) + 0.7;  // narrower padding
  EXPECT_GT(sum, 54);
  EXPECT_LE(sum, 82.05);
}

// Identifiers break between their parts, not at the page's edge
// ("FairnessSnaps hot"): a <wbr> in the HTML, and the column's minimum width
// is its longest part's.
TEST(ChartTest, IdentifiersBreakBetweenTheirParts) {
  Report r = ReportWith({});
  r.sections[0].tables = {{{"type", "metric", "time"},
                           {{"ModelVersionReleased", "fairlearn:equalized_odds",
                             "22:13 50/100 e2e.example/log </script>"}}}};
  const std::string html = RenderHtml(r);
  EXPECT_THAT(html, HasSubstr(">Model<wbr>Version<wbr>Released</td>"));
  EXPECT_THAT(html, HasSubstr(">fairlearn:<wbr>equalized_<wbr>odds</td>"));
  EXPECT_THAT(html,
              HasSubstr(">22:13 50/100 e2e.example/<wbr>log &lt;/script&gt;<"));
  static const std::regex th("min-width:([0-9.]+)em\">type<");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(html, m, th));
  EXPECT_LT(std::stod(m[1]), 10 * 0.64);  // "Released", not the whole
  EXPECT_GE(std::stod(m[1]), 8 * 0.6);
}

TEST(ChartTest, NumbersIgnoreTheLocale) {
  using chart_internal::Fixed;
  EXPECT_EQ(Fixed(0.8, 3), "0.800");
  EXPECT_EQ(Fixed(0.0005, 3), "0.001");
  EXPECT_EQ(Fixed(-0.0004, 3), "0.000");  // no "-0.000"
  EXPECT_EQ(Fixed(-1.25, 1), "-1.3");
  EXPECT_EQ(Fixed(12, 0), "12");
  EXPECT_EQ(Fixed(std::numeric_limits<double>::quiet_NaN(), 3), "undefined");
  EXPECT_EQ(chart_internal::Trunc("ααααα", 3), "ααα…");
  EXPECT_EQ(chart_internal::Trunc("abc", 3), "abc");
}

}  // namespace
}  // namespace ailedger::reports
