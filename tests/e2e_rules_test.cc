// The rules of state that the sequencer applies in index order, through the
// real ailedgerd (docs/FORMATS.md, "Rule tables"): approvals and
// segregation of duties, two-party records, corrections and retractions,
// lifecycle order, required fields, and references between events. Each
// refusal has its exact gRPC code, a message naming the field or rule, and no
// change in the tree size (E2eTest::ExpectRefused).
#include <filesystem>

#include "ledger/governance/examples.h"
#include "tests/testing/e2e_fixture.h"

namespace ailedger {
namespace {

using testing::E2eTest;
using testing::kE2eOrigin;

class RuleTest : public E2eTest {};

// Segregation of duties on Approval events, through the real server.
class ApprovalTest : public RuleTest {
 protected:
  void GrantPerson(const std::string& name, const std::string& function) {
    Grant(name, "publisher", "person",
          function.empty() ? std::vector<std::string>{}
                           : std::vector<std::string>{"--function", function});
  }
  v1::AppendRequest Approve(const SigningKey& key,
                            const std::string& event_id) {
    v1::Event e;
    e.set_event_type("Approval");
    e.set_organisation("Acme AI");
    e.mutable_approval()->set_approves(event_id);
    e.mutable_approval()->set_decision(v1::DECISION_APPROVE);
    e.mutable_approval()->set_authority("Model risk committee charter §4");
    return AppendRequestOf(SignEvent(e, key, kE2eOrigin));
  }
};

TEST_F(ApprovalTest, OnlyAnotherPersonWithTheFunctionMayApprove) {
  GrantPerson("author", "approver");
  GrantPerson("clerk", "");
  GrantPerson("reviewer", "approver");
  ASSERT_TRUE(Client(nullptr)
                  ->Append(Signed(LoadKey("author"), "SystemRegistered"))
                  .ok());
  auto release = Client(nullptr)->Append(
      Signed(LoadKey("author"), "ModelVersionReleased"));
  ASSERT_TRUE(release.ok()) << release.status();
  const std::string id = release->event_id();
  ExpectRefused(Approve(LoadKey("author"), id),
                absl::StatusCode::kPermissionDenied, "segregation of duties");
  ExpectRefused(Approve(LoadKey("publisher"), id),
                absl::StatusCode::kPermissionDenied,
                "service accounts never approve");
  ExpectRefused(Approve(LoadKey("clerk"), id),
                absl::StatusCode::kPermissionDenied, "'approver' function");
  ExpectRefused(Approve(LoadKey("reviewer"), std::string(32, 'x')),
                absl::StatusCode::kFailedPrecondition, "approval.approves");
  v1::AppendRequest no_authority = Approve(LoadKey("reviewer"), id);
  v1::Event bare;
  bare.ParseFromString(no_authority.event());
  bare.mutable_approval()->clear_authority();
  ExpectRefused(
      AppendRequestOf(SignEvent(bare, LoadKey("reviewer"), kE2eOrigin)),
      absl::StatusCode::kInvalidArgument, "approval.authority");
  bare.mutable_approval()->set_authority("charter");
  bare.mutable_approval()->set_decision(v1::DECISION_APPROVE_WITH_CONDITIONS);
  ExpectRefused(
      AppendRequestOf(SignEvent(bare, LoadKey("reviewer"), kE2eOrigin)),
      absl::StatusCode::kInvalidArgument, "approval.conditions");
  auto ok = Client(nullptr)->Append(Approve(LoadKey("reviewer"), id));
  EXPECT_TRUE(ok.ok()) << ok.status();
}

// A joint audit binds the organisations it audits: it takes their approvals.
TEST_F(ApprovalTest, AJointAuditTakesApprovals) {
  Grant("auditor", "auditor");
  GrantPerson("reviewer", "approver");
  v1::Event audit;
  audit.set_event_type("AuditStarted");
  audit.set_organisation("Acme AI");
  FillExampleBody(&audit);
  for (const auto& [kind, id] :
       std::vector<std::pair<std::string, std::string>>{
           {"audit", "JA-1"},
           {"organisation", "Acme AI"},
           {"organisation", "Partner Bank"}}) {
    auto* s = audit.add_subjects();
    s->set_kind(kind);
    s->set_id(id);
  }
  auto started = Client(nullptr)->Append(
      AppendRequestOf(SignEvent(audit, LoadKey("auditor"), kE2eOrigin)));
  ASSERT_TRUE(started.ok()) << started.status();
  auto ok = Client(nullptr)->Append(
      Approve(LoadKey("reviewer"), started->event_id()));
  EXPECT_TRUE(ok.ok()) << ok.status();
}

// Nothing is edited: corrections supersede, retractions withdraw, each at most
// once.
class CorrectionTest : public RuleTest {
 protected:
  v1::AppendRequest Correct(const std::string& id, const std::string& type,
                            const std::string& system,
                            const std::string& reason,
                            const std::string& org = "Acme AI",
                            const std::string& signer = "publisher") {
    v1::Event e;
    e.set_event_type(type);
    e.set_organisation(org);
    auto* s = e.add_subjects();
    s->set_kind("system");
    s->set_id(system);
    e.set_supersedes(id);
    e.set_supersedes_reason(reason);
    e.set_nonce(reason + type + system + org + signer);
    FillExampleBody(&e);
    return AppendRequestOf(SignEvent(e, LoadKey(signer), kE2eOrigin));
  }
  v1::AppendRequest Retract(const std::string& id, const std::string& reason) {
    v1::Event e;
    e.set_event_type("Retraction");
    e.set_organisation("Acme AI");
    e.mutable_retraction()->set_retracts(id);
    e.mutable_retraction()->set_reason(reason);
    e.set_nonce(reason);
    return AppendRequestOf(SignEvent(e, LoadKey("publisher"), kE2eOrigin));
  }
};

TEST_F(CorrectionTest, SupersedeOnceWithTheSameTypeSubjectsAndOrganisation) {
  auto original = Client(nullptr)->Append(
      Signed(LoadKey("publisher"), "RiskAssessed", "hiring"));
  ASSERT_TRUE(original.ok());
  const std::string id = original->event_id();
  ExpectRefused(Correct(id, "RiskAssessed", "hiring", ""),
                absl::StatusCode::kInvalidArgument, "supersedes_reason");
  ExpectRefused(Correct(id, "RiskTreated", "hiring", "typo"),
                absl::StatusCode::kFailedPrecondition,
                "must be a RiskAssessed");
  ExpectRefused(Correct(id, "RiskAssessed", "credit", "typo"),
                absl::StatusCode::kFailedPrecondition, "same subjects");
  // A key of another organisation, even claiming to write for this one.
  ASSERT_EQ(Cli({"keygen", "--name", "outsider", "--out", Path("outsider.key")})
                .exit_code,
            0);
  ASSERT_EQ(Cli({"key", "request", "--key", Path("outsider.key"),
                 "--organisation", "Other Org", "--role", "publisher", "--out",
                 Path("outsider.request")})
                .exit_code,
            0);
  ASSERT_EQ(
      Cli({"key", "grant", Path("outsider.request"), "--key", Path("admin.key"),
           "--organisation", "Other Org", "--role", "publisher"})
          .exit_code,
      0);
  ExpectRefused(
      Correct(id, "RiskAssessed", "hiring", "typo", "Acme AI", "outsider"),
      absl::StatusCode::kPermissionDenied,
      "organisation: 'Acme AI' is not the signer's organisation 'Other Org'");
  ExpectRefused(
      Correct(id, "RiskAssessed", "hiring", "typo", "Other Org", "outsider"),
      absl::StatusCode::kPermissionDenied, "or an admin");
  ExpectRefused(Correct(std::string(32, 'z'), "RiskAssessed", "hiring", "typo"),
                absl::StatusCode::kFailedPrecondition, "no event");
  auto fixed = Client(nullptr)->Append(
      Correct(id, "RiskAssessed", "hiring", "wrong score"));
  ASSERT_TRUE(fixed.ok()) << fixed.status();
  ExpectRefused(Correct(id, "RiskAssessed", "hiring", "again"),
                absl::StatusCode::kFailedPrecondition,
                "already been superseded");
}

TEST_F(CorrectionTest, RetractOnceWithAReason) {
  auto wrong = Client(nullptr)->Append(
      Signed(LoadKey("publisher"), "RiskAssessed", "hiring"));
  ASSERT_TRUE(wrong.ok());
  ExpectRefused(Retract(wrong->event_id(), ""),
                absl::StatusCode::kInvalidArgument, "reason");
  auto r = Client(nullptr)->Append(
      Retract(wrong->event_id(), "recorded against the wrong system"));
  ASSERT_TRUE(r.ok()) << r.status();
  ExpectRefused(Retract(wrong->event_id(), "again"),
                absl::StatusCode::kFailedPrecondition,
                "already been retracted");
}

v1::AppendRequest About(
    const SigningKey& key, const std::string& type,
    std::vector<std::pair<std::string, std::string>> subjects, int n) {
  v1::Event e;
  e.set_event_type(type);
  e.set_organisation("Acme AI");
  for (const auto& [kind, id] : subjects) {
    auto* s = e.add_subjects();
    s->set_kind(kind);
    s->set_id(id);
  }
  e.set_nonce(std::to_string(n));
  FillExampleBody(&e);
  return AppendRequestOf(SignEvent(e, key, kE2eOrigin));
}

TEST_F(RuleTest, LifecycleOrderAndSubjectReferences) {
  const SigningKey k = LoadKey("publisher");
  ExpectRefused(About(k, "ModelVersionReleased", {{"system", "hiring"}}, 1),
                absl::StatusCode::kFailedPrecondition,
                "system 'hiring' is not registered");
  ExpectRefused(About(k, "ModelVersionReleased", {}, 2),
                absl::StatusCode::kInvalidArgument,
                "subjects: a ModelVersionReleased names its 'system' subject");
  auto client = Client(nullptr);
  ASSERT_TRUE(
      client->Append(About(k, "SystemRegistered", {{"system", "hiring"}}, 3))
          .ok());
  ExpectRefused(About(k, "SystemRegistered", {{"system", "hiring"}}, 4),
                absl::StatusCode::kFailedPrecondition, "already registered");
  ASSERT_TRUE(
      client
          ->Append(About(k, "ModelVersionReleased", {{"system", "hiring"}}, 5))
          .ok());
  ASSERT_TRUE(
      client
          ->Append(About(k, "SystemDecommissioned", {{"system", "hiring"}}, 6))
          .ok());
  ExpectRefused(About(k, "ModelVersionReleased", {{"system", "hiring"}}, 7),
                absl::StatusCode::kFailedPrecondition, "decommissioned");
  // Incidents: no update before the report, none after closing.
  ExpectRefused(About(k, "IncidentUpdated", {{"incident", "INC-1"}}, 8),
                absl::StatusCode::kFailedPrecondition, "never opened");
  ASSERT_TRUE(
      client->Append(About(k, "IncidentReported", {{"incident", "INC-1"}}, 9))
          .ok());
  ASSERT_TRUE(
      client->Append(About(k, "IncidentUpdated", {{"incident", "INC-1"}}, 10))
          .ok());
  ASSERT_TRUE(
      client->Append(About(k, "IncidentClosed", {{"incident", "INC-1"}}, 11))
          .ok());
  ExpectRefused(About(k, "IncidentUpdated", {{"incident", "INC-1"}}, 12),
                absl::StatusCode::kFailedPrecondition, "has been closed");
}

TEST_F(RuleTest, RequiredFieldsPerType) {
  const SigningKey k = LoadKey("publisher");
  v1::Event bodiless;
  bodiless.set_event_type("FairnessSnapshot");
  ExpectRefused(AppendRequestOf(SignEvent(bodiless, k, kE2eOrigin)),
                absl::StatusCode::kInvalidArgument,
                "fairness_snapshot: required");
  v1::Event e;
  e.set_event_type("FairnessSnapshot");
  e.set_organisation("Acme AI");
  *e.mutable_fairness_snapshot() = ExampleFairnessSnapshot();
  e.mutable_fairness_snapshot()->set_reference_group("nobody");
  ExpectRefused(AppendRequestOf(SignEvent(e, k, kE2eOrigin)),
                absl::StatusCode::kInvalidArgument,
                "fairness_snapshot.reference_group");
  e.mutable_fairness_snapshot()->set_reference_group("A");
  auto ok =
      Client(nullptr)->Append(AppendRequestOf(SignEvent(e, k, kE2eOrigin)));
  EXPECT_TRUE(ok.ok()) << ok.status();
}

// An `_event_id` names an earlier event of the type its rule allows
// (ledger/governance/references.h); a partner is registered before due
// diligence.
TEST_F(RuleTest, ReferencesResolveAndPartnersAreRegistered) {
  const SigningKey k = LoadKey("publisher");
  auto client = Client(nullptr);
  auto assessed =
      client->Append(About(k, "RiskAssessed", {{"system", "credit"}}, 1));
  ASSERT_TRUE(assessed.ok()) << assessed.status();
  auto treated = [&](const std::string& id, int n) {
    v1::Event e;
    e.set_event_type("RiskTreated");
    e.set_organisation("Acme AI");
    e.set_nonce(std::to_string(n));
    FillExampleBody(&e);
    e.mutable_risk_treated()->set_assessment_event_id(id);
    return AppendRequestOf(SignEvent(e, k, kE2eOrigin));
  };
  ExpectRefused(treated(std::string(32, 'q'), 2),
                absl::StatusCode::kFailedPrecondition,
                "risk_treated.assessment_event_id: no RiskAssessed");
  auto other = client->Append(About(k, "PolicyPublished", {}, 3));
  ASSERT_TRUE(other.ok()) << other.status();
  ExpectRefused(treated(other->event_id(), 4),
                absl::StatusCode::kFailedPrecondition, "it names a Policy");
  auto ok = client->Append(treated(assessed->event_id(), 5));
  EXPECT_TRUE(ok.ok()) << ok.status();

  ExpectRefused(About(k, "DueDiligenceRecorded", {{"partner", "Aurora"}}, 6),
                absl::StatusCode::kFailedPrecondition,
                "partner 'Aurora' is not registered");
  ASSERT_TRUE(
      client->Append(About(k, "PartnerRegistered", {{"partner", "Aurora"}}, 7))
          .ok());
  // The partner answers with its own key, not the deployer's.
  ExpectRefused(About(k, "DueDiligenceRecorded", {{"partner", "Aurora"}}, 8),
                absl::StatusCode::kPermissionDenied,
                "signed by a key of the partner itself");
}

}  // namespace
}  // namespace ailedger
