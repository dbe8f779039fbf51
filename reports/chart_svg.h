// Internal to the chart files (chart.cc, chart_svg.cc, chart_axes.cc,
// chart_rows.cc): the SVG drawing of a chart and the locale-free formatting
// they share. Not for reports: they use chart.h.
#ifndef AILEDGER_REPORTS_CHART_SVG_H_
#define AILEDGER_REPORTS_CHART_SVG_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "reports/chart.h"

namespace ailedger::reports::chart_internal {

// `v` with exactly `decimals` digits after the point, written without the C
// locale (a decimal point always), "undefined" for NaN or infinity.
std::string Fixed(double v, int decimals);
// YYYY-MM-DD (UTC) of `ms`.
std::string Day(int64_t ms);
// Text from a log, escaped for XML/HTML text and attribute values: controls
// and bidi overrides made visible, then & < > " ' as entities.
std::string Xml(absl::string_view s);
// At most `n` code points of `s` (UTF-8), "…" ending a cut string.
std::string Trunc(absl::string_view s, size_t n);

// Drawing primitives (chart_svg.cc). Coordinates are written with one
// decimal.
inline constexpr int kWidth = 640;  // viewBox width of series and timelines
inline constexpr int64_t kDayMs = 86'400'000;
std::string P(double v);
// A linear map of [lo, hi] onto [a, b].
struct Scale {
  double lo, hi, a, b;
  double operator()(double v) const {
    return a + (v - lo) / (hi - lo) * (b - a);
  }
};
std::string Text(double x, double y, absl::string_view text,
                 absl::string_view attrs = "");
std::string Line(double x1, double y1, double x2, double y2,
                 absl::string_view attrs);
std::string Rect(double x, double y, double w, double h,
                 absl::string_view attrs);
// The opening tag, accessible title and description, and a white ground.
std::string Open(const Chart& c, const std::string& id, int width, int height);
// The time axis over [t0, t1] with a margin, never empty.
Scale TimeScale(int64_t t0, int64_t t1, double a, double b);
// Date ticks under the axis at `y`, on round calendar dates (days, weeks,
// months, years) no closer than their labels allow, midnight UTC
// (chart_axes.cc).
std::string TimeTicks(const Scale& x, double y);
// The value axis of a series chart from `bottom` up to `top`: the chart's
// named ticks, else round ones (chart_axes.cc).
struct YAxis {
  Scale y;
  std::vector<std::pair<double, std::string>> ticks;
};
YAxis ValueAxis(const Chart& c, double top, double bottom);
// Whether `label` already writes the value `y` ("four-fifths screen 0.8"):
// the chart does not repeat it.
bool WritesValue(absl::string_view label, double y);
// Where legend item `k` goes, four to a row from `top`.
std::pair<double, double> LegendAt(int k, double top);

// The <svg> of a non-empty chart; element ids start with `id`.
std::string SeriesSvg(const Chart& c, const std::string& id);
std::string TimelineSvg(const Chart& c, const std::string& id);
std::string GridSvg(const Chart& c, const std::string& id);

}  // namespace ailedger::reports::chart_internal

#endif  // AILEDGER_REPORTS_CHART_SVG_H_
