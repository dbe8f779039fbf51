// The evidence model of the ISO/IEC 42001 evidence pack: the records as of
// a date (Index), and each control of the Statement of Applicability judged
// from them (AssessControls). Internal to reports/; the report is
// iso42001_report.h.
//
// The status rules (data/iso42001/README.md; domain review §5.2 item 8),
// judged at `as_of`, with a control's review period being its SoA row's
// review_interval_days, else the mapping's default:
// clang-format off
//   not determined             no SoA row for the control
//   not applicable             the row excludes it (with its justification)
//   evidenced                  a mapped or auditor-accepted record occurred
//                              within the review period before as_of
//   stale                      there are such records, all older than that
//   declared without evidence  the row says implemented, partial, by the
//                              supplier or shared, and there is no such record
//   missing                    applicable, not declared implemented (planned
//                              or unstated), and no such record
// clang-format on
// An author's framework_refs, and the events a row lists as its evidence,
// are "claimed": shown, never counted. Auditor acceptance is an AuditFinding
// of class CONFORMITY referring to the control, signed by an auditor key the
// reader pinned.
#ifndef AILEDGER_REPORTS_ISO42001_EVIDENCE_H_
#define AILEDGER_REPORTS_ISO42001_EVIDENCE_H_

#include <map>
#include <string>
#include <vector>

#include "reports/iso42001_mapping.h"
#include "reports/records.h"
#include "reports/report.h"

namespace ailedger::reports::iso42001 {

inline constexpr int64_t kDayMs = 86'400'000;

std::string Day(int64_t ms);
// The subject id of `kind` ("system", "incident", ...), or "".
std::string SubjectOf(const v1::Event& e, absl::string_view kind);
std::string IdOf(const Record& r);  // the event id's bytes

// The records a pack is built from: those integrated no later than `as_of`,
// in log order. Nothing recorded after the date counts, not even a
// retraction or an approval.
class Index {
 public:
  Index(const std::vector<Record>& records, const VerifyReport& verified,
        std::string organisation, int64_t as_of);

  const std::string& organisation() const { return organisation_; }
  int64_t as_of() const { return as_of_; }
  const VerifyReport& verified() const { return verified_; }
  // Every record by the date, and the organisation's own (its envelope
  // organisation, or a two-party record binding it: PartiesOf), in log
  // order.
  const std::vector<const Record*>& all() const { return all_; }
  const std::vector<const Record*>& own() const { return own_; }
  // The organisation's current records of `type` (not retracted, not
  // superseded), in log order.
  const std::vector<const Record*>& Current(const std::string& type) const;
  // Records about the organisation of `type`: its own, and for audit records
  // those of audits of it (AuditStarted.auditee or an "organisation"
  // subject), whoever wrote them. Current only.
  std::vector<const Record*> About(const std::string& type) const;
  const Record* ById(const std::string& id) const;

  // "current", "superseded by idx N", "retracted by idx N".
  std::string StateOf(const Record& r) const;
  bool IsCurrent(const Record& r) const;
  // Whether a record that takes approvals (approvals.h) is approved by the
  // date: every party, by the latest decision of each. Always true for a
  // type that takes none. `why` gets the approvals' citations or what lacks.
  bool Approved(const Record& r, std::string* why = nullptr) const;
  // Whether `r` was signed by a key holding the auditor role; `pinned` says
  // whether the reader named it (--expect auditor=).
  bool ByAuditor(const Record& r, bool* pinned) const;

 private:
  std::string organisation_;
  int64_t as_of_;
  const VerifyReport& verified_;
  std::vector<const Record*> all_, own_;
  std::map<std::string, const Record*> by_id_;
  std::map<std::string, const Record*> retracted_by_, superseded_by_;
  std::map<std::string, std::vector<const Record*>> current_;
  std::map<std::string, std::vector<const Record*>> decisions_;  // approvals
  std::map<std::string, const Record*> audits_;  // audit id -> AuditStarted
};

enum class Status {
  kEvidenced,
  kStale,
  kDeclaredWithoutEvidence,
  kMissing,
  kNotDetermined,
  kNotApplicable,
};
inline constexpr Status kStatuses[] = {Status::kEvidenced,
                                       Status::kStale,
                                       Status::kDeclaredWithoutEvidence,
                                       Status::kMissing,
                                       Status::kNotDetermined,
                                       Status::kNotApplicable};
const char* StatusName(Status s);

struct Evidence {
  const Record* record = nullptr;
  bool counted = true;     // false: shown, not counted (awaiting approval)
  bool in_period = false;  // occurred within the review period
  std::string note;
};

// One column of a control's evidence: the records listed, and those
// counted but not listed.
struct Column {
  std::vector<Evidence> listed;  // in log order
  // Counted, in the review period (mapped, accepted) or claimed, beyond the
  // listing limit: the newest are listed.
  size_t more = 0;
  // Counted, older than the review period, not listed: listed is a newer one
  // in the period, or the newest of them.
  size_t older = 0;

  size_t InPeriod() const;  // counted and in the period, listed or not
  size_t Outside() const;   // counted and older, listed or not
  size_t Uncounted() const;
};

struct ControlAssessment {
  std::string id, title;
  const Record* row = nullptr;  // the latest SoA row by the date
  uint32_t review_days = 0;
  bool review_days_from_row = false;
  bool has_mapped_types = false;  // the mapping names a type for it
  std::string gap;                // the mapping's
  // Mapped and accepted: the counted records in the period (the newest
  // `max_listed`), the newest counted one before it when there is none in
  // it, and those not counted. Claimed: the newest `max_listed`.
  Column mapped, claimed, accepted;
  std::vector<const Record*> auditor_nonconformities;
  Status status = Status::kNotDetermined;
  std::string reason;
};

// The 38 Annex A controls in the standard's order, then the organisation's
// own "x:" controls in id order. `max_listed`: records listed per control
// and column (0: all).
std::vector<ControlAssessment> AssessControls(const Index& index,
                                              const EventMapping& mapping,
                                              uint32_t default_review_days,
                                              size_t max_listed);

}  // namespace ailedger::reports::iso42001

#endif  // AILEDGER_REPORTS_ISO42001_EVIDENCE_H_
