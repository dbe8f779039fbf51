#include "reports/intervals.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include "absl/numeric/int128.h"
#include "absl/types/span.h"

namespace ailedger::reports {
namespace {

double LogChoose(double n, double k) {
  return std::lgamma(n + 1) - std::lgamma(k + 1) - std::lgamma(n - k + 1);
}

// Indices of p in ascending order of p, ties in input order.
std::vector<size_t> Ascending(absl::Span<const double> p) {
  std::vector<size_t> order(p.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t x, size_t y) { return p[x] < p[y]; });
  return order;
}

}  // namespace

Interval WilsonInterval(uint64_t successes, uint64_t trials, double z) {
  if (trials == 0) return Interval();
  const double n = static_cast<double>(trials);
  const double p = static_cast<double>(successes) / n;
  const double z2 = z * z;
  const double denom = 1 + z2 / n;
  const double centre = (p + z2 / (2 * n)) / denom;
  const double half = z * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom;
  return Interval{true, std::max(0.0, centre - half),
                  std::min(1.0, centre + half)};
}

Interval KatzLogInterval(uint64_t a, uint64_t n1, uint64_t b, uint64_t n2,
                         double z) {
  if (a == 0 || b == 0 || n1 == 0 || n2 == 0) return Interval();
  const double da = static_cast<double>(a), dn1 = static_cast<double>(n1);
  const double db = static_cast<double>(b), dn2 = static_cast<double>(n2);
  const double log_ratio = std::log(da / dn1) - std::log(db / dn2);
  const double se = std::sqrt(1 / da - 1 / dn1 + 1 / db - 1 / dn2);
  return Interval{true, std::exp(log_ratio - z * se),
                  std::exp(log_ratio + z * se)};
}

std::optional<double> FisherExactTwoSided(uint64_t a, uint64_t b, uint64_t c,
                                          uint64_t d) {
  const uint64_t row1 = a + b, row2 = c + d, col1 = a + c;
  const uint64_t total = row1 + row2;
  if (total == 0) return std::nullopt;
  // x = the top-left cell; its support given the margins.
  const uint64_t lo = col1 > row2 ? col1 - row2 : 0;
  const uint64_t hi = std::min(row1, col1);
  if (lo == hi) return 1.0;
  auto log_p = [&](uint64_t x) {
    return LogChoose(static_cast<double>(row1), static_cast<double>(x)) +
           LogChoose(static_cast<double>(row2), static_cast<double>(col1 - x));
  };
  // The distribution is unimodal: walk out from its mode and stop where a
  // term underflows against the mode's, so that the work grows with the
  // spread (about sqrt(n)), not with n. Normalising by the visited sum, as
  // R's dnhyper does, lets lgamma's rounding cancel.
  const absl::uint128 m = absl::uint128(row1 + 1) * (col1 + 1) / (total + 2);
  const uint64_t mode = std::clamp(absl::Uint128Low64(m), lo, hi);
  const double top = log_p(mode);
  const double cutoff = log_p(a) + std::log1p(1e-7);  // R: d <= d_obs*(1+1e-7)
  double all = 0, extreme = 0;
  auto visit = [&](uint64_t x) {
    const double lp = log_p(x);
    const double w = std::exp(lp - top);
    all += w;
    if (lp <= cutoff) extreme += w;
    return w > 0;
  };
  for (uint64_t x = mode; visit(x) && x > lo;) --x;
  for (uint64_t x = mode + 1; x <= hi && visit(x);) ++x;
  return std::min(1.0, extreme / all);
}

std::vector<double> HolmAdjust(absl::Span<const double> p) {
  const std::vector<size_t> order = Ascending(p);
  const double m = static_cast<double>(p.size());
  std::vector<double> out(p.size());
  double running = 0;
  for (size_t j = 0; j < order.size(); ++j) {
    const double step =
        std::min(1.0, (m - static_cast<double>(j)) * p[order[j]]);
    running = std::max(running, step);
    out[order[j]] = running;
  }
  return out;
}

std::vector<double> BenjaminiHochbergAdjust(absl::Span<const double> p) {
  const std::vector<size_t> order = Ascending(p);
  const double m = static_cast<double>(p.size());
  std::vector<double> out(p.size());
  double running = 1;
  for (size_t j = order.size(); j-- > 0;) {
    const double step =
        std::min(1.0, m / static_cast<double>(j + 1) * p[order[j]]);
    running = std::min(running, step);
    out[order[j]] = running;
  }
  return out;
}

std::vector<double> Adjust(absl::Span<const double> p, AdjustMethod method) {
  return method == AdjustMethod::kHolm ? HolmAdjust(p)
                                       : BenjaminiHochbergAdjust(p);
}

std::string AdjustMethodName(AdjustMethod method) {
  return method == AdjustMethod::kHolm ? "Holm" : "Benjamini-Hochberg";
}

double TwoSidedZ(double alpha) {
  if (alpha == 0.05) return kZ95;
  // Upper tail Q(z) = erfc(z / sqrt 2) / 2 falls from 1/2 at 0; find
  // Q(z) = alpha / 2 on [0, 40] (Q(40) underflows far below any alpha).
  const double target = alpha / 2;
  double lo = 0, hi = 40;
  for (int i = 0; i < 200 && lo < hi; ++i) {
    const double mid = lo + (hi - lo) / 2;
    if (mid == lo || mid == hi) break;
    if (std::erfc(mid / std::sqrt(2.0)) / 2 > target) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return lo + (hi - lo) / 2;
}

}  // namespace ailedger::reports
