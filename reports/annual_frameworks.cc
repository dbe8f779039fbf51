// The annual report's framework coverage (issue 13; DOMAIN.md §9 "framework
// coverage (ISO SoA status, NIST categories)"): the frameworks the year's
// records cite in their framework_refs (the authors' own claims, counted,
// never taken as evidence: DOMAIN.md §10.6), and the ISO/IEC 42001 Statement
// of Applicability judged at the year's end through the shipped mapping of
// event types to controls (iso42001_evidence.h, the evidence pack's rules),
// with the EU AI Act and NIST AI RMF judged through the shipped crosswalk
// (iso42001_frameworks.cc FrameworkSummary).
#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "reports/annual_sections.h"
#include "reports/iso42001_sections.h"

namespace ailedger::reports::annual {
namespace {

struct Cited {
  size_t records = 0;
  std::map<std::string, size_t> refs;
  const Record *first = nullptr, *last = nullptr;  // in log order
};

Table FrameworkRefs(const Scope& scope) {
  std::map<std::string, Cited> by;
  for (const Record* r : scope.year()) {
    if (r->event.organisation() != scope.organisation()) continue;
    std::set<std::string> seen;
    for (const std::string& ref : r->event.framework_refs()) {
      const std::string ns = ref.substr(0, ref.find(':'));
      Cited& c = by[ns];
      if (seen.insert(ns).second) {
        ++c.records;
        if (c.first == nullptr) c.first = r;
        c.last = r;
      }
      ++c.refs[ref];
    }
  }
  Table t{{"framework (namespace)", "records citing it", "distinct references",
           "most cited", "first", "last"},
          {}};
  for (const auto& [ns, c] : by) {
    std::vector<std::pair<size_t, std::string>> top;
    for (const auto& [ref, n] : c.refs) top.push_back({n, ref});
    std::stable_sort(top.begin(), top.end(), [](const auto& a, const auto& b) {
      return a.first > b.first;
    });
    std::vector<std::string> shown;
    for (size_t i = 0; i < top.size() && i < 5; ++i)
      shown.push_back(absl::StrCat(top[i].second, " (", top[i].first, ")"));
    t.rows.push_back({ns, absl::StrCat(c.records), absl::StrCat(c.refs.size()),
                      absl::StrJoin(shown, ", "), Cite(*c.first),
                      Cite(*c.last)});
  }
  return t;
}

bool Operational(const std::string& type) {
  return type == "LogSegmentAnchored" || type == "HumanOverrideLogged" ||
         type == "ExplanationProvided";
}

}  // namespace

Section Frameworks(const std::vector<Record>& records,
                   const VerifyReport& verified, const Scope& scope,
                   Envelope* envelope) {
  Section s{"Framework coverage",
            {"The frameworks the organisation's records of the year cite "
             "(framework_refs): the authors' own claims, counted, not "
             "evidence."},
            {FrameworkRefs(scope)}};
  if (s.tables[0].rows.empty()) {
    s.tables.clear();
    s.paragraphs.push_back("No record of the year cites a framework.");
  }
  auto mapping = iso42001::ShippedEventMapping();
  auto crosswalk = iso42001::ShippedCrosswalk();
  if (!mapping.ok() || !crosswalk.ok()) {
    s.paragraphs.push_back(absl::StrCat(
        "ISO/IEC 42001 coverage not determined: ",
        (!mapping.ok() ? mapping.status() : crosswalk.status()).message()));
    return s;
  }
  envelope->reference_data.push_back(
      {absl::StrCat("ISO/IEC 42001 event mapping, data/iso42001/",
                    "event-mapping.json version ", (*mapping)->version),
       (*mapping)->sha256_hex});
  envelope->reference_data.push_back(
      {absl::StrCat("cross-framework mapping, data/iso42001/crosswalk.json "
                    "version ",
                    (*crosswalk)->version),
       (*crosswalk)->sha256_hex});
  // Judged as the evidence pack judges it, at the year's last millisecond.
  const iso42001::Index index(records, verified, scope.organisation(),
                              scope.end_ms() - 1);
  const auto controls = iso42001::AssessControls(
      index, **mapping, (*mapping)->default_review_days, 1);
  std::vector<iso42001::ClauseStatus> clauses;
  iso42001::ClauseIndex(index, **mapping, &clauses);
  Section summary = iso42001::FrameworkSummary(controls, clauses, **crosswalk);
  s.paragraphs.push_back(absl::StrCat(
      "The ISO/IEC 42001 Statement of Applicability at the year's end (",
      Day(scope.end_ms() - 1),
      "), judged as `ailedger report iso42001 --as-of` judges it: a control "
      "is evidenced by a record of a type the shipped mapping (version ",
      (*mapping)->version,
      ") names for it within its review period, or by a pinned auditor's "
      "acceptance; then each EU AI Act article and NIST AI RMF category "
      "through the shipped crosswalk."));
  s.paragraphs.push_back(absl::StrCat(
      "The EU AI Act and NIST AI RMF are judged only through the ISO/IEC "
      "42001 controls and clauses the shipped crosswalk (version ",
      (*crosswalk)->version,
      ") links to each article or category: evidenced when every linked "
      "item but the excluded ones is, partly when some are. The links are "
      "indicative: evidence of a control is not by itself compliance with "
      "an article."));
  for (Table& t : summary.tables) s.tables.push_back(std::move(t));
  std::vector<std::string> only_operational;
  for (const iso42001::ControlMapping& c : (*mapping)->controls) {
    bool only = !c.evidence.empty();
    for (const iso42001::EvidenceRule& e : c.evidence)
      only = only && Operational(e.type);
    if (only) only_operational.push_back(c.control);
  }
  s.paragraphs.push_back(absl::StrCat(
      "Operational records (log segments, human overrides, explanations) are "
      "counted by this report, not read: ",
      only_operational.empty()
          ? "no control's mapped evidence is only such records."
          : absl::StrCat(
                "controls whose mapped evidence is only such records (",
                absl::StrJoin(only_operational, ", "),
                ") are judged without them here; `report iso42001` "
                "reads them.")));
  Table open{{"control", "title", "status at the year's end", "why"}, {}};
  for (const iso42001::ControlAssessment& a : controls) {
    if (a.status == iso42001::Status::kEvidenced ||
        a.status == iso42001::Status::kNotApplicable)
      continue;
    open.rows.push_back(
        {a.id, a.title, iso42001::StatusName(a.status), a.reason});
  }
  if (!open.rows.empty()) {
    s.tables.push_back(std::move(open));
    Cap(&s, s.tables.size() - 1, "controls not evidenced");
  }
  return s;
}

}  // namespace ailedger::reports::annual
