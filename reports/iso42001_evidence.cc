// Each control of the Statement of Applicability judged from the records
// (iso42001_evidence.h: the status rules).
#include "reports/iso42001_evidence.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "ledger/governance/iso42001.h"

namespace ailedger::reports::iso42001 {
namespace {

const std::set<std::string>& SoaTypes() {
  static const auto* t =
      new std::set<std::string>{"ControlStatusUpdated", "SoaVersionDefined"};
  return *t;
}

bool InPeriod(const Record& r, const Index& index, uint32_t days) {
  const int64_t at = r.event.occurred_at_ms();
  return at <= index.as_of() && at >= index.as_of() - int64_t{days} * kDayMs;
}

// The titles of the organisation's PolicyPublished records before each one
// ("revision": a later version of an earlier policy).
std::map<const Record*, std::vector<std::string>> EarlierTitles(
    const Index& index) {
  std::map<const Record*, std::vector<std::string>> out;
  std::vector<std::string> seen;
  for (const Record* r : index.own()) {
    if (!r->event.has_policy_published()) continue;
    out[r] = seen;
    seen.push_back(r->event.policy_published().title());
  }
  return out;
}

bool ByIndex(const Evidence& a, const Evidence& b) {
  return a.record->index < b.record->index;
}

// Lists the counted records in the period (the newest `max` of them), else
// the newest counted one, and every record not counted.
Column Select(std::vector<Evidence> all, size_t max) {
  Column c;
  std::vector<Evidence> fresh;
  const Evidence* newest = nullptr;
  for (const Evidence& e : all) {
    if (!e.counted) {
      c.listed.push_back(e);
    } else if (e.in_period) {
      fresh.push_back(e);
    } else {
      ++c.older;
      if (!newest || e.record->event.occurred_at_ms() >=
                         newest->record->event.occurred_at_ms())
        newest = &e;
    }
  }
  std::sort(fresh.begin(), fresh.end(), ByIndex);
  if (max > 0 && fresh.size() > max) {
    c.more = fresh.size() - max;
    fresh.erase(fresh.begin(), fresh.begin() + c.more);
  }
  c.listed.insert(c.listed.end(), fresh.begin(), fresh.end());
  if (fresh.empty() && c.more == 0 && newest != nullptr) {
    c.listed.push_back(*newest);
    --c.older;
  }
  std::sort(c.listed.begin(), c.listed.end(), ByIndex);
  return c;
}

using Titles = std::map<const Record*, std::vector<std::string>>;

std::vector<Evidence> Mapped(const Index& index, const ControlMapping& m,
                             uint32_t days, const Titles& earlier) {
  std::map<uint64_t, const Record*> found;  // log order, once each
  for (const EvidenceRule& rule : m.evidence) {
    for (const Record* r : index.Current(rule.type)) {
      auto t = earlier.find(r);
      if (MeetsWhen(
              rule, r->event,
              t == earlier.end() ? std::vector<std::string>{} : t->second))
        found.emplace(r->index, r);
    }
  }
  std::vector<Evidence> out;
  for (const auto& [i, r] : found) {
    Evidence e{r, true, InPeriod(*r, index, days), ""};
    std::string why;
    e.counted = index.Approved(*r, &why);
    if (!e.counted) e.note = why + ": not counted";
    out.push_back(e);
  }
  return out;
}

// What every control looks through once: the auditors' findings about the
// organisation (an audit of it, or resting on its records) with whether the
// reader pinned the auditor's key, and the records naming each reference in
// framework_refs.
struct Shared {
  Titles earlier;
  std::vector<std::pair<const Record*, bool>> findings;
  std::map<std::string, std::vector<const Record*>> refs;
};

Shared Share(const Index& index) {
  Shared s;
  s.earlier = EarlierTitles(index);
  std::set<const Record*> about;
  for (const Record* r : index.About("AuditFinding")) about.insert(r);
  for (const Record* f : index.all()) {
    if (!f->event.has_audit_finding() || !index.IsCurrent(*f)) continue;
    bool pinned = false, ours = about.count(f) > 0;
    if (!index.ByAuditor(*f, &pinned)) continue;
    for (const std::string& id :
         f->event.audit_finding().evidence_event_ids()) {
      const Record* r = index.ById(id);
      ours |= r && r->event.organisation() == index.organisation();
    }
    if (ours) s.findings.push_back({f, pinned});
  }
  for (const Record* r : index.own()) {
    if (SoaTypes().count(r->event.event_type()) || !index.IsCurrent(*r))
      continue;
    std::set<std::string> once(r->event.framework_refs().begin(),
                               r->event.framework_refs().end());
    for (const std::string& ref : once) s.refs[ref].push_back(r);
  }
  return s;
}

void Audited(const Index& index, const Shared& shared, uint32_t days,
             size_t max, ControlAssessment* a) {
  const std::string ref = "iso42001:" + a->id;
  std::vector<Evidence> accepted;
  for (const auto& [f, pinned] : shared.findings) {
    const v1::AuditFinding& finding = f->event.audit_finding();
    if (finding.reference() != ref) continue;
    if (finding.classification() == v1::FINDING_CLASS_MAJOR_NONCONFORMITY ||
        finding.classification() == v1::FINDING_CLASS_MINOR_NONCONFORMITY)
      a->auditor_nonconformities.push_back(f);
    if (finding.classification() != v1::FINDING_CLASS_CONFORMITY) continue;
    Evidence e{f, pinned, InPeriod(*f, index, days),
               "CONFORMITY: " + finding.statement()};
    if (!pinned)
      e.note += " (auditor key not pinned by the reader: not counted)";
    for (const std::string& id : finding.evidence_event_ids()) {
      const Record* r = index.ById(id);
      absl::StrAppend(&e.note, "; rests on ",
                      r ? absl::StrCat("idx ", r->index)
                        : "an event not in the verified records");
    }
    accepted.push_back(e);
  }
  a->accepted = Select(std::move(accepted), max);
}

void Claimed(const Index& index, const Shared& shared, size_t max,
             ControlAssessment* a) {
  std::vector<Evidence> claims;
  if (auto it = shared.refs.find("iso42001:" + a->id);
      it != shared.refs.end()) {
    for (const Record* r : it->second)
      claims.push_back({r, false, false, "framework_refs"});
  }
  if (max > 0 && claims.size() > max) {
    a->claimed.more = claims.size() - max;
    claims.erase(claims.begin(), claims.begin() + a->claimed.more);
  }
  a->claimed.listed = std::move(claims);
  if (a->row == nullptr) return;
  for (const std::string& id :
       a->row->event.control_status_updated().evidence_event_ids()) {
    const Record* r = index.ById(id);
    a->claimed.listed.push_back(
        {r, false, false,
         r ? "listed by the SoA row"
           : "listed by the SoA row; not in the verified records by the "
             "date: " +
                 ToHex(id).substr(0, 16)});
  }
}

void Judge(const Index& index, ControlAssessment* a) {
  size_t counted = 0, fresh = 0;
  int64_t newest = 0;
  for (const Column* c : {&a->mapped, &a->accepted}) {
    fresh += c->InPeriod();
    counted += c->InPeriod() + c->Outside();
    for (const Evidence& e : c->listed) {
      if (e.counted)
        newest = std::max(newest, e.record->event.occurred_at_ms());
    }
  }
  const int64_t from = index.as_of() - int64_t{a->review_days} * kDayMs;
  if (a->row == nullptr) {
    a->status = Status::kNotDetermined;
    a->reason = "no SoA row by the date";
    return;
  }
  const v1::ControlStatusUpdated& c = a->row->event.control_status_updated();
  if (!c.applicable() || c.status() == v1::CONTROL_STATUS_NOT_APPLICABLE) {
    a->status = Status::kNotApplicable;
    a->reason = "excluded: " + c.justification();
  } else if (fresh > 0) {
    a->status = Status::kEvidenced;
    a->reason = absl::StrCat(fresh, " record(s) within the review period (",
                             a->review_days, " days, from ", Day(from), ")");
  } else if (counted > 0) {
    a->status = Status::kStale;
    a->reason = absl::StrCat("newest evidence occurred ", Day(newest),
                             ", before the review period (", a->review_days,
                             " days, from ", Day(from), ")");
  } else if (c.status() == v1::CONTROL_STATUS_IMPLEMENTED ||
             c.status() == v1::CONTROL_STATUS_PARTIAL ||
             c.status() == v1::CONTROL_STATUS_BY_SUPPLIER ||
             c.status() == v1::CONTROL_STATUS_SHARED) {
    a->status = Status::kDeclaredWithoutEvidence;
    a->reason = a->has_mapped_types
                    ? "declared; no mapped or accepted record"
                    : "declared; no record type maps to it and no auditor "
                      "accepted it";
  } else {
    a->status = Status::kMissing;
    a->reason = "applicable, not declared implemented, no evidence";
  }
}

}  // namespace

const char* StatusName(Status s) {
  switch (s) {
    case Status::kEvidenced:
      return "evidenced";
    case Status::kStale:
      return "stale";
    case Status::kDeclaredWithoutEvidence:
      return "declared without evidence";
    case Status::kMissing:
      return "missing";
    case Status::kNotDetermined:
      return "not determined";
    case Status::kNotApplicable:
      return "not applicable";
  }
  return "";
}

size_t Column::InPeriod() const {
  size_t n = more;
  for (const Evidence& e : listed) n += e.counted && e.in_period;
  return n;
}

size_t Column::Outside() const {
  size_t n = older;
  for (const Evidence& e : listed) n += e.counted && !e.in_period;
  return n;
}

size_t Column::Uncounted() const {
  size_t n = 0;
  for (const Evidence& e : listed) n += !e.counted;
  return n;
}

std::vector<ControlAssessment> AssessControls(const Index& index,
                                              const EventMapping& mapping,
                                              uint32_t default_review_days,
                                              size_t max_listed) {
  std::map<std::string, const Record*> rows;  // the latest current row
  for (const Record* r : index.Current("ControlStatusUpdated"))
    rows[r->event.control_status_updated().control_id()] = r;
  const Shared shared = Share(index);
  std::vector<ControlAssessment> out;
  auto add = [&](const std::string& id, const std::string& title) {
    ControlAssessment a;
    a.id = id;
    a.title = title;
    auto row = rows.find(id);
    a.row = row == rows.end() ? nullptr : row->second;
    const uint32_t own_days =
        a.row ? a.row->event.control_status_updated().review_interval_days()
              : 0;
    a.review_days_from_row = own_days > 0;
    a.review_days = own_days > 0 ? own_days : default_review_days;
    if (const ControlMapping* m = mapping.Control(id)) {
      a.has_mapped_types = !m->evidence.empty();
      a.gap = m->gap;
      a.mapped =
          Select(Mapped(index, *m, a.review_days, shared.earlier), max_listed);
    }
    Audited(index, shared, a.review_days, max_listed, &a);
    Claimed(index, shared, max_listed, &a);
    Judge(index, &a);
    out.push_back(std::move(a));
  };
  for (const AnnexAControl& c : AnnexAControls())
    add(std::string(c.id), std::string(c.title));
  for (const auto& [id, row] : rows) {
    if (absl::StartsWith(id, "x:")) add(id, "own control");
  }
  return out;
}

}  // namespace ailedger::reports::iso42001
