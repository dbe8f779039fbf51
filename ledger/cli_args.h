// A small command-line parser shared by ailedgerd and ailedger: positional
// words, then
// "--name value" options and "--flag" switches (a switch is an option declared
// with no value). Unknown options are errors, so a typo never silently changes
// behaviour.
#ifndef AILEDGER_LEDGER_CLI_ARGS_H_
#define AILEDGER_LEDGER_CLI_ARGS_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace ailedger {

class CliArgs {
 public:
  // `with_value`: options that take a value; `switches`: options that do not.
  // Options may repeat (values() returns them all).
  static absl::StatusOr<CliArgs> Parse(const std::vector<std::string>& argv,
                                       const std::set<std::string>& with_value,
                                       const std::set<std::string>& switches) {
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
          return absl::InvalidArgumentError(absl::StrCat(w, " needs a value"));
        value = argv[++i];
      }
      if (!with_value.count(name) && !switches.count(name)) {
        return absl::InvalidArgumentError(
            absl::StrCat("unknown option --", name));
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
      return absl::InvalidArgumentError(
          absl::StrCat("--", name, " is required"));
    }
    return Get(name);
  }
  absl::StatusOr<uint64_t> GetUint(const std::string& name,
                                   uint64_t fallback) const {
    if (!Has(name)) return fallback;
    uint64_t v;
    if (!absl::SimpleAtoi(Get(name), &v)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", name, ": not a number"));
    }
    return v;
  }
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::vector<std::string> positional_;
  std::map<std::string, std::vector<std::string>> options_;
};

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_CLI_ARGS_H_
