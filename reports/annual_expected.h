// The expectations of the annual report's completeness section
// (annual_completeness.cc): each adds to `Missing` the records the year
// should hold and does not. Internal to reports/annual_*.cc.
#ifndef AILEDGER_REPORTS_ANNUAL_EXPECTED_H_
#define AILEDGER_REPORTS_ANNUAL_EXPECTED_H_

#include <map>
#include <string>
#include <vector>

#include "reports/annual_sections.h"

namespace ailedger::reports::annual::expected {

// Rows of the "expected records missing" table, by kind ("NN name": the
// number orders the kinds): each kind lists its first kPerKind rows and
// counts all.
inline constexpr size_t kPerKind = 25;

class Missing {
 public:
  void Add(const std::string& kind, std::vector<std::string> row);
  // The table (expected, system, finding, record) into `s`, and each kind's
  // count into `counts`.
  void Into(Section* s, nlohmann::json* counts) const;

 private:
  struct Kind {
    size_t count = 0;
    std::vector<std::vector<std::string>> rows;
  };
  std::map<std::string, Kind> kinds_;
};

// The end of what the year can be judged over: the year's end or the log's
// (the newest record), and for a system's records its decommissioning.
int64_t Judged(const Scope& scope);
int64_t JudgedTo(const Scope& scope, const Records& system_records);

// annual_completeness.cc.
void Cadence(const Scope& scope, Missing* out);
void Reviews(const Scope& scope, Missing* out);
void CorrectiveActions(const Scope& scope, Missing* out);
void Conditions(const Scope& scope, Missing* out);
// annual_expected.cc.
void Audits(const Scope& scope, Missing* out);
void Segments(const Scope& scope, const OperationalTally& tally, Missing* out);
void Art73(const Art73Run& run, Missing* out);
void Approvals(const Scope& scope, Missing* out);
void Versions(const std::vector<Record>& records, const VerifyReport& verified,
              const Scope& scope, Missing* out);
void Objectives(const Scope& scope, Missing* out);

}  // namespace ailedger::reports::annual::expected

#endif  // AILEDGER_REPORTS_ANNUAL_EXPECTED_H_
