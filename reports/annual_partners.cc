// The annual report's partners and their due diligence (issue 13; ISO/IEC
// 42001 A.10.2, A.10.3): each partnership in force in the year, the
// organisation's own partners or those that registered it as theirs, with
// the partner's due-diligence answers (signed by the partner's own key: the
// author's organisation is the partner), the evaluation of them by the
// organisation that registered the partner, and their agreement, binding only
// once every party approved it (approvals.h). State at the year's end.
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "reports/annual_sections.h"
#include "reports/system_sections.h"

namespace ailedger::reports::annual {
namespace {

struct Partnership {
  const Record* registered = nullptr;
  const Record* answers = nullptr;     // the partner's latest answers
  const Record* evaluation = nullptr;  // the registrant's latest evaluation
  std::vector<const Record*> agreements;
};

std::string Outcome(v1::Decision d) {
  switch (d) {
    case v1::DECISION_APPROVE:
      return "approved";
    case v1::DECISION_APPROVE_WITH_CONDITIONS:
      return "approved with conditions";
    case v1::DECISION_REJECT:
      return "REJECTED";
    default:
      return "outcome not stated";
  }
}

}  // namespace

Section Partners(const Scope& scope) {
  Section s{"Partners and their due diligence",
            {"Partnerships in force by the year's end (ISO/IEC 42001 A.10): "
             "the partner's due-diligence answers (signed by the partner), "
             "the registering organisation's evaluation of them, and their "
             "agreement, binding once every party approved it."},
            {{{"partner", "registered by (role)", "answers", "evaluation",
               "agreement", "records"},
              {}}}};
  // (registering organisation, partner) -> partnership, in order.
  std::map<std::pair<std::string, std::string>, Partnership> all;
  for (const Record* r : scope.about()) {
    const v1::Event& e = r->event;
    if (!scope.IsCurrent(*r) || e.occurred_at_ms() >= scope.end_ms()) continue;
    const std::string partner = SubjectOf(e, "partner");
    if (e.has_partner_registered()) {
      all[{e.organisation(), e.partner_registered().partner_organisation()}]
          .registered = r;
    } else if (e.has_due_diligence_recorded()) {
      for (auto& [key, p] : all) {
        if (key.second != partner) continue;
        if (e.organisation() == partner) p.answers = r;
        if (e.organisation() == key.first) p.evaluation = r;
      }
    } else if (e.has_agreement_recorded()) {
      for (auto& [key, p] : all) {
        if (key.second == partner && key.first == e.organisation())
          p.agreements.push_back(r);
      }
    }
  }
  for (const auto& [key, p] : all) {
    if (!p.registered) continue;
    std::vector<std::string> cites = {Cite(*p.registered)};
    std::string answers = "NO ANSWERS recorded by the partner", evaluation;
    if (p.answers) {
      answers = absl::StrCat("given ", Day(p.answers->event.occurred_at_ms()),
                             " (signed by ", key.second, ")");
      cites.push_back(Cite(*p.answers));
    }
    if (p.evaluation) {
      const auto& d = p.evaluation->event.due_diligence_recorded();
      const int64_t t = p.evaluation->event.occurred_at_ms();
      evaluation = absl::StrCat(
          Outcome(d.outcome()), ", ", Day(t), " (", Days(t, scope.end_ms()),
          " days before the year's end): ", d.evaluation());
      cites.push_back(Cite(*p.evaluation));
    } else {
      evaluation = "NOT EVALUATED: no evaluation by " + key.first;
    }
    std::vector<std::string> agreements;
    for (const Record* a : p.agreements) {
      std::string why;
      const bool binding = scope.Approved(*a, &why);
      const auto& term = a->event.agreement_recorded().term();
      agreements.push_back(absl::StrCat(
          binding ? "binding: " : "NOT BINDING: ", why,
          term.end_ms() > 0 ? absl::StrCat("; term to ", Day(term.end_ms()))
                            : ""));
      cites.push_back(Cite(*a));
    }
    const auto& reg = p.registered->event.partner_registered();
    s.tables[0].rows.push_back(
        {key.second, absl::StrCat(key.first, " (", reg.role(), ")"), answers,
         evaluation,
         agreements.empty() ? "NO AGREEMENT recorded"
                            : absl::StrJoin(agreements, " | "),
         absl::StrJoin(cites, "; ")});
  }
  Cap(&s, 0, "partnerships");
  if (s.tables[0].rows.empty()) {
    s.tables.clear();
    s.paragraphs.push_back(
        "No partner of the organisation, nor any organisation naming it as "
        "its partner, is registered by the year's end (PartnerRegistered): "
        "no record.");
  }
  return s;
}

}  // namespace ailedger::reports::annual
