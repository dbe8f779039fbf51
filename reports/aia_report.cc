#include "reports/aia_report.h"

#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "ledger/aia/score.h"
#include "ledger/aia/survey.h"
#include "reports/aia_evidence.h"
#include "reports/aia_history.h"
#include "reports/aia_reference.h"
#include "reports/aia_sections.h"

namespace ailedger::reports {
namespace {

constexpr const char* kLevels[] = {"", "I", "II", "III", "IV"};

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
  AiaSetChoice set;
};

Scored ScoreOne(const Record& r, const aia::Survey& s,
                const AiaReference& ref) {
  const auto& a = r.event.impact_assessment_recorded();
  Scored out{
      &r,
      &s,
      aia::ComputeScore(s, a.answers()),
      aia::UnansweredRequired(s, a.answers()),
      false,
      ChooseRequirementSet(ref, r.event.occurred_at_ms(), a.requirement_set())};
  const v1::AiaClaim& c = a.claimed();
  out.differs =
      (c.has_level() && c.level() != out.score.level) ||
      (c.has_current_score() &&
       c.current_score() != static_cast<uint32_t>(out.score.current_score));
  return out;
}

Section Applicability(const Scored& latest, size_t unscored) {
  const auto& a = latest.record->event.impact_assessment_recorded();
  Section s{"Applicability", {}, {}};
  if (a.applicability() == v1::AIA_APPLICABILITY_FEDERAL) {
    s.paragraphs.push_back(
        "A federal institution under the Directive on Automated "
        "Decision-Making.");
  } else {
    s.paragraphs.push_back(absl::StrCat(
        "VOLUNTARY USE of the Government of Canada AIA method, not a DADM "
        "finding: the Directive on Automated Decision-Making does not bind "
        "this organisation; any mapping of its authorities (Assistant Deputy "
        "Minister, Deputy Head, Treasury Board) to its own is the "
        "organisation's mapping.",
        a.applicability() == v1::AIA_APPLICABILITY_UNSPECIFIED
            ? " (The assessment does not state its applicability.)"
            : ""));
  }
  s.paragraphs.push_back(absl::StrCat("Survey version ", a.survey_version(),
                                      "; requirement set '", latest.set.set->id,
                                      "' ", latest.set.rule, "."));
  if (unscored > 0) {
    s.paragraphs.push_back(absl::StrCat(
        unscored,
        " Canada AIA record(s) of the system answer a survey that is not "
        "shipped and are not scored."));
  }
  return s;
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

Section SectionScores(const Scored& x) {
  Section s{"Section scores of the latest assessment",
            {absl::StrCat(
                "As the tool shows them (calculateSectionScore): the scored "
                "questions of each section, the points of the answers and the "
                "most they could score. The mitigation maximum counts both "
                "forks; only the answered phase's questions score. ",
                Cite(*x.record))},
            {}};
  Table t{{"section", "counts as", "questions", "score", "maximum"}, {}};
  int totals[2][3] = {};
  for (const AiaSectionScore& r : AiaSectionScores(
           *x.survey, x.record->event.impact_assessment_recorded().answers())) {
    int* sum = totals[r.kind == 'R' ? 0 : 1];
    sum[0] += r.questions, sum[1] += r.score, sum[2] += r.max;
    t.rows.push_back({r.section, r.kind == 'R' ? "raw impact" : "mitigation",
                      absl::StrCat(r.questions), absl::StrCat(r.score),
                      absl::StrCat(r.max)});
  }
  for (int k = 0; k < 2; ++k) {
    t.rows.push_back({k == 0 ? "RAW IMPACT SCORE" : "MITIGATION SCORE", "",
                      absl::StrCat(totals[k][0]), absl::StrCat(totals[k][1]),
                      absl::StrCat(totals[k][2])});
  }
  s.tables.push_back(std::move(t));
  return s;
}

Section Answers(const Scored& x) {
  Section s{"Answers of the latest assessment (English / French)",
            {Cite(*x.record)},
            {}};
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

nlohmann::json AssessmentsJson(const std::vector<Scored>& scored) {
  nlohmann::json out = nlohmann::json::array();
  for (const Scored& x : scored) {
    nlohmann::json sections = nlohmann::json::array();
    for (const AiaSectionScore& r : AiaSectionScores(
             *x.survey,
             x.record->event.impact_assessment_recorded().answers())) {
      sections.push_back({{"section", r.section},
                          {"kind", r.kind == 'R' ? "raw" : "mitigation"},
                          {"questions", r.questions},
                          {"score", r.score},
                          {"max", r.max}});
    }
    out.push_back({{"index", x.record->index},
                   {"event_id", ToHex(x.record->event_id)},
                   {"raw_impact", x.score.raw_impact},
                   {"mitigation", x.score.mitigation},
                   {"mitigation_applied", x.score.mitigation_applied},
                   {"current_score", x.score.current_score},
                   {"level", x.score.level},
                   {"claim_differs", x.differs},
                   {"unanswered_required", x.unanswered},
                   {"sections", sections}});
  }
  return out;
}

// The Directive's duty to publish the assessment, before production since
// the 2023 amendments (DOMAIN.md §1.5): an AiaPublished of one of the
// system's assessments, in log order against the first deployment.
std::string Publication(const AiaEvidenceIndex& index, const Record* deployed) {
  const std::vector<const Record*> published = index.Of("AiaPublished", "");
  if (published.empty()) {
    return "Publication of the assessment: not evidenced (no AiaPublished of "
           "an assessment of the system in the verified records).";
  }
  const Record& first = *published.front();
  return absl::StrCat(
      "Publication of the assessment: first ", Cite(first),
      deployed == nullptr             ? ""
      : first.index < deployed->index ? ", before the first deployment"
                                      : ", AFTER the first deployment",
      published.size() > 1
          ? absl::StrCat("; ", published.size(), " publications in all")
          : "",
      ".");
}

}  // namespace

absl::StatusOr<Report> AiaReport(const std::vector<Record>& records,
                                 const VerifyReport& verified,
                                 const VerifyOptions& options,
                                 const std::string& system) {
  absl::StatusOr<const AiaReference*> ref = ShippedAiaReference();
  if (!ref.ok()) return ref.status();
  std::map<std::string, const Record*> byid;
  for (const Record& r : records) {
    if (r.event.has_questionnaire_defined())  // all SurveyOf looks up
      byid[std::string(AsBytes(r.event_id))] = &r;
  }
  std::vector<Scored> scored;
  size_t unscored = 0;
  const Record* deployed = nullptr;
  for (const Record& r : records) {
    if (!AiaAbout(r.event, system)) continue;
    if (r.event.has_deployment_recorded() && !deployed) deployed = &r;
    if (!r.event.has_impact_assessment_recorded() ||
        r.event.impact_assessment_recorded().framework() != "ca-dadm:aia")
      continue;
    const aia::Survey* s = SurveyOf(r.event.impact_assessment_recorded(), byid);
    if (s) {
      scored.push_back(ScoreOne(r, *s, **ref));
    } else {
      ++unscored;
    }
  }
  if (scored.empty()) {
    return absl::NotFoundError(absl::StrCat(
        "no Canada AIA (ca-dadm:aia) of a shipped survey about system '",
        system, "' in the verified records"));
  }
  const Scored& latest = scored.back();
  std::vector<const Record*> assessed;
  std::vector<AiaAssessmentPoint> points;
  for (const Scored& x : scored) {
    assessed.push_back(x.record);
    const v1::AiaClaim& c =
        x.record->event.impact_assessment_recorded().claimed();
    points.push_back({x.record, x.score.level,
                      c.has_level() ? static_cast<int>(c.level()) : 0, x.set});
  }
  const AiaRequirementSet& set = *latest.set.set;
  const AiaEvidenceIndex index(records, system,
                               latest.record->event.organisation());
  const std::vector<AiaDutyResult> duties =
      EvaluateAiaRequirements(index, set, latest.score.level);
  const std::vector<AiaModification> modifications =
      AiaModifications(records, system, assessed);

  Report out;
  out.kind = "ca-aia";
  out.title = absl::StrCat("Algorithmic Impact Assessment: ", system);
  out.envelope = EnvelopeOf(verified, options);
  out.envelope.parameters.push_back({"system", system});
  out.envelope.reference_data.push_back(
      {absl::StrCat("Canada AIA survey v", latest.survey->version()),
       ToHex(latest.survey->sha256())});
  out.envelope.reference_data.push_back(
      {absl::StrCat("Canada AIA requirements '", set.id, "' (", set.file, ")"),
       set.file_sha256});
  out.envelope.reference_data.push_back(
      {absl::StrCat("AIA requirement-evidence mapping v",
                    (*ref)->mapping_version, " (", kAiaMappingFile, ")"),
       (*ref)->mapping_sha256});
  Section requirements = AiaRequirementsSection(index, set, latest.score.level,
                                                latest.set.rule, duties);
  Section order = AiaOrderSection(assessed, deployed, modifications);
  order.paragraphs.insert(order.paragraphs.begin() + 1,
                          Publication(index, deployed));
  if (!latest.unanswered.empty()) {
    requirements.paragraphs.push_back(absl::StrCat(
        "The level is provisional: ", latest.unanswered.size(),
        " required question(s) of the latest assessment are unanswered."));
  }
  out.sections = {Applicability(latest, unscored),
                  Assessments(scored),
                  SectionScores(latest),
                  std::move(requirements),
                  AiaLevelOverTime(points, modifications),
                  std::move(order),
                  Answers(latest)};
  out.data["assessments"] = AssessmentsJson(scored);
  out.data["requirements"] = {{"set", set.id},
                              {"set_rule", latest.set.rule},
                              {"level", latest.score.level},
                              {"assessment", latest.record->index},
                              {"duties", AiaRequirementsJson(duties)}};
  out.data["level_over_time"] = AiaLevelOverTimeJson(points);
  out.data["first_deployment"] =
      deployed ? nlohmann::json(deployed->index) : nlohmann::json(nullptr);
  out.data["assessed_before_first_deployment"] =
      !deployed || scored.front().record->index < deployed->index;
  out.data["substantial_modifications"] = AiaModificationsJson(modifications);
  return out;
}

}  // namespace ailedger::reports
