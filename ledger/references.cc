#include "ledger/references.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "ledger/validation.h"

namespace ailedger {
namespace {

struct Rule {
  absl::string_view type, field;
  std::vector<absl::string_view> targets;
};

const std::vector<Rule>& Rules() {
  static const auto* rules = new std::vector<Rule>{
      {"ImpactAssessmentRecorded",
       "questionnaire_event_id",
       {"QuestionnaireDefined"}},
      {"DueDiligenceRecorded",
       "questionnaire_event_id",
       {"QuestionnaireDefined"}},
      {"DueDiligenceRecorded", "answers_event_id", {"DueDiligenceRecorded"}},
      {"RiskAssessed", "criteria_event_id", {"RiskCriteriaDefined"}},
      {"RiskTreated", "assessment_event_id", {"RiskAssessed"}},
      {"ControlStatusUpdated", "risk_treatment_event_ids", {"RiskTreated"}},
      {"ExplanationProvided", "method_event_id", {"ExplanationMethodRecorded"}},
      {"NonconformityRaised",
       "source_event_id",
       {"AuditFinding", "IncidentReported", "StakeholderFeedbackReceived",
        "AdvisoryBoardReview"}},
      {"CorrectiveActionRecorded",
       "nonconformity_event_id",
       {"NonconformityRaised"}},
      {"EffectivenessVerified",
       "action_event_id",
       {"CorrectiveActionRecorded"}},
  };
  return *rules;
}

// The ids a rule's field holds in `e` (none when the body is absent).
std::vector<std::string> IdsIn(const v1::Event& e, const Rule& rule,
                               std::string* name) {
  using google::protobuf::FieldDescriptor;
  *name = absl::StrCat(BodyFieldOf(rule.type), ".", rule.field);
  const FieldDescriptor* body =
      v1::Event::descriptor()->FindFieldByName(BodyFieldOf(rule.type));
  if (body == nullptr || !e.GetReflection()->HasField(e, body)) return {};
  const auto& m = e.GetReflection()->GetMessage(e, body);
  const FieldDescriptor* f =
      m.GetDescriptor()->FindFieldByName(std::string(rule.field));
  const auto* r = m.GetReflection();
  if (!f->is_repeated()) {
    std::string id = r->GetString(m, f);
    return id.empty() ? std::vector<std::string>()
                      : std::vector<std::string>{id};
  }
  std::vector<std::string> ids;
  for (int i = 0; i < r->FieldSize(m, f); ++i)
    ids.push_back(r->GetRepeatedString(m, f, i));
  return ids;
}

absl::Status Resolve(const Rule& rule, const std::string& field,
                     const std::string& bytes, const EventTypeLookup& lookup) {
  auto id = HashFromBytes(bytes, field);
  if (!id.ok()) return id.status();
  auto type = lookup(*id);
  if (!type.ok()) return type.status();
  for (absl::string_view t : rule.targets) {
    if (type->has_value() && **type == t) return absl::OkStatus();
  }
  return absl::FailedPreconditionError(absl::StrCat(
      field, ": no ", absl::StrJoin(rule.targets, " or "), " with id ",
      ToHex(*id), " is on the log",
      type->has_value() ? absl::StrCat(" (it names a ", **type, ")") : ""));
}

}  // namespace

absl::Status CheckReferences(const v1::Event& e,
                             const EventTypeLookup& lookup) {
  for (const Rule& rule : Rules()) {
    if (rule.type != e.event_type()) continue;
    std::string field;
    for (const std::string& id : IdsIn(e, rule, &field)) {
      if (auto s = Resolve(rule, field, id, lookup); !s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

bool IsReferenceTarget(absl::string_view type) {
  for (const Rule& rule : Rules()) {
    for (absl::string_view t : rule.targets) {
      if (t == type) return true;
    }
  }
  return false;
}

}  // namespace ailedger
