// The lists of the annual report's completeness section (annual_sections.h):
// approvals pending and rejected, corrections and retractions with their
// reasons, records recorded late with their backfill reasons.
#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "ledger/governance/approvals.h"
#include "reports/annual_sections.h"

namespace ailedger::reports::annual {

Section PendingAndRejected(const Scope& scope, const VerifyReport& verified,
                           nlohmann::json* counts) {
  Section s{"Completeness: approvals pending and rejected",
            {"Records of the year whose type takes approvals (ISO/IEC 42001 "
             "7.5.2; approvals.h) and that are not approved by every party, "
             "by the latest decision of each, whenever given."},
            {}};
  Table t{{"record", "type", "approval"}, {}};
  std::map<uint64_t, const Record*> year;
  std::set<uint64_t> listed;
  size_t pending = 0, rejected = 0;
  for (const Record* r : scope.year()) {
    year[r->index] = r;
    std::string why;
    if (!TakesApprovals(r->event) || !scope.IsCurrent(*r) ||
        scope.Approved(*r, &why))
      continue;
    const bool rejection = absl::StrContains(why, "REJECTED");
    (rejection ? rejected : pending) += 1;
    t.rows.push_back({scope.CiteWithDecisions(*r), r->event.event_type(), why});
    listed.insert(r->index);
  }
  // What the verification found about the same records, if the records
  // above missed it (they judge the latest decision of each party).
  for (const auto* list : {&verified.pending_approvals, &verified.rejected}) {
    for (const auto& [index, type] : *list) {
      if (!year.contains(index) || listed.contains(index)) continue;
      const bool rejection = list == &verified.rejected;
      (rejection ? rejected : pending) += 1;
      t.rows.push_back({Cite(*year.at(index)), type,
                        rejection ? "REJECTED (the verification)"
                                  : "awaiting approval (the verification)"});
    }
  }
  (*counts)["approvals pending"] = pending;
  (*counts)["approvals rejected"] = rejected;
  if (t.rows.empty()) {
    s.paragraphs.push_back(
        "No record of the year awaits approval or was rejected.");
    return s;
  }
  s.paragraphs.push_back(absl::StrCat(pending,
                                      " records of the year await approval "
                                      "and ",
                                      rejected, " were rejected."));
  s.tables.push_back(std::move(t));
  Cap(&s, 0, "records awaiting approval or rejected");
  return s;
}

Section Corrections(const Scope& scope, nlohmann::json* counts) {
  Section s{"Completeness: corrections and retractions",
            {"Records of the year that supersede (correct) or retract an "
             "earlier record, with the reason each gives; the earlier record "
             "stays on the log, marked."},
            {}};
  Table t{{"record", "corrects", "what and why"}, {}};
  size_t superseded = 0, retracted = 0;
  for (const Record* r : scope.year()) {
    const v1::Event& e = r->event;
    const std::string* target = nullptr;
    std::string what;
    if (!e.supersedes().empty()) {
      target = &e.supersedes();
      what = "correction (supersedes): " + e.supersedes_reason();
      ++superseded;
    } else if (e.has_retraction()) {
      target = &e.retraction().retracts();
      what = "retraction: " + e.retraction().reason();
      ++retracted;
    } else {
      continue;
    }
    const Record* old = scope.ById(*target);
    t.rows.push_back(
        {Cite(*r), old ? Cite(*old) : "an event not in the records", what});
  }
  (*counts)["corrections"] = superseded;
  (*counts)["retractions"] = retracted;
  if (t.rows.empty()) {
    s.paragraphs.push_back(
        "No record of the year corrects or retracts another.");
    return s;
  }
  s.tables.push_back(std::move(t));
  Cap(&s, 0, "corrections and retractions");
  return s;
}

// Late records beyond kListed are counted by type, not listed: a log filled
// from records kept elsewhere can be late by the hundred thousand, and a
// report cites (and proves) what it shows. The latest recorded first.
Section LateRecords(const Scope& scope, nlohmann::json* counts) {
  const int64_t late_after_ms = scope.options().late_after_ms;
  Section s{"Completeness: late records",
            {absl::StrCat("Records of the year integrated more than ",
                          late_after_ms / kDayMs,
                          " days after they say they occurred, the latest "
                          "recorded first, with the backfill reason a record "
                          "gives.")},
            {}};
  std::vector<std::pair<int64_t, const Record*>> late;
  for (const Record* r : scope.year()) {
    const int64_t lag =
        static_cast<int64_t>(r->integrated_time_ms) - r->event.occurred_at_ms();
    if (lag > late_after_ms) late.push_back({lag, r});
  }
  (*counts)["late records"] = late.size();
  if (late.empty()) {
    s.paragraphs.push_back("No record of the year was recorded late.");
    return s;
  }
  std::stable_sort(late.begin(), late.end(), [](const auto& a, const auto& b) {
    return a.first > b.first;
  });
  std::map<std::string, size_t> by_type;
  for (const auto& [lag, r] : late) ++by_type[r->event.event_type()];
  std::vector<std::string> types;
  for (const auto& [type, n] : by_type)
    types.push_back(absl::StrCat(type, " ", n));
  s.paragraphs.push_back(absl::StrCat(
      late.size(), " records of the year were recorded more than ",
      late_after_ms / kDayMs, " days after they occurred (",
      absl::StrJoin(types, ", "), ")",
      late.size() > kListed
          ? absl::StrCat("; the ", kListed, " recorded latest are listed")
          : "",
      "."));
  Table t{{"record", "lag"}, {}};
  for (size_t i = 0; i < late.size() && i < kListed; ++i) {
    const Record& r = *late[i].second;
    t.rows.push_back(
        {Cite(r),
         absl::StrCat("recorded ", late[i].first / kDayMs, " days late",
                      r.event.backfill_reason().empty()
                          ? ""
                          : ": backfill, " + r.event.backfill_reason())});
  }
  s.tables.push_back(std::move(t));
  return s;
}

}  // namespace ailedger::reports::annual
