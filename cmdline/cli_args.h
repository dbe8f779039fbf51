// A small command-line parser shared by ailedgerd, ailedger and the tools:
// positional words, "--name value" (or "--name=value") options and "--flag"
// switches (a switch is an option declared with no value). Unknown options are
// errors, so a typo never silently changes behaviour. Every error is a usage
// error (cmdline/usage_error.h: exit 2) naming the option.
#ifndef AILEDGER_CMDLINE_CLI_ARGS_H_
#define AILEDGER_CMDLINE_CLI_ARGS_H_

#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "cmdline/usage_error.h"

namespace ailedger {
namespace cli_args_internal {

// Keeps a parameter out of template argument deduction, so GetUint("n", 0)
// means uint64_t, not int.
template <typename T>
struct Identity {
  using type = T;
};

}  // namespace cli_args_internal

class CliArgs {
 public:
  // `with_value`: options that take a value; `switches`: options that do not.
  // Options may repeat (values() returns them all). `command`, when given,
  // names what refuses an unknown option: "get does not take --basis".
  static absl::StatusOr<CliArgs> Parse(const std::vector<std::string>& argv,
                                       const std::set<std::string>& with_value,
                                       const std::set<std::string>& switches,
                                       absl::string_view command = "") {
    CliArgs a;
    for (size_t i = 0; i < argv.size(); ++i) {
      const std::string& w = argv[i];
      if (w.rfind("--", 0) != 0 || w == "--" || w == "-") {
        a.positional_.push_back(w);
        continue;
      }
      std::string name = w.substr(2), value;
      if (size_t eq = name.find('='); eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
      } else if (with_value.count(name)) {
        if (i + 1 >= argv.size())
          return UsageError(absl::StrCat(w, " needs a value"));
        value = argv[++i];
      }
      if (!with_value.count(name) && !switches.count(name)) {
        return UsageError(
            command.empty() ? absl::StrCat("unknown option --", name)
                            : absl::StrCat(command, " does not take --", name));
      }
      a.options_[name].push_back(value);
    }
    return a;
  }

  bool Has(const std::string& name) const { return options_.count(name) > 0; }
  std::string Get(const std::string& name,
                  const std::string& fallback = "") const {
    auto it = options_.find(name);
    return it == options_.end() ? fallback : it->second.back();
  }
  std::vector<std::string> Values(const std::string& name) const {
    auto it = options_.find(name);
    return it == options_.end() ? std::vector<std::string>{} : it->second;
  }
  absl::StatusOr<std::string> Require(const std::string& name) const {
    if (!Has(name) || Get(name).empty()) {
      return UsageError(absl::StrCat("--", name, " is required"));
    }
    return Get(name);
  }
  // A whole number in [min, max] (by default, every value T holds), or
  // `fallback` when the option is absent. The range is checked before the
  // value is narrowed to T, so "--attachment 4294967296" is refused instead of
  // becoming attachment 0.
  template <typename T = uint64_t>
  absl::StatusOr<T> GetUint(
      const std::string& name,
      typename cli_args_internal::Identity<T>::type fallback,
      typename cli_args_internal::Identity<T>::type min = 0,
      typename cli_args_internal::Identity<T>::type max =
          std::numeric_limits<T>::max()) const {
    static_assert(std::is_integral_v<T>, "GetUint: an integer type");
    if (!Has(name)) return fallback;
    const std::string text = Get(name);
    uint64_t v;
    // SimpleAtoi into uint64_t refuses a minus sign and any overflow.
    if (!absl::SimpleAtoi(text, &v)) {
      return UsageError(absl::StrCat("--", name, ": '", absl::CHexEscape(text),
                                     "' is not a whole number"));
    }
    if (v < static_cast<uint64_t>(min) || v > static_cast<uint64_t>(max)) {
      return UsageError(absl::StrCat("--", name, ": ", v, " is out of range (",
                                     static_cast<uint64_t>(min), "..",
                                     static_cast<uint64_t>(max), ")"));
    }
    return static_cast<T>(v);
  }
  // A finite number in [min, max], or `fallback` when the option is absent.
  absl::StatusOr<double> GetDouble(const std::string& name, double fallback,
                                   double min, double max) const {
    if (!Has(name)) return fallback;
    const std::string text = Get(name);
    double v;
    if (!absl::SimpleAtod(text, &v) || !std::isfinite(v)) {
      return UsageError(absl::StrCat("--", name, ": '", absl::CHexEscape(text),
                                     "' is not a number"));
    }
    if (v < min || v > max) {
      return UsageError(absl::StrCat("--", name, ": ", v, " is out of range (",
                                     min, "..", max, ")"));
    }
    return v;
  }
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::vector<std::string> positional_;
  std::map<std::string, std::vector<std::string>> options_;
};

}  // namespace ailedger

#endif  // AILEDGER_CMDLINE_CLI_ARGS_H_
