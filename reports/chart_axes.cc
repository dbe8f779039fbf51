// The axes of the charts (chart_svg.h): round value ticks and calendar date
// ticks whose labels keep apart. Deterministic: no locale, UTC dates.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "reports/chart_svg.h"

namespace ailedger::reports::chart_internal {
namespace {

// The number of decimals that write every multiple of `step` exactly (for
// a step of 1, 2, 2.5 or 5 x 10^k).
int StepDecimals(double step) {
  int d = 0;
  while (d < 9 && std::fabs(step * std::pow(10, d) -
                            std::round(step * std::pow(10, d))) > 1e-6)
    ++d;
  return d;
}

// Round ticks (ggplot's and matplotlib's habit): a step of 1, 2, 2.5 or 5 x
// 10^k, the smallest that covers [lo, hi] in at most six intervals, the axis
// widened to the multiples of the step around it, so that a tick reads
// "0.6" and not "0.580" or "0.910".
YAxis NiceAxis(double lo, double hi, double top, double bottom) {
  const double span = hi - lo;
  double step = std::pow(10, std::floor(std::log10(span / 6)) - 1);
  for (int i = 0;; ++i) {
    const double s =
        step * std::pow(10, i / 4) * std::array<double, 4>{1, 2, 2.5, 5}[i % 4];
    // A small tolerance: a bound already on a multiple stays there.
    const double first = std::floor(lo / s + 1e-9),
                 last = std::ceil(hi / s - 1e-9);
    if (last - first <= 6 || i > 40) {
      step = s;
      lo = first * s;
      hi = last * s;
      break;
    }
  }
  const int decimals = StepDecimals(step);
  YAxis axis{{lo, hi, bottom, top}, {}};
  const int n = static_cast<int>(std::lround((hi - lo) / step));
  for (int k = 0; k <= n; ++k) {
    const double v = lo + step * k;
    axis.ticks.push_back({v, Fixed(v, decimals)});
  }
  return axis;
}

// Date ticks: every `days` days (a week's from a Monday, the others from the
// Unix epoch's day) or every `months` months (from January), labelled
// YYYY-MM-DD, YYYY-MM or YYYY.
struct DateStep {
  int days, months;
};
// clang-format off
constexpr DateStep kDateSteps[] = {
    {1, 0}, {2, 0}, {3, 0}, {4, 0}, {7, 0}, {14, 0},
    {0, 1}, {0, 2}, {0, 3}, {0, 6}, {0, 12}, {0, 24}, {0, 60}, {0, 120},
};
// clang-format on
// Two labels' centres at least this far apart: a YYYY-MM-DD label at
// font-size 11 is about 64 units wide, and the gap between two is then 16.
constexpr double kLabelCharWidth = 6.4, kLabelGap = 16;

std::vector<std::pair<int64_t, std::string>> DateTicks(const Scale& x,
                                                       const DateStep& step) {
  std::vector<std::pair<int64_t, std::string>> out;
  const absl::TimeZone utc = absl::UTCTimeZone();
  const absl::Time lo = absl::FromUnixMillis(static_cast<int64_t>(x.lo));
  const absl::Time hi = absl::FromUnixMillis(static_cast<int64_t>(x.hi));
  if (step.days > 0) {
    const int64_t first = absl::ToUnixMillis(lo) / kDayMs - 1;
    const int64_t origin = step.days % 7 == 0 ? 4 : 0;  // 1970-01-05, Monday
    for (int64_t d = first; d * kDayMs <= absl::ToUnixMillis(hi); ++d) {
      if (d * kDayMs < absl::ToUnixMillis(lo)) continue;
      if (((d - origin) % step.days + step.days) % step.days != 0) continue;
      out.push_back({d * kDayMs, Day(d * kDayMs)});
    }
    return out;
  }
  absl::CivilMonth m = absl::ToCivilMonth(lo, utc);
  for (; absl::FromCivil(m, utc) <= hi; ++m) {
    const int64_t index = m.year() * 12 + (m.month() - 1);
    if (index % step.months != 0 || absl::FromCivil(m, utc) < lo) continue;
    const int64_t t = absl::ToUnixMillis(absl::FromCivil(m, utc));
    out.push_back({t, step.months % 12 == 0 ? absl::StrCat(m.year())
                                            : absl::FormatCivilTime(m)});
  }
  return out;
}

}  // namespace

YAxis ValueAxis(const Chart& c, double top, double bottom) {
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  auto see = [&](double v) {
    if (!std::isfinite(v)) return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  };
  for (const ChartSeries& s : c.series)
    for (const ChartPoint& p : s.points) see(p.y);
  for (const ChartThreshold& h : c.thresholds) see(h.y);
  for (const auto& t : c.y_ticks) see(t.first);
  if (lo > hi) lo = hi = 0;  // no finite value: an axis all the same
  // A margin so that no mark sits on the frame, unless the report fixed
  // that end (a rate's 0 and 1).
  const double margin = hi > lo ? (hi - lo) * 0.05 : 1;
  lo = c.y_min ? std::min(*c.y_min, lo) : lo - margin;
  hi = c.y_max ? std::max(*c.y_max, hi) : hi + margin;
  if (hi <= lo) hi = lo + 1;
  if (c.y_ticks.empty()) return NiceAxis(lo, hi, top, bottom);
  return {{lo, hi, bottom, top}, c.y_ticks};
}

// Whether `label` already writes the value `y` (a report's "four-fifths
// screen 0.8" or "at least 0.8"): the chart does not repeat it.
bool WritesValue(absl::string_view label, double y) {
  for (absl::string_view word : absl::StrSplit(label, ' ')) {
    word = absl::StripSuffix(absl::StripPrefix(word, "("), ")");
    double v;
    if (absl::SimpleAtod(word, &v) &&
        std::fabs(v - y) <= 1e-9 * std::max(1.0, std::fabs(y)))
      return true;
  }
  return false;
}

std::string TimeTicks(const Scale& x, double y) {
  // The finest calendar step whose labels keep apart.
  std::vector<std::pair<int64_t, std::string>> ticks;
  const double per_day = std::fabs(x(kDayMs) - x(0));
  for (const DateStep& step : kDateSteps) {
    const double apart =
        per_day * (step.days > 0 ? step.days : 28 * step.months);
    const double chars = step.days > 0 ? 10 : step.months % 12 == 0 ? 4 : 7;
    if (apart < kLabelCharWidth * chars + kLabelGap) continue;
    ticks = DateTicks(x, step);
    break;
  }
  if (ticks.empty()) {
    // No round date on the axis (less than a day shown): the day in the
    // middle; or centuries shown: the days at both ends.
    const int64_t lo = static_cast<int64_t>(x.lo);
    const int64_t hi = static_cast<int64_t>(x.hi);
    if (hi - lo < 2 * kDayMs) {
      ticks.push_back({lo + (hi - lo) / 2, Day(lo + (hi - lo) / 2)});
    } else {
      ticks = {{lo, Day(lo)}, {hi, Day(hi)}};
    }
  }
  std::string out;
  for (const auto& [t, label] : ticks) {
    const double tx = x(static_cast<double>(t));
    absl::StrAppend(&out, Line(tx, y, tx, y + 4, " stroke=\"#333\""),
                    Text(tx, y + 15, label, " text-anchor=\"middle\""), "\n");
  }
  return out;
}

}  // namespace ailedger::reports::chart_internal
