// The uncertainty that goes with every fairness figure (/work/shared/docs/
// DOMAIN.md §10.5; review 2026-11 §5.2 item 7): a Wilson score interval per
// group rate, a Katz log interval per impact ratio, Fisher's exact test of a
// group against the reference, and Holm / Benjamini-Hochberg corrections
// across groups x metrics x periods. Pure functions; nothing throws.
#ifndef AILEDGER_REPORTS_INTERVALS_H_
#define AILEDGER_REPORTS_INTERVALS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/types/span.h"

namespace ailedger::reports {

// The two-sided 95 % standard normal quantile, Phi^-1(0.975).
inline constexpr double kZ95 = 1.959963984540054;

// A confidence interval; undefined when its statistic is (an empty
// denominator, or a zero count under a logarithm).
struct Interval {
  bool defined = false;
  double lower = 0;
  double upper = 0;
};

// Wilson score interval of successes/trials (Wilson 1927):
//   (p + z^2/2n +- z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n).
// Undefined when trials == 0. successes <= trials.
Interval WilsonInterval(uint64_t successes, uint64_t trials, double z);

// Katz et al. (1978) log interval of the ratio of two proportions
// (a/n1) / (b/n2): exp(ln r +- z SE), SE = sqrt(1/a - 1/n1 + 1/b - 1/n2)
// (review 2026-11, Appendix A). Undefined when a, b, n1 or n2 is 0.
Interval KatzLogInterval(uint64_t a, uint64_t n1, uint64_t b, uint64_t n2,
                         double z);

// Two-sided p-value of Fisher's exact test on the 2x2 table [[a, b], [c, d]],
// as R's fisher.test computes it: the sum of the hypergeometric
// probabilities (margins fixed) of every table no more likely than the
// observed one, with R's relative tolerance 1e-7. 1 for a table with an
// empty margin. nullopt when the table is empty. The sum of the cells must
// fit in uint64. Terms below double's range against the most likely table
// are left out, so a p-value under about 1e-300 comes back as 0.
std::optional<double> FisherExactTwoSided(uint64_t a, uint64_t b, uint64_t c,
                                          uint64_t d);

// Multiple-comparison adjusted p-values, in the input order, exactly as R's
// p.adjust(p, "holm") and p.adjust(p, "BH"):
//   Holm: p_(i) -> max_{j<=i} min(1, (m - j + 1) p_(j));
//   BH:   p_(i) -> min_{j>=i} min(1, m / j p_(j)).
// Ties keep the input order (a stable sort), as R's order() does.
std::vector<double> HolmAdjust(absl::Span<const double> p);
std::vector<double> BenjaminiHochbergAdjust(absl::Span<const double> p);

// The correction a report applies across its family of tests (a report
// parameter, recorded in its envelope). Holm controls the family-wise error
// rate; Benjamini-Hochberg the false discovery rate (less conservative).
enum class AdjustMethod { kHolm, kBenjaminiHochberg };

std::vector<double> Adjust(absl::Span<const double> p, AdjustMethod method);
// "Holm" or "Benjamini-Hochberg".
std::string AdjustMethodName(AdjustMethod method);

// The two-sided standard normal quantile Phi^-1(1 - alpha/2) of a confidence
// level 1 - alpha, 0 < alpha < 1: kZ95 exactly for alpha = 0.05 (so a 95 %
// interval is the same bits whichever way it was asked for), else found by
// bisection on erfc to double precision. Deterministic.
double TwoSidedZ(double alpha);

}  // namespace ailedger::reports

#endif  // AILEDGER_REPORTS_INTERVALS_H_
