// The system factsheet (reports/system_report.h) over an in-memory log of
// vocabulary v2 events about one system, with a second system beside it.
#include "reports/system_report.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ailedger::reports {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr int64_t kDay = 86'400'000;
constexpr int64_t kStart = 1'735'689'600'000;  // 2025-01-01
constexpr char kHostile[] =
    "<script>alert(1)</script> & \"q\" | `x` *y*\n# heading";

class Log {
 public:
  // An event about `system` (none when empty), occurring `day` days in.
  v1::Event Ev(const std::string& type, const std::string& system,
               int day) const {
    v1::Event e;
    e.set_event_type(type);
    e.set_schema_version(2);
    e.set_organisation("Acme AI");
    if (!system.empty()) {
      auto* s = e.add_subjects();
      s->set_kind("system");
      s->set_id(system);
    }
    e.set_occurred_at_ms(kStart + day * kDay);
    return e;
  }

  const Record& Add(v1::Event e, uint8_t signer = 1) {
    Record r;
    r.index = records_.size();
    r.integrated_time_ms = e.occurred_at_ms() + 3'600'000;
    r.event_id.fill(static_cast<uint8_t>(r.index + 1));
    r.event_id[0] = 0xAB;
    r.signer.fill(signer);
    r.event = std::move(e);
    records_.push_back(std::move(r));
    return records_.back();
  }

  std::string Id(size_t index) const {
    return std::string(AsBytes(records_[index].event_id));
  }
  const std::vector<Record>& records() const { return records_; }

 private:
  std::vector<Record> records_;
};

void AddCell(v1::SensitiveFeature* f, const std::string& group, int tp, int fp,
             int tn, int fn) {
  auto* c = f->add_cells();
  c->add_group(group);
  c->set_tp(tp);
  c->set_fp(fp);
  c->set_tn(tn);
  c->set_fn(fn);
}

v1::Event Snapshot(const Log& log, int day, const std::string& version,
                   const std::string& plan_id) {
  v1::Event e = log.Ev("FairnessSnapshot", "credit", day);
  auto* f = e.mutable_fairness_snapshot();
  f->set_model_version(version);
  f->set_positive_is_favourable(true);
  f->mutable_decision_window()->set_start_ms(kStart + (day - 30) * kDay);
  f->mutable_decision_window()->set_end_ms(kStart + day * kDay);
  auto* age = f->add_features();
  age->set_name("age");
  age->set_reference_group("young");
  AddCell(age, "young", 40, 10, 40, 10);  // selection rate 0.5
  AddCell(age, "old", 20, 10, 60, 10);    // 0.3: ratio 0.6
  if (!plan_id.empty()) {
    f->set_plan_event_id(plan_id);
    f->set_plan_metric_id("fairlearn:demographic_parity_ratio");
  }
  return e;
}

v1::Event Approval(const Log& log, size_t approves, v1::Decision d,
                   const std::string& conditions, int day) {
  v1::Event e = log.Ev("Approval", "", day);
  e.mutable_approval()->set_approves(log.Id(approves));
  e.mutable_approval()->set_decision(d);
  e.mutable_approval()->set_authority("release board");
  e.mutable_approval()->set_conditions(conditions);
  return e;
}

v1::Event OnIncident(v1::Event e) {
  auto* s = e.add_subjects();
  s->set_kind("incident");
  s->set_id("INC-1");
  return e;
}

// The constructed log; indices are named in the tests.
Log BuildLog() {
  Log log;
  {  // 0
    v1::Event e = log.Ev("SystemRegistered", "credit", 0);
    auto* s = e.mutable_system_registered();
    s->set_name(kHostile);
    s->set_intended_purpose("recommend credit limits");
    s->set_provider("Acme AI");
    s->add_deployers("Bank AG");
    s->set_eu_role(v1::EU_ROLE_PROVIDER);
    s->set_risk_class(v1::RISK_CLASS_HIGH);
    s->set_annex_iii_point("5(b)");
    s->add_jurisdictions("DE");
    s->set_owner("Dr. Owner");
    log.Add(e);
  }
  {  // 1, 2
    v1::Event e = log.Ev("ModelVersionReleased", "credit", 1);
    e.mutable_model_version_released()->set_version("1.0");
    log.Add(e);
    log.Add(Approval(log, 1, v1::DECISION_APPROVE, "", 2), 9);
  }
  {  // 3
    v1::Event e = log.Ev("DeploymentRecorded", "credit", 3);
    e.mutable_deployment_recorded()->set_version("1.0");
    e.mutable_deployment_recorded()->set_deployer("Bank AG");
    e.mutable_deployment_recorded()->set_environment("production");
    log.Add(e);
  }
  {  // 4, then 5 correcting it
    v1::Event e = log.Ev("ModelVersionReleased", "credit", 10);
    auto* m = e.mutable_model_version_released();
    m->set_version("1.1");
    m->set_previous_version("1.0");
    m->set_substantial_modification(true);
    m->set_modification_rationale("new features");
    log.Add(e);
    e.set_supersedes(log.Id(4));
    e.set_supersedes_reason("wrong artifact digest");
    log.Add(e);
  }
  {  // 6
    v1::Event e = log.Ev("ImpactAssessmentRecorded", "credit", 11);
    auto* a = e.mutable_impact_assessment_recorded();
    a->set_framework("ca-dadm:aia");
    a->set_survey_version("1.0.1");
    a->mutable_claimed()->set_level(2);
    a->set_next_review_ms(kStart + 400 * kDay);
    log.Add(e);
  }
  {  // 7
    v1::Event e = log.Ev("RiskAssessed", "credit", 12);
    e.mutable_risk_assessed()->set_description("older applicants");
    e.mutable_risk_assessed()->set_likelihood("possible");
    e.mutable_risk_assessed()->set_severity("major");
    log.Add(e);
  }
  {  // 8
    v1::Event e = log.Ev("MonitoringPlan", "credit", 13);
    auto* m = e.mutable_monitoring_plan()->add_metrics();
    m->set_name("selection-rate ratio");
    m->set_event_type("FairnessSnapshot");
    m->set_metric_id("fairlearn:demographic_parity_ratio");
    m->set_threshold(0.8);
    m->set_comparison("at least");
    m->set_min_cell_count(10);
    m->set_comparator(v1::COMPARATOR_HIGHEST_GROUP);
    m->set_cadence_days(92);
    m = e.mutable_monitoring_plan()->add_metrics();
    m->set_name("appeals upheld");
    m->set_event_type("SocietalMetricRecorded");
    m->set_metric_id("acme:appeals_upheld_pct");
    m->set_threshold(5);
    m->set_comparison("at most");
    m = e.mutable_monitoring_plan()->add_metrics();
    m->set_name("mean limit by sex");
    m->set_event_type("GroupMetricSnapshot");
    m->set_metric_id("acme:never_measured");
    log.Add(e);
  }
  log.Add(Snapshot(log, 40, "1.0", log.Id(8)));  // 9
  {                                              // 10
    v1::Event e = log.Ev("SocietalMetricRecorded", "credit", 41);
    e.mutable_societal_metric()->set_name("appeals upheld");
    e.mutable_societal_metric()->set_unit("%");
    e.mutable_societal_metric()->set_value(3.0);
    log.Add(e);
  }
  log.Add(Snapshot(log, 42, "2.0", ""));  // 11: a version never released
  {                                       // 12 to 15: an incident
    v1::Event e = OnIncident(log.Ev("IncidentReported", "credit", 50));
    auto* i = e.mutable_incident_reported();
    i->set_severity(v1::SEVERITY_SERIOUS);
    i->set_art3_49_category("c");
    i->add_harm_types("economic");
    i->set_aware_at_ms(kStart + 50 * kDay);
    log.Add(e);
    e = OnIncident(log.Ev("IncidentUpdated", "", 51));
    e.mutable_incident_updated()->set_update("root cause found");
    log.Add(e);
    e = OnIncident(log.Ev("RegulatorNotificationSent", "", 52));
    auto* n = e.mutable_regulator_notification();
    n->set_authority("BNetzA");
    n->set_member_state("DE");
    n->set_kind(v1::NOTIFICATION_KIND_INITIAL);
    n->set_incident_event_id(log.Id(12));
    log.Add(e);
    e = OnIncident(log.Ev("IncidentClosed", "", 60));
    e.mutable_incident_closed()->set_resolution("limits recalculated");
    log.Add(e);
  }
  {  // 16 to 18: an audit whose finding rests on snapshot 9
    v1::Event e = log.Ev("AuditStarted", "", 70);
    auto* s = e.add_subjects();
    s->set_kind("audit");
    s->set_id("A-1");
    e.mutable_audit_started()->set_scope("A.6");
    log.Add(e);
    v1::Event f = e;
    f.set_event_type("AuditFinding");
    f.mutable_audit_finding()->set_statement("ratio below 0.8");
    f.mutable_audit_finding()->set_classification(
        v1::FINDING_CLASS_MINOR_NONCONFORMITY);
    f.mutable_audit_finding()->add_evidence_event_ids(log.Id(9));
    log.Add(f);
    v1::Event c = e;
    c.set_event_type("AuditClosed");
    c.mutable_audit_closed()->set_conclusion("one minor finding");
    log.Add(c);
  }
  log.Add(Approval(log, 6, v1::DECISION_APPROVE_WITH_CONDITIONS,
                   "redo after the next release", 80),
          9);  // 19
  {            // 20: awaiting approval
    v1::Event e = log.Ev("DeploymentRecorded", "credit", 90);
    e.mutable_deployment_recorded()->set_version("1.1");
    e.mutable_deployment_recorded()->set_deployer("Bank AG");
    e.mutable_deployment_recorded()->set_environment("production");
    log.Add(e);
  }
  {  // 21: retracts the societal measurement
    v1::Event e = log.Ev("Retraction", "", 91);
    e.mutable_retraction()->set_retracts(log.Id(10));
    e.mutable_retraction()->set_reason("wrong population");
    log.Add(e);
  }
  {  // 22, 23: another system
    v1::Event e = log.Ev("SystemRegistered", "other", 92);
    e.mutable_system_registered()->set_name("Other");
    log.Add(e);
    v1::Event s = Snapshot(log, 93, "9.9", "");
    s.mutable_subjects(0)->set_id("other");
    log.Add(s);
  }
  {  // 24, 25
    v1::Event e = log.Ev("SystemDecommissioned", "credit", 100);
    e.mutable_system_decommissioned()->set_reason("replaced");
    e.mutable_system_decommissioned()->set_successor_system("credit-v2");
    log.Add(e);
    e = log.Ev("HumanOverrideLogged", "credit", 101);
    e.mutable_human_override_logged()->set_model_version("1.1");
    log.Add(e);
  }
  return log;
}

VerifyReport Verified(const Log& log) {
  VerifyReport v;
  v.verified = true;
  v.origin = "example.org/log";
  v.to = log.records().size();
  v.checkpoint_size = v.to;
  v.roster_complete = true;
  SignerSummary approver;
  approver.key.fill(9);
  approver.name = "Ann Approver";
  approver.organisation = "Acme AI";
  v.signers.push_back(approver);
  v.pending_approvals = {{20, "DeploymentRecorded"}, {22, "Other"}};
  return v;
}

const Section& Find(const Report& r, const std::string& title) {
  for (const Section& s : r.sections) {
    if (absl::StartsWith(s.title, title)) return s;
  }
  ADD_FAILURE() << "no section " << title;
  static const Section kNone;
  return kNone;
}

// The table of `s` whose first column is `first`.
const Table& TableOf(const Section& s, const std::string& first) {
  for (const Table& t : s.tables) {
    if (!t.header.empty() && t.header[0] == first) return t;
  }
  ADD_FAILURE() << "no table starting " << first << " in " << s.title;
  static const Table kNone;
  return kNone;
}

// The index cited by a row's last cell ("idx N · ...").
std::vector<std::string> Cited(const Table& t) {
  std::vector<std::string> out;
  for (const auto& row : t.rows) {
    const std::string& e = row.back();
    out.push_back(e.substr(0, e.find(" · ")));
  }
  return out;
}

class SystemReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = SystemReport(log_.records(), Verified(log_), {}, "credit");
    ASSERT_TRUE(r.ok()) << r.status();
    report_ = *r;
  }
  Log log_ = BuildLog();
  Report report_;
};

TEST(SystemReport, UnknownSystemIsNotFound) {
  const Log log = BuildLog();
  auto r = SystemReport(log.records(), Verified(log), {}, "nope");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(r.status().message(), HasSubstr("'nope'"));
  // Records about a system are not its registration.
  Log only;
  only.Add(Snapshot(only, 1, "1.0", ""));
  EXPECT_EQ(SystemReport(only.records(), Verified(only), {}, "credit")
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

// A corrected registration, a rejected release, a roll-back and a group
// metric (standardised mean difference) against its plan.
TEST(SystemReport, CorrectionsRejectionsRollbacksAndGroupMetrics) {
  Log log;
  v1::Event reg = log.Ev("SystemRegistered", "credit", 0);
  reg.mutable_system_registered()->set_name("first name");
  log.Add(reg);  // 0
  reg.mutable_system_registered()->set_name("corrected name");
  reg.set_supersedes(log.Id(0));
  reg.set_supersedes_reason("typo");
  log.Add(reg);  // 1
  v1::Event rel = log.Ev("ModelVersionReleased", "credit", 1);
  rel.mutable_model_version_released()->set_version("1.0");
  log.Add(rel);  // 2
  rel.mutable_model_version_released()->set_version("1.1");
  log.Add(rel);                                              // 3
  log.Add(Approval(log, 3, v1::DECISION_REJECT, "", 2), 9);  // 4
  v1::Event back = log.Ev("RolledBack", "credit", 3);
  back.mutable_rolled_back()->set_from_version("1.1");
  back.mutable_rolled_back()->set_to_version("1.0");
  back.mutable_rolled_back()->set_environment("production");
  back.mutable_rolled_back()->set_reason("rejected");
  log.Add(back);  // 5
  v1::Event plan = log.Ev("MonitoringPlan", "credit", 4);
  auto* m = plan.mutable_monitoring_plan()->add_metrics();
  m->set_event_type("GroupMetricSnapshot");
  m->set_metric_id("acme:standardised_mean_difference");
  m->set_threshold(0.2);
  m->set_comparison("at most");
  m->set_min_cell_count(50);
  log.Add(plan);  // 6
  v1::Event g = log.Ev("GroupMetricSnapshot", "credit", 5);
  auto* gm = g.mutable_group_metric_snapshot();
  gm->set_model_version("1.0");
  gm->set_reference_group("male");
  gm->set_plan_event_id(log.Id(6));
  gm->set_plan_metric_id("acme:standardised_mean_difference");
  // Means 10 and 9, sample SD 2 each: d = 0.5.
  auto* male = gm->add_groups();
  male->set_group("male");
  male->set_n(100);
  male->set_sum(1000);
  male->set_sum_of_squares(10396);
  auto* female = gm->add_groups();
  female->set_group("female");
  female->set_n(100);
  female->set_sum(900);
  female->set_sum_of_squares(8496);
  log.Add(g);  // 7

  VerifyReport v = Verified(log);
  v.pending_approvals = {{2, "ModelVersionReleased"}};
  v.rejected = {{3, "ModelVersionReleased"}};
  auto r = SystemReport(log.records(), v, {}, "credit");
  ASSERT_TRUE(r.ok()) << r.status();

  const Section& id = Find(*r, "Identity");
  EXPECT_EQ(id.tables[0].rows[0][1], "corrected name");
  EXPECT_THAT(id.tables[0].rows[0].back(), StartsWith("idx 1 ·"));
  ASSERT_EQ(id.paragraphs.size(), 1u);
  EXPECT_THAT(id.paragraphs[0], HasSubstr("SUPERSEDED by idx 1: typo"));

  const Section& versions = Find(*r, "Model versions");
  const Table& back_rows = TableOf(versions, "from");
  ASSERT_EQ(back_rows.rows.size(), 1u);
  EXPECT_EQ(back_rows.rows[0][3], "rejected");

  const Section& approvals = Find(*r, "Approvals");
  EXPECT_EQ(approvals.tables[0].rows[0][2], "REJECT");
  EXPECT_EQ(Cited(approvals.tables[1]),
            (std::vector<std::string>{"idx 2", "idx 3"}));
  EXPECT_EQ(approvals.tables[1].rows[1][1], "REJECTED");

  const Table& metrics = Find(*r, "Metrics").tables[0];
  ASSERT_EQ(metrics.rows.size(), 1u);
  EXPECT_EQ(metrics.rows[0][2], "0.5000");
  EXPECT_EQ(metrics.rows[0][3], "at most 0.2");
  EXPECT_EQ(metrics.rows[0][4], "yes");
}

TEST_F(SystemReportTest, KindTitleAndIdentity) {
  EXPECT_EQ(report_.kind, "system-factsheet");
  EXPECT_EQ(report_.title, "System factsheet: credit");
  const Table& t = Find(report_, "Identity").tables[0];
  ASSERT_GE(t.rows.size(), 13u);
  EXPECT_EQ(t.rows[0][0], "name");
  EXPECT_EQ(t.rows[0][1], kHostile);    // unchanged: escaping is the renderer's
  EXPECT_EQ(t.rows[4][1], "provider");  // EU role
  EXPECT_EQ(t.rows[5][1], "high");
  EXPECT_EQ(t.rows[6][1], "5(b)");
  EXPECT_THAT(t.rows[0].back(), StartsWith("idx 0 · SystemRegistered"));
  EXPECT_EQ(t.rows.back()[0], "successor system");
  EXPECT_THAT(t.rows.back()[1], StartsWith("credit-v2"));
  EXPECT_EQ(report_.data["identity"]["name"], kHostile);
}

TEST_F(SystemReportTest, LifecycleInLogOrder) {
  const Table& t = Find(report_, "Lifecycle").tables[0];
  EXPECT_EQ(Cited(t),
            (std::vector<std::string>{"idx 0", "idx 1", "idx 3", "idx 4",
                                      "idx 5", "idx 20", "idx 24"}));
  EXPECT_THAT(t.rows[3][3], StartsWith("SUPERSEDED by idx 5"));
}

TEST_F(SystemReportTest, SupersededReleaseAndNeverReleasedVersion) {
  const Section& s = Find(report_, "Model versions");
  const Table& releases = TableOf(s, "version");
  EXPECT_EQ(Cited(releases),
            (std::vector<std::string>{"idx 1", "idx 4", "idx 5"}));
  EXPECT_EQ(releases.rows[1][3], "SUPERSEDED by idx 5: wrong artifact digest");
  EXPECT_EQ(releases.rows[2][3], "current");
  EXPECT_EQ(releases.rows[2][2], "yes: new features");
  ASSERT_EQ(s.tables.size(), 2u);  // no roll-back: no empty table
  EXPECT_THAT(s.paragraphs,
              testing::Contains("No roll-back of the system is on this log."));
  const Table& never = s.tables[1];
  ASSERT_EQ(never.rows.size(), 1u);
  EXPECT_EQ(never.rows[0][0], "2.0");
  EXPECT_EQ(never.rows[0][1], "FairnessSnapshot idx 11");
  EXPECT_THAT(never.rows[0][2], StartsWith("NAMED BUT NEVER RELEASED"));
  EXPECT_EQ(report_.data["versions"]["never_released"][0]["indices"][0], 11);
}

TEST_F(SystemReportTest, Assessments) {
  const Table& t = Find(report_, "Assessments").tables[0];
  EXPECT_EQ(Cited(t), (std::vector<std::string>{"idx 6", "idx 7"}));
  EXPECT_EQ(t.rows[0][3], "level II");
  EXPECT_EQ(t.rows[1][2],
            "older applicants; likelihood possible, severity "
            "major");
}

TEST_F(SystemReportTest, MetricsAgainstThePlan) {
  const Section& s = Find(report_, "Metrics");
  const Table& latest = s.tables[0];
  ASSERT_EQ(latest.rows.size(), 3u);  // keys in sorted order
  EXPECT_EQ(latest.rows[0][0],
            "FairnessSnapshot: demographic parity ratio (no plan metric)");
  EXPECT_EQ(latest.rows[0][2], "0.6000");
  EXPECT_EQ(latest.rows[0][4], "no threshold");
  EXPECT_EQ(latest.rows[1][0], "acme:appeals_upheld_pct");
  EXPECT_EQ(latest.rows[1][1], "0 / 1");  // retracted
  EXPECT_EQ(latest.rows[2][0], "fairlearn:demographic_parity_ratio");
  EXPECT_EQ(latest.rows[2][1], "1 / 1");
  EXPECT_EQ(latest.rows[2][2], "0.6000");
  EXPECT_EQ(latest.rows[2][3], "at least 0.8");
  EXPECT_EQ(latest.rows[2][4], "yes");
  EXPECT_THAT(latest.rows[2][5], StartsWith("idx 9 · FairnessSnapshot"));
  const Table& every = s.tables[1];
  EXPECT_EQ(Cited(every),
            (std::vector<std::string>{"idx 11", "idx 10", "idx 9"}));
  EXPECT_EQ(every.rows[1][4], "RETRACTED by idx 21: wrong population");
  ASSERT_EQ(s.charts.size(), 2u);
  EXPECT_EQ(s.charts[1].thresholds[0].y, 0.8);
  EXPECT_TRUE(s.charts[1].series[0].points[0].breach);
  const auto& j = report_.data["metrics"][2];
  EXPECT_EQ(j["latest_index"], 9);
  EXPECT_EQ(j["breach"], "yes");
  EXPECT_DOUBLE_EQ(j["value"].get<double>(), 0.6);
}

TEST_F(SystemReportTest, Incidents) {
  const Section& s = Find(report_, "Incidents");
  ASSERT_EQ(s.tables.size(), 2u);
  const Table& summary = s.tables[0];
  ASSERT_EQ(summary.rows.size(), 1u);
  EXPECT_EQ(summary.rows[0][0], "INC-1");
  EXPECT_EQ(summary.rows[0][1], "serious");
  EXPECT_EQ(summary.rows[0][4], "1 / 0");
  EXPECT_EQ(summary.rows[0][6], "yes, idx 15");
  EXPECT_EQ(Cited(s.tables[1]),
            (std::vector<std::string>{"idx 12", "idx 13", "idx 14", "idx 15"}));
}

TEST_F(SystemReportTest, ApprovalsPendingAndConditions) {
  const Section& s = Find(report_, "Approvals");
  const Table& t = s.tables[0];
  EXPECT_EQ(Cited(t), (std::vector<std::string>{"idx 2", "idx 19"}));
  EXPECT_EQ(t.rows[0][0], "ModelVersionReleased idx 1");
  EXPECT_EQ(t.rows[0][1], "Ann Approver (Acme AI)");
  EXPECT_EQ(t.rows[1][2], "approve with conditions");
  EXPECT_EQ(t.rows[1][4], "redo after the next release");
  ASSERT_EQ(s.tables.size(), 2u);
  ASSERT_EQ(s.tables[1].rows.size(), 1u);  // not 22: another system's
  EXPECT_EQ(s.tables[1].rows[0][0], "DeploymentRecorded idx 20");
  EXPECT_EQ(s.tables[1].rows[0][1], "AWAITING APPROVAL");
}

TEST_F(SystemReportTest, AuditsTiedByTheirFindings) {
  const Table& t = Find(report_, "Audits").tables[0];
  EXPECT_EQ(Cited(t), (std::vector<std::string>{"idx 16", "idx 17", "idx 18"}));
  EXPECT_EQ(t.rows[1][0], "A-1");
}

TEST_F(SystemReportTest, Completeness) {
  const Section& s = Find(report_, "Completeness");
  std::vector<std::string> lines;
  for (const auto& row : s.tables[0].rows)
    lines.push_back(row[0] + ": " + row[1]);
  const auto has = [&](const std::string& line) {
    return std::find(lines.begin(), lines.end(), line) != lines.end();
  };
  EXPECT_TRUE(has("test report (Annex IV 2(g)): no record"));
  EXPECT_TRUE(has("privacy assessment (DPIA or PIA): no record"));
  EXPECT_TRUE(has("instructions for use (Art. 13): no record type"));
  EXPECT_FALSE(has("impact assessment: no record"));
  EXPECT_TRUE(
      has("measurement of acme:never_measured: no record: planned, "
          "never measured"));
  EXPECT_TRUE(
      has("measurement of acme:appeals_upheld_pct: no record: "
          "planned, never measured"));
  EXPECT_TRUE(
      has("release of version 2.0: no record: named but never "
          "released"));
  EXPECT_TRUE(has("complete Art. 73 report of incident INC-1: no record"));
  EXPECT_TRUE(has("approval of DeploymentRecorded idx 20: AWAITING APPROVAL"));
  EXPECT_TRUE(
      has("after decommissioning: HumanOverrideLogged recorded after "
          "the decommissioning (idx 24)"));
  ASSERT_EQ(s.tables.size(), 2u);
  EXPECT_EQ(Cited(s.tables[1]), (std::vector<std::string>{"idx 4", "idx 10"}));
}

TEST_F(SystemReportTest, SameInputSameBytes) {
  auto again = SystemReport(log_.records(), Verified(log_), {}, "credit");
  ASSERT_TRUE(again.ok());
  const std::string json = RenderJson(report_);
  EXPECT_EQ(json, RenderJson(*again));
  EXPECT_EQ(RenderMarkdown(report_), RenderMarkdown(*again));
  EXPECT_EQ(RenderHtml(report_), RenderHtml(*again));
  // Escaping is the renderer's: the model holds the text as logged.
  EXPECT_THAT(RenderHtml(report_), Not(HasSubstr("<script>")));
  EXPECT_THAT(json, HasSubstr("system-factsheet"));
}

}  // namespace
}  // namespace ailedger::reports
