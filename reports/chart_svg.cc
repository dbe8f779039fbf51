// The SVG of a chart (chart.h). Inline, static and self-contained: no
// script, no external reference, no web font, a viewBox so that it scales
// to the page. Read in greyscale print too: series differ by dash and marker
// shape as well as colour, breaches are filled and labelled B1, B2, ...,
// deadlines carry their outcome as text, grid cells carry their label and a
// hatch. Every string from a log goes through Xml(); every number through
// Fixed() (no locale).
#include "reports/chart_svg.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/strings/str_cat.h"

namespace ailedger::reports::chart_internal {
namespace {

struct Style {
  const char* colour;
  const char* dash;  // stroke-dasharray, "" for solid
  int shape;         // 0 circle, 1 square, 2 triangle, 3 diamond
};
// clang-format off
constexpr Style kStyles[] = {
    {"#1f4e9c", "",        0},
    {"#d95f02", "6 3",     1},
    {"#1b9e77", "2 2",     2},
    {"#7570b3", "8 3 2 3", 3},
    {"#555555", "12 4",    1},
    {"#a6761d", "4 4",     2},
};
// clang-format on
constexpr char kBreachFill[] = "#c00000";
// A white outline under a label, so that a line it crosses does not hide it.
constexpr char kHalo[] =
    " stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\"";

std::string Dash(const char* dash) {
  return *dash ? absl::StrCat(" stroke-dasharray=\"", dash, "\"") : "";
}

// A marker of `shape` centred on (x, y), `attrs` its paint.
std::string Marker(int shape, double x, double y, double r,
                   const std::string& attrs) {
  switch (shape) {
    case 1:
      return absl::StrCat("<rect x=\"", P(x - r), "\" y=\"", P(y - r),
                          "\" width=\"", P(2 * r), "\" height=\"", P(2 * r),
                          "\"", attrs, "/>");
    case 2:
      return absl::StrCat("<polygon points=\"", P(x), ",", P(y - r * 1.2), " ",
                          P(x + r * 1.1), ",", P(y + r * 0.8), " ",
                          P(x - r * 1.1), ",", P(y + r * 0.8), "\"", attrs,
                          "/>");
    case 3:
      return absl::StrCat("<polygon points=\"", P(x), ",", P(y - r * 1.3), " ",
                          P(x + r * 1.3), ",", P(y), " ", P(x), ",",
                          P(y + r * 1.3), " ", P(x - r * 1.3), ",", P(y), "\"",
                          attrs, "/>");
    default:
      return absl::StrCat("<circle cx=\"", P(x), "\" cy=\"", P(y), "\" r=\"",
                          P(r), "\"", attrs, "/>");
  }
}

}  // namespace

std::string P(double v) { return Fixed(v, 1); }

std::string Text(double x, double y, absl::string_view text,
                 absl::string_view attrs) {
  return absl::StrCat("<text x=\"", P(x), "\" y=\"", P(y), "\"", attrs, ">",
                      Xml(text), "</text>");
}

std::string Rect(double x, double y, double w, double h,
                 absl::string_view attrs) {
  return absl::StrCat("<rect x=\"", P(x), "\" y=\"", P(y), "\" width=\"", P(w),
                      "\" height=\"", P(h), "\"", attrs, "/>");
}

std::string Line(double x1, double y1, double x2, double y2,
                 absl::string_view attrs) {
  return absl::StrCat("<line x1=\"", P(x1), "\" y1=\"", P(y1), "\" x2=\"",
                      P(x2), "\" y2=\"", P(y2), "\"", attrs, "/>");
}

// The opening tag, accessible title and description, and a white ground.
std::string Open(const Chart& c, const std::string& id, int width, int height) {
  return absl::StrCat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ", width, " ",
      height, "\" width=\"", width, "\" height=\"", height,
      "\" role=\"img\" aria-labelledby=\"", Xml(id), "-t ", Xml(id),
      "-d\" font-family=\"sans-serif\" font-size=\"11\">\n<title id=\"",
      Xml(id), "-t\">", Xml(c.title), "</title><desc id=\"", Xml(id), "-d\">",
      Xml(c.caption), "</desc>\n<rect width=\"", width, "\" height=\"", height,
      "\" fill=\"#fff\"/>\n");
}

// The time axis: [t0, t1] with a margin, never empty.
Scale TimeScale(int64_t t0, int64_t t1, double a, double b) {
  if (t0 >= t1) {
    t0 -= kDayMs;
    t1 += kDayMs;
  }
  const int64_t pad = (t1 - t0) / 25;
  return {static_cast<double>(t0 - pad), static_cast<double>(t1 + pad), a, b};
}

std::pair<double, double> LegendAt(int k, double top) {
  return {8 + (k % 4) * 156, top + (k / 4) * 16};
}

std::string SeriesSvg(const Chart& c, const std::string& id) {
  int64_t t0 = std::numeric_limits<int64_t>::max();
  int64_t t1 = std::numeric_limits<int64_t>::min();
  for (const ChartSeries& s : c.series) {
    for (const ChartPoint& p : s.points) {
      t0 = std::min(t0, p.t_ms);
      t1 = std::max(t1, p.t_ms);
    }
  }
  for (const ChartBreak& b : c.breaks) {
    t0 = std::min(t0, b.t_ms);
    t1 = std::max(t1, b.t_ms);
  }
  const double top = 24, bottom = 224;
  YAxis axis = ValueAxis(c, top, bottom);
  size_t widest = 0;
  for (const auto& t : axis.ticks)
    widest = std::max(widest, Trunc(t.second, 24).size());
  const double left = std::clamp(10.0 + 6.0 * widest, 60.0, 160.0);
  const double right = kWidth - 32;  // half a date label
  const Scale x = TimeScale(t0, t1, left, right);
  const Scale& y = axis.y;

  const int legend_items = static_cast<int>(c.series.size()) +
                           (c.thresholds.empty() ? 0 : 1) +
                           (c.breaks.empty() ? 0 : 1) + 1;  // + breach, if any
  const double legend_top = bottom + 36;
  const int height =
      static_cast<int>(legend_top) + ((legend_items + 3) / 4) * 16 + 2;
  std::string out = Open(c, id, kWidth, height);
  if (!c.y_label.empty())
    absl::StrAppend(
        &out, Text(left, 13, Trunc(c.y_label, 80), " font-weight=\"bold\""),
        "\n");
  for (const auto& [v, label] : axis.ticks) {
    absl::StrAppend(
        &out, Line(left, y(v), right, y(v), " stroke=\"#ddd\""),
        Text(left - 4, y(v) + 4, Trunc(label, 24), " text-anchor=\"end\""),
        "\n");
  }
  absl::StrAppend(&out, "<path d=\"M", P(left), " ", P(top), "V", P(bottom),
                  "H", P(right), "\" fill=\"none\" stroke=\"#333\"/>\n",
                  TimeTicks(x, bottom));
  for (const ChartBreak& b : c.breaks) {
    const double bx = x(static_cast<double>(b.t_ms));
    absl::StrAppend(
        &out, "<g class=\"break\"><title>series break ", Day(b.t_ms), ": ",
        Xml(b.label), "</title>",
        Line(bx, top, bx, bottom,
             " stroke=\"#333\" stroke-width=\"1.5\" stroke-dasharray=\"1 3\""),
        Text(bx + 3, top + 10, Trunc(b.label, 24),
             absl::StrCat(" font-size=\"9\"", kHalo)),
        "</g>\n");
  }
  // Threshold lines and labels under the series: a mark is never hidden.
  for (const ChartThreshold& h : c.thresholds) {
    const std::string label =
        WritesValue(h.label, h.y)
            ? Trunc(h.label, 48)
            : absl::StrCat(Trunc(h.label, 40), " ", Fixed(h.y, c.y_decimals));
    absl::StrAppend(
        &out, "<g class=\"threshold\"><title>threshold ", Xml(label),
        "</title>",
        Line(left, y(h.y), right, y(h.y),
             " stroke=\"#000\" stroke-width=\"1.5\" stroke-dasharray=\"8 4\""),
        "</g>\n");
    absl::StrAppend(&out,
                    Text(right - 2, y(h.y) - 4, label,
                         absl::StrCat(" text-anchor=\"end\"", kHalo)),
                    "\n");
  }
  int breaches = 0;
  for (size_t i = 0; i < c.series.size(); ++i) {
    const ChartSeries& s = c.series[i];
    const Style& st = kStyles[i % std::size(kStyles)];
    std::string path, marks;
    for (const ChartPoint& p : s.points) {
      if (!std::isfinite(p.y)) continue;  // undefined: in the table only
      const double px = x(static_cast<double>(p.t_ms)), py = y(p.y);
      if (path.empty()) {
        path = absl::StrCat("M", P(px), " ", P(py));
      } else if (s.step) {
        absl::StrAppend(&path, "H", P(px), "V", P(py));
      } else {
        absl::StrAppend(&path, "L", P(px), " ", P(py));
      }
      const std::string what = absl::StrCat(s.name, " ", Day(p.t_ms), ": ",
                                            Fixed(p.y, c.y_decimals));
      if (p.breach) {
        const std::string tag = absl::StrCat("B", ++breaches);
        absl::StrAppend(
            &marks, "<g class=\"pt breach\"><title>", tag, " BREACH ",
            Xml(what), "</title>",
            Marker(st.shape, px, py, 5,
                   absl::StrCat(" fill=\"", kBreachFill,
                                "\" stroke=\"#000\" stroke-width=\"2\"")),
            Text(px + 7, py - 6, tag,
                 absl::StrCat(" font-weight=\"bold\" font-size=\"10\"", kHalo)),
            "</g>\n");
      } else {
        absl::StrAppend(
            &marks, "<g class=\"pt\"><title>", Xml(what), "</title>",
            Marker(st.shape, px, py, 3.5,
                   absl::StrCat(" fill=\"#fff\" stroke=\"", st.colour,
                                "\" stroke-width=\"1.5\"")),
            "</g>\n");
      }
    }
    absl::StrAppend(&out, "<g class=\"series\"><title>", Xml(s.name),
                    "</title>");
    if (!path.empty())
      absl::StrAppend(&out, "<path d=\"", path, "\" fill=\"none\" stroke=\"",
                      st.colour, "\" stroke-width=\"1.5\"", Dash(st.dash),
                      "/>\n");
    absl::StrAppend(&out, marks, "</g>\n");
  }
  // The legend: each series, then the marks that are not series.
  int k = 0;
  for (size_t i = 0; i < c.series.size(); ++i, ++k) {
    const Style& st = kStyles[i % std::size(kStyles)];
    auto [lx, ly] = LegendAt(k, legend_top);
    absl::StrAppend(
        &out,
        Line(lx, ly - 4, lx + 24, ly - 4,
             absl::StrCat(" stroke=\"", st.colour, "\" stroke-width=\"1.5\"",
                          Dash(st.dash))),
        Marker(st.shape, lx + 12, ly - 4, 3.5,
               absl::StrCat(" fill=\"#fff\" stroke=\"", st.colour, "\"")),
        Text(lx + 30, ly, Trunc(c.series[i].name, 20)), "\n");
  }
  if (!c.thresholds.empty()) {
    auto [lx, ly] = LegendAt(k++, legend_top);
    absl::StrAppend(&out,
                    Line(lx, ly - 4, lx + 24, ly - 4,
                         " stroke=\"#000\" stroke-dasharray=\"8 4\""),
                    Text(lx + 30, ly, "threshold"), "\n");
  }
  if (!c.breaks.empty()) {
    auto [lx, ly] = LegendAt(k++, legend_top);
    absl::StrAppend(&out,
                    Line(lx + 12, ly - 11, lx + 12, ly + 2,
                         " stroke=\"#333\" stroke-dasharray=\"1 3\""),
                    Text(lx + 30, ly, "series break"), "\n");
  }
  if (breaches > 0) {
    auto [lx, ly] = LegendAt(k, legend_top);
    absl::StrAppend(
        &out,
        Marker(0, lx + 12, ly - 4, 5,
               absl::StrCat(" fill=\"", kBreachFill,
                            "\" stroke=\"#000\" stroke-width=\"2\"")),
        Text(lx + 30, ly, absl::StrCat("breach (", breaches, ")")), "\n");
  }
  out.append("</svg>\n");
  return out;
}

}  // namespace ailedger::reports::chart_internal
