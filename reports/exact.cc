#include "reports/exact.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace ailedger::reports {
namespace {

using absl::int128;

int128 Gcd(int128 a, int128 b) {
  if (a < 0) a = -a;
  if (b < 0) b = -b;
  while (b != 0) {
    int128 t = a % b;
    a = b;
    b = t;
  }
  return a;
}

// The reduced num/den if it fits in int64 (den != 0).
std::optional<Fraction> Reduce(int128 num, int128 den) {
  if (den < 0) {
    num = -num;
    den = -den;
  }
  int128 g = Gcd(num, den);
  if (g > 1) {
    num /= g;
    den /= g;
  }
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  if (num > kMax || num < -kMax || den > kMax) return std::nullopt;
  return Fraction{static_cast<int64_t>(num), static_cast<int64_t>(den)};
}

Value FromFraction(std::optional<Fraction> f, double fallback) {
  if (!f.has_value()) return Value::Inexact(fallback);
  Value v;
  v.defined = true;
  v.exact = f;
  v.value = static_cast<double>(f->num) / static_cast<double>(f->den);
  return v;
}

bool IsZero(const Value& v) {
  return v.exact.has_value() ? v.exact->num == 0 : v.value == 0;
}

}  // namespace

Value Value::Ratio(uint64_t num, uint64_t den) {
  if (den == 0) return Undefined();
  return FromFraction(Reduce(int128(num), int128(den)),
                      static_cast<double>(num) / static_cast<double>(den));
}

Value Value::Integer(int64_t v) {
  return FromFraction(Fraction{v, 1}, static_cast<double>(v));
}

Value Value::Inexact(double v) {
  Value out;
  out.defined = true;
  out.value = v;
  return out;
}

std::string Value::ToString() const {
  if (!defined) return "undefined";
  if (!exact.has_value()) return absl::StrFormat("%.17g", value);
  if (exact->den == 1) return absl::StrCat(exact->num);
  return absl::StrCat(exact->num, "/", exact->den);
}

Value Add(const Value& a, const Value& b) {
  if (!a.defined || !b.defined) return Value::Undefined();
  if (!a.exact || !b.exact) return Value::Inexact(a.value + b.value);
  const Fraction& x = *a.exact;
  const Fraction& y = *b.exact;
  return FromFraction(Reduce(int128(x.num) * y.den + int128(y.num) * x.den,
                             int128(x.den) * y.den),
                      a.value + b.value);
}

Value Sub(const Value& a, const Value& b) {
  if (!b.defined) return Value::Undefined();
  Value neg = b;
  neg.value = -b.value;
  if (neg.exact) neg.exact->num = -neg.exact->num;
  return Add(a, neg);
}

Value Mul(const Value& a, const Value& b) {
  if (!a.defined || !b.defined) return Value::Undefined();
  if (!a.exact || !b.exact) return Value::Inexact(a.value * b.value);
  return FromFraction(Reduce(int128(a.exact->num) * b.exact->num,
                             int128(a.exact->den) * b.exact->den),
                      a.value * b.value);
}

Value Div(const Value& a, const Value& b) {
  if (!a.defined || !b.defined || IsZero(b)) return Value::Undefined();
  if (!a.exact || !b.exact) return Value::Inexact(a.value / b.value);
  return FromFraction(Reduce(int128(a.exact->num) * b.exact->den,
                             int128(a.exact->den) * b.exact->num),
                      a.value / b.value);
}

Value Abs(const Value& a) {
  if (!a.defined) return a;
  Value out = a;
  out.value = std::fabs(a.value);
  if (out.exact && out.exact->num < 0) out.exact->num = -out.exact->num;
  return out;
}

Value Mean(const Value& a, const Value& b) {
  return Mul(Add(a, b), Value::Ratio(1, 2));
}

int Compare(const Value& a, const Value& b) {
  if (a.exact && b.exact) {
    int128 l = int128(a.exact->num) * b.exact->den;
    int128 r = int128(b.exact->num) * a.exact->den;
    return l < r ? -1 : (l > r ? 1 : 0);
  }
  return a.value < b.value ? -1 : (a.value > b.value ? 1 : 0);
}

Value Min(const Value& a, const Value& b) {
  if (!a.defined || !b.defined) return Value::Undefined();
  return Compare(b, a) < 0 ? b : a;
}

Value Max(const Value& a, const Value& b) {
  if (!a.defined || !b.defined) return Value::Undefined();
  return Compare(b, a) > 0 ? b : a;
}

}  // namespace ailedger::reports
