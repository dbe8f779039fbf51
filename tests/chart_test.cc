// reports/chart: the three chart kinds in their three forms. The SVG has a
// mark per point, threshold, break, event, deadline and cell, breaches are
// marked and listed, text from a log is escaped, the same chart gives the
// same bytes, an empty chart says "no data", and the Markdown and JSON forms
// carry the data. The HTML page can make no request.
#include "reports/chart.h"

#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
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
  EXPECT_THAT(svg, HasSubstr("four-fifths 0.800"));
  EXPECT_THAT(svg, HasSubstr(">2025-01-01<"));  // a date tick, UTC
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
                            "|  | idx 24 · "));
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
  EXPECT_THAT(md, HasSubstr("| A.2.2 AI policy | applicable | idx 5 · "));
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
  EXPECT_THAT(md,
              HasSubstr("| 18-25 | 2025-02-01 | 0.750 | BREACH | idx 9 · "));
  EXPECT_THAT(md, HasSubstr("| 65+ | 2025-01-01 | 1.000 |  | idx 3 · "));
  EXPECT_THAT(md, HasSubstr("|  |  | 0.800 | threshold: four-fifths |  |"));
  EXPECT_THAT(md, HasSubstr("| 2025-02-15 |  | series break: model v2 | "));
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
