// ailedger aia-check: a Canada AIA (ImpactAssessmentRecorded, framework
// ca-dadm:aia) checked offline against the shipped survey it answers (issue 12,
// "Canada AIA"; ledger/aia): the answers' defects, the required questions left
// unanswered in the phase answered, and the score recomputed the way the
// Government of Canada's tool computes it, beside the author's claimed score.
//
// The event names its questionnaire by event id, which only the log resolves;
// offline the survey comes from --survey-sha256, from a QuestionnaireDefined
// event (--questionnaire), or is the only shipped survey when the event's
// survey_version is its version. Completeness is information (exit 0); invalid
// answers and a claimed value the answers do not give are failures (exit 1).
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "client/cli.h"
#include "ledger/aia/score.h"
#include "ledger/aia/survey.h"
#include "ledger/base/terminal_escape.h"
#include "ledger/merkle/hash.h"

namespace ailedger {
namespace {

constexpr char kAnswersField[] = "impact_assessment_recorded.answers";
// A hostile file may hold many bad answers; each is found by a full check.
constexpr size_t kMaxProblems = 50;

std::string KnownSurveys() {
  std::string known;
  for (const aia::Survey* s : aia::ShippedSurveys()) {
    absl::StrAppend(&known, known.empty() ? "" : ", ", "v", s->version(), " ",
                    ToHex(s->sha256()));
  }
  return known;
}

absl::StatusOr<const aia::Survey*> SurveyByDigest(absl::string_view digest,
                                                  absl::string_view what) {
  const aia::Survey* s = aia::FindSurvey(digest);
  if (s == nullptr) {
    return UsageError(absl::StrCat(what, ": ", ToHex(digest),
                                   " is not the SHA-256 of a Canada AIA survey "
                                   "this software ships (",
                                   KnownSurveys(), ")"));
  }
  return s;
}

// The survey the assessment answers: --survey-sha256, --questionnaire, or the
// only shipped survey when its version is the event's survey_version.
absl::StatusOr<const aia::Survey*> ChooseSurvey(
    const Cli& cli, const v1::ImpactAssessmentRecorded& a) {
  if (cli.args.Has("survey-sha256") && cli.args.Has("questionnaire"))
    return UsageError("give --survey-sha256 or --questionnaire, not both");
  if (cli.args.Has("survey-sha256")) {
    auto digest = FromHex(cli.args.Get("survey-sha256"));
    if (!digest.ok() || digest->size() != 32)
      return UsageError("--survey-sha256: 64 hex digits");
    return SurveyByDigest(*digest, "--survey-sha256");
  }
  if (cli.args.Has("questionnaire")) {
    auto text = ReadInput(cli.args.Get("questionnaire"));
    if (!text.ok()) return text.status();
    v1::Event q;
    if (auto s = FromJson(*text, &q, "--questionnaire"); !s.ok()) return s;
    if (!q.has_questionnaire_defined() ||
        q.questionnaire_defined().framework() != "ca-dadm:aia") {
      return UsageError(
          "--questionnaire: not a QuestionnaireDefined event of framework "
          "ca-dadm:aia");
    }
    return SurveyByDigest(q.questionnaire_defined().questionnaire_sha256(),
                          "--questionnaire: questionnaire_sha256");
  }
  const std::vector<const aia::Survey*> shipped = aia::ShippedSurveys();
  if (shipped.size() == 1 &&
      absl::StripPrefix(a.survey_version(), "v") == shipped[0]->version()) {
    return shipped[0];
  }
  return UsageError(absl::StrCat(
      "impact_assessment_recorded.survey_version '", a.survey_version(),
      "' names no single shipped survey; give --survey-sha256 HEX or "
      "--questionnaire FILE (shipped: ",
      KnownSurveys(), ")"));
}

// `message` with the indices CheckAnswers gave in the reduced answer list
// ("answers[k]", "first at [j]") written as indices in the event's list.
std::string WithOriginalIndices(std::string message,
                                const std::vector<int>& orig) {
  const auto rewrite = [&](const std::string& open) {
    const size_t at = message.find(open);
    if (at == std::string::npos) return;
    const size_t from = at + open.size();
    const size_t to = message.find(']', from);
    int k;
    if (to == std::string::npos ||
        !absl::SimpleAtoi(message.substr(from, to - from), &k) || k < 0 ||
        k >= static_cast<int>(orig.size())) {
      return;
    }
    message.replace(from, to - from, absl::StrCat(orig[k]));
  };
  rewrite(absl::StrCat(kAnswersField, "["));
  rewrite("first at [");
  return message;
}

// Every defect CheckAnswers finds: it refuses the first, so the answer it
// names is set aside and the rest checked again.
std::vector<std::string> AnswerProblems(
    const aia::Survey& s,
    const google::protobuf::RepeatedPtrField<v1::Answer>& answers) {
  google::protobuf::RepeatedPtrField<v1::Answer> rest = answers;
  std::vector<int> orig(answers.size());
  for (int i = 0; i < answers.size(); ++i) orig[i] = i;
  std::vector<std::string> problems;
  while (problems.size() < kMaxProblems) {
    const absl::Status st = aia::CheckAnswers(s, rest, kAnswersField);
    if (st.ok()) break;
    const std::string m(st.message());
    problems.push_back(WithOriginalIndices(m, orig));
    const std::string open = absl::StrCat(kAnswersField, "[");
    int k;
    const size_t close = m.find(']');
    if (!absl::StartsWith(m, open) || close == std::string::npos ||
        !absl::SimpleAtoi(m.substr(open.size(), close - open.size()), &k) ||
        k < 0 || k >= rest.size()) {
      break;  // a defect that names no answer: nothing to set aside
    }
    rest.DeleteSubrange(k, 1);
    orig.erase(orig.begin() + k);
  }
  if (problems.size() == kMaxProblems)
    problems.push_back("(stopped after the first 50 problems)");
  return problems;
}

const char* Roman(int level) {
  static constexpr const char* kLevels[] = {"I", "II", "III", "IV"};
  return level >= 1 && level <= 4 ? kLevels[level - 1] : "?";
}

const char* PhaseName(int phase) {
  return phase == 1 ? "Design" : phase == 2 ? "Implementation" : "none";
}

// One computed value beside the claimed one.
struct Compared {
  const char* name;
  int computed;
  std::optional<uint32_t> claimed;
  bool differs() const {
    return claimed && static_cast<int64_t>(*claimed) != computed;
  }
};

std::vector<Compared> CompareClaim(const aia::Score& sc,
                                   const v1::AiaClaim& c) {
  const auto opt = [](bool has, uint32_t v) {
    return has ? std::optional<uint32_t>(v) : std::nullopt;
  };
  return {
      {"raw_impact", sc.raw_impact, opt(c.has_raw_impact(), c.raw_impact())},
      {"mitigation", sc.mitigation, opt(c.has_mitigation(), c.mitigation())},
      {"current_score", sc.current_score,
       opt(c.has_current_score(), c.current_score())},
      {"level", sc.level, opt(c.has_level(), c.level())},
  };
}

struct Report {
  const aia::Survey* survey = nullptr;
  const v1::ImpactAssessmentRecorded* a = nullptr;
  int phase = 0;
  std::vector<std::string> problems, unanswered;
  aia::Score score{};
  std::vector<Compared> compared;
};

void PrintJson(const Cli& cli, const Report& r) {
  nlohmann::json claimed = nlohmann::json::object(),
                 differs = nlohmann::json::array();
  for (const Compared& c : r.compared) {
    claimed[c.name] = c.claimed ? nlohmann::json(*c.claimed) : nullptr;
    if (c.differs()) differs.push_back(c.name);
  }
  const aia::Score& s = r.score;
  nlohmann::json j = {
      {"survey_version", r.survey->version()},
      {"survey_sha256", ToHex(r.survey->sha256())},
      {"event_survey_version", r.a->survey_version()},
      {"questionnaire_event_id", ToHex(r.a->questionnaire_event_id())},
      {"phase", PhaseName(r.phase)},
      {"answers", r.a->answers_size()},
      {"valid", r.problems.empty()},
      {"problems", r.problems},
      {"complete", r.unanswered.empty()},
      {"unanswered_required", r.unanswered},
      {"score",
       {{"raw_impact", s.raw_impact},
        {"mitigation", s.mitigation},
        {"mitigation_applied", s.mitigation_applied},
        {"current_score", s.current_score},
        {"level", s.level},
        {"level_roman", Roman(s.level)},
        {"max_raw", s.max_raw},
        {"max_mitigation", s.max_mitigation}}},
      {"claimed", claimed},
      {"differs", differs},
  };
  *cli.out << EscapeForTerminal(j.dump(
                  -1, ' ', false, nlohmann::json::error_handler_t::replace))
           << "\n";
}

std::string ClaimText(const Compared& c, bool roman) {
  if (!c.claimed) return "claimed: not stated";
  const std::string v = roman && *c.claimed >= 1 && *c.claimed <= 4
                            ? Roman(static_cast<int>(*c.claimed))
                            : absl::StrCat(*c.claimed);
  return absl::StrCat("claimed ", v, c.differs() ? ": differs" : ": matches");
}

// Question ids come from the survey and messages quote the event: escaped.
void PrintText(const Cli& cli, const Report& r) {
  std::ostream& out = *cli.out;
  const auto esc = [](absl::string_view s) { return EscapeForTerminal(s); };
  out << "survey: Canada AIA v" << esc(r.survey->version()) << " sha256 "
      << ToHex(r.survey->sha256()) << "\n";
  out << "phase: " << PhaseName(r.phase) << "\n";
  if (r.problems.empty()) {
    out << "answers valid (" << r.a->answers_size() << " answers)\n";
  } else {
    out << "answers invalid: " << r.problems.size() << " problem"
        << (r.problems.size() == 1 ? "" : "s") << "\n";
    for (const std::string& p : r.problems) out << "  " << esc(p) << "\n";
  }
  if (r.unanswered.empty()) {
    out << "required questions: complete\n";
  } else {
    out << "required questions: " << r.unanswered.size()
        << " unanswered: " << esc(absl::StrJoin(r.unanswered, " ")) << "\n";
  }
  const aia::Score& s = r.score;
  const auto line = [&](const Compared& c, const std::string& value) {
    out << "  " << c.name << " " << value << "  ("
        << ClaimText(c, c.name == std::string("level")) << ")\n";
  };
  out << "score (computed):\n";
  line(r.compared[0], absl::StrCat(s.raw_impact, " of max_raw ", s.max_raw));
  line(r.compared[1],
       absl::StrCat(s.mitigation, " of max_mitigation ", s.max_mitigation));
  out << "  mitigation " << (s.mitigation_applied ? "applied" : "not applied")
      << " (needs 80% of max_mitigation/2)\n";
  line(r.compared[2], absl::StrCat(s.current_score));
  line(r.compared[3], Roman(s.level));
}

absl::Status CmdAiaCheck(const Cli& cli) {
  if (cli.words().size() != 1)
    return UsageError(
        "aia-check FILE|- [--survey-sha256 HEX | "
        "--questionnaire FILE] [--json]");
  auto text = ReadInput(cli.words()[0]);
  if (!text.ok()) return text.status();
  v1::Event e;
  if (auto s = FromJson(*text, &e, "event"); !s.ok()) return s;
  if (!e.has_impact_assessment_recorded())
    return UsageError("event: not an ImpactAssessmentRecorded");
  const v1::ImpactAssessmentRecorded& a = e.impact_assessment_recorded();
  if (a.framework() != "ca-dadm:aia") {
    return UsageError(absl::StrCat("impact_assessment_recorded.framework: '",
                                   a.framework(),
                                   "' is not ca-dadm:aia (a Canada AIA)"));
  }
  auto survey = ChooseSurvey(cli, a);
  if (!survey.ok()) return survey.status();
  Report r;
  r.survey = *survey;
  r.a = &a;
  r.phase = aia::AnsweredPhase(a.answers());
  if (absl::StripPrefix(a.survey_version(), "v") != r.survey->version()) {
    r.problems.push_back(absl::StrCat(
        "impact_assessment_recorded.survey_version: '", a.survey_version(),
        "', but the survey is version ", r.survey->version()));
  }
  for (std::string& p : AnswerProblems(*r.survey, a.answers()))
    r.problems.push_back(std::move(p));
  r.unanswered = aia::UnansweredRequired(*r.survey, a.answers());
  r.score = aia::ComputeScore(*r.survey, a.answers());
  r.compared = CompareClaim(r.score, a.claimed());
  if (cli.json) {
    PrintJson(cli, r);
  } else {
    PrintText(cli, r);
  }
  std::vector<std::string> differ;
  for (const Compared& c : r.compared)
    if (c.differs()) differ.push_back(c.name);
  const std::string differs =
      differ.empty() ? ""
                     : absl::StrCat("the claimed ", absl::StrJoin(differ, ", "),
                                    " differs from the score the answers give");
  if (!r.problems.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the answers are not valid for the survey v", r.survey->version(), ": ",
        r.problems[0], differs.empty() ? "" : "; ", differs));
  }
  if (!differs.empty()) return absl::FailedPreconditionError(differs);
  return absl::OkStatus();
}

}  // namespace

const CliCommand kAiaCheckCommand{
    .name = "aia-check",
    .summary =
        "check a Canada AIA offline: answers, unanswered required questions, "
        "the score against the claimed one (exit 1: invalid or differs)",
    .usage =
        "FILE|- [--survey-sha256 HEX | --questionnaire FILE]\n"
        "(the survey answered: by digest, from a QuestionnaireDefined event, "
        "or the shipped one of the event's survey_version)",
    .flags = "survey-sha256 questionnaire",
    .run = CmdAiaCheck,
};

}  // namespace ailedger
