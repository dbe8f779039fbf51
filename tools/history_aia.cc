// Impact assessments in the generated history: Aurora's Canada AIA (voluntary
// use of the DADM method) answered from the shipped survey (ledger/aia), with
// the score the author claims, and the deployer's Art. 27 FRIA before it puts
// the high-risk credit system into service.
#include "absl/strings/str_cat.h"
#include "ledger/aia/score.h"
#include "ledger/aia/survey.h"
#include "tools/history_story.h"

namespace ailedger::history {
namespace {

// The newest shipped survey (data/canada-aia/).
const aia::Survey& TheSurvey() { return *aia::ShippedSurveys().back(); }

}  // namespace

// The questionnaire names the survey file by its SHA-256 and lists every
// question it asks.
void History::Story::Questionnaire() {
  const aia::Survey& survey = TheSurvey();
  v1::Event q = Base("QuestionnaireDefined", kProvider, {}, {"ca-dadm:aia"});
  auto* qd = q.mutable_questionnaire_defined();
  qd->set_name("Algorithmic Impact Assessment");
  qd->set_version(survey.version());
  qd->set_framework("ca-dadm:aia");
  qd->set_questionnaire_sha256(Bytes(survey.sha256()));
  for (const aia::Question& question : survey.questions())
    qd->add_question_ids(question.name);
  aia_ = Emit("analyst", q);
}

void History::Story::ImpactAssessment(System& s, int phase,
                                      const Hash* trigger) {
  const aia::Survey& survey = TheSurvey();
  v1::Event e = Base("ImpactAssessmentRecorded", kProvider, {{"system", s.id}},
                     {"ca-dadm:aia"});
  auto* a = e.mutable_impact_assessment_recorded();
  a->set_framework("ca-dadm:aia");
  a->set_framework_version(survey.version());  // v1 readers look here
  a->set_survey_version(survey.version());
  a->set_applicability(v1::AIA_APPLICABILITY_VOLUNTARY);  // a private firm
  a->set_requirement_set(clock_ms_ >= kAia2023 ? "2023" : "pre-2023");
  a->set_questionnaire_event_id(Bytes(aia_));
  for (v1::Answer& answer : aia::ExampleAnswers(survey, phase, rng_() >> 1))
    *a->add_answers() = std::move(answer);
  const aia::Score score = aia::ComputeScore(survey, a->answers());
  a->mutable_claimed()->set_raw_impact(score.raw_impact);
  a->mutable_claimed()->set_mitigation(score.mitigation);
  a->mutable_claimed()->set_current_score(score.current_score);
  a->mutable_claimed()->set_level(score.level);
  a->set_scope(absl::StrCat(s.name, phase == 1 ? " (design)" : " version ",
                            phase == 1 ? "" : s.version));
  a->set_next_review_ms(clock_ms_ + 365 * kDay);
  if (s.aia != Hash{}) a->set_previous_assessment_event_id(Bytes(s.aia));
  if (trigger) a->set_trigger_event_id(Bytes(*trigger));
  s.aia = Emit("analyst", e);
  Approve("cto", kProvider, s.aia);
}

// EU AI Act Art. 27: the deployer of an Annex III 5(b) system assesses the
// impact on fundamental rights before first use, and updates it when the
// system changes substantially.
void History::Story::Fria(System& s, const Hash& release) {
  v1::Event e = Base("ImpactAssessmentRecorded", kDeployer, {{"system", s.id}},
                     {"euaia:art27"});
  auto* a = e.mutable_impact_assessment_recorded();
  a->set_framework("euaia:art27");
  a->set_framework_version("Regulation (EU) 2024/1689");
  a->set_scope(absl::StrCat(s.name, " ", s.version, " at ", kDeployer));
  auto* f = a->mutable_fria();
  f->set_processes("consumer loan decisions; the score informs an underwriter");
  f->set_period_and_frequency("every application, for the agreement's term");
  f->set_affected_categories("loan applicants in Ireland, all age bands");
  f->set_specific_risks("lower limits for applicants over 60 (age band)");
  f->set_human_oversight("an underwriter decides; overrides are logged");
  f->set_measures_if_materialised(
      "suspend automated limits; complaints desk; notify Aurora in 24 hours");
  a->set_next_review_ms(clock_ms_ + 365 * kDay);
  if (s.fria != Hash{}) a->set_previous_assessment_event_id(Bytes(s.fria));
  a->set_trigger_event_id(Bytes(release));
  s.fria = Emit("staff", e);
  Approve("manager", kDeployer, s.fria);
}

}  // namespace ailedger::history
