// What the checks of contradictions.h share: a lookup over one log's records
// and the sink that keeps the rows of one organisation. Internal to
// reports/contradictions*.cc.
#ifndef AILEDGER_REPORTS_CONTRADICTIONS_INTERNAL_H_
#define AILEDGER_REPORTS_CONTRADICTIONS_INTERNAL_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "reports/contradictions.h"

namespace ailedger::reports::contradictions {

inline constexpr int64_t kDayMs = 86'400'000;

std::string IdOf(const Record& r);  // the event id's bytes
std::string SubjectOf(const v1::Event& e, const std::string& kind);
std::string Day(int64_t ms);
// "3 days", "1 day", "5 hours" between two times (their absolute distance).
std::string Apart(int64_t a, int64_t b);

class Log {
 public:
  explicit Log(const std::vector<Record>& records);

  const std::vector<Record>& records() const { return records_; }
  // The records but operational ones (records.h IsOperational: log segments,
  // overrides, explanations, by the hundred thousand), which no check but
  // the external references' reads.
  const std::vector<const Record*>& governance() const { return governance_; }
  const Record* ById(const std::string& id) const;
  const Record* ByIndex(uint64_t index) const;
  // Not retracted and not superseded, by any later record.
  bool IsCurrent(const Record& r) const;
  const Record* RetractedBy(const Record& r) const;
  const Record* SupersededBy(const Record& r) const;
  // The latest current Approval of `organisation` on `r` that occurred at or
  // before `by_ms`, or null.
  const Record* Decision(const Record& r, const std::string& organisation,
                         int64_t by_ms) const;
  // Whether `organisation` signed any record here.
  bool Records(const std::string& organisation) const;
  // The provider of `system`: its latest current SystemRegistered's
  // `provider`, else that record's organisation; "" when not registered.
  std::string ProviderOf(const std::string& system) const;

 private:
  const std::vector<Record>& records_;
  std::vector<const Record*> governance_;
  std::map<std::string, const Record*> by_id_;
  std::map<uint64_t, const Record*> by_index_;
  std::map<std::string, const Record*> retracted_by_, superseded_by_;
  std::map<std::string, std::vector<const Record*>> decisions_;
  std::set<std::string> organisations_;
  std::map<std::string, const Record*> registered_;  // system -> latest
};

// Keeps the rows and counts that concern one organisation, over the period.
class Sink {
 public:
  Sink(const std::string& organisation, const ContradictionOptions& options,
       std::vector<Contradiction>* out);

  const ContradictionOptions& options() const { return options_; }
  // Whether a statement signed by `signer` at `statement` is counted and
  // listed when `party`'s records are compared with it.
  bool Concerns(const Record& statement, const std::string& party) const;
  // Counts one statement examined by `check` (if it concerns us).
  void Examined(const char* check, const Record& statement,
                const std::string& party);
  // A row: `c.statement`, `signer`, `index` and `occurred_ms` are filled from
  // `statement`.
  void Add(const Record& statement, Contradiction c);

 private:
  const std::string& organisation_;
  const ContradictionOptions& options_;
  std::vector<Contradiction>* out_;
};

// contradictions_releases.cc: deployments and roll-backs against the
// provider's releases, roll-backs and decommissioning.
void CheckReleases(const Log& log, Sink* sink);
// contradictions_statements.cc: communications, notifications, agreements.
void CheckCommunications(const Log& log, Sink* sink);
void CheckNotifications(const Log& log, Sink* sink);
void CheckAgreements(const Log& log, Sink* sink);
// contradictions_answers.cc: due-diligence answers against their author's
// incidents and conformity declarations.
void CheckDueDiligence(const Log& log, Sink* sink);
// contradictions_external.cc: Event.external_refs against the other log.
void CheckExternalRefs(const Log& log, Sink* sink);

}  // namespace ailedger::reports::contradictions

#endif  // AILEDGER_REPORTS_CONTRADICTIONS_INTERNAL_H_
