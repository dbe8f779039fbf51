// The sections of the system factsheet (system_report.h), over one context:
// which records are about the system, and which later records supersede or
// retract each. Internal to reports/system_*.cc.
#ifndef AILEDGER_REPORTS_SYSTEM_SECTIONS_H_
#define AILEDGER_REPORTS_SYSTEM_SECTIONS_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "reports/records.h"
#include "reports/report.h"

namespace ailedger::reports::factsheet {

struct Context {
  std::string system;
  const VerifyReport* verified = nullptr;
  std::map<std::string, const Record*> by_id;  // event id bytes
  std::map<uint64_t, const Record*> by_index;
  // Event id -> the later records that supersede or retract it, log order.
  std::map<std::string, std::vector<const Record*>> corrections;
  // The records about the system, log order: those naming it as a subject,
  // and those tied to one of them (its incidents' and audits' records, the
  // approvals, corrections and retractions of them, the notifications of its
  // incidents, the findings resting on them, ...).
  std::vector<const Record*> about;
  std::set<std::string> about_ids;
  // The last integration time in the records: "as of" for due dates (the
  // report never reads the clock).
  int64_t as_of_ms = 0;
};

Context BuildContext(const std::vector<Record>& records,
                     const VerifyReport& verified, const std::string& system);

// A missing or pending item of the completeness section.
struct Gap {
  std::string item;
  std::string finding;
  std::string evidence;  // Cite of the record it concerns, or ""
};

std::string IdOf(const Record& r);  // the event id's bytes
bool NamesSubject(const v1::Event& e, const std::string& kind,
                  const std::string& id);
std::string SubjectOf(const v1::Event& e, const std::string& kind);
std::string Day(int64_t ms);
// "RISK_CLASS_HIGH" -> "high" (the prefix up to the enum's name removed);
// "..._UNSPECIFIED" -> "not stated".
std::string EnumText(const std::string& name, const std::string& prefix);
std::string OrNot(const std::string& s);  // "" -> "not stated"

// "current", or "SUPERSEDED by idx N: reason" / "RETRACTED by idx N: reason"
// (each later correction, joined by "; ").
std::string Status(const Context& c, const Record& r);
bool IsCurrent(const Context& c, const Record& r);
// {"index", "event_id", "event_type", "status"} of a record, for report.data.
nlohmann::json Ref(const Context& c, const Record& r);

// Each appends its section to `out` (and its figures to out->data) and what
// it finds missing to `gaps`.
void AddVersions(const Context& c, Report* out, std::vector<Gap>* gaps);
void AddAssessments(const Context& c, Report* out, std::vector<Gap>* gaps);
void AddMetrics(const Context& c, Report* out, std::vector<Gap>* gaps);
void AddIncidents(const Context& c, Report* out, std::vector<Gap>* gaps);
void AddApprovals(const Context& c, Report* out, std::vector<Gap>* gaps);
void AddAudits(const Context& c, Report* out, std::vector<Gap>* gaps);

}  // namespace ailedger::reports::factsheet

#endif  // AILEDGER_REPORTS_SYSTEM_SECTIONS_H_
