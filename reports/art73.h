// EU AI Act (Regulation (EU) 2024/1689) Art. 73 clocks over verified
// records (issue 13, "EU AI Act Art. 73 clocks"; DOMAIN.md §3 and §10.4):
// for each serious incident and each Member State where it occurred, the
// initial report's deadline (15 days, Art. 73(2); 2 days for a widespread
// infringement or an Art. 3(49)(b) incident, 73(3); 10 days for a death,
// 73(4)) counted from awareness as Regulation 1182/71 counts days, with the
// Member State's public holidays and legal time (art73_calendar.h), met,
// missed or pending; "immediately" after the causal link as a lag, judged
// only against a stated policy; the complete report (73(5)); the regime row
// (art73-regime.json) that says whether the duty applied yet; earlier related
// records of the system (threshold breaches, complaints, incidents) for the
// auditor's attention; releases, deployments and roll-backs between awareness
// and notification (73(6)). Every clock cites its records (reports::Cite).
// Deterministic: "now" is the caller's `as_of_ms`, never the clock.
#ifndef AILEDGER_REPORTS_ART73_H_
#define AILEDGER_REPORTS_ART73_H_

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "reports/art73_calendar.h"
#include "reports/records.h"

namespace ailedger::reports {

struct Art73Options {
  std::string organisation;  // whose IncidentReported records; "" for all
  std::string system;        // the incidents of one system; "" for all
  // IncidentReported records that occurred in [reported_from_ms,
  // reported_to_ms); notifications and updates are read from all records.
  int64_t reported_from_ms = std::numeric_limits<int64_t>::min();
  int64_t reported_to_ms = std::numeric_limits<int64_t>::max();
  // "Now" for a deadline not yet met: pending before, missed after. 0: the
  // latest integration time among the records (stated as such).
  int64_t as_of_ms = 0;
  // Days end at midnight in each Member State's legal time (legal-time.json)
  // unless this is set: then at midnight UTC, for every state.
  bool utc_day_boundaries = false;
  // The organisation's own reading of "immediately" (policy, not law). Unset:
  // the lag is shown and not judged.
  std::optional<int64_t> immediately_policy_ms;
  // How far before awareness related records are looked for.
  int64_t related_lookback_ms = 180 * 86'400'000LL;
};

namespace art73 {

enum class Obligation {
  kInitialReport,   // Art. 73(2)-(4): the deadline
  kImmediately,     // "immediately" after the causal link: a lag
  kCompleteReport,  // Art. 73(5): no deadline
  kNone,            // not a serious incident: no report
};

enum class Outcome { kMet, kMissed, kPending, kNotJudged };

// Whether the obligation applied on the clock's start day (regime table).
enum class Applicability { kApplies, kNotYet, kNotHighRisk, kUndetermined };

struct Clock {
  std::string incident;  // the incident subject's id
  const Record* incident_record = nullptr;
  std::string member_state;  // ISO 3166-1 alpha-2; "" when none is recorded
  Obligation obligation = Obligation::kNone;
  std::string article;  // "Art. 73(2)", ...
  std::string what;     // "initial report within 15 days", ...
  int days = 0;         // kInitialReport: 2, 10 or 15
  // Awareness (or when seriousness was established; for kImmediately the
  // causal link), and on what record that rests.
  int64_t start_ms = 0;
  std::string start_basis;
  // kInitialReport: the period per Regulation 1182/71.
  PeriodEnd period;
  std::string calendar;  // how the days were counted, for the reader
  bool holidays_applied = false;
  // The first notification to this Member State's authority (of any kind,
  // under Art. 73 or no stated regime); for kCompleteReport the complete one.
  const Record* notification = nullptr;
  int64_t notified_ms = 0;
  // kInitialReport: the day of the period it was sent on (0: the day the
  // clock started), in the Member State's legal time.
  int64_t notified_day = 0;
  Outcome outcome = Outcome::kNotJudged;
  Applicability applicability = Applicability::kUndetermined;
  std::string regime;  // the regime row, the table's version
  std::string status;  // "met", "MISSED", "not yet applicable (measured: met)"
  std::vector<std::string> notes;
  std::vector<std::string> citations;  // Cite() of every record it rests on
};

std::string UtcTime(int64_t ms);   // "2025-11-03 09:00 UTC"
std::string Duration(int64_t ms);  // "2 d 3 h", "1 d 5 min", "0 min"

// A record shown beside an incident, for the auditor's attention.
struct Attention {
  std::string incident;
  std::string what;
  const Record* record = nullptr;
  std::string citation;
};

struct Result {
  std::vector<Clock> clocks;  // incidents in log order; per incident, per
                              // Member State: initial, immediately, complete
  std::vector<Attention> related;      // earlier related records
  std::vector<Attention> alterations;  // 73(6): changes before notification
  std::vector<Attention> notes;        // per incident: facts to check
  int64_t as_of_ms = 0;
  // (name, SHA-256 hex) of the reference data used, for
  // Envelope.reference_data; and (name, value) of the parameters.
  std::vector<std::pair<std::string, std::string>> reference_data;
  std::vector<std::pair<std::string, std::string>> parameters;
};

}  // namespace art73

// INTERNAL when the shipped reference data does not parse (a build defect).
absl::StatusOr<art73::Result> Art73Clocks(
    absl::Span<const Record* const> records, const Art73Options& options);
absl::StatusOr<art73::Result> Art73Clocks(const std::vector<Record>& records,
                                          const Art73Options& options);

}  // namespace ailedger::reports

#endif  // AILEDGER_REPORTS_ART73_H_
