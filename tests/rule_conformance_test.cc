// One verdict per event from both judges of the rules of state (issue 11):
// the sequencer, which refuses an event before it is logged, and the offline
// verifier, which must fail a forged bundle holding that same event at its
// index, naming the same rule. The cases are the refusals of the end-to-end
// suites (e2e_rules, e2e_rejections, e2e_sealed, e2e_identity_security) and a
// generated multi-year history that both must accept whole.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ledger/governance/examples.h"
#include "ledger/governance/time_rules.h"
#include "ledger/rules/engine.h"
#include "ledger/tlog/contexts.h"
#include "tests/testing/rule_harness.h"
#include "tools/history.h"

namespace ailedger {
namespace {

using testing::RuleHarness;
using testing::Verdict;

std::string Id(const SignedEvent& e) {
  return std::string(AsBytes(EventId(testing::kHarnessOrigin, e.event_bytes)));
}

struct Case {
  std::string name;
  std::vector<SignedEvent> before;  // all accepted
  SignedEvent offered;
  std::string rule;  // the rule that refuses `offered`
};

class RuleConformanceTest : public ::testing::Test {
 protected:
  RuleConformanceTest()
      : publisher_(Key("publisher")),
        approver_(Key("approver")),
        auditor_(Key("auditor")),
        outsider_(Key("outsider")) {}

  static SigningKey Key(const std::string& name) {
    return SigningKey::Generate(name, kKeyTypeEd25519).value();
  }

  // Genesis and the grants every case starts from.
  std::vector<SignedEvent> Base() const {
    return {h_.Genesis(), h_.Grant(publisher_, "Acme AI", v1::ROLE_PUBLISHER),
            h_.Grant(approver_, "Acme AI", v1::ROLE_PUBLISHER, "approver"),
            h_.Grant(auditor_, "Audit Co", v1::ROLE_AUDITOR),
            h_.Grant(outsider_, "Other Org", v1::ROLE_PUBLISHER)};
  }

  v1::Event About(const std::string& type,
                  std::vector<std::pair<std::string, std::string>> subjects,
                  const std::string& nonce,
                  const std::string& org = "Acme AI") const {
    return testing::ExampleAbout(type, subjects, nonce, org);
  }
  SignedEvent By(const SigningKey& k, const v1::Event& e) const {
    return h_.Sign(e, k);
  }
  SignedEvent Pub(const std::string& type,
                  std::vector<std::pair<std::string, std::string>> subjects,
                  const std::string& nonce) const {
    return By(publisher_, About(type, std::move(subjects), nonce));
  }

  // Both judges on `c`: the sequencer accepts `before` and refuses `offered`
  // by `c.rule`; the verifier fails the forged bundle at `offered` by the same
  // rule; and the bundle of `before` alone verifies.
  void ExpectBothRefuse(const Case& c) {
    SCOPED_TRACE(c.name);
    std::vector<SignedEvent> all = c.before;
    all.push_back(c.offered);
    std::vector<Verdict> seq = h_.Sequence(all);
    for (size_t i = 0; i + 1 < seq.size(); ++i)
      ASSERT_TRUE(seq[i].accepted) << i << ": " << ToString(seq[i]);
    const Verdict& server = seq.back();
    // The same events in one batch: the sequencer decides each in index
    // order against the batch so far, with the same verdicts.
    const std::vector<Verdict> batched = h_.Sequence(all, /*one_batch=*/true);
    EXPECT_EQ(batched, seq);
    EXPECT_EQ(server.rule, c.rule) << ToString(server);
    EXPECT_FALSE(server.accepted);
    const Verdict offline = h_.VerifyLast(all);
    EXPECT_EQ(offline, server) << "verifier: " << ToString(offline)
                               << "\nsequencer: " << ToString(server);
    EXPECT_TRUE(h_.ForgeAndVerify(c.before).verified)
        << h_.ForgeAndVerify(c.before).failure;
  }

  RuleHarness h_;
  SigningKey publisher_, approver_, auditor_, outsider_;
};

TEST_F(RuleConformanceTest, RosterRefusals) {
  const SigningKey stranger = Key("stranger");
  v1::Event finding = About("AuditFinding", {{"audit", "A-1"}}, "f");
  v1::Event stray_genesis, grant;
  ASSERT_TRUE(stray_genesis.ParseFromString(h_.Genesis().event_bytes));
  stray_genesis.set_nonce("again");
  ASSERT_TRUE(grant.ParseFromString(
      h_.Grant(stranger, "Acme AI", v1::ROLE_PUBLISHER).event_bytes));
  v1::Event revoke;
  revoke.set_event_type("KeyRevoked");
  revoke.set_organisation("Acme AI");
  revoke.mutable_key_revoked()->set_public_key(
      std::string(AsBytes(h_.admin().verifier().public_key())));
  revoke.mutable_key_revoked()->set_reason("leaving");
  v1::Event revoke_pub = revoke;
  revoke_pub.mutable_key_revoked()->set_public_key(
      std::string(AsBytes(publisher_.verifier().public_key())));
  std::vector<SignedEvent> revoked = Base();
  revoked.push_back(By(h_.admin(), revoke_pub));
  for (const Case& c : std::vector<Case>{
           {"an unknown key", Base(),
            By(stranger, About("PolicyPublished", {}, "1")),
            RuleName(Rule::kRole)},
           {"a publisher writing an audit finding", Base(),
            By(publisher_, finding), RuleName(Rule::kRole)},
           {"a second genesis", Base(), By(h_.admin(), stray_genesis),
            RuleName(Rule::kRole)},
           {"a grant by a publisher", Base(), By(publisher_, grant),
            RuleName(Rule::kRole)},
           {"revoking the last admin", Base(), By(h_.admin(), revoke),
            RuleName(Rule::kRole)},
           {"an event by a revoked key", revoked,
            Pub("PolicyPublished", {}, "after"), RuleName(Rule::kRole)},
           {"another organisation's name (role table v2)", Base(),
            By(outsider_, About("PolicyPublished", {}, "2", "Acme AI")),
            RuleName(Rule::kRole)},
       }) {
    ExpectBothRefuse(c);
  }
}

TEST_F(RuleConformanceTest, FieldAndTimeRefusals) {
  v1::Event bodiless;
  bodiless.set_event_type("FairnessSnapshot");
  bodiless.set_organisation("Acme AI");
  v1::Event future = About("PolicyPublished", {}, "future");
  future.set_occurred_at_ms(testing::kHarnessNowMs + kMaxClockSkewMs + 1);
  ExpectBothRefuse({"a missing body", Base(), By(publisher_, bodiless),
                    RuleName(Rule::kFields)});
  ExpectBothRefuse({"an event from the future", Base(), By(publisher_, future),
                    RuleName(Rule::kTime)});
  v1::Event untyped = About("PolicyPublished", {}, "untyped");
  untyped.clear_event_type();
  ExpectBothRefuse({"no event type", Base(), By(publisher_, untyped),
                    RuleName(Rule::kFields)});
  v1::Event unknown = About("PolicyPublished", {}, "unknown");
  unknown.set_event_type("PolicyWithdrawn");  // in no role table
  unknown.clear_body();
  ExpectBothRefuse({"an event type no role table knows", Base(),
                    By(publisher_, unknown), RuleName(Rule::kRole)});
  ExpectBothRefuse({"a control character in an identifier", Base(),
                    Pub("PolicyPublished", {{"system", "hir\x1b[2Jing"}}, "c"),
                    RuleName(Rule::kFields)});
}

TEST_F(RuleConformanceTest, LifecycleRefusals) {
  std::vector<SignedEvent> registered = Base();
  registered.push_back(Pub("SystemRegistered", {{"system", "hiring"}}, "r"));
  std::vector<SignedEvent> ended = registered;
  ended.push_back(Pub("SystemDecommissioned", {{"system", "hiring"}}, "d"));
  std::vector<SignedEvent> closed = Base();
  closed.push_back(Pub("IncidentReported", {{"incident", "INC-1"}}, "i"));
  closed.push_back(Pub("IncidentClosed", {{"incident", "INC-1"}}, "c"));
  const std::vector<SignedEvent> base = Base();
  struct Step {
    const char* name;
    const std::vector<SignedEvent>* before;
    const char* type;
    const char* kind;
    const char* id;
  };
  int n = 0;
  for (const Step& s : std::vector<Step>{
           {"a release before registration", &base, "ModelVersionReleased",
            "system", "hiring"},
           {"registering twice", &registered, "SystemRegistered", "system",
            "hiring"},
           {"a release after decommissioning", &ended, "ModelVersionReleased",
            "system", "hiring"},
           {"an update before the report", &base, "IncidentUpdated", "incident",
            "INC-1"},
           {"an update after closing", &closed, "IncidentUpdated", "incident",
            "INC-1"},
       }) {
    ExpectBothRefuse({s.name, *s.before,
                      Pub(s.type, {{s.kind, s.id}}, std::to_string(++n)),
                      RuleName(Rule::kLifecycle)});
  }
}

TEST_F(RuleConformanceTest, ReferenceRefusals) {
  std::vector<SignedEvent> with_policy = Base();
  with_policy.push_back(Pub("PolicyPublished", {}, "p"));
  auto treated = [&](const std::string& id) {
    v1::Event e = About("RiskTreated", {}, "t" + id.substr(0, 2));
    e.mutable_risk_treated()->set_assessment_event_id(id);
    return By(publisher_, e);
  };
  ExpectBothRefuse({"a reference to no event", Base(),
                    treated(std::string(32, 'q')), RuleName(Rule::kReference)});
  ExpectBothRefuse({"a reference to the wrong type", with_policy,
                    treated(Id(with_policy.back())),
                    RuleName(Rule::kReference)});
  std::vector<SignedEvent> partner = Base();
  partner.push_back(Pub("PartnerRegistered", {{"partner", "Aurora"}}, "p"));
  ExpectBothRefuse({"due diligence signed by the deployer", partner,
                    Pub("DueDiligenceRecorded", {{"partner", "Aurora"}}, "d"),
                    RuleName(Rule::kReference)});
}

TEST_F(RuleConformanceTest, ApprovalRefusals) {
  std::vector<SignedEvent> released = Base();
  released.push_back(Pub("SystemRegistered", {{"system", "hiring"}}, "r"));
  released.push_back(Pub("ModelVersionReleased", {{"system", "hiring"}}, "m"));
  auto approve = [&](const SigningKey& k, const std::string& id) {
    v1::Event e;
    e.set_event_type("Approval");
    e.set_organisation(k.verifier().name() == "outsider" ? "Other Org"
                                                         : "Acme AI");
    e.mutable_approval()->set_approves(id);
    e.mutable_approval()->set_decision(v1::DECISION_APPROVE);
    e.mutable_approval()->set_authority("charter §4");
    return By(k, e);
  };
  const std::string release = Id(released.back());
  ExpectBothRefuse({"approving one's own event", released,
                    approve(publisher_, release), RuleName(Rule::kApproval)});
  ExpectBothRefuse({"approving without the function", released,
                    approve(outsider_, release), RuleName(Rule::kApproval)});
  ExpectBothRefuse({"approving an event that takes none", released,
                    approve(approver_, Id(released[5])),
                    RuleName(Rule::kApproval)});
  ExpectBothRefuse({"approving no event", released,
                    approve(approver_, std::string(32, 'n')),
                    RuleName(Rule::kApproval)});
}

TEST_F(RuleConformanceTest, CorrectionRefusals) {
  std::vector<SignedEvent> assessed = Base();
  assessed.push_back(Pub("RiskAssessed", {{"system", "hiring"}}, "a"));
  const std::string id = Id(assessed.back());
  auto correct = [&](const SigningKey& k, const std::string& type,
                     const std::string& system, const std::string& nonce,
                     const std::string& org = "Acme AI") {
    v1::Event e = About(type, {{"system", system}}, nonce, org);
    e.set_supersedes(id);
    e.set_supersedes_reason("typo");
    return By(k, e);
  };
  auto retract = [&](const std::string& target, const std::string& nonce) {
    v1::Event e;
    e.set_event_type("Retraction");
    e.set_organisation("Acme AI");
    e.set_nonce(nonce);
    e.mutable_retraction()->set_retracts(target);
    e.mutable_retraction()->set_reason("wrong system");
    return By(publisher_, e);
  };
  std::vector<SignedEvent> corrected = assessed;
  corrected.push_back(correct(publisher_, "RiskAssessed", "hiring", "c1"));
  std::vector<SignedEvent> retracted = assessed;
  retracted.push_back(retract(id, "r1"));
  for (const Case& c : std::vector<Case>{
           {"a correction of another type", assessed,
            correct(publisher_, "RiskTreated", "hiring", "c2"),
            RuleName(Rule::kCorrection)},
           {"a correction about other subjects", assessed,
            correct(publisher_, "RiskAssessed", "credit", "c3"),
            RuleName(Rule::kCorrection)},
           {"a correction by another organisation", assessed,
            correct(outsider_, "RiskAssessed", "hiring", "c4", "Other Org"),
            RuleName(Rule::kCorrection)},
           {"a second correction", corrected,
            correct(publisher_, "RiskAssessed", "hiring", "c5"),
            RuleName(Rule::kCorrection)},
           {"a correction of no event", assessed,
            By(publisher_,
               [&] {
                 v1::Event e = About("RiskAssessed", {{"system", "x"}}, "c6");
                 e.set_supersedes(std::string(32, 'z'));
                 e.set_supersedes_reason("typo");
                 return e;
               }()),
            RuleName(Rule::kCorrection)},
           {"a second retraction", retracted, retract(id, "r2"),
            RuleName(Rule::kCorrection)},
       }) {
    ExpectBothRefuse(c);
  }
}

TEST_F(RuleConformanceTest, ErasureAndDuplicateRefusals) {
  std::vector<SignedEvent> sealed = Base();
  v1::Event with_attachment =
      About("IncidentReported", {{"incident", "I"}}, "s");
  v1::SealedAttachment* a = with_attachment.add_sealed();
  a->set_commitment(std::string(32, 'c'));
  a->set_label("complainant contact");
  a->set_media_type("text/plain");
  sealed.push_back(By(publisher_, with_attachment));
  auto erase = [&](uint32_t n, const std::string& nonce) {
    v1::Event e;
    e.set_event_type("Erasure");
    e.set_organisation("Acme AI");
    e.set_nonce(nonce);
    e.mutable_erasure()->set_event_id(Id(sealed.back()));
    e.mutable_erasure()->set_attachment(n);
    e.mutable_erasure()->set_legal_basis("GDPR Art. 17(1)(a)");
    return By(h_.admin(), e);
  };
  std::vector<SignedEvent> erased = sealed;
  erased.push_back(erase(0, "e1"));
  ExpectBothRefuse({"erasing an attachment that does not exist", sealed,
                    erase(1, "e2"), RuleName(Rule::kErasure)});
  ExpectBothRefuse(
      {"erasing twice", erased, erase(0, "e3"), RuleName(Rule::kErasure)});
  ExpectBothRefuse({"the same event twice", sealed, sealed.back(),
                    RuleName(Rule::kDuplicate)});
}

// Rules are versioned per entry: a log written under role table version 1
// keeps verifying after version 2 is adopted on it, and from the adoption on
// both judges apply version 2 (here: an event must name its signer's own
// organisation).
TEST_F(RuleConformanceTest, ARulesVersionAdoptedTightensOnlyLaterEntries) {
  std::vector<SignedEvent> log = Base();
  log[0] = h_.Genesis(/*version=*/1);
  // Another organisation's name: allowed under version 1.
  log.push_back(By(outsider_, About("PolicyPublished", {}, "v1", "Acme AI")));
  auto adopt = [&](uint32_t version, const std::string& nonce) {
    v1::Event e;
    e.set_event_type("RulesVersionAdopted");
    e.set_organisation("Acme AI");
    e.set_nonce(nonce);
    e.mutable_rules_version_adopted()->set_role_table_version(version);
    e.mutable_rules_version_adopted()->set_reason("ISO/IEC 42001 audit");
    return By(h_.admin(), e);
  };
  ExpectBothRefuse({"adopting an unknown version", log, adopt(9, "a9"),
                    RuleName(Rule::kRole)});
  ExpectBothRefuse({"adopting the version in force", log, adopt(1, "a1"),
                    RuleName(Rule::kRole)});
  log.push_back(adopt(2, "a2"));
  ExpectBothRefuse({"adopting an older version", log, adopt(1, "a1"),
                    RuleName(Rule::kRole)});
  ExpectBothRefuse(
      {"another organisation's name after adoption", log,
       By(outsider_, About("PolicyPublished", {}, "v2", "Acme AI")),
       RuleName(Rule::kRole)});
  log.push_back(By(outsider_, About("PolicyPublished", {}, "v2", "Other Org")));
  for (bool one_batch : {false, true}) {
    for (const Verdict& v : h_.Sequence(log, one_batch))
      EXPECT_TRUE(v.accepted) << ToString(v);
  }
  VerifyReport r = h_.ForgeAndVerify(log);
  ASSERT_TRUE(r.verified) << r.failure;
  const std::vector<std::pair<uint64_t, uint32_t>> versions = {{0, 1}, {7, 2}};
  EXPECT_EQ(r.rule_versions, versions);
  bool warned = false;
  for (const std::string& w : r.warnings)
    warned |= w.find("entries before index 7 checked under its rules") !=
              std::string::npos;
  EXPECT_TRUE(warned);
}

// Events the sequencer accepts, the verifier accepts, in one batch or many.
TEST_F(RuleConformanceTest, AGeneratedHistoryIsAcceptedByBoth) {
  history::Options o;
  o.origin = testing::kHarnessOrigin;
  o.events = 400;
  o.years = 2;
  history::History hist(o, &h_.admin());
  // The history is written in vocabulary v2, for role table version 3.
  std::vector<SignedEvent> events = {h_.Genesis(3)};
  for (auto batch = hist.Next(100); !batch.empty(); batch = hist.Next(100)) {
    for (const auto& g : batch) events.push_back(g.signed_event);
  }
  ASSERT_GE(events.size(), 400u);
  for (bool one_batch : {false, true}) {
    std::vector<Verdict> seq = h_.Sequence(events, one_batch);
    for (size_t i = 0; i < seq.size(); ++i)
      ASSERT_TRUE(seq[i].accepted) << i << ": " << ToString(seq[i]);
  }
  VerifyReport r = h_.ForgeAndVerify(events);
  EXPECT_TRUE(r.verified) << r.failure;
}

}  // namespace
}  // namespace ailedger
