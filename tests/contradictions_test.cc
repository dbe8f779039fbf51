// Contradictions between parties (reports/contradictions.h) over in-memory
// logs where a provider and its deployer both record: each kind found, the
// pairs that agree not flagged, the checks that cannot be made said, the
// external references not checked, found and mismatched; the generated
// history has none; the annual report and the factsheet list them.
#include "reports/contradictions.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reports/annual_report.h"
#include "reports/system_report.h"
#include "tests/testing/history_records.h"

namespace ailedger::reports {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kDay = 86'400'000;
constexpr int64_t kStart = 1'735'689'600'000;  // 2025-01-01
constexpr char kP[] = "Provider AI";
constexpr char kD[] = "Deployer Bank";
constexpr char kSys[] = "credit";

class Log {
 public:
  explicit Log(uint64_t first_index = 1, uint8_t tag = 0xAB)
      : next_(first_index), tag_(tag) {}

  static v1::Event Ev(const std::string& type, const std::string& org, int day,
                      const std::string& system = kSys) {
    v1::Event e;
    e.set_event_type(type);
    e.set_schema_version(2);
    e.set_organisation(org);
    if (!system.empty()) Subject(&e, "system", system);
    e.set_occurred_at_ms(kStart + day * kDay);
    return e;
  }
  static void Subject(v1::Event* e, const std::string& kind,
                      const std::string& id) {
    auto* s = e->add_subjects();
    s->set_kind(kind);
    s->set_id(id);
  }

  std::string Add(v1::Event e) {
    Record r;
    r.index = next_++;
    r.integrated_time_ms = e.occurred_at_ms() + 60'000;
    for (int i = 0; i < 8; ++i) r.event_id[i] = (r.index >> (8 * i)) & 0xFF;
    r.event_id[31] = tag_;
    r.leaf_hash = r.event_id;
    r.leaf_hash[30] = 0x1F;
    r.signer.fill(1);
    r.event = std::move(e);
    records_.push_back(std::move(r));
    return std::string(AsBytes(records_.back().event_id));
  }
  std::string Decide(const std::string& org, const std::string& id, int day,
                     v1::Decision d = v1::DECISION_APPROVE) {
    v1::Event e = Ev("Approval", org, day, "");
    e.mutable_approval()->set_approves(id);
    e.mutable_approval()->set_decision(d);
    e.mutable_approval()->set_authority("board");
    return Add(std::move(e));
  }
  void Register(int day = 0) {
    v1::Event e = Ev("SystemRegistered", kP, day);
    e.mutable_system_registered()->set_provider(kP);
    e.mutable_system_registered()->add_deployers(kD);
    e.mutable_system_registered()->set_risk_class(v1::RISK_CLASS_HIGH);
    Add(std::move(e));
  }
  std::string Release(const std::string& version, int day,
                      v1::Decision d = v1::DECISION_APPROVE) {
    v1::Event e = Ev("ModelVersionReleased", kP, day);
    e.mutable_model_version_released()->set_version(version);
    const std::string id = Add(std::move(e));
    Decide(kP, id, day, d);
    return id;
  }
  std::string Deploy(const std::string& version, int day,
                     const std::string& org = kD) {
    v1::Event e = Ev("DeploymentRecorded", org, day);
    auto* d = e.mutable_deployment_recorded();
    d->set_version(version);
    d->set_environment("production");
    d->set_deployer(org);
    d->set_effective_at_ms(kStart + day * kDay + kDay / 2);
    const std::string id = Add(std::move(e));
    Decide(org, id, day);
    return id;
  }
  std::string Incident(int day, bool serious, const std::string& id = "INC-1",
                       const std::string& org = kP) {
    v1::Event e = Ev("IncidentReported", org, day);
    Subject(&e, "incident", id);
    auto* i = e.mutable_incident_reported();
    i->set_aware_at_ms(kStart + day * kDay);
    i->set_severity(serious ? v1::SEVERITY_SERIOUS : v1::SEVERITY_MINOR);
    if (serious) i->set_art3_49_category("c");
    i->set_not_serious(!serious);
    return Add(std::move(e));
  }
  // An IncidentCommunicated by `org` of `incident` to `recipient`, sent on
  // `day`, with content `content`.
  std::string Told(const std::string& org, const std::string& incident,
                   const std::string& recipient, int day,
                   const std::string& content, int recorded_day = -1) {
    v1::Event e =
        Ev("IncidentCommunicated", org, recorded_day < 0 ? day : recorded_day);
    Subject(&e, "incident", "INC-1");
    auto* c = e.mutable_incident_communicated();
    c->set_incident_event_id(incident);
    c->set_audience(v1::AUDIENCE_DEPLOYER);
    c->set_recipient(recipient);
    c->set_channel("email");
    c->set_sent_at_ms(kStart + day * kDay);
    c->set_content_sha256(std::string(32, content[0]));
    return Add(std::move(e));
  }

  const std::vector<Record>& records() const { return records_; }
  const Record& Get(const std::string& id) const {
    for (const Record& r : records_)
      if (std::string(AsBytes(r.event_id)) == id) return r;
    static const Record none;
    return none;
  }

 private:
  std::vector<Record> records_;
  uint64_t next_;
  uint8_t tag_;
};

std::vector<Contradiction> Find(
    const Log& log, const std::string& org = "", bool complete = true,
    std::map<std::string, CheckCount>* counts = nullptr) {
  ContradictionOptions o;
  o.complete_range = complete;
  o.counts = counts;
  return FindContradictions(log.records(), org, o);
}

std::vector<Contradiction> Of(const std::vector<Contradiction>& all,
                              Verdict v) {
  std::vector<Contradiction> out;
  for (const Contradiction& c : all)
    if (c.verdict == v) out.push_back(c);
  return out;
}

// A deployment of a version the provider never released; of one it
// rejected; of one it released only later; of one it rolled back before;
// of one it retracted; each contradicted, citing the provider's records.
TEST(ContradictionsTest, DeploymentOfAVersionNeverReleased) {
  Log log;
  log.Register();
  log.Release("1.0", 1);
  log.Deploy("2.0", 5);
  const auto all = Find(log);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].verdict, Verdict::kContradicted);
  EXPECT_EQ(all[0].check, kCheckRelease);
  EXPECT_EQ(all[0].signer, kD);
  EXPECT_EQ(all[0].party, kP);
  EXPECT_EQ(all[0].system, kSys);
  EXPECT_THAT(all[0].statement, HasSubstr("DeploymentRecorded"));
  EXPECT_THAT(all[0].difference,
              HasSubstr("no release of that version (it released 1.0)"));
  ASSERT_EQ(all[0].evidence.size(), 1u);
  EXPECT_THAT(all[0].evidence[0], HasSubstr("idx 2 · ModelVersionReleased"));
  // Over a range that does not start at 0, the release may lie before it.
  const auto ranged = Find(log, "", /*complete=*/false);
  ASSERT_EQ(ranged.size(), 1u);
  EXPECT_EQ(ranged[0].verdict, Verdict::kNotChecked);
  EXPECT_THAT(ranged[0].difference, HasSubstr("do not start at index 0"));
}

TEST(ContradictionsTest, DeploymentOfARejectedRelease) {
  Log log;
  log.Register();
  log.Release("1.0", 1, v1::DECISION_REJECT);
  log.Deploy("1.0", 5);
  const auto all = Of(Find(log), Verdict::kContradicted);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_THAT(all[0].difference,
              HasSubstr("had REJECTED its release of that version on "
                        "2025-01-02"));
  EXPECT_THAT(all[0].evidence, ::testing::Contains(HasSubstr("Approval")));
}

TEST(ContradictionsTest, DeploymentBeforeTheRelease) {
  Log log;
  log.Register();
  log.Deploy("1.0", 5);
  log.Release("1.0", 9);
  const auto all = Of(Find(log), Verdict::kContradicted);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_THAT(all[0].difference,
              HasSubstr("released that version on 2025-01-10, 3 days later"));
}

TEST(ContradictionsTest, DeploymentAfterTheProviderRolledTheVersionBack) {
  Log log;
  log.Register();
  log.Release("1.0", 1);
  log.Release("1.1", 2);
  v1::Event rb = Log::Ev("RolledBack", kP, 3);
  rb.mutable_rolled_back()->set_from_version("1.1");
  rb.mutable_rolled_back()->set_to_version("1.0");
  rb.mutable_rolled_back()->set_environment("production");
  rb.mutable_rolled_back()->set_reason("scores drifted");
  log.Add(rb);
  log.Deploy("1.1", 6);
  log.Deploy("1.0", 7);  // the version rolled back to: fine
  const auto all = Of(Find(log), Verdict::kContradicted);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_THAT(all[0].difference,
              HasSubstr("had rolled that version back (production) on "
                        "2025-01-04: scores drifted"));
  EXPECT_THAT(all[0].evidence, ::testing::Contains(HasSubstr("RolledBack")));
}

TEST(ContradictionsTest, DeploymentOfARetractedRelease) {
  Log log;
  log.Register();
  const std::string rel = log.Release("1.0", 1);
  v1::Event x = Log::Ev("Retraction", kP, 2, "");
  x.mutable_retraction()->set_retracts(rel);
  x.mutable_retraction()->set_reason("recorded for the wrong system");
  log.Add(x);
  log.Deploy("1.0", 5);
  const auto all = Of(Find(log), Verdict::kContradicted);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_THAT(all[0].difference,
              HasSubstr("retracted its release of that version: recorded for "
                        "the wrong system"));
}

TEST(ContradictionsTest, DeploymentAfterDecommissioning) {
  Log log;
  log.Register();
  log.Release("1.0", 1);
  v1::Event e = Log::Ev("SystemDecommissioned", kP, 20);
  e.mutable_system_decommissioned()->set_reason("withdrawn");
  log.Add(e);
  log.Deploy("1.0", 10);  // before: fine
  log.Deploy("1.0", 30);
  const auto all = Of(Find(log), Verdict::kContradicted);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].check, kCheckDecommissioned);
  EXPECT_THAT(all[0].difference,
              HasSubstr("decommissioned credit on 2025-01-21, 10 days before: "
                        "withdrawn"));
}

// An approved release deployed after it, and the provider's own deployment,
// are not flagged; the examined statements are counted.
TEST(ContradictionsTest, AgreeingDeploymentIsNotFlagged) {
  Log log;
  log.Register();
  log.Release("1.0", 1);
  log.Deploy("1.0", 2);
  log.Deploy("9.9", 3, kP);  // the provider's own word: not two-party
  std::map<std::string, CheckCount> counts;
  EXPECT_TRUE(Find(log, "", true, &counts).empty());
  EXPECT_EQ(counts[kCheckRelease].statements, 1u);
  EXPECT_EQ(counts[kCheckRelease].contradicted, 0u);
  EXPECT_EQ(counts[kCheckDecommissioned].statements, 1u);
}

// The provider says it told the deployer on day 10. The deployer's receipt
// of the same message dates it day 15; its own report of the incident says
// it became aware on day 20.
TEST(ContradictionsTest, CommunicationDatedDifferently) {
  Log log;
  log.Register();
  const std::string inc = log.Incident(9, true);
  log.Told(kP, inc, kD, 10, "a");
  log.Told(kD, inc, kD, 15, "a");  // the receipt
  log.Incident(20, true, "INC-1", kD);
  const auto all = Of(Find(log), Verdict::kContradicted);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].check, kCheckCommunication);
  EXPECT_THAT(all[0].difference,
              HasSubstr("dates it 2025-01-16, 5 days apart"));
  EXPECT_THAT(all[1].difference,
              HasSubstr("says it became aware on 2025-01-21, 10 days later"));
}

TEST(ContradictionsTest, CommunicationAgreeingIsNotFlagged) {
  Log log;
  log.Register();
  const std::string inc = log.Incident(9, true);
  log.Told(kP, inc, kD, 10, "a");
  log.Told(kD, inc, kD, 10, "a", /*recorded_day=*/12);
  log.Incident(10, true, "INC-1", kD);
  std::map<std::string, CheckCount> counts;
  EXPECT_TRUE(Find(log, "", true, &counts).empty());
  EXPECT_EQ(counts[kCheckCommunication].statements, 1u);
}

// The deployer records receipts of the incident's messages, not this one;
// and a receipt the provider's records of messages to it do not have.
TEST(ContradictionsTest, CommunicationTheOtherPartyDoesNotHave) {
  Log log;
  log.Register();
  const std::string inc = log.Incident(9, true);
  log.Told(kP, inc, kD, 10, "a");
  log.Told(kD, inc, kD, 11, "b");  // a receipt of another message
  const auto all = Of(Find(log), Verdict::kContradicted);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_THAT(all[0].difference,
              HasSubstr("none with this content: its records do not have it"));
  EXPECT_EQ(all[0].signer, kP);
  EXPECT_EQ(all[1].signer, kD);
  EXPECT_THAT(all[1].difference,
              HasSubstr("Provider AI records 1 message(s) of the incident"));
}

TEST(ContradictionsTest, CommunicationWithoutTheRecipientsRecordIsNotChecked) {
  Log log;
  log.Register();
  const std::string inc = log.Incident(9, true);
  log.Told(kP, inc, kD, 10, "a");
  auto all = Find(log);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].verdict, Verdict::kNotChecked);
  EXPECT_THAT(all[0].difference,
              HasSubstr("Deployer Bank records nothing on this log"));
  log.Deploy("x", 30);  // the deployer now records, but no receipt
  all = Find(log);
  EXPECT_THAT(all, ::testing::Contains(::testing::Field(
                       &Contradiction::difference,
                       HasSubstr("records neither a receipt of it nor its own "
                                 "report of the incident"))));
}

TEST(ContradictionsTest, NotificationRecordedDifferentlyByTwoParties) {
  Log log;
  const std::string inc = log.Incident(1, true);
  for (const auto& [org, day] : {std::pair{kP, 3}, std::pair{kD, 8}}) {
    v1::Event e = Log::Ev("RegulatorNotificationSent", org, day);
    auto* n = e.mutable_regulator_notification();
    n->set_authority("Central Bank of Ireland");
    n->set_member_state("IE");
    n->set_kind(v1::NOTIFICATION_KIND_INITIAL);
    n->set_sent_at_ms(kStart + day * kDay);
    n->set_incident_event_id(inc);
    n->set_content_sha256(std::string(32, 'n'));
    log.Add(e);
  }
  const auto all = Of(Find(log), Verdict::kContradicted);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].check, kCheckNotification);
  EXPECT_EQ(all[0].signer, kD);
  EXPECT_THAT(all[0].difference,
              HasSubstr("sent 2025-01-09 against 2025-01-04 (5 days apart)"));
}

v1::Event Answers(int day, const std::string& text) {
  v1::Event e = Log::Ev("DueDiligenceRecorded", kP, day, "");
  Log::Subject(&e, "partner", kP);
  auto* d = e.mutable_due_diligence_recorded();
  d->set_kind(v1::DUE_DILIGENCE_KIND_ANSWERS);
  d->set_ethical_principles("published principles");
  d->set_transparency(text);
  return e;
}

// "No serious incidents in the last 12 months": one 60 days before is
// counted; one 500 days before, and one reclassified not serious before the
// answer, are not.
TEST(ContradictionsTest, DueDiligenceAnswerOfNoSeriousIncidents) {
  Log log;
  log.Incident(-500, true, "INC-OLD");
  log.Incident(-60, true, "INC-2");
  log.Incident(-30, true, "INC-3");
  v1::Event u = Log::Ev("IncidentUpdated", kP, -20);
  Log::Subject(&u, "incident", "INC-3");
  u.mutable_incident_updated()->set_not_serious(true);
  log.Add(u);
  log.Add(Answers(0,
                  "Model cards. No serious incidents in the last 12 "
                  "months."));
  const auto all = Of(Find(log), Verdict::kContradicted);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].check, kCheckDueDiligence);
  EXPECT_EQ(all[0].signer, kP);
  EXPECT_EQ(all[0].party, kP);
  EXPECT_THAT(all[0].difference,
              HasSubstr("answered 'no serious incidents in the last 12 months'"
                        " on 2025-01-01; its own records hold serious "
                        "incidents it knew of before: INC-2 (aware "
                        "2024-11-02)"));
  EXPECT_THAT(all[0].difference, ::testing::Not(HasSubstr("INC-3")));
  ASSERT_EQ(all[0].evidence.size(), 1u);
}

TEST(ContradictionsTest, DueDiligenceAnswerOfConformity) {
  Log log;
  v1::Event a = Answers(5, "x");
  auto* q = a.mutable_due_diligence_recorded()->add_answers();
  q->set_question_id("eu_conformity_declared");
  q->add_values("yes");
  log.Add(a);
  auto all = Of(Find(log), Verdict::kContradicted);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_THAT(all[0].difference,
              HasSubstr("its own records hold no ConformityDeclared"));
  // With a declaration before the answer, nothing is flagged.
  Log ok;
  v1::Event c = Log::Ev("ConformityDeclared", kP, 1);
  c.mutable_conformity_declared()->set_procedure("annex-vi");
  ok.Add(c);
  ok.Add(Answers(5, "EU declaration of conformity issued (Art. 47)."));
  EXPECT_TRUE(Of(Find(ok), Verdict::kContradicted).empty());
  EXPECT_TRUE(Of(Find(ok), Verdict::kNotChecked).empty());
}

// A negated or future claim is no claim; answers with none are "not
// checked", never passed over.
TEST(ContradictionsTest, DueDiligenceAnswerWithoutAClaimIsNotChecked) {
  Log log;
  log.Add(Answers(5,
                  "No declaration of conformity yet; a fairness gate "
                  "before release"));
  const auto all = Find(log);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].verdict, Verdict::kNotChecked);
  EXPECT_THAT(all[0].difference, HasSubstr("no claim of a kind this check"));
}

TEST(ContradictionsTest, AgreementThePartnerRejected) {
  Log log;
  v1::Event e = Log::Ev("AgreementRecorded", kD, 1, "");
  Log::Subject(&e, "partner", kP);
  e.mutable_agreement_recorded()->set_audit_rights("yearly");
  const std::string ag = log.Add(e);
  log.Decide(kD, ag, 2);
  log.Decide(kP, ag, 3);
  EXPECT_TRUE(Find(log).empty());  // both approved
  log.Decide(kP, ag, 9, v1::DECISION_REJECT);
  const auto all = Of(Find(log), Verdict::kContradicted);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].check, kCheckAgreement);
  EXPECT_EQ(all[0].party, kP);
  EXPECT_THAT(all[0].difference,
              HasSubstr("Provider AI REJECTED it on 2025-01-10 (board) and "
                        "never approved it after"));
}

// Only rows where the organisation signed the statement or its records were
// compared; a period keeps statements that occurred in it.
TEST(ContradictionsTest, RowsOfTheOrganisationAndPeriod) {
  Log log;
  log.Register();
  log.Release("1.0", 1);
  log.Deploy("2.0", 5);
  EXPECT_EQ(Find(log, kD).size(), 1u);
  EXPECT_EQ(Find(log, kP).size(), 1u);
  EXPECT_TRUE(Find(log, "Someone Else").empty());
  ContradictionOptions o;
  o.complete_range = true;
  o.from_ms = kStart + 10 * kDay;
  o.to_ms = kStart + 20 * kDay;
  EXPECT_TRUE(FindContradictions(log.records(), "", o).empty());
}

// The deployer's log cites the provider's release on the provider's own log.
class ExternalRefsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    theirs_.Register();
    release_ = theirs_.Release("1.0", 1);
    rejected_ = theirs_.Release("1.1", 2, v1::DECISION_REJECT);
  }
  void Deploy(const std::string& version, const std::string& release_id,
              const std::string& origin = "provider.example/log") {
    v1::Event e = Log::Ev("DeploymentRecorded", kD, 5);
    e.mutable_deployment_recorded()->set_version(version);
    e.mutable_deployment_recorded()->set_environment("production");
    const Record& rel = theirs_.Get(release_id);
    auto* ref = e.add_external_refs();
    ref->set_origin(origin);
    ref->set_index(rel.index);
    ref->set_leaf_hash(std::string(AsBytes(rel.leaf_hash)));
    ours_.Add(e);
  }
  std::vector<Contradiction> Check(bool given = true) {
    ContradictionOptions o;
    o.complete_range = true;
    if (given) {
      o.other_log = &theirs_.records();
      o.other_origin = "provider.example/log";
    }
    return FindContradictions(ours_.records(), kD, o);
  }

  Log theirs_{1, 0xCD}, ours_{1, 0xAB};
  std::string release_, rejected_;
};

TEST_F(ExternalRefsTest, NotCheckedWithoutTheOtherLog) {
  Deploy("1.0", release_);
  const auto all = Check(/*given=*/false);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].verdict, Verdict::kNotChecked);
  EXPECT_EQ(all[0].check, kCheckExternal);
  EXPECT_THAT(all[0].difference,
              HasSubstr("refers to entry 2 of provider.example/log"));
  EXPECT_THAT(all[0].difference,
              HasSubstr("not checked: the other log was not given"));
}

TEST_F(ExternalRefsTest, FoundAndAgreeing) {
  Deploy("1.0", release_);
  const auto all = Check();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].verdict, Verdict::kAgrees);
  EXPECT_EQ(all[0].party, kP);
  ASSERT_EQ(all[0].evidence.size(), 1u);
  // Cited as the other log's entry, never as "idx N ·" of this log.
  EXPECT_THAT(all[0].evidence[0],
              HasSubstr("provider.example/log entry 2 · ModelVersionReleased"));
  EXPECT_THAT(all[0].evidence[0], ::testing::Not(HasSubstr("idx ")));
}

TEST_F(ExternalRefsTest, Mismatched) {
  Deploy("2.0", release_);  // names another version than the entry's
  Deploy("1.1", rejected_);
  v1::Event e = Log::Ev("DeploymentRecorded", kD, 6);
  e.mutable_deployment_recorded()->set_version("1.0");
  auto* ref = e.add_external_refs();
  ref->set_origin("provider.example/log");
  ref->set_index(theirs_.Get(release_).index);
  ref->set_leaf_hash(std::string(32, 'x'));  // not that entry's
  ours_.Add(e);
  const auto all = Check();
  ASSERT_EQ(all.size(), 3u);
  for (const Contradiction& c : all)
    EXPECT_EQ(c.verdict, Verdict::kContradicted) << c.difference;
  EXPECT_THAT(all[0].difference,
              HasSubstr("names version 2.0; the entry is Provider AI's "
                        "release of version 1.0"));
  EXPECT_THAT(all[1].difference, HasSubstr("REJECTED that release"));
  EXPECT_THAT(all[2].difference, HasSubstr("the reference does not name it"));
}

TEST_F(ExternalRefsTest, AnotherLogOrAnEntryNotGivenIsNotChecked) {
  Deploy("1.0", release_, "elsewhere.example/log");
  v1::Event e = Log::Ev("DeploymentRecorded", kD, 6);
  e.mutable_deployment_recorded()->set_version("1.0");
  auto* ref = e.add_external_refs();
  ref->set_origin("provider.example/log");
  ref->set_index(999);
  ref->set_leaf_hash(std::string(32, 'x'));
  ours_.Add(e);
  const auto all = Check();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].verdict, Verdict::kNotChecked);
  EXPECT_THAT(all[0].difference,
              HasSubstr("the other log given is provider.example/log"));
  EXPECT_EQ(all[1].verdict, Verdict::kNotChecked);
  EXPECT_THAT(all[1].difference, HasSubstr("the entry may be later"));
}

TEST(ContradictionsTest, SectionListsContradictionsFirstWithCounts) {
  Log log;
  log.Register();
  log.Release("1.0", 1);
  const std::string inc = log.Incident(2, true);
  log.Told(kP, inc, kD, 2, "a");  // not checked: no record of the deployer
  log.Deploy("2.0", 5);
  std::map<std::string, CheckCount> counts;
  const auto all = Find(log, "", true, &counts);
  const Section s = ContradictionSection("T", "intro", all, counts, 1);
  ASSERT_EQ(s.tables.size(), 1u);
  ASSERT_EQ(s.tables[0].rows.size(), 1u);
  EXPECT_EQ(s.tables[0].rows[0][0], "CONTRADICTED");
  EXPECT_THAT(s.tables[0].rows[0][2], HasSubstr("idx "));
  const std::string text = absl::StrJoin(s.paragraphs, "\n");
  EXPECT_THAT(text, HasSubstr("release deployed: 1 examined, 1 contradicted"));
  EXPECT_THAT(text, HasSubstr("1 contradiction found; 1 check could not be"));
  EXPECT_THAT(text, HasSubstr("1 more are counted above, not listed"));
}

// The annual report's completeness lists what FindContradictions finds for
// the organisation, in the year.
TEST(ContradictionsTest, AnnualReportCompletenessListsThem) {
  Log log;
  log.Register();
  log.Release("1.0", 1);
  log.Deploy("2.0", 5);
  VerifyReport v;
  v.verified = true;
  v.to = v.checkpoint_size = log.records().size() + 1;
  v.roster_complete = true;
  AnnualOptions a;
  a.organisation = kP;
  a.year = 2025;
  auto r = AnnualReport(log.records(), v, VerifyOptions{}, a);
  ASSERT_TRUE(r.ok()) << r.status();
  bool found = false;
  for (const Section& s : r->sections) {
    for (const std::string& p : s.paragraphs)
      EXPECT_THAT(p, ::testing::Not(HasSubstr("Not determined: statements")));
    if (!absl::StartsWith(s.title, "Completeness: statements contradicted"))
      continue;
    ASSERT_EQ(s.tables.size(), 1u);
    found = true;
    EXPECT_THAT(absl::StrJoin(s.tables[0].rows[0], " | "),
                HasSubstr("CONTRADICTED | release deployed (credit)"));
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(r->data["completeness_counts"]["statements contradicted"], 1);
}

TEST(ContradictionsTest, SystemFactsheetCompletenessListsThem) {
  Log log;
  log.Register();
  log.Release("1.0", 1);
  log.Deploy("2.0", 5);
  VerifyReport v;
  v.verified = true;
  v.roster_complete = true;
  auto r = SystemReport(log.records(), v, VerifyOptions{}, kSys);
  ASSERT_TRUE(r.ok()) << r.status();
  const Section& s = r->sections.back();
  ASSERT_EQ(s.title, "Completeness");
  bool found = false;
  for (const Table& t : s.tables)
    for (const auto& row : t.rows)
      found = found || absl::StrContains(absl::StrJoin(row, " | "),
                                         "CONTRADICTED: release deployed");
  EXPECT_TRUE(found);
}

// The generated history, where the provider and its deployer record on one
// log, holds no contradiction: a row here would be a false positive. What
// cannot be checked there is said: the deployer keeps no receipts of the
// provider's incident messages, and the provider's due-diligence answers
// make no claim these checks read.
TEST(ContradictionsTest, GeneratedHistoryHasNone) {
  const testing::HistoryLog h = testing::HistoryAsVerified(
      {"golden.ailedger.example/log", 7, 600, 3, 3}, "golden admin");
  std::map<std::string, CheckCount> counts;
  ContradictionOptions o;
  o.complete_range = true;
  o.counts = &counts;
  const auto all = FindContradictions(h.records, "", o);
  for (const Contradiction& c : all) {
    EXPECT_EQ(c.verdict, Verdict::kNotChecked)
        << c.statement << ": " << c.difference;
    EXPECT_TRUE(c.check == kCheckCommunication || c.check == kCheckDueDiligence)
        << c.check;
  }
  EXPECT_GT(counts[kCheckRelease].statements, 3u);  // deployments examined
  EXPECT_GT(counts[kCheckAgreement].statements, 0u);
  EXPECT_EQ(counts[kCheckDueDiligence].not_checked, 1u);
  EXPECT_GT(counts[kCheckCommunication].not_checked, 0u);
}

// The same history with one deployment changed to the release the provider
// rejected (credit-scoring's fourth, 2.0.0): the check finds it there.
TEST(ContradictionsTest, GeneratedHistoryWithARejectedReleaseDeployed) {
  testing::HistoryLog h = testing::HistoryAsVerified(
      {"golden.ailedger.example/log", 7, 600, 3, 3}, "golden admin");
  uint64_t changed = 0;
  for (Record& r : h.records) {
    if (r.event.has_deployment_recorded() &&
        r.event.deployment_recorded().version() == "2.1.0" &&
        r.event.subjects(0).id() == "credit-scoring") {
      r.event.mutable_deployment_recorded()->set_version("2.0.0");
      changed = r.index;
      break;
    }
  }
  ASSERT_NE(changed, 0u);
  ContradictionOptions o;
  o.complete_range = true;
  const auto all = Of(FindContradictions(h.records, "Corner Shop Finance", o),
                      Verdict::kContradicted);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].index, changed);
  EXPECT_EQ(all[0].party, "Aurora Credit AI");
  EXPECT_THAT(all[0].difference,
              HasSubstr("had REJECTED its release of that version"));
}

}  // namespace
}  // namespace ailedger::reports
