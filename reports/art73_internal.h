// The pieces of Art73Clocks (art73.h): the records indexed, an incident's
// notifications per Member State, day counting per Member State, the regime
// row that applies to the incident's system, and the records shown beside an
// incident. Internal to reports/.
#ifndef AILEDGER_REPORTS_ART73_INTERNAL_H_
#define AILEDGER_REPORTS_ART73_INTERNAL_H_

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/types/span.h"
#include "reports/art73.h"
#include "reports/art73_data.h"

namespace ailedger::reports::art73 {

std::string SubjectOf(const v1::Event& e, const std::string& kind);
// The incident subject's id, else "event " and the event id's first 16 hex.
std::string IncidentId(const Record& report);

class Index {
 public:
  explicit Index(absl::Span<const Record* const> records);

  absl::Span<const Record* const> all() const { return records_; }
  // Retracted, or corrected by a later record (its `supersedes`).
  bool Withdrawn(const Record& r) const;
  // The other current records naming the same incident, in log order.
  std::vector<const Record*> AboutIncident(const Record& report) const;
  const Record* ById(const std::string& event_id) const;

 private:
  absl::Span<const Record* const> records_;
  std::set<std::string> withdrawn_;
  std::map<std::string, const Record*> by_id_;
};

// The incident's current notifications under Art. 73 (or no stated regime),
// by Member State: linked by incident_event_id to any IncidentReported of the
// same incident, else by the incident subject.
class Notifications {
 public:
  Notifications(const Index& ix, const Record& report);

  const Record* First(const std::string& member_state) const;  // any kind
  const Record* Complete(const std::string& member_state) const;
  std::vector<std::string> States() const;
  // The first notification to any authority, else `otherwise`.
  int64_t FirstSentMs(int64_t otherwise) const;

 private:
  std::map<std::string, std::vector<const Record*>> by_state_;
};

// The incident's Member States in recorded order, then any other notified
// state; {""} when none is known.
std::vector<std::string> MemberStates(const Record& report,
                                      const Notifications& sent);

// Day counting per Member State, remembering which calendars it consulted.
class DayCounter {
 public:
  DayCounter(const ReferenceData& data, bool utc);

  DayCount For(const std::string& member_state) const;
  // How `p` was counted, for the reader (and marks the calendar used).
  std::string Describe(const std::string& member_state,
                       const PeriodEnd& p) const;
  std::vector<std::pair<std::string, std::string>> ReferenceData(
      const RegimeTable& regime) const;

 private:
  const art73::ReferenceData& data_;
  bool utc_;
  mutable std::set<std::string> used_;
};

// The regime row that applies to the incident's system, from its latest
// classification (ClassificationAssessed, else SystemRegistered).
struct Applicable {
  const RegimeRule* rule = nullptr;  // null: undetermined
  const Record* record = nullptr;    // the classification it rests on
  std::string text;                  // printed with every deadline

  Applicability Of(absl::CivilDay start_day) const;
};
Applicable ApplicabilityOf(const Index& ix, const Record& report,
                           const RegimeTable& regime);

// Records of the incident's system in [start - lookback, start) for the
// auditor's attention: fairness snapshots that breach their plan threshold
// or the four-fifths screen, complaints, earlier incidents.
void Related(const Index& ix, const Record& report, int64_t start_ms,
             int64_t lookback_ms, std::vector<Attention>* out);
// Art. 73(6): releases, deployments and roll-backs of the system in
// [start, informed).
void Alterations(const Index& ix, const Record& report, int64_t start_ms,
                 int64_t informed_ms, std::vector<Attention>* out);
// Facts about the incident's own records a reader should check (awareness
// later than its own record, notified states it does not name).
void Checks(const Record& report, const Notifications& sent,
            std::vector<Attention>* out);

}  // namespace ailedger::reports::art73

#endif  // AILEDGER_REPORTS_ART73_INTERNAL_H_
