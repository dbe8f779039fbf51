#include "reports/restatements.h"

#include <map>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "ledger/merkle/verify.h"
#include "reports/citations.h"

namespace ailedger::reports {
namespace {

std::string B64(const Hash& h) { return absl::Base64Escape(AsBytes(h)); }

// Last year's anchored annual report of the organisation: the newest
// ReportPublished of kind "annual-impact" whose period starts at last year's
// start.
const Record* LastYearsReport(const std::vector<Record>& records,
                              const AnnualOptions& a) {
  AnnualOptions last = a;
  last.year = a.year - 1;
  const Record* found = nullptr;
  for (const Record& r : records) {
    if (!r.event.has_report_published() ||
        r.event.organisation() != a.organisation)
      continue;
    const v1::ReportPublished& p = r.event.report_published();
    if (p.kind() == "annual-impact" && p.period().start_ms() == last.start_ms())
      found = &r;
  }
  return found;
}

struct Period {
  int64_t start, end;
  bool Holds(const Record& r) const {
    return r.event.occurred_at_ms() >= start && r.event.occurred_at_ms() < end;
  }
};

// Which records were withdrawn (superseded or retracted) by an entry below
// `size`, by event id.
std::map<std::string, uint64_t> WithdrawnBelow(
    const std::vector<Record>& records, uint64_t size) {
  std::map<std::string, uint64_t> out;
  for (const Record& r : records) {
    if (r.index >= size) break;
    if (!r.event.supersedes().empty()) out[r.event.supersedes()] = r.index;
    if (r.event.has_retraction())
      out[r.event.retraction().retracts()] = r.index;
  }
  return out;
}

// Counts by type of the organisation's records of `period` as the log stood
// at `size`: records below it, less those withdrawn below it.
std::map<std::string, int64_t> CountsAt(const std::vector<Record>& records,
                                        const std::string& org,
                                        const Period& period, uint64_t size) {
  const auto withdrawn = WithdrawnBelow(records, size);
  std::map<std::string, int64_t> out;
  for (const Record& r : records) {
    if (r.index >= size) break;
    if (r.event.organisation() != org || !period.Holds(r)) continue;
    if (withdrawn.contains(std::string(AsBytes(r.event_id)))) continue;
    ++out[r.event.event_type()];
  }
  return out;
}

// The consistency paragraph and its JSON (at `where`, named in the text):
// the root an earlier report anchored, recomputed from the leaves, and the
// proof from it to this report's checkpoint. `what` names that report.
std::string Consistency(const ProofSource& proofs, const VerifyReport& v,
                        const Record& last, const std::string& what,
                        const std::string& where, nlohmann::json* data) {
  const v1::ReportPublished& p = last.event.report_published();
  const ProofTree tree(proofs, v.checkpoint_size);
  auto root = tree.RootAt(p.tree_size());
  auto proof = tree.Consistency(p.tree_size());
  if (!root.ok() || !proof.ok()) {
    return absl::StrCat("No consistency proof from size ", p.tree_size(), ": ",
                        (root.ok() ? proof.status() : root.status()).message());
  }
  const bool same = std::string(AsBytes(*root)) == p.root_hash();
  const bool consistent =
      same &&
      VerifyConsistency(p.tree_size(), v.checkpoint_size, *proof, *root, v.root)
          .ok();
  nlohmann::json hashes = nlohmann::json::array();
  for (const Hash& h : *proof) hashes.push_back(B64(h));
  *data = {{"first", p.tree_size()},      {"second", v.checkpoint_size},
           {"first_root", B64(*root)},    {"second_root", B64(v.root)},
           {"hashes", std::move(hashes)}, {"verified", consistent}};
  return absl::StrCat(
      what, " (", Cite(last), ") was computed from the log at size ",
      p.tree_size(), ". ",
      consistent ? "This report's log extends it: the root anchored then is "
                   "the root of the first "
                 : "INCONSISTENT: the root anchored then is not the root of "
                   "the first ",
      p.tree_size(), " entries here",
      consistent ? ", and the consistency proof to size " : "",
      consistent ? absl::StrCat(v.checkpoint_size, " verifies (JSON: ", where,
                                ", RFC 9162 §2.1.4).")
                 : ".");
}

void ChangeRows(const std::vector<Record>& records, const Record& last,
                const Period& period, const std::string& org, Table* t) {
  const uint64_t size = last.event.report_published().tree_size();
  std::map<std::string, const Record*> by_id;
  for (const Record& r : records) by_id[std::string(AsBytes(r.event_id))] = &r;
  for (const Record& r : records) {
    if (r.index < size) continue;
    const v1::Event& e = r.event;
    if (e.organisation() == org && period.Holds(r) &&
        !e.has_report_published()) {
      t->rows.push_back(
          {Cite(r), "recorded after last year's report",
           absl::StrCat("adds a ", e.event_type(), " to ", "last year")});
    }
    const std::string& target =
        !e.supersedes().empty()
            ? e.supersedes()
            : (e.has_retraction() ? e.retraction().retracts() : "");
    auto it = by_id.find(target);
    if (target.empty() || it == by_id.end() || !period.Holds(*it->second) ||
        it->second->event.organisation() != org)
      continue;
    t->rows.push_back(
        {Cite(r),
         e.has_retraction() ? absl::StrCat("retracts idx ", it->second->index,
                                           " (", e.retraction().reason(), ")")
                            : absl::StrCat("supersedes idx ", it->second->index,
                                           " (", e.supersedes_reason(), ")"),
         e.has_retraction()
             ? absl::StrCat("withdraws a ", it->second->event.event_type())
             : absl::StrCat("replaces a ", it->second->event.event_type())});
  }
}

Table CountChanges(const std::vector<Record>& records, const Record& last,
                   const Period& period, const std::string& org,
                   const VerifyReport& v, nlohmann::json* data) {
  const auto then =
      CountsAt(records, org, period, last.event.report_published().tree_size());
  const auto now = CountsAt(records, org, period, v.checkpoint_size);
  std::map<std::string, std::pair<int64_t, int64_t>> both;
  for (const auto& [type, n] : then) both[type].first = n;
  for (const auto& [type, n] : now) both[type].second = n;
  Table t{{"record type", "last year's report", "now", "change"}, {}};
  nlohmann::json changes = nlohmann::json::array();
  for (const auto& [type, n] : both) {
    if (n.first == n.second) continue;
    const int64_t d = n.second - n.first;
    t.rows.push_back({type, absl::StrCat(n.first), absl::StrCat(n.second),
                      absl::StrCat(d > 0 ? "+" : "", d)});
    changes.push_back({{"type", type}, {"then", n.first}, {"now", n.second}});
  }
  (*data)["count_changes"] = std::move(changes);
  return t;
}

}  // namespace

void AddPreviousReport(const std::vector<Record>& records,
                       const ProofSource& proofs, const VerifyReport& verified,
                       const std::string& organisation, Report* report) {
  const Record* previous = nullptr;
  for (const Record& r : records) {
    if (r.event.has_report_published() &&
        r.event.organisation() == organisation &&
        r.event.report_published().kind() == report->kind)
      previous = &r;
  }
  if (previous == nullptr) {
    report->envelope.previous_report =
        absl::StrCat("none: no '", report->kind, "' report of ", organisation,
                     " is anchored on this log");
    report->data["previous_report"] = nullptr;
    return;
  }
  nlohmann::json consistency;
  report->envelope.previous_report = Consistency(
      proofs, verified, *previous, "The previous report of this kind",
      "previous_report.consistency", &consistency);
  report->data["previous_report"] = {{"index", previous->index},
                                     {"consistency", std::move(consistency)}};
}

void AddRestatements(const std::vector<Record>& records,
                     const ProofSource& proofs, const VerifyReport& verified,
                     const AnnualOptions& annual, Report* report) {
  AnnualOptions last_year = annual;
  last_year.year = annual.year - 1;
  const Period period{last_year.start_ms(), last_year.end_ms()};
  Section s;
  s.title = absl::StrCat("Restatements of ", last_year.year);
  nlohmann::json data = nlohmann::json::object();
  const Record* last = LastYearsReport(records, annual);
  if (last == nullptr) {
    s.paragraphs.push_back(absl::StrCat(
        "No annual report of ", annual.organisation, " for ", last_year.year,
        " is anchored on this log: there is nothing to restate against."));
    data["previous_report"] = nullptr;
  } else {
    data["previous_report"] = last->index;
    s.paragraphs.push_back(
        Consistency(proofs, verified, *last, "Last year's report",
                    "restatements.consistency", &data["consistency"]));
    Table changes{{"entry", "what it does", "change to last year"}, {}};
    ChangeRows(records, *last, period, annual.organisation, &changes);
    s.paragraphs.push_back(
        changes.rows.empty()
            ? "No entry since then touches last year: its figures stand."
            : absl::StrCat(changes.rows.size(),
                           " entries since then touch last year:"));
    data["changes"] = changes.rows;
    s.tables.push_back(std::move(changes));
    Table counts = CountChanges(records, *last, period, annual.organisation,
                                verified, &data);
    if (!counts.rows.empty()) s.tables.push_back(std::move(counts));
  }
  report->data["restatements"] = std::move(data);
  report->sections.push_back(std::move(s));
}

}  // namespace ailedger::reports
