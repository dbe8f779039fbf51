// The annual report's incidents by harm type, severity and affected
// stakeholders (issue 13: "incidents by harm type, severity and affected
// stakeholders"; DOMAIN.md §5.2, the OECD AI Incidents Monitor's
// dimensions). Each incident reported in the year counts once per value it
// names, with its latest severity and category (IncidentUpdated by the
// year's end) and the persons affected where stated.
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "reports/annual_sections.h"
#include "reports/system_sections.h"

namespace ailedger::reports::annual {
namespace {

struct Incident {
  std::string id;
  const Record* reported = nullptr;
  v1::Severity severity = v1::SEVERITY_UNSPECIFIED;
  std::string category;
  bool not_serious = false;
  const Record* closed = nullptr;
};

struct Tally {
  std::set<std::string> incidents;
  uint64_t affected = 0;
  size_t unstated = 0;  // incidents not stating how many were affected
};

// At most ten ids, then how many more.
std::string Ids(const std::set<std::string>& ids) {
  std::vector<std::string> shown;
  for (const std::string& id : ids) {
    if (shown.size() == 10) break;
    shown.push_back(id);
  }
  return absl::StrCat(
      absl::StrJoin(shown, ", "),
      ids.size() > 10 ? absl::StrCat(" and ", ids.size() - 10, " more") : "");
}

std::string SeverityText(const Incident& i) {
  return factsheet::EnumText(v1::Severity_Name(i.severity), "SEVERITY_");
}

// The incidents reported in the year with their state at the year's end.
std::vector<Incident> YearIncidents(const Scope& scope) {
  std::vector<Incident> out;
  std::map<std::string, size_t> pos;
  for (const Record* r : scope.about()) {
    const v1::Event& e = r->event;
    const std::string id = SubjectOf(e, "incident");
    if (id.empty() || !scope.IsCurrent(*r) ||
        e.occurred_at_ms() >= scope.end_ms())
      continue;
    if (e.has_incident_reported() && scope.InYear(e.occurred_at_ms()) &&
        !pos.contains(id)) {
      pos[id] = out.size();
      const auto& x = e.incident_reported();
      out.push_back({id, r, x.severity(), x.art3_49_category(), x.not_serious(),
                     nullptr});
      continue;
    }
    auto it = pos.find(id);
    if (it == pos.end()) continue;
    Incident& i = out[it->second];
    if (e.has_incident_updated()) {
      const auto& u = e.incident_updated();
      if (u.severity() != v1::SEVERITY_UNSPECIFIED) i.severity = u.severity();
      if (!u.art3_49_category().empty()) i.category = u.art3_49_category();
      if (u.has_not_serious()) i.not_serious = u.not_serious();
    }
    if (e.has_incident_closed() && i.closed == nullptr) i.closed = r;
  }
  return out;
}

}  // namespace

Section IncidentCategories(const Scope& scope) {
  Section s{
      "Incidents by harm type, severity and affected stakeholders",
      {"Each incident reported in the year, with its severity and "
       "Art. 3(49) category as the latest update by the year's end "
       "leaves them. Harm types and stakeholders are counted as "
       "written: the vocabulary a record names (harm_vocabulary) is "
       "recorded, not checked. An incident counts once under each value "
       "it names, so a dimension's rows may sum to more than the "
       "incidents."},
      {{{"dimension", "value", "incidents", "persons affected", "incident ids"},
        {}},
       {{"incident", "system", "severity (latest)", "Art. 3(49)", "harm types",
         "affected stakeholders", "persons affected", "vocabulary",
         "closed by the year's end", "record"},
        {}}}};
  const std::vector<Incident> incidents = YearIncidents(scope);
  // dimension -> value -> tally, in a fixed order.
  std::map<std::string, std::map<std::string, Tally>> dims;
  const auto add = [&](const char* dim, const std::string& value,
                       const Incident& i) {
    Tally& t = dims[dim][value.empty() ? "not stated" : value];
    t.incidents.insert(i.id);
    const auto& x = i.reported->event.incident_reported();
    if (x.has_affected_count())
      t.affected += x.affected_count();
    else
      ++t.unstated;
  };
  for (const Incident& i : incidents) {
    const auto& x = i.reported->event.incident_reported();
    for (const std::string& h : x.harm_types()) add("1 harm type", h, i);
    if (x.harm_types().empty()) add("1 harm type", "", i);
    add("2 severity", SeverityText(i), i);
    add("3 Art. 3(49) category",
        i.not_serious || i.category.empty() ? "not serious"
                                            : "(" + i.category + ")",
        i);
    for (const std::string& h : x.affected_stakeholders())
      add("4 affected stakeholders", h, i);
    if (x.affected_stakeholders().empty())
      add("4 affected stakeholders", "", i);
    s.tables[1].rows.push_back(
        {i.id, SubjectOf(i.reported->event, "system"), SeverityText(i),
         i.not_serious || i.category.empty() ? "not serious" : i.category,
         absl::StrJoin(x.harm_types(), ", "),
         absl::StrJoin(x.affected_stakeholders(), ", "),
         x.has_affected_count() ? absl::StrCat(x.affected_count())
                                : "not stated",
         factsheet::OrNot(x.harm_vocabulary()),
         i.closed ? "yes, " + Day(i.closed->event.occurred_at_ms())
                  : "NO: open",
         i.closed ? absl::StrCat(Cite(*i.reported), "; ", Cite(*i.closed))
                  : Cite(*i.reported)});
  }
  for (const auto& [dim, values] : dims) {
    for (const auto& [value, t] : values) {
      s.tables[0].rows.push_back(
          {dim.substr(2), value, absl::StrCat(t.incidents.size()),
           absl::StrCat(t.affected, t.unstated
                                        ? absl::StrCat(" (", t.unstated,
                                                       " incidents do not say)")
                                        : ""),
           Ids(t.incidents)});
    }
  }
  Cap(&s, 1, "incidents");
  if (incidents.empty()) {
    s.tables.clear();
    s.paragraphs.push_back("No incident was reported in the year.");
  } else {
    s.paragraphs.insert(
        s.paragraphs.begin() + 1,
        absl::StrCat(incidents.size(), " incidents reported in the year."));
  }
  return s;
}

}  // namespace ailedger::reports::annual
