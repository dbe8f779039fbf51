// The chart model's three forms (chart.h): HTML (a figure around the SVG of
// chart_svg.cc), tables for Markdown, and JSON. Also the locale-free
// formatting the drawing shares (chart_svg.h).
#include "reports/chart.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "ledger/base/terminal_escape.h"
#include "reports/chart_svg.h"
#include "reports/report.h"

namespace ailedger::reports {
namespace chart_internal {

std::string Fixed(double v, int decimals) {
  if (!std::isfinite(v)) return "undefined";
  decimals = std::clamp(decimals, 0, 9);
  uint64_t scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  const double scaled = std::fabs(v) * static_cast<double>(scale);
  if (scaled >= 9.0e18) return absl::StrCat(v);  // beyond any report figure
  const uint64_t r = static_cast<uint64_t>(std::llround(scaled));
  std::string out = v < 0 && r != 0 ? "-" : "";
  absl::StrAppend(&out, r / scale);
  if (decimals > 0) {
    const std::string frac = absl::StrCat(r % scale);
    absl::StrAppend(&out, ".", std::string(decimals - frac.size(), '0'), frac);
  }
  return out;
}

std::string Day(int64_t ms) {
  return absl::FormatTime("%Y-%m-%d", absl::FromUnixMillis(ms),
                          absl::UTCTimeZone());
}

std::string Xml(absl::string_view s) {
  return absl::StrReplaceAll(EscapeForTerminal(s), {{"&", "&amp;"},
                                                    {"<", "&lt;"},
                                                    {">", "&gt;"},
                                                    {"\"", "&quot;"},
                                                    {"'", "&#39;"}});
}

std::string Trunc(absl::string_view s, size_t n) {
  size_t points = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
    if (points++ == n) {
      return absl::StrCat(s.substr(0, i), "…");
    }
  }
  return std::string(s);
}

}  // namespace chart_internal

namespace {

using chart_internal::Day;
using chart_internal::Fixed;
using chart_internal::Xml;

constexpr int64_t kDayMs = 86'400'000;

// The table's time: the day when at midnight UTC (most records), else the
// full time, so that two figures of one day stay apart.
std::string When(int64_t ms) {
  if (((ms % kDayMs) + kDayMs) % kDayMs == 0) return Day(ms);
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromUnixMillis(ms),
                          absl::UTCTimeZone());
}

const char* KindName(Chart::Kind k) {
  switch (k) {
    case Chart::Kind::kSeries:
      return "series";
    case Chart::Kind::kTimeline:
      return "timeline";
    case Chart::Kind::kGrid:
      return "grid";
  }
  return "series";
}

const char* OutcomeName(DeadlineOutcome o) {
  switch (o) {
    case DeadlineOutcome::kNone:
      return "none";
    case DeadlineOutcome::kMet:
      return "met";
    case DeadlineOutcome::kMissed:
      return "MISSED";
    case DeadlineOutcome::kOpen:
      return "open";
    case DeadlineOutcome::kNotApplicable:
      return "not applicable";
  }
  return "none";
}

std::vector<Table> SeriesTables(const Chart& c) {
  Table t{{"series", "time (UTC)", c.y_label.empty() ? "value" : c.y_label,
           "flag", "evidence"},
          {}};
  for (const ChartSeries& s : c.series) {
    for (const ChartPoint& p : s.points) {
      t.rows.push_back({s.name, When(p.t_ms), Fixed(p.y, c.y_decimals),
                        p.breach ? "BREACH" : "", p.cite});
    }
  }
  for (const ChartThreshold& h : c.thresholds) {
    t.rows.push_back({"", "", Fixed(h.y, c.y_decimals),
                      absl::StrCat("threshold: ", h.label), ""});
  }
  for (const ChartBreak& b : c.breaks) {
    t.rows.push_back({"", When(b.t_ms), "",
                      absl::StrCat("series break: ", b.label), b.cite});
  }
  return {std::move(t)};
}

std::vector<Table> TimelineTables(const Chart& c) {
  Table t{{"row", "event", "time (UTC)", "deadline", "evidence"}, {}};
  for (const TimelineRow& r : c.rows) {
    for (const TimelineEvent& e : r.events)
      t.rows.push_back({r.label, e.label, When(e.t_ms), "", e.cite});
    if (r.outcome != DeadlineOutcome::kNone) {
      t.rows.push_back({r.label, absl::StrCat("deadline: ", r.deadline_label),
                        When(r.deadline_ms), OutcomeName(r.outcome), ""});
    }
    if (!r.note.empty()) t.rows.push_back({r.label, r.note, "", "", ""});
  }
  return {std::move(t)};
}

std::string CellText(const GridCell& g) {
  return g.text.empty() ? CellStatusName(g.status) : g.text;
}

std::vector<Table> GridTables(const Chart& c) {
  Table t{{""}, {}}, cites{{"row", "column", "evidence"}, {}};
  for (const std::string& col : c.columns) t.header.push_back(col);
  for (const GridRow& r : c.grid) {
    std::vector<std::string> row = {r.label};
    for (size_t i = 0; i < r.cells.size(); ++i) {
      const GridCell& g = r.cells[i];
      row.push_back(CellText(g));
      if (!g.cite.empty())
        cites.rows.push_back(
            {r.label, i < c.columns.size() ? c.columns[i] : "", g.cite});
    }
    row.resize(std::max(row.size(), t.header.size()));
    t.rows.push_back(std::move(row));
  }
  std::vector<Table> out = {std::move(t)};
  if (!cites.rows.empty()) out.push_back(std::move(cites));
  return out;
}

nlohmann::json Time(int64_t ms) { return {{"t_ms", ms}, {"day", Day(ms)}}; }

nlohmann::json SeriesJson(const Chart& c) {
  nlohmann::json j = {{"y_label", c.y_label},
                      {"y_decimals", c.y_decimals},
                      {"y_min", nullptr},
                      {"y_max", nullptr},
                      {"y_ticks", nlohmann::json::array()},
                      {"series", nlohmann::json::array()},
                      {"thresholds", nlohmann::json::array()},
                      {"breaks", nlohmann::json::array()}};
  if (c.y_min) j["y_min"] = *c.y_min;
  if (c.y_max) j["y_max"] = *c.y_max;
  for (const auto& [y, label] : c.y_ticks)
    j["y_ticks"].push_back({{"y", y}, {"label", label}});
  for (const ChartSeries& s : c.series) {
    nlohmann::json points = nlohmann::json::array();
    for (const ChartPoint& p : s.points) {
      nlohmann::json pj = Time(p.t_ms);
      pj.update({{"y", p.y}, {"breach", p.breach}, {"cite", p.cite}});
      points.push_back(std::move(pj));
    }
    j["series"].push_back(
        {{"name", s.name}, {"step", s.step}, {"points", std::move(points)}});
  }
  for (const ChartThreshold& h : c.thresholds)
    j["thresholds"].push_back({{"y", h.y}, {"label", h.label}});
  for (const ChartBreak& b : c.breaks) {
    nlohmann::json bj = Time(b.t_ms);
    bj.update({{"label", b.label}, {"cite", b.cite}});
    j["breaks"].push_back(std::move(bj));
  }
  return j;
}

nlohmann::json TimelineJson(const Chart& c) {
  nlohmann::json rows = nlohmann::json::array();
  for (const TimelineRow& r : c.rows) {
    nlohmann::json events = nlohmann::json::array();
    for (const TimelineEvent& e : r.events) {
      nlohmann::json ej = Time(e.t_ms);
      ej.update({{"label", e.label}, {"cite", e.cite}});
      events.push_back(std::move(ej));
    }
    nlohmann::json deadline = nullptr;
    if (r.outcome != DeadlineOutcome::kNone) {
      deadline = Time(r.deadline_ms);
      deadline.update(
          {{"label", r.deadline_label}, {"outcome", OutcomeName(r.outcome)}});
    }
    rows.push_back({{"label", r.label},
                    {"note", r.note},
                    {"events", std::move(events)},
                    {"deadline", std::move(deadline)}});
  }
  return {{"rows", std::move(rows)}};
}

nlohmann::json GridJson(const Chart& c) {
  nlohmann::json rows = nlohmann::json::array();
  for (const GridRow& r : c.grid) {
    nlohmann::json cells = nlohmann::json::array();
    for (const GridCell& g : r.cells) {
      cells.push_back({{"text", CellText(g)},
                       {"status", CellStatusName(g.status)},
                       {"cite", g.cite}});
    }
    rows.push_back({{"label", r.label}, {"cells", std::move(cells)}});
  }
  return {{"columns", c.columns}, {"rows", std::move(rows)}};
}

// The breaches of a series chart, numbered B1, B2, ... in the order the SVG
// labels them.
std::string BreachList(const Chart& c) {
  std::string items;
  int n = 0;
  for (const ChartSeries& s : c.series) {
    for (const ChartPoint& p : s.points) {
      if (!p.breach) continue;
      absl::StrAppend(
          &items, "<li>B", ++n, ": ", Xml(s.name), ", ", Day(p.t_ms), ": ",
          Fixed(p.y, c.y_decimals),
          p.cite.empty() ? "" : absl::StrCat(" (", Xml(p.cite), ")"),
          "</li>\n");
    }
  }
  if (n == 0) return "";
  return absl::StrCat("<p>Breaches:</p><ol class=\"breaches\">\n", items,
                      "</ol>\n");
}

}  // namespace

const char* CellStatusName(CellStatus s) {
  switch (s) {
    case CellStatus::kEvidenced:
      return "evidenced";
    case CellStatus::kStale:
      return "stale";
    case CellStatus::kMissing:
      return "missing";
    case CellStatus::kNotDetermined:
      return "not determined";
    case CellStatus::kNotApplicable:
      return "not applicable";
    case CellStatus::kOther:
      return "other";
  }
  return "other";
}

bool ChartEmpty(const Chart& c) {
  switch (c.kind) {
    case Chart::Kind::kSeries:
      return std::all_of(c.series.begin(), c.series.end(),
                         [](const ChartSeries& s) { return s.points.empty(); });
    case Chart::Kind::kTimeline:
      return std::all_of(
          c.rows.begin(), c.rows.end(), [](const TimelineRow& r) {
            return r.events.empty() && r.outcome == DeadlineOutcome::kNone;
          });
    case Chart::Kind::kGrid:
      return c.grid.empty();
  }
  return true;
}

std::string ChartHtml(const Chart& c, const std::string& id_prefix) {
  if (ChartEmpty(c)) {
    return absl::StrCat("<p class=\"nodata\"><b>", Xml(c.title),
                        "</b>: no data.</p>\n");
  }
  std::string svg;
  switch (c.kind) {
    case Chart::Kind::kSeries:
      svg = chart_internal::SeriesSvg(c, id_prefix);
      break;
    case Chart::Kind::kTimeline:
      svg = chart_internal::TimelineSvg(c, id_prefix);
      break;
    case Chart::Kind::kGrid:
      svg = chart_internal::GridSvg(c, id_prefix);
      break;
  }
  return absl::StrCat(
      "<figure class=\"chart\">\n", svg, "<figcaption><b>", Xml(c.title),
      "</b>", c.caption.empty() ? "" : absl::StrCat(". ", Xml(c.caption)),
      "</figcaption>\n", c.kind == Chart::Kind::kSeries ? BreachList(c) : "",
      "</figure>\n");
}

std::vector<Table> ChartTables(const Chart& c) {
  if (ChartEmpty(c)) return {};
  switch (c.kind) {
    case Chart::Kind::kSeries:
      return SeriesTables(c);
    case Chart::Kind::kTimeline:
      return TimelineTables(c);
    case Chart::Kind::kGrid:
      return GridTables(c);
  }
  return {};
}

nlohmann::json ChartJson(const Chart& c) {
  nlohmann::json j;
  switch (c.kind) {
    case Chart::Kind::kSeries:
      j = SeriesJson(c);
      break;
    case Chart::Kind::kTimeline:
      j = TimelineJson(c);
      break;
    case Chart::Kind::kGrid:
      j = GridJson(c);
      break;
  }
  j.update({{"kind", KindName(c.kind)},
            {"title", c.title},
            {"caption", c.caption},
            {"empty", ChartEmpty(c)}});
  return j;
}

}  // namespace ailedger::reports
