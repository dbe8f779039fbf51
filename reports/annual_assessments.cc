// The annual report's impact assessments and level changes (issue 13;
// DOMAIN.md §9 "impact assessments and level changes"): every impact
// assessment of the organisation's systems in the year (its own, and a
// deployer's FRIA of them), a Canada AIA's level computed from its answers
// against the survey its questionnaire names exactly as the Government of
// Canada's tool does (ledger/aia/score.h; `report aia` gives the detail)
// beside the level its author claims, and the change from the assessment
// before it of the same system and framework; the EU AI Act risk
// classifications and their changes; and each substantial modification of
// the year with whether it was reassessed before its deployment (log order,
// aia_history.h).
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "ledger/aia/score.h"
#include "ledger/aia/survey.h"
#include "reports/aia_history.h"
#include "reports/annual_sections.h"
#include "reports/system_sections.h"

namespace ailedger::reports::annual {
namespace {

constexpr const char* kLevels[] = {"", "I", "II", "III", "IV"};
constexpr char kAia[] = "ca-dadm:aia";

const char* LevelName(int l) { return kLevels[l >= 0 && l <= 4 ? l : 0]; }

// The survey an AIA answers: its questionnaire's digest, else the shipped
// survey of its version (as `report aia` finds it).
const aia::Survey* SurveyOf(const Scope& scope,
                            const v1::ImpactAssessmentRecorded& a) {
  const Record* q = scope.ById(a.questionnaire_event_id());
  if (q != nullptr && q->event.has_questionnaire_defined())
    return aia::FindSurvey(
        q->event.questionnaire_defined().questionnaire_sha256());
  for (const aia::Survey* s : aia::ShippedSurveys()) {
    if (s->version() == absl::StripPrefix(a.survey_version(), "v")) return s;
  }
  return nullptr;
}

struct Level {
  int level = 0;  // 0: none computed
  std::string text;
};

Level LevelOf(const Scope& scope, const v1::ImpactAssessmentRecorded& a) {
  if (a.framework() != kAia) return {0, "no level (not a Canada AIA)"};
  const aia::Survey* survey = SurveyOf(scope, a);
  if (survey == nullptr)
    return {0, "not computed: the survey it answers is not shipped"};
  const aia::Score sc = aia::ComputeScore(*survey, a.answers());
  const bool complete = aia::UnansweredRequired(*survey, a.answers()).empty();
  return {sc.level, absl::StrCat("level ", LevelName(sc.level), " (current ",
                                 sc.current_score, " of ", sc.max_raw, ")",
                                 complete ? "" : ", provisional: incomplete")};
}

std::string Claimed(const v1::ImpactAssessmentRecorded& a, int computed) {
  if (!a.has_claimed() || !a.claimed().has_level()) return "not stated";
  const int l = static_cast<int>(a.claimed().level());
  return absl::StrCat(LevelName(l),
                      computed != 0 && l != computed ? ": DIFFERS" : "");
}

std::string Change(int before, int now, bool first) {
  if (first) return "first assessment";
  if (before == 0 && now == 0) return "revised (the framework has no level)";
  if (before == 0 || now == 0) return "not comparable (no computed level)";
  if (before == now) return absl::StrCat("unchanged (", LevelName(now), ")");
  return absl::StrCat(LevelName(before), " to ", LevelName(now),
                      now > before ? " (HIGHER)" : " (lower)");
}

std::string RiskClass(v1::RiskClass c) {
  return factsheet::EnumText(v1::RiskClass_Name(c), "RISK_CLASS_");
}

}  // namespace

Section Assessments(const std::vector<Record>& records, const Scope& scope) {
  Section s{"Impact assessments and level changes",
            {"Every impact assessment and risk classification of the "
             "organisation's systems in the year, by whoever recorded it; a "
             "Canada AIA's level is computed from its answers as the "
             "Government of Canada's tool does (`report aia` gives the "
             "scores and requirements), its author's claim beside it; the "
             "change is against the assessment before it of the same system "
             "and framework (or the classification before it)."},
            {{{"system", "assessment", "by", "level", "claimed level", "change",
               "next review", "approval", "status", "record"},
              {}}}};
  std::map<std::pair<std::string, std::string>, int> last;  // -> level
  std::map<std::string, v1::RiskClass> classes;
  for (const Record* r : scope.about()) {
    const v1::Event& e = r->event;
    if (!scope.IsCurrent(*r) || e.occurred_at_ms() >= scope.end_ms()) continue;
    const std::string system = SubjectOf(e, "system");
    const bool in_year = scope.InYear(e.occurred_at_ms());
    std::string why;
    if (e.has_impact_assessment_recorded()) {
      const auto& a = e.impact_assessment_recorded();
      const Level l = LevelOf(scope, a);
      auto it = last.find({system, a.framework()});
      if (in_year) {
        scope.Approved(*r, &why);
        s.tables[0].rows.push_back(
            {system,
             absl::StrCat(a.framework(), " ",
                          a.survey_version().empty() ? a.framework_version()
                                                     : a.survey_version()),
             e.organisation(), l.text, Claimed(a, l.level),
             Change(it == last.end() ? 0 : it->second, l.level,
                    it == last.end()),
             a.next_review_ms() ? Day(a.next_review_ms()) : "not stated", why,
             scope.State(*r), scope.CiteWithDecisions(*r)});
      }
      last[{system, a.framework()}] = l.level;
    } else if (e.has_classification_assessed()) {
      const auto& c = e.classification_assessed();
      auto it = classes.find(system);
      if (in_year) {
        s.tables[0].rows.push_back(
            {system, "EU AI Act Art. 6 classification", e.organisation(),
             RiskClass(c.risk_class()), "",
             it == classes.end() ? "first classification"
             : it->second == c.risk_class()
                 ? "unchanged"
                 : absl::StrCat(RiskClass(it->second), " to ",
                                RiskClass(c.risk_class())),
             "", "", scope.State(*r), Cite(*r)});
      }
      classes[system] = c.risk_class();
    }
  }
  Cap(&s, 0, "assessments");
  if (s.tables[0].rows.empty()) {
    s.tables.clear();
    s.paragraphs.push_back(
        "No impact assessment or classification of the organisation's "
        "systems was recorded in the year.");
  }
  Table mods{{"system", "substantial modification", "next assessment",
              "next deployment", "finding"},
             {}};
  for (const std::string& system : scope.systems()) {
    std::vector<const Record*> aias;
    for (const Record* r : scope.OfSystem(system)) {
      if (r->event.has_impact_assessment_recorded() && scope.IsCurrent(*r) &&
          r->event.impact_assessment_recorded().framework() == kAia)
        aias.push_back(r);
    }
    for (const AiaModification& m : AiaModifications(records, system, aias)) {
      if (!scope.InYear(m.release->event.occurred_at_ms())) continue;
      mods.rows.push_back({system, Cite(*m.release),
                           m.assessment ? Cite(*m.assessment) : "none",
                           m.deployment ? Cite(*m.deployment) : "none",
                           m.finding});
    }
  }
  if (mods.rows.empty()) {
    s.paragraphs.push_back("No substantial modification in the year.");
  } else {
    s.paragraphs.push_back(
        "Each substantial modification of the year (a release with "
        "substantial_modification set) against the first Canada AIA and the "
        "first deployment of its version after it, in log order.");
    s.tables.push_back(std::move(mods));
    Cap(&s, s.tables.size() - 1, "substantial modifications");
  }
  return s;
}

}  // namespace ailedger::reports::annual
