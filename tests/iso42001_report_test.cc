// reports/iso42001_*: the ISO/IEC 42001 evidence pack over logs built in
// memory: always 38 SoA rows plus own controls, each status from a
// constructed log, the three evidence columns kept apart, as_of, the clause
// index's "no record type" vs "no record", the A.6.2.8 extract and A.8.4
// communications citing their records, the mappings' digests in the
// envelope, the management-review inputs, and byte-identical output.
#include "reports/iso42001_report.h"

#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ledger/base/file_util.h"
#include "ledger/governance/envelope.h"
#include "ledger/governance/examples.h"
#include "ledger/governance/iso42001.h"
#include "ledger/merkle/hash.h"
#include "reports/iso42001_mapping.h"
#include "reports/iso42001_review.h"

namespace ailedger::reports {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kOrg[] = "Acme AI";
constexpr int64_t kDay = 86'400'000;
constexpr int64_t kT0 = 1735689600000;  // 2025-01-01T00:00:00Z
constexpr int64_t kAsOf = kT0 + 400 * kDay;

// A log built in memory: records in index order, each integrated when it
// occurred unless told otherwise.
class Log {
 public:
  // Appends `e` (by the publisher, or `signer`); its event id's bytes.
  std::string Add(v1::Event e, int64_t recorded = 0, uint8_t signer = 1) {
    Record r;
    r.index = records.size() + 1;
    r.integrated_time_ms = recorded ? recorded : e.occurred_at_ms();
    r.signer.fill(signer);
    r.event_id = Sha256Of(absl::StrCat(r.index, e.SerializeAsString()));
    r.event = std::move(e);
    records.push_back(std::move(r));
    return std::string(AsBytes(records.back().event_id));
  }
  // An event of `type` by `org` that occurred `day` days after kT0, with an
  // example body.
  static v1::Event Event(const std::string& type, int day,
                         const std::string& org = kOrg) {
    v1::Event e = NewEvent(type, org, kT0 + day * kDay);
    FillExampleBody(&e);
    return e;
  }
  std::string Row(const std::string& control, v1::ControlStatus status, int day,
                  uint32_t interval = 0) {
    v1::Event e = Event("ControlStatusUpdated", day);
    auto* c = e.mutable_control_status_updated();
    *c = v1::ControlStatusUpdated();
    c->set_control_id(control);
    c->set_applicable(status != v1::CONTROL_STATUS_NOT_APPLICABLE);
    c->set_justification("because " + control);
    c->set_status(status);
    c->set_review_interval_days(interval);
    return Add(std::move(e));
  }
  void Approve(const std::string& id, int day) {
    v1::Event a = Event("Approval", day);
    a.mutable_approval()->set_approves(id);
    a.mutable_approval()->set_decision(v1::DECISION_APPROVE);
    a.mutable_approval()->set_authority("board");
    Add(std::move(a), 0, 2);
  }
  std::vector<Record> records;
};

VerifyReport Verified() {
  VerifyReport v;
  v.verified = true;
  SignerSummary auditor;
  auditor.key.fill(7);
  auditor.roles = {v1::ROLE_AUDITOR};
  SignerSummary unpinned = auditor;
  unpinned.key.fill(8);
  unpinned.unexpected = true;
  v.signers = {auditor, unpinned};
  return v;
}

nlohmann::json Pack(const Log& log, int64_t as_of = kAsOf) {
  Iso42001Options o;
  o.organisation = kOrg;
  o.as_of_ms = as_of;
  auto r = Iso42001Report(log.records, Verified(), VerifyOptions(), o);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? r->data : nlohmann::json();
}

std::string Shipped(const std::string& name) {
  for (const iso42001::ShippedFile& f : iso42001::ShippedFiles()) {
    if (f.name == name) return std::string(f.bytes());
  }
  return "";
}

// The row of `table` (in the report's data) whose column `col` is `key`.
nlohmann::json RowOf(const nlohmann::json& table, const std::string& key,
                     size_t col = 0) {
  for (const auto& row : table) {
    if (row[col] == key) return row;
  }
  return nlohmann::json();
}

TEST(Iso42001Mapping, TheShippedFilesLoadAndBadOnesAreRefused) {
  auto m = iso42001::ShippedEventMapping();
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ((*m)->version, "1");
  EXPECT_EQ((*m)->default_review_days, 365u);
  ASSERT_EQ((*m)->controls.size(), 38u);
  EXPECT_EQ((*m)->controls[22].control, "A.6.2.8");
  EXPECT_TRUE((*m)->Control("A.2.3")->evidence.empty());  // no record type
  auto c = iso42001::ShippedCrosswalk();
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ((*c)->nist.size(), 19u);  // the categories of the four functions
  for (
      const auto& [text, error] :
      std::vector<std::pair<std::string, std::string>>{
          {R"({"version":"1","default_review_days":365,"controls":[],"clauses":[]})",
           "$.controls: the 38 Annex A controls are required"},
          {"not json", "$: not a JSON object"}}) {
    auto bad = iso42001::ParseEventMapping(text, "m.json");
    EXPECT_THAT(bad.status().message(), HasSubstr(error)) << text;
  }
  // One control edited at a time, from the shipped file.
  const std::string shipped = Shipped("event-mapping.json");
  for (const auto& [from, to, error] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {R"("control": "A.2.2")", R"("control": "A.5.1.1")",
            "$.controls[0].control: 'A.5.1.1' where A.2.2 belongs"},
           {R"({"type": "RoleAssigned"})", R"({"type": "RoleGiven"})",
            "$.controls[3].evidence[0].type: 'RoleGiven' is not an event type"},
           {R"("when": "revision")", R"("when": "origin-internal")",
            "'origin-internal' applies to StakeholderFeedbackReceived"},
           {R"("clause": "4.3")", R"("clause": "4.7")",
            "$.clauses[1].clause: '4.7' is not a clause"}}) {
    std::string text = shipped;
    const size_t at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    EXPECT_THAT(iso42001::ParseEventMapping(text, "m.json").status().message(),
                HasSubstr(error));
  }
}

TEST(Iso42001Report, AlwaysTheThirtyEightRowsThenOwnControls) {
  Log log;
  log.Row("x:bias-board", v1::CONTROL_STATUS_IMPLEMENTED, 1);
  log.Row("A.6.2.8", v1::CONTROL_STATUS_IMPLEMENTED, 2);
  const nlohmann::json d = Pack(log);
  ASSERT_EQ(d["soa"].size(), 39u);
  const auto controls = AnnexAControls();
  for (size_t i = 0; i < controls.size(); ++i)
    EXPECT_EQ(d["soa"][i][0], std::string(controls[i].id));
  EXPECT_EQ(d["soa"][38][0], "x:bias-board");
  EXPECT_EQ(d["soa"][38][1], "own control");
  EXPECT_EQ(d["determined"], 1);
  EXPECT_EQ(RowOf(d["soa"], "A.2.2")[2], "not determined");
  EXPECT_EQ(d["status"]["A.2.2"], "not determined");
  EXPECT_EQ(RowOf(d["soa"], "A.6.2.8")[2], "implemented");
  // The own control has no mapped type: declared, not evidenced.
  EXPECT_EQ(d["status"]["x:bias-board"], "declared without evidence");
}

// One log, every status; the three evidence columns kept apart.
class StatusesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log_.Row("A.6.2.8", v1::CONTROL_STATUS_IMPLEMENTED, 100, 180);
    segment_ = Idx(log_.Add(Log::Event("LogSegmentAnchored", 390)));  // fresh
    log_.Row("A.2.2", v1::CONTROL_STATUS_IMPLEMENTED, 100, 90);
    const std::string policy = log_.Add(Log::Event("PolicyPublished", 200));
    log_.Approve(policy, 201);  // 200 days old: outside 90 days
    // A fresh deployment never approved does not count.
    log_.Row("A.6.2.5", v1::CONTROL_STATUS_IMPLEMENTED, 100);
    log_.Add(Log::Event("DeploymentRecorded", 395));
    log_.Row("A.7.4", v1::CONTROL_STATUS_PLANNED, 100);
    log_.Row("A.4.4", v1::CONTROL_STATUS_NOT_APPLICABLE, 100);
    // The author names A.8.3 on a record of a type not mapped to it.
    log_.Row("A.8.3", v1::CONTROL_STATUS_IMPLEMENTED, 100);
    v1::Event notice = Log::Event("NoticePublished", 300);
    notice.add_framework_refs("iso42001:A.8.3");
    claim_ = log_.Add(std::move(notice));
    claim_idx_ = log_.records.size();
    // A.2.3 has no record type: an auditor's acceptance evidences it.
    log_.Row("A.2.3", v1::CONTROL_STATUS_IMPLEMENTED, 100);
    log_.Row("A.3.3", v1::CONTROL_STATUS_IMPLEMENTED, 100);
    Finding("iso42001:A.2.3", 7);
    Finding("iso42001:A.3.3", 8);  // an auditor key the reader did not pin
  }
  void Finding(const std::string& ref, uint8_t auditor) {
    v1::Event f = Log::Event("AuditFinding", 380, "Audit Firm");
    f.mutable_audit_finding()->set_reference(ref);
    f.mutable_audit_finding()->set_classification(v1::FINDING_CLASS_CONFORMITY);
    f.mutable_audit_finding()->add_evidence_event_ids(claim_);
    log_.Add(std::move(f), 0, auditor);
  }
  size_t Idx(const std::string&) const { return log_.records.size(); }
  Log log_;
  std::string claim_;
  size_t segment_ = 0, claim_idx_ = 0;
};

TEST_F(StatusesTest, EachStatusFromItsRecords) {
  const nlohmann::json d = Pack(log_);
  const nlohmann::json& s = d["status"];
  EXPECT_EQ(s["A.6.2.8"], "evidenced");
  EXPECT_EQ(s["A.2.2"], "stale");
  EXPECT_EQ(s["A.6.2.5"], "declared without evidence");  // not approved
  EXPECT_EQ(s["A.7.4"], "missing");
  EXPECT_EQ(s["A.4.4"], "not applicable");
  EXPECT_EQ(s["A.9.4"], "not determined");
  EXPECT_EQ(s["A.8.3"], "declared without evidence");  // a claim only
  EXPECT_EQ(s["A.2.3"], "evidenced");                  // auditor, pinned
  EXPECT_EQ(s["A.3.3"], "declared without evidence");  // auditor not pinned
  EXPECT_THAT(RowOf(d["soa"], "A.2.2")[7].get<std::string>(),
              HasSubstr("before the review period (90 days"));
  const nlohmann::json a83 = RowOf(d["evidence"], "A.8.3");
  EXPECT_EQ(a83[2], "no record");
  EXPECT_EQ(a83[3], "1");
  EXPECT_EQ(RowOf(d["evidence"], "A.2.3")[2], "no record type");
  EXPECT_EQ(RowOf(d["evidence"], "A.2.3")[4], "1 in the period, 0 older");
  EXPECT_EQ(RowOf(d["evidence"], "A.3.3")[4],
            "0 in the period, 0 older, 1 by an auditor key not pinned");
  // Each evidence record is cited, in its own column.
  bool segment_cited = false, claim_cited = false, unapproved = false;
  for (const auto& row : d["evidence_cited"]) {
    const std::string cite = row[2];
    segment_cited |=
        row[0] == "A.6.2.8" && row[1] == "mapped" &&
        cite.rfind(absl::StrCat("idx ", segment_, " · LogSegmentAnchored"),
                   0) == 0;
    claim_cited |=
        row[0] == "A.8.3" && row[1] == "claimed" &&
        cite.rfind(absl::StrCat("idx ", claim_idx_, " · NoticePublished"), 0) ==
            0;
    unapproved |=
        row[0] == "A.6.2.5" && row[1] == "mapped" &&
        row[3].get<std::string>().find("NOT APPROVED") != std::string::npos;
  }
  EXPECT_TRUE(segment_cited);
  EXPECT_TRUE(claim_cited);
  EXPECT_TRUE(unapproved);
}

TEST_F(StatusesTest, FrameworksAreJudgedThroughTheCrosswalk) {
  const nlohmann::json d = Pack(log_);
  EXPECT_EQ(RowOf(d["euaia"], "art12")[2], "evidenced");         // A.6.2.8 only
  EXPECT_EQ(RowOf(d["euaia"], "art19")[2], "partly evidenced");  // + 7.5.3
  EXPECT_EQ(RowOf(d["euaia"], "art4")[2], "not determined");
  EXPECT_EQ(RowOf(d["nist"], "GOVERN-3")[2], "not linked");
  EXPECT_EQ(RowOf(d["framework_iso42001"], "evidenced")[1], "2 (5.3 %)");
  EXPECT_EQ(RowOf(d["framework_iso42001"], "not determined")[1], "30 (78.9 %)");
}

TEST_F(StatusesTest, TheSoaGridHasARowPerControl) {
  auto r = Iso42001Report(log_.records, Verified(), VerifyOptions(),
                          Iso42001Options{kOrg, kAsOf});
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->sections[1].charts.size(), 1u);
  const Chart& grid = r->sections[1].charts[0];
  EXPECT_EQ(grid.kind, Chart::Kind::kGrid);
  ASSERT_EQ(grid.grid.size(), 38u);
  EXPECT_EQ(grid.grid[22].label, "A.6.2.8 AI system recording of event logs");
  EXPECT_EQ(grid.grid[22].cells[0].status, CellStatus::kEvidenced);
  EXPECT_EQ(grid.grid[0].cells[0].status, CellStatus::kStale);  // A.2.2
}

TEST_F(StatusesTest, TheSameLogGivesTheSameBytes) {
  const std::vector<Record> copy = log_.records;  // other addresses
  auto a = Iso42001Report(log_.records, Verified(), VerifyOptions(),
                          Iso42001Options{kOrg, kAsOf});
  auto b = Iso42001Report(copy, Verified(), VerifyOptions(),
                          Iso42001Options{kOrg, kAsOf});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(RenderJson(*a), RenderJson(*b));
  EXPECT_EQ(RenderMarkdown(*a), RenderMarkdown(*b));
  EXPECT_EQ(RenderHtml(*a), RenderHtml(*b));
}

TEST_F(StatusesTest, TheMappingsDigestsAreInTheEnvelope) {
  auto r = Iso42001Report(log_.records, Verified(), VerifyOptions(),
                          Iso42001Options{kOrg, kAsOf});
  ASSERT_TRUE(r.ok()) << r.status();
  for (const char* name : {"event-mapping.json", "crosswalk.json"}) {
    auto bytes = ReadSmallFile(
        absl::StrCat(AILEDGER_DATA_DIR, "/iso42001/", name), 1 << 20);
    ASSERT_TRUE(bytes.ok()) << bytes.status();
    const std::string digest = ToHex(Sha256Of(*bytes));
    bool found = false;
    for (const auto& [what, sha] : r->envelope.reference_data)
      found |=
          what.find(std::string(name) + " version 1") != std::string::npos &&
          sha == digest;
    EXPECT_TRUE(found) << name << " " << digest;
    auto readme = ReadSmallFile(
        absl::StrCat(AILEDGER_DATA_DIR, "/iso42001/README.md"), 1 << 20);
    ASSERT_TRUE(readme.ok()) << readme.status();
    EXPECT_THAT(*readme, HasSubstr(absl::StrCat("| `", name, "` | 1 | `",
                                                digest, "` |")));
  }
}

TEST_F(StatusesTest, AsOfCountsOnlyWhatWasRecordedByThen) {
  // Day 350: the segment (day 390) is not yet recorded.
  EXPECT_EQ(Pack(log_, kT0 + 350 * kDay)["status"]["A.6.2.8"],
            "declared without evidence");
  // A segment that occurred on day 380 but was recorded on day 450.
  Log late;
  late.Row("A.6.2.8", v1::CONTROL_STATUS_IMPLEMENTED, 100, 180);
  late.Add(Log::Event("LogSegmentAnchored", 380), kT0 + 450 * kDay);
  EXPECT_EQ(Pack(late)["status"]["A.6.2.8"], "declared without evidence");
  EXPECT_EQ(Pack(late, kT0 + 451 * kDay)["status"]["A.6.2.8"], "evidenced");
  // A retraction (day 460) counts from the date it was recorded.
  v1::Event retraction = Log::Event("Retraction", 460);
  retraction.mutable_retraction()->set_retracts(
      std::string(AsBytes(late.records[1].event_id)));
  late.Add(std::move(retraction));
  EXPECT_EQ(Pack(late, kT0 + 455 * kDay)["status"]["A.6.2.8"], "evidenced");
  EXPECT_EQ(Pack(late, kT0 + 461 * kDay)["status"]["A.6.2.8"],
            "declared without evidence");
  // Judged at day 600, the day-380 segment is older than 180 days: stale.
  late.records.pop_back();
  EXPECT_EQ(Pack(late, kT0 + 600 * kDay)["status"]["A.6.2.8"], "stale");
  // Before the organisation's first record: nothing to report.
  Iso42001Options o{kOrg, kT0 + 50 * kDay};
  EXPECT_EQ(Iso42001Report(late.records, Verified(), VerifyOptions(), o)
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

// A long list is cut to the newest records, and the rest counted and said.
TEST(Iso42001Report, EvidenceListsAreCutToTheNewest) {
  Log log;
  log.Row("A.6.2.8", v1::CONTROL_STATUS_IMPLEMENTED, 100);
  for (int day = 300; day < 305; ++day)
    log.Add(Log::Event("LogSegmentAnchored", day));  // idx 2 to 6
  for (int day = 306; day < 309; ++day)
    log.Add(Log::Event("ScopeDefined", day));  // idx 7 to 9
  Iso42001Options o{kOrg, kAsOf};
  o.max_listed = 2;
  auto r = Iso42001Report(log.records, Verified(), VerifyOptions(), o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(RowOf(r->data["evidence"], "A.6.2.8")[2],
            "5 in the period, 0 older");
  std::vector<std::string> listed;
  for (const auto& row : r->data["evidence_cited"]) {
    if (row[0] == "A.6.2.8" && row[1] == "mapped")
      listed.push_back(row[2] == "" ? row[3].get<std::string>()
                                    : row[2].get<std::string>().substr(0, 6));
  }
  EXPECT_EQ(listed, (std::vector<std::string>{
                        "idx 5 ", "idx 6 ",
                        "3 more record(s) in the review period not listed: "
                        "the newest 2 are (parameter: evidence listed per "
                        "column)"}));
  std::vector<std::string> scope;
  for (const auto& row : r->data["clause_records"]) {
    if (row[0] == "4.3")
      scope.push_back(row[1].get<std::string>().substr(0, 6));
  }
  EXPECT_EQ(scope, (std::vector<std::string>{"1 olde", "idx 8 ", "idx 9 "}));
}

TEST(Iso42001Report, TheClauseIndexTellsNoRecordTypeFromNoRecord) {
  Log log;
  log.Add(Log::Event("ContextRecorded", 10));
  const nlohmann::json d = Pack(log);
  const auto& clauses = d["clauses"];
  EXPECT_EQ(RowOf(clauses, "4.1")[3], "1");
  EXPECT_THAT(RowOf(clauses, "4.1")[4].get<std::string>(),
              StartsWith("idx 1 · ContextRecorded"));
  EXPECT_EQ(RowOf(clauses, "4.3")[3], "no record");  // ScopeDefined exists
  EXPECT_EQ(RowOf(clauses, "analysis and evaluation of the results", 1)[3],
            "no record type: no record type holds the analysis and evaluation");
}

TEST(Iso42001Report, TheEventLogExtractCitesSegmentsAndGaps) {
  Log log;
  v1::Event dep = Log::Event("DeploymentRecorded", 100);
  dep.mutable_deployment_recorded()->set_environment("production");
  dep.mutable_deployment_recorded()->set_effective_at_ms(kT0 + 100 * kDay);
  dep.add_subjects()->set_kind("system");
  dep.mutable_subjects(dep.subjects_size() - 1)->set_id("credit");
  log.Add(std::move(dep));
  v1::Event seg = Log::Event("LogSegmentAnchored", 160);
  auto* s = seg.mutable_log_segment_anchored();
  s->mutable_period()->set_start_ms(kT0 + 120 * kDay);
  s->mutable_period()->set_end_ms(kT0 + 150 * kDay);
  s->set_retain_until_ms(kT0 + 200 * kDay);  // 50 days: under six months
  seg.add_subjects()->set_kind("system");
  seg.mutable_subjects(seg.subjects_size() - 1)->set_id("credit");
  log.Add(std::move(seg));
  const nlohmann::json d = Pack(log, kT0 + 180 * kDay);
  const nlohmann::json row = RowOf(d["log_segments"], "credit");
  EXPECT_THAT(row[5].get<std::string>(), HasSubstr("LESS than six months"));
  EXPECT_THAT(row[6].get<std::string>(),
              StartsWith("idx 2 · LogSegmentAnchored"));
  const nlohmann::json cov = RowOf(d["log_coverage"], "credit");
  EXPECT_EQ(cov[2],
            "UNCOVERED 2025-04-11 to 2025-05-01 (20 d); 2025-05-31 to "
            "2025-06-30 (30 d)");
  EXPECT_THAT(cov[3].get<std::string>(),
              StartsWith("idx 1 · DeploymentRecorded"));
}

TEST(Iso42001Report, IncidentCommunicationsAreJudgedAgainstThePlan) {
  Log log;
  v1::Event plan = Log::Event("IncidentCommunicationPlan", 5);
  auto* p = plan.mutable_incident_communication_plan();
  p->clear_commitments();
  for (auto [audience, hours] : {std::pair{v1::AUDIENCE_DEPLOYER, 24u},
                                 std::pair{v1::AUDIENCE_USERS, 72u}}) {
    auto* c = p->add_commitments();
    c->set_audience(audience);
    c->set_within_hours(hours);
  }
  log.Add(std::move(plan));
  v1::Event inc = NewEvent("IncidentReported", kOrg, kT0 + 10 * kDay);
  *inc.mutable_incident_reported() = ExampleIncidentReported(kT0 + 10 * kDay);
  const std::string incident = log.Add(std::move(inc));
  v1::Event told = Log::Event("IncidentCommunicated", 12);
  told.mutable_incident_communicated()->set_incident_event_id(incident);
  told.mutable_incident_communicated()->set_audience(v1::AUDIENCE_DEPLOYER);
  told.mutable_incident_communicated()->set_sent_at_ms(kT0 + 10 * kDay +
                                                       30 * 3'600'000LL);
  log.Add(std::move(told));
  v1::Event authority = Log::Event("RegulatorNotificationSent", 11);
  authority.mutable_regulator_notification()->set_incident_event_id(incident);
  log.Add(std::move(authority));
  v1::Event other = Log::Event("IncidentCommunicated", 12);  // another incident
  other.mutable_incident_communicated()->set_incident_event_id("elsewhere");
  log.Add(std::move(other));
  const nlohmann::json rows = Pack(log)["incident_communications"];
  ASSERT_EQ(rows.size(), 4u) << rows;  // aware, deployer, authority, users
  EXPECT_THAT(rows[0][5].get<std::string>(),
              StartsWith("idx 2 · IncidentReported"));
  EXPECT_EQ(rows[1][1], "deployer");
  EXPECT_EQ(rows[1][2], "within 24 h");
  EXPECT_EQ(rows[1][4], "MISSED by 6 h");
  EXPECT_THAT(rows[1][5].get<std::string>(),
              StartsWith("idx 3 · IncidentCommunicated"));
  EXPECT_THAT(rows[2][1].get<std::string>(), StartsWith("authority "));
  EXPECT_THAT(rows[2][5].get<std::string>(),
              StartsWith("idx 4 · RegulatorNotificationSent"));
  EXPECT_EQ(rows[3][1], "users");
  EXPECT_THAT(rows[3][4].get<std::string>(), StartsWith("NOT SENT: due"));
}

// 9.3.2 (a)-(e) over the year from day 100: the previous review's outputs,
// an overdue corrective action, a changed context, a nonconformity trend and
// an auditor's opportunity, each cited.
TEST(Iso42001Review, TheInputsCiteTheirRecords) {
  Log log;
  v1::Event review = Log::Event("ManagementReviewHeld", 50);
  review.mutable_management_review_held()->clear_outputs();
  review.mutable_management_review_held()->add_outputs("hire an auditor");
  log.Add(std::move(review));
  v1::Event action = Log::Event("CorrectiveActionRecorded", 60);
  action.mutable_corrective_action_recorded()->set_action("retrain");
  action.mutable_corrective_action_recorded()->set_due_ms(kT0 + 120 * kDay);
  log.Add(std::move(action));
  for (auto [day, issues] :
       {std::pair{20, std::vector<std::string>{"rates"}},
        std::pair{200, std::vector<std::string>{"rates", "AI Act"}}}) {
    v1::Event c = Log::Event("ContextRecorded", day);
    c.mutable_context_recorded()->clear_external_issues();
    for (const std::string& i : issues)
      c.mutable_context_recorded()->add_external_issues(i);
    log.Add(std::move(c));
  }
  log.Add(Log::Event("NonconformityRaised", 30));   // the previous period
  log.Add(Log::Event("NonconformityRaised", 150));  // the period
  v1::Event audit = Log::Event("AuditStarted", 290, "Audit Firm");
  audit.mutable_audit_started()->set_auditee(kOrg);
  audit.add_subjects()->set_kind("audit");
  audit.mutable_subjects(audit.subjects_size() - 1)->set_id("AUD-1");
  log.Add(std::move(audit), 0, 7);
  v1::Event f = Log::Event("AuditFinding", 300, "Audit Firm");
  f.mutable_audit_finding()->set_classification(v1::FINDING_CLASS_OPPORTUNITY);
  f.mutable_audit_finding()->set_statement("automate the drift check");
  f.add_subjects()->set_kind("audit");
  f.mutable_subjects(f.subjects_size() - 1)->set_id("AUD-1");
  log.Add(std::move(f), 0, 7);
  log.Add(Log::Event("ScopeDefined", 500));  // after the period: not counted

  const Section s = ManagementReviewInputs(
      log.records, {kOrg, kT0 + 100 * kDay, kT0 + 465 * kDay});
  ASSERT_EQ(s.tables.size(), 1u);
  auto has = [&](const std::string& input, const std::string& what,
                 const std::string& cite) {
    for (const auto& row : s.tables[0].rows) {
      if (row[0] == input && row[1].find(what) != std::string::npos &&
          row[2].rfind(cite, 0) == 0)
        return true;
    }
    return false;
  };
  EXPECT_TRUE(
      has("a", "its outputs: hire an auditor", "idx 1 · ManagementReviewHeld"));
  EXPECT_TRUE(has("a", "corrective action 'retrain': OVERDUE since 2025-05-01",
                  "idx 2 · CorrectiveActionRecorded"));
  EXPECT_TRUE(has("b", "external issues added: AI Act; removed: -",
                  "idx 4 · ContextRecorded"));
  EXPECT_TRUE(has("d",
                  "nonconformities raised: 1 in the period, 1 in the "
                  "previous period",
                  ""));
  EXPECT_TRUE(has("d", "in the period", "idx 6 · NonconformityRaised"));
  EXPECT_TRUE(
      has("d", "in the previous period", "idx 5 · NonconformityRaised"));
  EXPECT_TRUE(has("e", "auditor's opportunity", "idx 8 · AuditFinding"));
  EXPECT_FALSE(has("b", "scope changed", ""));
}

}  // namespace
}  // namespace ailedger::reports
