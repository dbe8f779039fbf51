// The Statement of Applicability (ISO/IEC 42001 6.1.3) of the evidence pack:
// its rows, their evidence in three columns kept apart, its versions and the
// status grid (iso42001_sections.h).
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "reports/iso42001_sections.h"

namespace ailedger::reports::iso42001 {
namespace {

std::string Implementation(const ControlAssessment& a) {
  if (a.row == nullptr) return "not determined";
  const std::string name =
      v1::ControlStatus_Name(a.row->event.control_status_updated().status());
  return absl::StrReplaceAll(
      absl::AsciiStrToLower(name.substr(sizeof("CONTROL_STATUS_") - 1)),
      {{"_", " "}});
}

std::string ImplementedBy(const Index& index,
                          const v1::ControlStatusUpdated& c) {
  std::string out = c.implemented_by();
  if (!c.contract_clause().empty())
    absl::StrAppend(&out, out.empty() ? "" : "; ", "per ", c.contract_clause());
  if (!c.agreement_event_id().empty()) {
    const Record* a = index.ById(c.agreement_event_id());
    std::string why;
    if (a != nullptr) index.Approved(*a, &why);
    absl::StrAppend(&out, "; agreement ",
                    a ? absl::StrCat("idx ", a->index, ": ", why)
                      : "not in the verified records by the date");
  } else if (!c.contract_clause().empty()) {
    absl::StrAppend(&out, "; no agreement linked");
  }
  return out;
}

// Each risk treatment the row cites, and whether it names the control
// (6.1.3: the treatment chose it).
std::string Treatments(const Index& index, const ControlAssessment& a) {
  std::vector<std::string> out;
  for (const std::string& id :
       a.row->event.control_status_updated().risk_treatment_event_ids()) {
    const Record* t = index.ById(id);
    if (t == nullptr) {
      out.push_back("not in the verified records by the date");
      continue;
    }
    bool names = false;
    for (const std::string& c : t->event.risk_treated().controls())
      names |= c == a.id || c == "iso42001:" + a.id;
    out.push_back(absl::StrCat(
        "idx ", t->index,
        names ? " names it" : absl::StrCat(" does NOT name ", a.id)));
  }
  return out.empty() ? "none cited" : absl::StrJoin(out, "; ");
}

std::string Review(const Index& index, const ControlAssessment& a) {
  std::string out = absl::StrCat("every ", a.review_days, " days",
                                 a.review_days_from_row ? "" : " (default)");
  if (a.row && a.review_days_from_row) {
    const int64_t due =
        a.row->event.occurred_at_ms() + int64_t{a.review_days} * kDayMs;
    absl::StrAppend(&out, "; row review due ", Day(due),
                    due < index.as_of() ? " OVERDUE" : "");
  }
  return out;
}

struct Counts {
  size_t in = 0, out = 0, uncounted = 0;
};

Counts Count(const Column& c) {
  return {c.InPeriod(), c.Outside(), c.Uncounted()};
}

std::string Summary(const Counts& c, const char* uncounted_as) {
  if (c.in + c.out + c.uncounted == 0) return "no record";
  std::string s = absl::StrCat(c.in, " in the period, ", c.out, " older");
  if (c.uncounted > 0)
    absl::StrAppend(&s, ", ", c.uncounted, " ", uncounted_as);
  return s;
}

std::string MappedCell(const ControlAssessment& a) {
  if (!a.has_mapped_types) {
    return a.id.rfind("x:", 0) == 0 ? "own control: not mapped"
                                    : "no record type";
  }
  return Summary(Count(a.mapped), "not counted (approval)");
}

std::string AuditorCell(const ControlAssessment& a) {
  std::string s = Summary(Count(a.accepted), "by an auditor key not pinned");
  if (!a.auditor_nonconformities.empty())
    absl::StrAppend(&s, "; ", a.auditor_nonconformities.size(),
                    " nonconformity finding(s)");
  return s;
}

std::string ClaimedCell(const ControlAssessment& a) {
  const size_t n = a.claimed.listed.size() + a.claimed.more;
  return n == 0 ? "none" : absl::StrCat(n);
}

CellStatus Cell(Status s) {
  switch (s) {
    case Status::kEvidenced:
      return CellStatus::kEvidenced;
    case Status::kStale:
      return CellStatus::kStale;
    case Status::kMissing:
      return CellStatus::kMissing;
    case Status::kNotDetermined:
      return CellStatus::kNotDetermined;
    case Status::kNotApplicable:
      return CellStatus::kNotApplicable;
    case Status::kDeclaredWithoutEvidence:
      return CellStatus::kOther;
  }
  return CellStatus::kOther;
}

// A column of the grid: evidenced if counted in the period, stale if only
// older, missing if none; "no type" where the mapping has none.
GridCell ColumnCell(const Counts& c, bool has_types) {
  if (!has_types) return {"no type", CellStatus::kOther, ""};
  if (c.in > 0) return {absl::StrCat(c.in), CellStatus::kEvidenced, ""};
  if (c.out > 0) return {absl::StrCat(c.out, " old"), CellStatus::kStale, ""};
  return {"none", CellStatus::kMissing, ""};
}

}  // namespace

Section SoaSection(const Index& index, const Assessments& controls) {
  Table t{{"control", "title", "implementation",
           "applicability and "
           "justification",
           "implemented by", "risk treatments (6.1.3)", "review",
           "evidence status", "row"},
          {}};
  size_t determined = 0;
  for (const ControlAssessment& a : controls) {
    const std::string status =
        absl::StrCat(StatusName(a.status), ": ", a.reason);
    if (a.row == nullptr) {
      t.rows.push_back({a.id, a.title, Implementation(a), "", "", "",
                        Review(index, a), status, ""});
      continue;
    }
    determined += a.id.rfind("A.", 0) == 0;
    const v1::ControlStatusUpdated& c = a.row->event.control_status_updated();
    t.rows.push_back(
        {a.id, a.title, Implementation(a),
         absl::StrCat(c.applicable() ? "applicable: " : "excluded: ",
                      c.justification()),
         ImplementedBy(index, c), Treatments(index, a), Review(index, a),
         status, Cite(*a.row)});
  }
  return {"Statement of Applicability (6.1.3)",
          {absl::StrCat(determined,
                        " of 38 Annex A controls determined; the others are "
                        "shown \"not determined\". Own controls follow the "
                        "38."),
           "Status rules, judged at the pack's date: evidenced = a record of "
           "a type the shipped mapping lists for the control, or an "
           "auditor's CONFORMITY finding, occurred within the control's "
           "review period; stale = such records exist, all older; declared "
           "without evidence = the row says implemented (partial, by the "
           "supplier, shared) and there is none; missing = applicable, not "
           "declared implemented, no evidence; not determined = no row; not "
           "applicable = excluded with its justification. The author's own "
           "framework_refs and the row's listed evidence are shown, never "
           "counted."},
          {std::move(t)}};
}

Section EvidenceSection(const Assessments& controls, size_t max_listed) {
  Table summary{{"control", "status", "shipped mapping", "author's claim",
                 "auditor (pinned key)"},
                {}};
  Table cited{{"control", "column", "record", "note"}, {}};
  auto list = [&](const ControlAssessment& a, const char* column,
                  const Column& c) {
    for (const Evidence& e : c.listed) {
      std::string note = e.note;
      if (e.counted && std::string(column) != "claimed")
        note = absl::StrCat(e.in_period ? "in the review period"
                                        : "older than the review period",
                            note.empty() ? "" : "; ", note);
      cited.rows.push_back(
          {a.id, column, e.record ? Cite(*e.record) : "", note});
    }
    if (c.more > 0)
      cited.rows.push_back(
          {a.id, column, "",
           absl::StrCat(c.more, " more ",
                        std::string(column) == "claimed"
                            ? "claim(s)"
                            : "record(s) in the review period",
                        " not listed: the newest ", max_listed,
                        " are (parameter: evidence listed per column)")});
    if (c.older > 0)
      cited.rows.push_back({a.id, column, "",
                            absl::StrCat(c.older,
                                         " older record(s) not listed: a "
                                         "newer one stands for them")});
  };
  for (const ControlAssessment& a : controls) {
    summary.rows.push_back({a.id, StatusName(a.status), MappedCell(a),
                            ClaimedCell(a), AuditorCell(a)});
    if (!a.has_mapped_types && a.id.rfind("A.", 0) == 0)
      cited.rows.push_back({a.id, "mapped", "",
                            "no record type maps to this control" +
                                (a.gap.empty() ? "" : ": " + a.gap)});
    list(a, "mapped", a.mapped);
    list(a, "claimed", a.claimed);
    list(a, "accepted", a.accepted);
    for (const Record* f : a.auditor_nonconformities)
      cited.rows.push_back(
          {a.id, "auditor", Cite(*f),
           "NONCONFORMITY: " + f->event.audit_finding().statement()});
  }
  return {"SoA evidence: shipped mapping, author's claim, auditor",
          {"Three columns kept apart. Shipped mapping: the organisation's "
           "current records of a type data/iso42001/event-mapping.json lists "
           "for the control (approved, where the type takes approval). "
           "Author's claim: records naming the control in framework_refs, "
           "and the events the SoA row lists; never counted. Auditor: "
           "CONFORMITY findings referring to the control by an auditor key "
           "the reader pinned (--expect auditor=)."},
          {std::move(summary), std::move(cited)}};
}

Section VersionsSection(const Index& index) {
  Table t{{"SoA version", "rows", "rows still current", "approval", "defined"},
          {}};
  std::map<std::string, const Record*> latest;  // control -> latest row
  for (const Record* r : index.Current("ControlStatusUpdated"))
    latest[r->event.control_status_updated().control_id()] = r;
  for (const Record* r : index.Current("SoaVersionDefined")) {
    const auto& v = r->event.soa_version_defined();
    size_t current = 0;
    for (const std::string& id : v.row_event_ids()) {
      const Record* row = index.ById(id);
      if (!row) continue;
      auto it = latest.find(row->event.control_status_updated().control_id());
      current += it != latest.end() && it->second == row;
    }
    std::string why;
    index.Approved(*r, &why);
    t.rows.push_back({v.version(), absl::StrCat(v.row_event_ids_size()),
                      absl::StrCat(current), why, Cite(*r)});
  }
  Section s{"SoA versions (6.1.3)", {}, {std::move(t)}};
  if (s.tables[0].rows.empty())
    s.paragraphs.push_back(
        "No SoA version defined by the date: the rows were never approved "
        "as a set.");
  return s;
}

Chart SoaGrid(const Assessments& controls) {
  Chart c;
  c.kind = Chart::Kind::kGrid;
  c.title = "Statement of Applicability: status by control";
  c.caption =
      "One row per control: its status, then the evidence columns (shipped "
      "mapping and auditor: records in the review period, or older; the "
      "author's claims are counted only as information). 'other' in the "
      "status column is 'declared without evidence'.";
  c.columns = {"status", "shipped mapping", "author's claim", "auditor"};
  for (const ControlAssessment& a : controls) {
    GridRow row{absl::StrCat(a.id, " ", a.title), {}};
    row.cells.push_back({a.status == Status::kDeclaredWithoutEvidence
                             ? "declared, no evidence"
                             : "",
                         Cell(a.status), a.row ? Cite(*a.row) : ""});
    row.cells.push_back(ColumnCell(Count(a.mapped), a.has_mapped_types));
    row.cells.push_back({ClaimedCell(a), CellStatus::kOther, ""});
    const Counts acc = Count(a.accepted);
    row.cells.push_back(acc.in + acc.out == 0
                            ? GridCell{"none", CellStatus::kOther, ""}
                            : ColumnCell(acc, true));
    c.grid.push_back(std::move(row));
  }
  return c;
}

}  // namespace ailedger::reports::iso42001
