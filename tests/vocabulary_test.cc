// The governance vocabulary as a whole (docs/VOCABULARY.md):
// every type of the role table has a body, its example passes, each required
// field, when missing, is refused naming its path, and each type's own rules
// hold. The Annex A table equals the shared copy of the standard's list.
#include <functional>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "ledger/governance/examples.h"
#include "ledger/governance/frameworks.h"
#include "ledger/governance/iso42001.h"
#include "ledger/governance/references.h"
#include "ledger/governance/roles.h"
#include "ledger/governance/validation.h"
#include "nlohmann/json.hpp"
#include "tests/testing/test_data.h"

namespace ailedger {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// Types whose checks live elsewhere: the roster, approvals, corrections.
bool CheckedElsewhere(absl::string_view t) {
  return t == "Genesis" || t == "KeyGranted" || t == "KeyRevoked" ||
         t == "LogKeyRotated" || t == "Approval" || t == "Retraction" ||
         t == "Erasure";
}

v1::Event Example(absl::string_view type) {
  v1::Event e;
  e.set_event_type(std::string(type));
  FillExampleBody(&e);
  return e;
}

// Clears the last field of `path` ("a", "a.b", "a[].b" in element 0) and
// returns the name an error should give it.
std::string Spoil(Message* m, absl::string_view path, std::string name) {
  const size_t dot = path.find('.');
  std::string head(path.substr(0, dot));
  const bool each = absl::EndsWith(head, "[]");
  if (each) head.resize(head.size() - 2);
  const FieldDescriptor* f = m->GetDescriptor()->FindFieldByName(head);
  const auto* r = m->GetReflection();
  name = absl::StrCat(name, ".", head);
  if (dot == absl::string_view::npos) {
    r->ClearField(m, f);
    return name;
  }
  Message* sub =
      each ? r->MutableRepeatedMessage(m, f, 0) : r->MutableMessage(m, f);
  return Spoil(sub, path.substr(dot + 1), each ? name + "[0]" : name);
}

TEST(VocabularyTest, EveryTypeHasABodyAndAPassingExample) {
  int types = 0;
  for (absl::string_view type : EventTypes()) {
    if (CheckedElsewhere(type)) continue;
    ++types;
    const std::string body = BodyFieldOf(type);
    ASSERT_FALSE(body.empty()) << type << " has no body message";
    EXPECT_FALSE(RequiredFields(type).empty()) << type;
    v1::Event bare;
    bare.set_event_type(std::string(type));
    absl::Status s = ValidateFields(bare);
    EXPECT_EQ(s.message(), absl::StrCat(body, ": required")) << type;
    v1::Event e = Example(type);
    EXPECT_TRUE(ValidateFields(e).ok()) << type << ": " << ValidateFields(e);
  }
  EXPECT_EQ(types, 65);  // 52 of vocabulary v1, 13 of v2
}

TEST(VocabularyTest, EachMissingRequiredFieldIsNamed) {
  int checked = 0;
  for (absl::string_view type : EventTypes()) {
    if (CheckedElsewhere(type)) continue;
    const std::string body = BodyFieldOf(type);
    for (const std::string& path : RequiredFields(type)) {
      v1::Event e = Example(type);
      Message* m = e.GetReflection()->MutableMessage(
          &e, v1::Event::descriptor()->FindFieldByName(body));
      const std::string name = Spoil(m, path, body);
      absl::Status s = ValidateFields(e);
      EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << name;
      EXPECT_TRUE(absl::StartsWith(s.message(), name)) << name << ": " << s;
      ++checked;
    }
  }
  EXPECT_GT(checked, 150);
}

TEST(VocabularyTest, TheBodyMustBeTheTypesOwn) {
  v1::Event e = Example("RiskAssessed");
  e.set_event_type("RiskTreated");
  EXPECT_EQ(ValidateFields(e).message(), "risk_treated: required");
}

TEST(VocabularyTest, DigestsAndEventIdsAre32BytesAnywhere) {
  v1::Event e = Example("ControlStatusUpdated");
  e.mutable_control_status_updated()->add_risk_treatment_event_ids("short");
  EXPECT_EQ(ValidateFields(e).message(),
            "control_status_updated.risk_treatment_event_ids[0]: a 32-byte "
            "hash (an event id or root)");
  v1::Event d = Example("DatasetRegistered");
  d.add_evidence()->set_sha256("short");
  EXPECT_EQ(ValidateFields(d).message(),
            "evidence[0].sha256: a 32-byte SHA-256 digest");
}

struct RuleCase {
  const char* type;
  std::function<void(v1::Event*)> spoil;
  const char* field;
};

TEST(VocabularyTest, EachTypesOwnRulesNameTheirField) {
  const RuleCase cases[] = {
      {"ClassificationAssessed",
       [](v1::Event* e) {
         e->mutable_classification_assessed()->set_profiling(true);
       },
       "classification_assessed.risk_class"},
      {"ClassificationAssessed",
       [](v1::Event* e) {
         auto* c = e->mutable_classification_assessed();
         c->set_risk_class(v1::RISK_CLASS_HIGH);
         c->set_art6_3_condition("a");
       },
       "classification_assessed.art6_3_condition"},
      {"LogSegmentAnchored",
       [](v1::Event* e) {
         e->mutable_log_segment_anchored()->set_retain_until_ms(1700000000001);
       },
       "log_segment_anchored.retain_until_ms"},
      {"QuestionnaireDefined",
       [](v1::Event* e) {
         e->mutable_questionnaire_defined()->add_question_ids(
             e->questionnaire_defined().question_ids(0));
       },
       "questionnaire_defined.question_ids[1]"},
      {"ImpactAssessmentRecorded",
       [](v1::Event* e) {
         e->mutable_impact_assessment_recorded()->set_framework("euaia:art27");
       },
       "impact_assessment_recorded.fria.processes"},
      {"ImpactAssessmentRecorded",
       [](v1::Event* e) {
         e->mutable_impact_assessment_recorded()->set_framework("ca-dadm:aia");
       },
       "impact_assessment_recorded.questionnaire_event_id"},
      {"RiskCriteriaDefined",
       [](v1::Event* e) {
         e->mutable_risk_criteria_defined()
             ->mutable_severity_scale()
             ->RemoveLast();
         e->mutable_risk_criteria_defined()
             ->mutable_severity_scale()
             ->RemoveLast();
       },
       "risk_criteria_defined.severity_scale"},
      {"PrivacyAssessmentRecorded",
       [](v1::Event* e) {
         e->mutable_privacy_assessment_recorded()->set_kind("audit");
       },
       "privacy_assessment_recorded.kind"},
      {"HumanOverrideLogged",
       [](v1::Event* e) {
         e->mutable_human_override_logged()->set_final_outcome("declined");
       },
       "human_override_logged.final_outcome"},
      {"DueDiligenceRecorded",
       [](v1::Event* e) {
         e->mutable_due_diligence_recorded()->clear_bias_prevention();
       },
       "due_diligence_recorded.bias_prevention"},
      {"DueDiligenceRecorded",
       [](v1::Event* e) {
         e->mutable_due_diligence_recorded()->set_kind(
             v1::DUE_DILIGENCE_KIND_EVALUATION);
       },
       "due_diligence_recorded.answers_event_id"},
      {"ContextRecorded",
       [](v1::Event* e) {
         e->mutable_context_recorded()->clear_external_issues();
       },
       "context_recorded.external_issues"},
      {"ControlStatusUpdated",
       [](v1::Event* e) {
         e->mutable_control_status_updated()->set_control_id("A.5.1.1");
       },
       "control_status_updated.control_id"},
      {"ControlStatusUpdated",
       [](v1::Event* e) {
         e->mutable_control_status_updated()->set_status(
             v1::CONTROL_STATUS_BY_SUPPLIER);
       },
       "control_status_updated.contract_clause"},
      {"ControlStatusUpdated",
       [](v1::Event* e) {
         e->mutable_control_status_updated()->set_applicable(false);
       },
       "control_status_updated.status"},
      {"IncidentUpdated",
       [](v1::Event* e) {
         e->mutable_incident_updated()->set_art3_49_category("e");
       },
       "incident_updated.art3_49_category"},
      {"MonitoringPlan",
       [](v1::Event* e) {
         e->mutable_monitoring_plan()->mutable_metrics(0)->set_comparison(
             "about");
       },
       "monitoring_plan.metrics[0].comparison"},
  };
  for (const RuleCase& c : cases) {
    v1::Event e = Example(c.type);
    c.spoil(&e);
    // The rules of versions 1 and 2 (version 3's: validation_v3_test.cc).
    absl::Status s = ValidateFields(e, /*log_version=*/2);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_TRUE(absl::StartsWith(s.message(), c.field)) << c.field << ": " << s;
  }
  // An intersectional snapshot may name an intersection as its reference.
  v1::Event cells = Example("FairnessSnapshot");
  auto* feature = cells.mutable_fairness_snapshot()->mutable_features(0);
  feature->set_name("sex x age band");
  for (int i = 0; i < feature->cells_size(); ++i)
    feature->mutable_cells(i)->add_group(i == 0 ? "60+" : "18-39");
  feature->set_reference_group("A x 60+");  // per feature since version 3
  EXPECT_TRUE(ValidateFields(cells).ok()) << ValidateFields(cells);
  v1::Event own = Example("ControlStatusUpdated");
  own.mutable_control_status_updated()->set_control_id("x:model registry");
  EXPECT_TRUE(ValidateFields(own).ok());
}

TEST(VocabularyTest, ReferencesResolveToTheRightType) {
  const Hash criteria = HashLeaf("criteria"), other = HashLeaf("other");
  std::map<Hash, RefTarget> log = {{criteria, {"RiskCriteriaDefined", "A"}},
                                   {other, {"RiskTreated", "A"}}};
  auto lookup =
      [&](const Hash& id) -> absl::StatusOr<std::optional<RefTarget>> {
    auto it = log.find(id);
    if (it == log.end()) return std::optional<RefTarget>();
    return std::optional<RefTarget>(it->second);
  };
  v1::Event e = Example("RiskAssessed");
  EXPECT_TRUE(CheckReferences(e, {"A"}, lookup).ok());  // optional, not given
  e.mutable_risk_assessed()->set_criteria_event_id(
      std::string(AsBytes(criteria)));
  EXPECT_TRUE(CheckReferences(e, {"A"}, lookup).ok());
  e.mutable_risk_assessed()->set_criteria_event_id(std::string(AsBytes(other)));
  absl::Status s = CheckReferences(e, {"A"}, lookup);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StartsWith(s.message(), "risk_assessed.criteria_event_id"))
      << s;
  EXPECT_NE(s.message().find("(it names a RiskTreated)"), std::string::npos);
  e.mutable_risk_assessed()->set_criteria_event_id(std::string(32, 'u'));
  EXPECT_EQ(CheckReferences(e, {"A"}, lookup).code(),
            absl::StatusCode::kFailedPrecondition);
  // Due diligence: the partner answers with its own key; another evaluates.
  v1::Event answers = Example("DueDiligenceRecorded");
  answers.set_organisation("Provider Inc");
  auto* partner = answers.add_subjects();
  partner->set_kind("partner");
  partner->set_id("Provider Inc");
  EXPECT_TRUE(CheckReferences(answers, {"Provider Inc"}, lookup).ok());
  EXPECT_EQ(CheckReferences(answers, {"Deployer Ltd"}, lookup).code(),
            absl::StatusCode::kPermissionDenied);
  v1::Event claimed = answers;  // the provider claiming to be someone else
  claimed.set_organisation("Deployer Ltd");
  EXPECT_EQ(CheckReferences(claimed, {"Provider Inc"}, lookup).code(),
            absl::StatusCode::kPermissionDenied);
  const Hash answered = HashLeaf("answers");
  log[answered] = {"DueDiligenceRecorded", "Provider Inc"};
  v1::Event eval = answers;
  auto* d = eval.mutable_due_diligence_recorded();
  d->set_kind(v1::DUE_DILIGENCE_KIND_EVALUATION);
  d->set_answers_event_id(std::string(AsBytes(answered)));
  EXPECT_TRUE(CheckReferences(eval, {"Deployer Ltd"}, lookup).ok());
  EXPECT_EQ(CheckReferences(eval, {"Provider Inc"}, lookup).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(IsReferenceTarget("RiskCriteriaDefined"));
  EXPECT_FALSE(IsReferenceTarget("FairnessSnapshot"));
}

TEST(VocabularyTest, FrameworkRefsUseTheStandardsOwnIds) {
  for (const char* ok :
       {"iso42001:A.6.2.8", "iso42001:A.10.4", "iso42001:9.2.2", "iso42001:4.1",
        "nist:MEASURE-2.11", "nist:MEASURE 2.11", "nist:GOVERN", "nist:MAP-5",
        "euaia:art73(4)", "ca-dadm:aia", "gdpr:art35"}) {
    EXPECT_TRUE(CheckFrameworkRef(ok).ok()) << ok << CheckFrameworkRef(ok);
  }
  for (const char* bad :
       {"iso42001:A.5.1.1", "iso42001:A.8.3.1", "iso42001:11", "iso42001:3.1",
        "nist:MEASURE-2.14", "nist:MEASURE-5.1", "nist:GOVERN-01.1",
        "nist:PLAN-1.1", "A.6.2.8", "ISO:x", "euaia:", ":x", "euaia: art73",
        "nist:GOVERN-01", "nist:MEASURE-2.011", "nist:GOVERN-+1",
        "iso42001:09.2", "iso42001:9. 2"}) {
    EXPECT_EQ(CheckFrameworkRef(bad).code(), absl::StatusCode::kInvalidArgument)
        << bad;
  }
  v1::Event e = Example("RiskAssessed");
  e.add_framework_refs("iso42001:6.1.2");
  e.add_framework_refs("iso42001:A.5.1.1");  // the draft's numbering
  EXPECT_TRUE(absl::StartsWith(ValidateFields(e).message(),
                               "framework_refs[1]: 'iso42001:A.5.1.1'"))
      << ValidateFields(e);
  v1::Event c = Example("RiskAssessed");
  c.set_supersedes("x");
  EXPECT_TRUE(absl::StartsWith(ValidateFields(c).message(), "supersedes:"));
  c.set_supersedes(std::string(32, 's'));
  EXPECT_EQ(ValidateFields(c).message(), "supersedes_reason: required");
  v1::Event x = Example("RiskAssessed");
  x.add_external_refs()->set_origin("provider.example/log");
  EXPECT_TRUE(absl::StartsWith(ValidateFields(x).message(),
                               "external_refs[0].leaf_hash"));
}

TEST(VocabularyTest, NistTableEqualsTheFrameworksList) {
  const auto doc = testing::ReadJson("domain/nist-ai-rmf-1.0-categories.json");
  int total = 0;
  size_t categories = 0;
  for (const auto& [function, body] : doc["functions"].items()) {
    for (const auto& [name, text] : body["categories"].items()) {
      ++categories;
      const std::string t = text;
      const size_t dash = t.rfind('-'), dot = t.rfind('.');
      const int n = std::stoi(t.substr(dot + 1, t.rfind(')') - dot - 1));
      ASSERT_NE(dash, std::string::npos);
      const int category = std::stoi(name.substr(name.find(' ') + 1));
      bool found = false;
      for (const NistCategory& c : NistCategories()) {
        if (c.function == function && c.category == category) {
          EXPECT_EQ(c.subcategories, n) << name;
          found = true;
        }
      }
      EXPECT_TRUE(found) << name;
      total += n;
    }
  }
  EXPECT_EQ(categories, NistCategories().size());
  EXPECT_EQ(total, 72);
}

TEST(VocabularyTest, AnnexATableEqualsTheStandardsList) {
  const auto doc = testing::ReadJson("domain/iso42001-annexA-controls.json");
  std::vector<std::pair<std::string, std::string>> want;
  std::function<void(const nlohmann::json&)> walk = [&](const auto& o) {
    for (const auto& c : o.value("controls", nlohmann::json::array()))
      want.emplace_back(c[0], c[1]);
    for (const auto& s : o.value("sub", nlohmann::json::array())) walk(s);
  };
  for (const auto& o : doc["objectives"]) walk(o);
  ASSERT_EQ(want.size(), 38u);
  ASSERT_EQ(AnnexAControls().size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(AnnexAControls()[i].id, want[i].first);
    EXPECT_EQ(AnnexAControls()[i].title, want[i].second);
  }
  EXPECT_TRUE(IsAnnexAControl("A.6.2.8"));
  EXPECT_FALSE(IsAnnexAControl("A.5.1.1"));  // the draft's numbering
}

}  // namespace
}  // namespace ailedger
