// The factsheet's assessments, incidents, approvals and audits
// (system_sections.h).
#include "reports/system_sections.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "ledger/base/base64.h"

namespace ailedger::reports::factsheet {
namespace {

constexpr const char* kLevels[] = {"", "I", "II", "III", "IV"};

std::string Claimed(const v1::ImpactAssessmentRecorded& a) {
  if (!a.has_claimed() || !a.claimed().has_level()) return "not stated";
  const uint32_t l = a.claimed().level();
  return l >= 1 && l <= 4 ? absl::StrCat("level ", kLevels[l])
                          : absl::StrCat("level ", l, " (out of range)");
}

std::string ReviewDay(int64_t ms) { return ms == 0 ? "not stated" : Day(ms); }

// A review due before the report's "as of" with no later current record of
// the same kind (same framework or privacy kind).
void ReviewDue(const Context& c, const Record& r, int64_t due,
               const std::string& what, std::vector<Gap>* gaps) {
  if (due == 0 || due >= c.as_of_ms || !IsCurrent(c, r)) return;
  for (const Record* later : c.about) {
    if (later->index <= r.index || !IsCurrent(c, *later)) continue;
    const v1::Event& a = r.event;
    const v1::Event& b = later->event;
    if (a.has_impact_assessment_recorded() &&
        b.has_impact_assessment_recorded() &&
        a.impact_assessment_recorded().framework() ==
            b.impact_assessment_recorded().framework())
      return;
    if (a.has_privacy_assessment_recorded() &&
        b.has_privacy_assessment_recorded() &&
        a.privacy_assessment_recorded().kind() ==
            b.privacy_assessment_recorded().kind())
      return;
  }
  gaps->push_back(
      {"review of " + what,
       absl::StrCat("no record: due ", Day(due), ", no later assessment"),
       Cite(r)});
}

}  // namespace

void AddAssessments(const Context& c, Report* out, std::vector<Gap>* gaps) {
  Section s{"Assessments",
            {"Levels are as their authors claim them; `report aia` "
             "recomputes a Canada AIA's level from its answers."},
            {{{"event", "framework or kind", "summary", "claimed level",
               "next review", "status", "evidence"},
              {}}}};
  nlohmann::json& data = out->data["assessments"] = nlohmann::json::array();
  for (const Record* r : c.about) {
    const v1::Event& e = r->event;
    std::string kind, summary, claimed, review;
    if (e.has_impact_assessment_recorded()) {
      const auto& a = e.impact_assessment_recorded();
      kind = absl::StrCat(a.framework(), " ",
                          a.survey_version().empty() ? a.framework_version()
                                                     : a.survey_version());
      summary = !a.scope().empty() ? a.scope()
                : a.requirement_set().empty()
                    ? ""
                    : "requirement set " + a.requirement_set();
      claimed = Claimed(a);
      review = ReviewDay(a.next_review_ms());
      ReviewDue(c, *r, a.next_review_ms(), a.framework() + " assessment", gaps);
    } else if (e.has_classification_assessed()) {
      const auto& a = e.classification_assessed();
      kind = "EU AI Act Art. 6" +
             (a.art6_basis().empty() ? "" : " (" + a.art6_basis() + ")");
      summary = absl::StrCat(
          EnumText(v1::RiskClass_Name(a.risk_class()), "RISK_CLASS_"),
          a.annex_iii_point().empty() ? ""
                                      : ", Annex III " + a.annex_iii_point(),
          a.art6_3_condition().empty()
              ? ""
              : ", Art. 6(3) condition " + a.art6_3_condition(),
          a.profiling() ? ", profiling" : "", ": ", a.reasoning());
    } else if (e.has_risk_assessed()) {
      const auto& a = e.risk_assessed();
      kind = "risk";
      summary = absl::StrCat(a.description(), "; likelihood ", a.likelihood(),
                             ", severity ", a.severity());
    } else if (e.has_risk_treated()) {
      const auto& a = e.risk_treated();
      kind = "risk treatment";
      summary = absl::StrCat(
          EnumText(v1::TreatmentOption_Name(a.option()), "TREATMENT_OPTION_"),
          "; residual likelihood ", a.residual_likelihood(), ", severity ",
          a.residual_severity(),
          a.controls().empty()
              ? ""
              : "; controls " + absl::StrJoin(a.controls(), ", "));
    } else if (e.has_privacy_assessment_recorded()) {
      const auto& a = e.privacy_assessment_recorded();
      kind = a.kind();
      summary = absl::StrCat(a.processing(), "; outcome: ", a.outcome());
      review = ReviewDay(a.next_review_ms());
      ReviewDue(c, *r, a.next_review_ms(), a.kind(), gaps);
    } else if (e.has_gba_plus_recorded()) {
      kind = "GBA Plus";
      summary = e.gba_plus_recorded().summary();
    } else if (e.has_peer_review_published()) {
      const auto& a = e.peer_review_published();
      kind = "peer review";
      summary = absl::StrCat(a.reviewer(), ": ", a.conclusion());
    } else {
      continue;
    }
    s.tables[0].rows.push_back({e.event_type(), kind, summary, claimed, review,
                                Status(c, *r), Cite(*r)});
    nlohmann::json j = Ref(c, *r);
    j.update({{"kind", kind}, {"claimed_level", claimed}});
    data.push_back(std::move(j));
  }
  if (s.tables[0].rows.empty())
    s.paragraphs.push_back("No assessment of the system is on this log.");
  out->sections.push_back(std::move(s));
}

namespace {

struct Incident {
  std::string id;
  const Record* reported = nullptr;
  v1::Severity severity = v1::SEVERITY_UNSPECIFIED;
  std::string category;
  bool not_serious = false;
  int updates = 0, initial = 0, complete = 0, communications = 0;
  const Record* closed = nullptr;
};

std::string IncidentOf(const Context& c, const Record& r) {
  std::string id = SubjectOf(r.event, "incident");
  if (!id.empty()) return id;
  const std::string& ref =
      r.event.has_regulator_notification()
          ? r.event.regulator_notification().incident_event_id()
      : r.event.has_incident_communicated()
          ? r.event.incident_communicated().incident_event_id()
          : std::string();
  auto it = c.by_id.find(ref);
  return it == c.by_id.end() ? "" : SubjectOf(it->second->event, "incident");
}

// What an incident record says, or "" for a record of another kind; folds
// it into the incident's summary when current.
std::string IncidentDetail(const Record& r, bool current, Incident* inc) {
  const v1::Event& e = r.event;
  if (e.has_incident_reported()) {
    const auto& x = e.incident_reported();
    if (current) {
      inc->severity = x.severity();
      inc->category = x.art3_49_category();
      inc->not_serious = x.not_serious();
    }
    return absl::StrCat(
        "reported: ", EnumText(v1::Severity_Name(x.severity()), "SEVERITY_"),
        x.art3_49_category().empty()
            ? ""
            : ", Art. 3(49)(" + x.art3_49_category() + ")",
        x.not_serious() ? ", not serious: " + x.not_serious_reason() : "",
        "; harm ", absl::StrJoin(x.harm_types(), ", "), "; aware ",
        Day(x.aware_at_ms()));
  }
  if (e.has_incident_updated()) {
    const auto& x = e.incident_updated();
    if (current) {
      ++inc->updates;
      if (x.severity() != v1::SEVERITY_UNSPECIFIED)
        inc->severity = x.severity();
      if (!x.art3_49_category().empty()) inc->category = x.art3_49_category();
      if (x.has_not_serious()) inc->not_serious = x.not_serious();
    }
    return absl::StrCat(
        "update: ", x.update(),
        x.severity() == v1::SEVERITY_UNSPECIFIED
            ? ""
            : "; severity " +
                  EnumText(v1::Severity_Name(x.severity()), "SEVERITY_"));
  }
  if (e.has_regulator_notification()) {
    const auto& x = e.regulator_notification();
    if (current && x.kind() == v1::NOTIFICATION_KIND_INITIAL) ++inc->initial;
    if (current && x.kind() == v1::NOTIFICATION_KIND_COMPLETE) ++inc->complete;
    return absl::StrCat(
        EnumText(v1::NotificationKind_Name(x.kind()), "NOTIFICATION_KIND_"),
        " report to ", x.authority(), " (", x.member_state(), ") sent ",
        Day(x.sent_at_ms()));
  }
  if (e.has_incident_communicated()) {
    const auto& x = e.incident_communicated();
    if (current) ++inc->communications;
    return absl::StrCat("communicated to ",
                        EnumText(v1::Audience_Name(x.audience()), "AUDIENCE_"),
                        x.recipient().empty() ? "" : " " + x.recipient(),
                        " by ", x.channel(), " ", Day(x.sent_at_ms()));
  }
  if (e.has_incident_closed()) {
    if (current) inc->closed = &r;
    return "closed: " + e.incident_closed().resolution();
  }
  return "";
}

}  // namespace

void AddIncidents(const Context& c, Report* out, std::vector<Gap>* gaps) {
  std::vector<Incident> incidents;
  std::map<std::string, size_t> pos;
  Table records{
      {"incident", "occurred", "event", "detail", "status", "evidence"}, {}};
  nlohmann::json& data = out->data["incidents"] = nlohmann::json::object();
  data["records"] = nlohmann::json::array();
  for (const Record* r : c.about) {
    const std::string id = IncidentOf(c, *r);
    if (id.empty()) continue;
    if (!pos.contains(id)) {
      if (!r->event.has_incident_reported()) continue;
      pos[id] = incidents.size();
      incidents.push_back({id, r});
    }
    const std::string detail =
        IncidentDetail(*r, IsCurrent(c, *r), &incidents[pos[id]]);
    if (detail.empty()) continue;
    records.rows.push_back({id, Day(r->event.occurred_at_ms()),
                            r->event.event_type(), detail, Status(c, *r),
                            Cite(*r)});
    nlohmann::json j = Ref(c, *r);
    j["incident"] = id;
    data["records"].push_back(std::move(j));
  }
  Table summary{
      {"incident", "severity (latest)", "Art. 3(49)", "updates",
       "initial / complete reports", "communications", "closed", "evidence"},
      {}};
  data["summary"] = nlohmann::json::array();
  for (const Incident& i : incidents) {
    const bool serious = !i.not_serious && !i.category.empty();
    const std::string sev =
        EnumText(v1::Severity_Name(i.severity), "SEVERITY_");
    summary.rows.push_back(
        {i.id, sev, serious ? i.category : "not serious",
         absl::StrCat(i.updates), absl::StrCat(i.initial, " / ", i.complete),
         absl::StrCat(i.communications),
         i.closed ? "yes, idx " + absl::StrCat(i.closed->index) : "NO",
         Cite(*i.reported)});
    data["summary"].push_back(
        {{"incident", i.id},
         {"index", i.reported->index},
         {"severity", sev},
         {"serious", serious},
         {"updates", i.updates},
         {"initial_reports", i.initial},
         {"complete_reports", i.complete},
         {"communications", i.communications},
         {"closed_index", i.closed ? nlohmann::json(i.closed->index)
                                   : nlohmann::json(nullptr)}});
    if (!i.closed)
      gaps->push_back({"closure of incident " + i.id, "no record: open",
                       Cite(*i.reported)});
    if (serious && i.initial == 0)
      gaps->push_back({"initial Art. 73 report of incident " + i.id,
                       "no record", Cite(*i.reported)});
    if (serious && i.complete == 0)
      gaps->push_back({"complete Art. 73 report of incident " + i.id,
                       "no record", Cite(*i.reported)});
  }
  Section s{"Incidents", {}, {}};
  if (incidents.empty()) {
    s.paragraphs.push_back("No incident about the system is on this log.");
  } else {
    s.tables = {std::move(summary), std::move(records)};
  }
  out->sections.push_back(std::move(s));
}

}  // namespace ailedger::reports::factsheet
