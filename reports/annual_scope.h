// What the annual impact report (annual_report.h) reads: the records that
// concern the organisation, and the year. A record concerns it when the
// organisation wrote it or is a party it binds, when it names one of the
// organisation's systems (a deployer's deployment, feedback or FRIA about
// them), an audit of the organisation (AuditStarted.auditee or an
// "organisation" subject), the organisation as a "partner" or a partner it
// registered (the partner's due-diligence answers), or when it
// refers to such a record (an approval, correction, retraction or erasure of
// it, a notification of its incident, the next link of a finding's
// nonconformity, corrective action and verification). Operational records
// (records.h IsOperational) are left out: the report counts them
// (OperationalTally). Internal to reports/.
#ifndef AILEDGER_REPORTS_ANNUAL_SCOPE_H_
#define AILEDGER_REPORTS_ANNUAL_SCOPE_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "reports/annual_report.h"
#include "reports/iso42001_evidence.h"
#include "reports/records.h"
#include "reports/report.h"

namespace ailedger::reports::annual {

using Records = std::vector<const Record*>;

inline constexpr int64_t kDayMs = 86'400'000;
// Rows a table lists: a log of a million entries must give a readable report.
// The rows beyond are counted and said (Cap).
inline constexpr size_t kListed = 50;

class Scope {
 public:
  // `records` without operational records (the caller filters them).
  Scope(const std::vector<Record>& records, const VerifyReport& verified,
        const AnnualOptions& annual);

  const AnnualOptions& options() const { return options_; }
  const std::string& organisation() const { return options_.organisation; }
  int64_t start_ms() const { return start_ms_; }
  int64_t end_ms() const { return end_ms_; }
  // The newest integration time in the records: the log as verified.
  int64_t as_of_ms() const { return as_of_ms_; }
  bool InYear(int64_t ms) const { return ms >= start_ms_ && ms < end_ms_; }
  // Systems the organisation's own records name (fairness_analysis.h
  // SystemsOf), sorted.
  const std::vector<std::string>& systems() const { return systems_; }
  bool IsSystem(const std::string& id) const;
  // The records concerning the organisation, log order; those of them that
  // occurred in the year.
  const Records& about() const { return about_; }
  const Records& year() const { return year_; }
  // Every record (the log as verified): ids, correction states, approvals.
  const iso42001::Index& log() const { return log_; }
  const Record* ById(const std::string& id) const { return log_.ById(id); }
  bool IsCurrent(const Record& r) const { return log_.IsCurrent(r); }
  // "current", or "SUPERSEDED by idx N: reason" / "RETRACTED by idx N:
  // reason" (the first correction).
  std::string State(const Record& r) const;
  // Whether every party approved `r` (latest decision each; any time);
  // `why`: the approvals cited, or what lacks ("REJECTED by ... (idx N)",
  // "no approval by ...").
  bool Approved(const Record& r, std::string* why) const {
    return log_.Approved(r, why);
  }
  // The approvals and rejections of `r` (current ones), log order.
  Records Decisions(const Record& r) const;
  // Cite(r), then "; " and the citation of each of its decisions.
  std::string CiteWithDecisions(const Record& r) const;
  // The records of `about` whose "system" subject is `system`, log order.
  Records OfSystem(const std::string& system) const;

 private:
  const AnnualOptions& options_;
  int64_t start_ms_, end_ms_, as_of_ms_ = 0;
  std::vector<std::string> systems_;
  iso42001::Index log_;
  Records about_, year_;
  std::map<std::string, const Record*> corrected_by_;  // event id -> first
  std::map<std::string, Records> decisions_;           // approved id -> them
};

std::string Day(int64_t ms);
// Whole days from `from` to `to` (may be negative).
int64_t Days(int64_t from, int64_t to);
std::string SubjectOf(const v1::Event& e, const std::string& kind);
// The table `table` of `s` cut to kListed rows (the first: callers order rows
// by what matters most), and a paragraph saying how many more `what` there
// are. Returns how many were cut.
size_t Cap(Section* s, size_t table, const std::string& what);
// The JSON of a section's tables: table 0's rows when it has one table, else
// [{header, rows}, ...].
nlohmann::json TablesJson(const Section& s);

}  // namespace ailedger::reports::annual

#endif  // AILEDGER_REPORTS_ANNUAL_SCOPE_H_
