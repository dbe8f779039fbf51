// The contradiction checks (contradictions.h): the lookup over one log, the
// sink of one organisation's rows, and the section that lists them.
#include "reports/contradictions.h"

#include <algorithm>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "reports/contradictions_internal.h"

namespace ailedger::reports {
namespace contradictions {

std::string IdOf(const Record& r) { return std::string(AsBytes(r.event_id)); }

std::string SubjectOf(const v1::Event& e, const std::string& kind) {
  for (const auto& s : e.subjects()) {
    if (s.kind() == kind) return s.id();
  }
  return "";
}

std::string Day(int64_t ms) {
  return absl::FormatTime("%Y-%m-%d", absl::FromUnixMillis(ms),
                          absl::UTCTimeZone());
}

std::string Apart(int64_t a, int64_t b) {
  const int64_t d = std::llabs(a - b);
  if (d >= kDayMs) {
    const int64_t days = d / kDayMs;
    return absl::StrCat(days, days == 1 ? " day" : " days");
  }
  const int64_t hours = d / 3'600'000;
  return absl::StrCat(hours, hours == 1 ? " hour" : " hours");
}

Log::Log(const std::vector<Record>& records) : records_(records) {
  for (const Record& r : records) {
    const v1::Event& e = r.event;
    by_id_.emplace(IdOf(r), &r);
    by_index_.emplace(r.index, &r);
    if (!IsOperational(e)) governance_.push_back(&r);
    organisations_.insert(e.organisation());
    if (e.has_retraction())
      retracted_by_.emplace(e.retraction().retracts(), &r);
    if (!e.supersedes().empty()) superseded_by_.emplace(e.supersedes(), &r);
    if (e.has_approval()) decisions_[e.approval().approves()].push_back(&r);
  }
  for (const Record* p : governance_) {
    const Record& r = *p;
    if (r.event.has_system_registered() && IsCurrent(r)) {
      for (const auto& s : r.event.subjects()) {
        if (s.kind() == "system") registered_[s.id()] = &r;
      }
    }
  }
}

const Record* Log::ById(const std::string& id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second;
}

const Record* Log::ByIndex(uint64_t index) const {
  auto it = by_index_.find(index);
  return it == by_index_.end() ? nullptr : it->second;
}

const Record* Log::RetractedBy(const Record& r) const {
  auto it = retracted_by_.find(IdOf(r));
  return it == retracted_by_.end() ? nullptr : it->second;
}

const Record* Log::SupersededBy(const Record& r) const {
  auto it = superseded_by_.find(IdOf(r));
  return it == superseded_by_.end() ? nullptr : it->second;
}

bool Log::IsCurrent(const Record& r) const {
  return RetractedBy(r) == nullptr && SupersededBy(r) == nullptr;
}

const Record* Log::Decision(const Record& r, const std::string& organisation,
                            int64_t by_ms) const {
  auto it = decisions_.find(IdOf(r));
  if (it == decisions_.end()) return nullptr;
  const Record* latest = nullptr;
  for (const Record* a : it->second) {
    if (a->event.organisation() == organisation && IsCurrent(*a) &&
        a->event.occurred_at_ms() <= by_ms)
      latest = a;
  }
  return latest;
}

bool Log::Records(const std::string& organisation) const {
  return organisations_.contains(organisation);
}

std::string Log::ProviderOf(const std::string& system) const {
  auto it = registered_.find(system);
  if (it == registered_.end()) return "";
  const v1::Event& e = it->second->event;
  return e.system_registered().provider().empty()
             ? e.organisation()
             : e.system_registered().provider();
}

Sink::Sink(const std::string& organisation, const ContradictionOptions& options,
           std::vector<Contradiction>* out)
    : organisation_(organisation), options_(options), out_(out) {}

bool Sink::Concerns(const Record& statement, const std::string& party) const {
  const int64_t t = statement.event.occurred_at_ms();
  if ((options_.from_ms != 0 || options_.to_ms != 0) &&
      (t < options_.from_ms || t >= options_.to_ms))
    return false;
  return organisation_.empty() ||
         statement.event.organisation() == organisation_ ||
         party == organisation_;
}

void Sink::Examined(const char* check, const Record& statement,
                    const std::string& party) {
  if (Concerns(statement, party) && options_.counts != nullptr)
    ++(*options_.counts)[check].statements;
}

void Sink::Add(const Record& statement, Contradiction c) {
  if (!Concerns(statement, c.party)) return;
  c.signer = statement.event.organisation();
  c.index = statement.index;
  c.occurred_ms = statement.event.occurred_at_ms();
  c.statement = Cite(statement);
  if (options_.counts != nullptr) {
    CheckCount& n = (*options_.counts)[c.check];
    switch (c.verdict) {
      case Verdict::kContradicted:
        ++n.contradicted;
        break;
      case Verdict::kNotChecked:
        ++n.not_checked;
        break;
      case Verdict::kAgrees:
        ++n.agrees;
        break;
    }
  }
  out_->push_back(std::move(c));
}

}  // namespace contradictions

const char* VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kContradicted:
      return "CONTRADICTED";
    case Verdict::kNotChecked:
      return "not checked";
    case Verdict::kAgrees:
      return "agrees";
  }
  return "";
}

std::string CiteOther(const Record& r, const std::string& origin) {
  return absl::StrCat(origin, " entry ", r.index, " \xC2\xB7 ",
                      r.event.event_type(), " \xC2\xB7 ",
                      r.event.organisation(), " \xC2\xB7 occ ",
                      contradictions::Day(r.event.occurred_at_ms()),
                      " \xC2\xB7 id ", ToHex(r.event_id).substr(0, 16));
}

std::vector<Contradiction> FindContradictions(
    const std::vector<Record>& records, const std::string& organisation,
    const ContradictionOptions& options) {
  std::vector<Contradiction> out;
  const contradictions::Log log(records);
  contradictions::Sink sink(organisation, options, &out);
  contradictions::CheckReleases(log, &sink);
  contradictions::CheckCommunications(log, &sink);
  contradictions::CheckNotifications(log, &sink);
  contradictions::CheckDueDiligence(log, &sink);
  contradictions::CheckAgreements(log, &sink);
  contradictions::CheckExternalRefs(log, &sink);
  // The statements' log order; the checks' order for one statement.
  std::stable_sort(out.begin(), out.end(),
                   [](const Contradiction& a, const Contradiction& b) {
                     return a.index < b.index;
                   });
  return out;
}

Section ContradictionSection(const std::string& title, std::string intro,
                             const std::vector<Contradiction>& found,
                             const std::map<std::string, CheckCount>& counts,
                             size_t max_rows) {
  Section s{title, {std::move(intro)}, {}};
  std::vector<std::string> per_check;
  size_t contradicted = 0, not_checked = 0;
  for (const auto& [check, n] : counts) {
    contradicted += n.contradicted;
    not_checked += n.not_checked;
    per_check.push_back(absl::StrCat(
        check, ": ", n.statements, " examined, ", n.contradicted,
        " contradicted, ", n.not_checked, " not checked",
        n.agrees > 0 ? absl::StrCat(", ", n.agrees, " agree") : ""));
  }
  s.paragraphs.push_back(
      per_check.empty()
          ? "No statement of a kind these checks read concerns the "
            "organisation."
          : absl::StrCat(
                "Statements examined: ", absl::StrJoin(per_check, "; "), "."));
  s.paragraphs.push_back(absl::StrCat(
      contradicted == 0 ? "No statement is contradicted by the records compared"
                        : absl::StrCat(contradicted,
                                       contradicted == 1 ? " contradiction"
                                                         : " contradictions",
                                       " found"),
      not_checked == 0
          ? "."
          : absl::StrCat("; ", not_checked,
                         not_checked == 1 ? " check" : " checks",
                         " could not be made (listed, with why).")));
  std::vector<const Contradiction*> rows;
  for (Verdict v :
       {Verdict::kContradicted, Verdict::kNotChecked, Verdict::kAgrees}) {
    for (const Contradiction& c : found) {
      if (c.verdict == v) rows.push_back(&c);
    }
  }
  if (rows.empty()) return s;
  Table t{{"verdict", "check", "statement", "compared with", "what differs"},
          {}};
  for (size_t i = 0; i < rows.size() && i < max_rows; ++i) {
    const Contradiction& c = *rows[i];
    t.rows.push_back(
        {VerdictName(c.verdict),
         c.system.empty() ? c.check
                          : absl::StrCat(c.check, " (", c.system, ")"),
         c.statement,
         c.evidence.empty() ? absl::StrCat("the records of ", c.party)
                            : absl::StrJoin(c.evidence, "; "),
         c.difference});
  }
  if (rows.size() > max_rows)
    s.paragraphs.push_back(absl::StrCat(
        "The first ", max_rows, " rows are listed (contradictions first); ",
        rows.size() - max_rows, " more are counted above, not listed."));
  s.tables.push_back(std::move(t));
  return s;
}

}  // namespace ailedger::reports
