// Exact values of the fairness statistics. Every rate and every Fairlearn or
// AIF360 disparity over confusion counts is a rational number, so it is kept
// as a reduced fraction of integers (what a report prints beside the decimal,
// e.g. "1370/3400 / 4730/9000" = 4658/6075) as long as it fits in int64, and
// always as a double. An empty denominator gives "undefined", never 0
// (/work/shared/docs/DOMAIN.md §7, "Edge cases").
#ifndef AILEDGER_REPORTS_EXACT_H_
#define AILEDGER_REPORTS_EXACT_H_

#include <cstdint>
#include <optional>
#include <string>

namespace ailedger::reports {

// A reduced fraction: den > 0, gcd(|num|, den) == 1.
struct Fraction {
  int64_t num = 0;
  int64_t den = 1;
  friend bool operator==(const Fraction&, const Fraction&) = default;
};

// A statistic: undefined (an empty denominator somewhere in its definition)
// or a number. `exact` is set when the number is rational and its reduced
// fraction fits in int64; `value` is then exact's nearest double.
struct Value {
  bool defined = false;
  std::optional<Fraction> exact;
  double value = 0;  // meaningful only when defined

  static Value Undefined() { return Value(); }
  // num/den reduced; undefined when den == 0.
  static Value Ratio(uint64_t num, uint64_t den);
  static Value Integer(int64_t v);
  static Value Inexact(double v);

  // "3/5", "-1/5", "1", "undefined"; a value with no exact form prints with
  // 17 significant digits.
  std::string ToString() const;
};

// Arithmetic on values: undefined in, undefined out; exact while the result
// fits, else the double computation alone.
Value Add(const Value& a, const Value& b);
Value Sub(const Value& a, const Value& b);
Value Mul(const Value& a, const Value& b);
Value Div(const Value& a, const Value& b);  // undefined when b is 0
Value Abs(const Value& a);
Value Mean(const Value& a, const Value& b);  // (a + b) / 2
// -1, 0 or 1; exact when both are exact. Both must be defined.
int Compare(const Value& a, const Value& b);
Value Min(const Value& a, const Value& b);  // undefined if either is
Value Max(const Value& a, const Value& b);

}  // namespace ailedger::reports

#endif  // AILEDGER_REPORTS_EXACT_H_
