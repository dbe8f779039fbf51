// The per-framework status summary and the cross-framework mapping of the
// ISO/IEC 42001 evidence pack (iso42001_sections.h; domain review §4 "table
// stakes" 1 and 2). An EU AI Act article or NIST AI RMF category is judged
// only through the ISO/IEC 42001 controls and clauses the shipped crosswalk
// links to it (data/iso42001/README.md):
// clang-format off
//   not linked         the crosswalk links it to nothing
//   not applicable     every linked control is excluded (and no clause)
//   evidenced          every linked item but the excluded ones is evidenced
//   partly evidenced   some are
//   not determined     none is, and every linked control has no SoA row
//   not evidenced      none is, otherwise
// clang-format on
// A control is evidenced by its SoA status; a clause when an item of its
// documented information has a record by the date.
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "reports/iso42001_sections.h"

namespace ailedger::reports::iso42001 {
namespace {

constexpr const char* kDerived[] = {"evidenced",      "partly evidenced",
                                    "not evidenced",  "not determined",
                                    "not applicable", "not linked"};

struct Item {
  std::string status;  // the control's status, or the clause's
  bool control = false, evidenced = false, excluded = false,
       undetermined = false;
};

std::map<std::string, Item> Items(const Assessments& controls,
                                  const std::vector<ClauseStatus>& clauses,
                                  const Crosswalk& crosswalk) {
  std::map<std::string, Item> out;
  for (const ControlAssessment& a : controls) {
    out[a.id] = {StatusName(a.status), true, a.status == Status::kEvidenced,
                 a.status == Status::kNotApplicable,
                 a.status == Status::kNotDetermined};
  }
  for (const CrosswalkLink& l : crosswalk.links) {
    for (const std::string& id : l.iso42001) {
      if (out.count(id)) continue;
      bool typed = false, records = false;
      for (const ClauseStatus& c : clauses) {
        if (c.item->clause != id) continue;
        typed |= !c.item->types.empty();
        records |= !c.records.empty();
      }
      out[id] = {records ? "records"
                 : typed ? "no record"
                         : "no record type",
                 false, records, false, false};
    }
  }
  return out;
}

struct Derived {
  std::string status;
  std::vector<std::string> through;  // "A.6.2.8 evidenced"
};

// Each article (or category) of `declared` judged through the links.
std::vector<std::pair<std::string, Derived>> Derive(
    const std::vector<std::pair<std::string, std::string>>& declared,
    const Crosswalk& crosswalk, const std::map<std::string, Item>& items,
    std::vector<std::string> CrosswalkLink::*side) {
  std::vector<std::pair<std::string, Derived>> out;
  for (const auto& [id, title] : declared) {
    std::set<std::string> linked;
    for (const CrosswalkLink& l : crosswalk.links) {
      for (const std::string& x : l.*side) {
        if (x == id) linked.insert(l.iso42001.begin(), l.iso42001.end());
      }
    }
    Derived d;
    size_t counted = 0, evidenced = 0, controls = 0, undetermined = 0;
    for (const std::string& i : linked) {
      const Item& it = items.at(i);
      d.through.push_back(absl::StrCat(i, " ", it.status));
      if (it.excluded) continue;
      ++counted;
      evidenced += it.evidenced;
      controls += it.control;
      undetermined += it.undetermined;
    }
    if (linked.empty()) {
      d.status = "not linked";
    } else if (counted == 0) {
      d.status = "not applicable";
    } else if (evidenced == counted) {
      d.status = "evidenced";
    } else if (evidenced > 0) {
      d.status = "partly evidenced";
    } else if (controls > 0 && undetermined == controls) {
      d.status = "not determined";
    } else {
      d.status = "not evidenced";
    }
    out.push_back({id, std::move(d)});
  }
  return out;
}

// "n (x.y %)" of d; "undefined" share for d = 0. Integer arithmetic, rounded
// half up, so no locale or float formatting reaches the bytes.
std::string Share(size_t n, size_t d) {
  if (d == 0) return absl::StrCat(n, " (share undefined)");
  const uint64_t tenths = (uint64_t{n} * 2000 / d + 1) / 2;
  return absl::StrCat(n, " (", tenths / 10, ".", tenths % 10, " %)");
}

std::vector<std::string> Counts(
    const std::string& name,
    const std::vector<std::pair<std::string, Derived>>& derived) {
  std::vector<std::string> row = {name, absl::StrCat(derived.size())};
  for (const char* s : kDerived) {
    size_t n = 0;
    for (const auto& [id, d] : derived) n += d.status == s;
    row.push_back(Share(n, derived.size()));
  }
  return row;
}

std::string Title(const std::vector<std::pair<std::string, std::string>>& l,
                  const std::string& id) {
  for (const auto& [i, t] : l) {
    if (i == id) return t;
  }
  return "";
}

}  // namespace

Section FrameworkSummary(const Assessments& controls,
                         const std::vector<ClauseStatus>& clauses,
                         const Crosswalk& crosswalk) {
  Table iso{{"ISO/IEC 42001 Annex A status", "Annex A controls (of 38)",
             "own controls"},
            {}};
  for (Status s : kStatuses) {
    size_t annex = 0, own = 0;
    for (const ControlAssessment& a : controls) {
      if (a.status != s) continue;
      (a.id.rfind("A.", 0) == 0 ? annex : own) += 1;
    }
    iso.rows.push_back({StatusName(s), Share(annex, 38), absl::StrCat(own)});
  }
  size_t with = 0, without = 0, untyped = 0;
  for (const ClauseStatus& c : clauses) {
    if (c.item->types.empty()) {
      ++untyped;
    } else {
      (c.records.empty() ? without : with) += 1;
    }
  }
  Table docs{{"clauses 4-10 documented information", "items"},
             {{"with records", Share(with, clauses.size())},
              {"no record", Share(without, clauses.size())},
              {"no record type", Share(untyped, clauses.size())}}};
  const auto items = Items(controls, clauses, crosswalk);
  Table frameworks{{"framework", "requirements"}, {}};
  for (const char* s : kDerived) frameworks.header.push_back(s);
  frameworks.rows.push_back(
      Counts("EU AI Act (articles in the crosswalk)",
             Derive(crosswalk.euaia, crosswalk, items, &CrosswalkLink::euaia)));
  frameworks.rows.push_back(
      Counts("NIST AI RMF 1.0 (categories)",
             Derive(crosswalk.nist, crosswalk, items, &CrosswalkLink::nist)));
  return {"Status by framework",
          {absl::StrCat(
              "ISO/IEC 42001 by the SoA statuses above. The EU AI Act and NIST "
              "AI RMF are judged only through the ISO/IEC 42001 controls and "
              "clauses the shipped crosswalk (version ",
              crosswalk.version,
              ") links to each article or category: evidenced when every "
              "linked item but the excluded ones is, partly when some are. "
              "The links are indicative: evidence of a control is not by "
              "itself compliance with an article.")},
          {std::move(iso), std::move(docs), std::move(frameworks)}};
}

Section CrosswalkSection(const Assessments& controls,
                         const std::vector<ClauseStatus>& clauses,
                         const Crosswalk& crosswalk) {
  const auto items = Items(controls, clauses, crosswalk);
  Table links{{"topic", "ISO/IEC 42001", "EU AI Act", "NIST AI RMF 1.0"}, {}};
  for (const CrosswalkLink& l : crosswalk.links) {
    std::vector<std::string> iso;
    for (const std::string& i : l.iso42001)
      iso.push_back(absl::StrCat(i, " (", items.at(i).status, ")"));
    links.rows.push_back({l.topic, absl::StrJoin(iso, "; "),
                          absl::StrJoin(l.euaia, ", "),
                          absl::StrJoin(l.nist, ", ")});
  }
  auto table = [&](const char* what,
                   const std::vector<std::pair<std::string, std::string>>& d,
                   std::vector<std::string> CrosswalkLink::*side) {
    Table t{{what, "title", "status", "through ISO/IEC 42001"}, {}};
    for (const auto& [id, derived] : Derive(d, crosswalk, items, side))
      t.rows.push_back({id, Title(d, id), derived.status,
                        absl::StrJoin(derived.through, "; ")});
    return t;
  };
  return {
      "Cross-framework mapping (ISO/IEC 42001, EU AI Act, NIST AI RMF)",
      {"Each link as shipped, with the status of each ISO/IEC 42001 item "
       "at the pack's date; then each article and category with the "
       "items it is judged through. Evidence for an item is listed in the "
       "SoA evidence and documented-information sections."},
      {std::move(links),
       table("EU AI Act article", crosswalk.euaia, &CrosswalkLink::euaia),
       table("NIST AI RMF category", crosswalk.nist, &CrosswalkLink::nist)}};
}

}  // namespace ailedger::reports::iso42001
