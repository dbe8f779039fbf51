#include "reports/aia_report.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "ledger/aia/score.h"
#include "ledger/aia/survey.h"

namespace ailedger::reports {
namespace {

constexpr const char* kLevels[] = {"", "I", "II", "III", "IV"};

bool About(const Record& r, const std::string& system) {
  for (const auto& s : r.event.subjects()) {
    if (s.kind() == "system" && s.id() == system) return true;
  }
  return false;
}

// The survey the assessment answers: its questionnaire's digest when the
// questionnaire is in the records, else the shipped survey of its version.
const aia::Survey* SurveyOf(const v1::ImpactAssessmentRecorded& a,
                            const std::map<std::string, const Record*>& byid) {
  auto it = byid.find(a.questionnaire_event_id());
  if (it != byid.end() && it->second->event.has_questionnaire_defined()) {
    return aia::FindSurvey(
        it->second->event.questionnaire_defined().questionnaire_sha256());
  }
  for (const aia::Survey* s : aia::ShippedSurveys()) {
    if (s->version() == absl::StripPrefix(a.survey_version(), "v")) return s;
  }
  return nullptr;
}

std::string AnswerText(const aia::Question* q, const v1::Answer& a) {
  std::vector<std::string> texts;
  for (const std::string& v : a.values()) {
    const aia::Choice* c = q ? q->FindChoice(v) : nullptr;
    texts.push_back(
        c ? absl::StrCat(c->text_en, " / ", c->text_fr, " (", v, ")") : v);
  }
  return absl::StrJoin(texts, "; ");
}

std::string Claim(const v1::AiaClaim& c, bool has) {
  if (!has || !c.has_level()) return "not stated";
  return absl::StrCat("level ", kLevels[std::min<uint32_t>(c.level(), 4)],
                      c.has_current_score()
                          ? absl::StrCat(", current ", c.current_score())
                          : "");
}

struct Scored {
  const Record* record;
  const aia::Survey* survey;
  aia::Score score;
  std::vector<std::string> unanswered;
  bool differs;
};

Scored ScoreOne(const Record& r, const aia::Survey& s) {
  const auto& a = r.event.impact_assessment_recorded();
  Scored out{&r, &s, aia::ComputeScore(s, a.answers()),
             aia::UnansweredRequired(s, a.answers()), false};
  const v1::AiaClaim& c = a.claimed();
  out.differs =
      (c.has_level() && c.level() != out.score.level) ||
      (c.has_current_score() &&
       c.current_score() != static_cast<uint32_t>(out.score.current_score));
  return out;
}

Section Assessments(const std::vector<Scored>& all) {
  Section s{"Assessments, scored from their answers",
            {"Scores are recomputed from the raw answers as the Government of "
             "Canada's tool does (calculateFinalScore); the author's claim is "
             "shown beside them."},
            {{{"evidence", "computed level", "current / raw / mitigation",
               "claimed", "complete"},
              {}}}};
  for (const Scored& x : all) {
    const aia::Score& sc = x.score;
    s.tables[0].rows.push_back(
        {Cite(*x.record), kLevels[sc.level],
         absl::StrCat(sc.current_score, " / ", sc.raw_impact, " of ",
                      sc.max_raw, " / ", sc.mitigation, " of ",
                      sc.max_mitigation,
                      sc.mitigation_applied ? " (mitigation applied)" : ""),
         Claim(x.record->event.impact_assessment_recorded().claimed(),
               x.record->event.impact_assessment_recorded().has_claimed()) +
             (x.differs ? ": DIFFERS" : ""),
         x.unanswered.empty()
             ? "yes"
             : absl::StrCat("no: ", x.unanswered.size(),
                            " required unanswered, level provisional")});
  }
  return s;
}

Section Answers(const Scored& x) {
  Section s{"Answers of the latest assessment (English / French)", {}, {}};
  Table t{{"question", "title", "answer", "counts as"}, {}};
  for (const v1::Answer& a :
       x.record->event.impact_assessment_recorded().answers()) {
    const aia::Question* q = x.survey->Find(a.question_id());
    t.rows.push_back({a.question_id(),
                      q ? absl::StrCat(q->title_en, " / ", q->title_fr) : "",
                      AnswerText(q, a),
                      !q                     ? ""
                      : q->score_kind == 'R' ? "raw impact"
                      : q->score_kind == 'M' ? "mitigation"
                                             : "not scored"});
  }
  s.tables.push_back(std::move(t));
  if (!x.unanswered.empty()) {
    s.paragraphs.push_back(absl::StrCat("Required and unanswered: ",
                                        absl::StrJoin(x.unanswered, ", ")));
  }
  return s;
}

}  // namespace

absl::StatusOr<Report> AiaReport(const std::vector<Record>& records,
                                 const VerifyReport& verified,
                                 const VerifyOptions& options,
                                 const std::string& system) {
  std::map<std::string, const Record*> byid;
  for (const Record& r : records) byid[std::string(AsBytes(r.event_id))] = &r;
  std::vector<Scored> scored;
  const Record* deployed = nullptr;
  for (const Record& r : records) {
    if (!About(r, system)) continue;
    if (r.event.has_deployment_recorded() && !deployed) deployed = &r;
    if (!r.event.has_impact_assessment_recorded() ||
        r.event.impact_assessment_recorded().framework() != "ca-dadm:aia")
      continue;
    const aia::Survey* s = SurveyOf(r.event.impact_assessment_recorded(), byid);
    if (s) scored.push_back(ScoreOne(r, *s));
  }
  if (scored.empty()) {
    return absl::NotFoundError(absl::StrCat(
        "no Canada AIA (ca-dadm:aia) of a shipped survey about system '",
        system, "' in the verified records"));
  }
  Report out;
  out.kind = "ca-aia";
  out.title = absl::StrCat("Algorithmic Impact Assessment: ", system);
  out.envelope = EnvelopeOf(verified, options);
  out.envelope.parameters.push_back({"system", system});
  const aia::Survey& survey = *scored.back().survey;
  out.envelope.reference_data.push_back(
      {absl::StrCat("Canada AIA survey v", survey.version()),
       ToHex(survey.sha256())});
  const auto& latest = scored.back().record->event.impact_assessment_recorded();
  Section applies{"Applicability", {}, {}};
  applies.paragraphs.push_back(
      latest.applicability() == v1::AIA_APPLICABILITY_FEDERAL
          ? "A federal institution under the Directive on Automated "
            "Decision-Making."
          : "VOLUNTARY USE of the Government of Canada AIA method: the "
            "Directive on Automated Decision-Making does not bind this "
            "organisation; any mapping of its authorities to the Directive's "
            "is the organisation's own.");
  applies.paragraphs.push_back(
      absl::StrCat("Requirement set: ", latest.requirement_set(),
                   "; survey version ", latest.survey_version(), "."));
  applies.paragraphs.push_back(
      !deployed ? "No deployment of the system is in the verified records."
      : scored.front().record->index < deployed->index
          ? absl::StrCat("The first assessment precedes the first deployment "
                         "in log order (",
                         Cite(*deployed), ").")
          : absl::StrCat("The first deployment precedes every assessment in "
                         "log order (",
                         Cite(*deployed), ")."));
  out.sections = {applies, Assessments(scored), Answers(scored.back())};
  out.data["assessments"] = nlohmann::json::array();
  for (const Scored& x : scored) {
    out.data["assessments"].push_back(
        {{"index", x.record->index},
         {"event_id", ToHex(x.record->event_id)},
         {"raw_impact", x.score.raw_impact},
         {"mitigation", x.score.mitigation},
         {"mitigation_applied", x.score.mitigation_applied},
         {"current_score", x.score.current_score},
         {"level", x.score.level},
         {"claim_differs", x.differs},
         {"unanswered_required", x.unanswered}});
  }
  return out;
}

}  // namespace ailedger::reports
