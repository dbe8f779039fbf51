// The annual impact report (reports/annual_report.h) over in-memory logs of
// vocabulary v2 events: what it finds missing, how it counts complaints,
// incidents, audits and partners, that its lists are bounded and that its
// verification appendix names the commands.
#include "reports/annual_report.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ailedger::reports {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kDay = 86'400'000;
constexpr int64_t kStart = 1'735'689'600'000;  // 2025-01-01
constexpr char kOrg[] = "Acme AI";

class Log {
 public:
  // An event of `org` about `system` (none when empty), `day` days into 2025.
  static v1::Event Ev(const std::string& type, const std::string& system,
                      int day, const std::string& org = kOrg) {
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

  // Appends `e`, recorded `lag_days` after it occurred; its event id.
  std::string Add(v1::Event e, int lag_days = 0) {
    Record r;
    r.index = records_.size() + 1;
    r.integrated_time_ms = e.occurred_at_ms() + lag_days * kDay + 60'000;
    for (int i = 0; i < 8; ++i) r.event_id[i] = (r.index >> (8 * i)) & 0xFF;
    r.event_id[31] = 0xAB;
    r.signer.fill(1);
    r.event = std::move(e);
    records_.push_back(std::move(r));
    return std::string(AsBytes(records_.back().event_id));
  }
  std::string Approve(const std::string& id, int day,
                      v1::Decision d = v1::DECISION_APPROVE,
                      const std::string& conditions = "") {
    v1::Event e = Ev("Approval", "", day);
    e.mutable_approval()->set_approves(id);
    e.mutable_approval()->set_decision(d);
    e.mutable_approval()->set_authority("board");
    e.mutable_approval()->set_conditions(conditions);
    return Add(std::move(e));
  }
  void Register(const std::string& system, int day) {
    v1::Event e = Ev("SystemRegistered", system, day);
    e.mutable_system_registered()->set_name(system + " name");
    e.mutable_system_registered()->set_provider(kOrg);
    e.mutable_system_registered()->set_risk_class(v1::RISK_CLASS_HIGH);
    Add(std::move(e));
  }
  const std::vector<Record>& records() const { return records_; }
  const Record& last() const { return records_.back(); }

 private:
  std::vector<Record> records_;
};

VerifyReport Verified(const Log& log) {
  VerifyReport v;
  v.verified = true;
  v.origin = "test.example/log";
  v.to = v.checkpoint_size = log.records().size() + 1;
  v.roster_complete = true;
  return v;
}

absl::StatusOr<Report> Annual(const Log& log, int year = 2025) {
  AnnualOptions a;
  a.organisation = kOrg;
  a.year = year;
  return AnnualReport(log.records(), Verified(log), VerifyOptions{}, a);
}

const Section& Find(const Report& r, const std::string& title) {
  for (const Section& s : r.sections)
    if (absl::StartsWith(s.title, title)) return s;
  static const Section none;
  ADD_FAILURE() << "no section " << title;
  return none;
}

// The rows of a section, each joined with " | ", then its paragraphs.
std::vector<std::string> Lines(const Section& s) {
  std::vector<std::string> out;
  for (const Table& t : s.tables)
    for (const auto& row : t.rows) out.push_back(absl::StrJoin(row, " | "));
  for (const std::string& p : s.paragraphs) out.push_back(p);
  return out;
}

::testing::Matcher<std::vector<std::string>> Line(
    std::vector<std::string> parts) {
  std::vector<::testing::Matcher<std::string>> all;
  for (std::string& p : parts) all.push_back(HasSubstr(p));
  return ::testing::Contains(::testing::AllOfArray(all));
}

// One of each expected record, missing: a cadence gap, a review past due, a
// corrective action past due, an open condition, a planned audit not held,
// log segments short of their cadence, a serious incident's complete Art. 73
// report, a deployment's approval, a version never released, an objective
// never evaluated. Each row cites the record that made it expected.
TEST(AnnualReportTest, ExpectedRecordsThatAreMissingAreListed) {
  Log log;
  log.Register("credit", -30);
  v1::Event plan = Log::Ev("MonitoringPlan", "credit", 0);
  auto* m = plan.mutable_monitoring_plan()->add_metrics();
  m->set_name("parity");
  m->set_event_type("FairnessSnapshot");
  m->set_metric_id("fairlearn:demographic_parity_ratio");
  m->set_cadence_days(30);
  log.Add(plan);
  for (int day : {10, 100}) {
    v1::Event f = Log::Ev("FairnessSnapshot", "credit", day);
    f.mutable_fairness_snapshot()->set_model_version("1.0");
    f.mutable_fairness_snapshot()->set_plan_metric_id(
        "fairlearn:demographic_parity_ratio");
    log.Add(f);
  }
  v1::Event rel = Log::Ev("ModelVersionReleased", "credit", 1);
  rel.mutable_model_version_released()->set_version("1.0");
  log.Approve(log.Add(rel), 1);
  v1::Event dep = Log::Ev("DeploymentRecorded", "credit", 2);
  dep.mutable_deployment_recorded()->set_version("0.9");  // never released
  dep.mutable_deployment_recorded()->set_environment("production");
  dep.mutable_deployment_recorded()->set_deployer("Shop");
  log.Add(dep);  // no approval
  for (int day : {2, 32}) {
    v1::Event seg = Log::Ev("LogSegmentAnchored", "credit", day + 30);
    seg.mutable_log_segment_anchored()->mutable_period()->set_start_ms(
        kStart + day * kDay);
    seg.mutable_log_segment_anchored()->mutable_period()->set_end_ms(
        kStart + (day + 30) * kDay);
    seg.mutable_log_segment_anchored()->set_cadence_days(30);
    log.Add(seg);
  }
  v1::Event treat = Log::Ev("RiskTreated", "credit", 3);
  log.Approve(log.Add(treat), 3, v1::DECISION_APPROVE_WITH_CONDITIONS,
              "review in a quarter");
  v1::Event ia = Log::Ev("ImpactAssessmentRecorded", "credit", 4);
  ia.mutable_impact_assessment_recorded()->set_framework("iso42005");
  ia.mutable_impact_assessment_recorded()->set_next_review_ms(kStart +
                                                              100 * kDay);
  log.Add(ia);
  v1::Event nc = Log::Ev("NonconformityRaised", "credit", 5);
  nc.mutable_nonconformity_raised()->set_description("gap");
  const std::string nc_id = log.Add(nc);
  v1::Event ca = Log::Ev("CorrectiveActionRecorded", "credit", 6);
  ca.mutable_corrective_action_recorded()->set_nonconformity_event_id(nc_id);
  ca.mutable_corrective_action_recorded()->set_action("fix");
  ca.mutable_corrective_action_recorded()->set_due_ms(kStart + 50 * kDay);
  log.Add(ca);
  v1::Event prog = Log::Ev("AuditProgramme", "", 7);
  auto* pa = prog.mutable_audit_programme()->add_audits();
  pa->set_audit_id("IA-9");
  pa->set_type(v1::AUDIT_TYPE_INTERNAL);
  pa->mutable_window()->set_start_ms(kStart + 20 * kDay);
  pa->mutable_window()->set_end_ms(kStart + 60 * kDay);
  prog.mutable_audit_programme()->mutable_period()->set_start_ms(kStart);
  prog.mutable_audit_programme()->mutable_period()->set_end_ms(kStart +
                                                               365 * kDay);
  log.Add(prog);
  v1::Event inc = Log::Ev("IncidentReported", "credit", 8);
  Log::Subject(&inc, "incident", "INC-7");
  auto* ir = inc.mutable_incident_reported();
  ir->set_severity(v1::SEVERITY_SERIOUS);
  ir->set_art3_49_category("c");
  ir->add_member_states("IE");
  ir->set_aware_at_ms(kStart + 8 * kDay);
  const std::string inc_id = log.Add(inc);
  v1::Event n = Log::Ev("RegulatorNotificationSent", "credit", 9);
  Log::Subject(&n, "incident", "INC-7");
  n.mutable_regulator_notification()->set_kind(v1::NOTIFICATION_KIND_INITIAL);
  n.mutable_regulator_notification()->set_member_state("IE");
  n.mutable_regulator_notification()->set_authority("CBI");
  n.mutable_regulator_notification()->set_sent_at_ms(kStart + 9 * kDay);
  n.mutable_regulator_notification()->set_incident_event_id(inc_id);
  log.Add(n);
  v1::Event obj = Log::Ev("ObjectiveSet", "", 11);
  obj.mutable_objective_set()->set_objective("fewer complaints");
  obj.mutable_objective_set()->set_due_ms(kStart + 200 * kDay);
  log.Add(obj);
  v1::Event later = Log::Ev("PolicyPublished", "", 380);  // 2026: as of
  log.Add(later);

  auto r = Annual(log);
  ASSERT_TRUE(r.ok()) << r.status();
  const auto lines = Lines(Find(*r, "Completeness: expected records missing"));
  EXPECT_THAT(lines,
              Line({"measurement of fairlearn:demographic_parity_ratio",
                    "no record from 2025-01-11 to 2025-04-11", "idx 2"}));
  EXPECT_THAT(lines, Line({"no record from 2025-04-11 to 2026-01-01",
                           "(the year's end)"}));
  EXPECT_THAT(lines, Line({"review of iso42005 assessment", "PAST DUE",
                           "due 2025-04-11"}));
  EXPECT_THAT(lines, Line({"effectiveness of a corrective action", "PAST DUE",
                           "due 2025-02-20"}));
  EXPECT_THAT(lines, Line({"closing of approval conditions", "OPEN",
                           "review in a quarter", "RiskTreated"}));
  EXPECT_THAT(lines, Line({"audit IA-9", "NOT HELD"}));
  EXPECT_THAT(lines, Line({"log segments", "IRREGULAR: 2 segments"}));
  EXPECT_THAT(lines, Line({"log segments", "no segment from 2025-03-04"}));
  EXPECT_THAT(lines,
              Line({"complete Art. 73 report of INC-7 (IE)", "NO RECORD"}));
  EXPECT_THAT(lines, Line({"approval of the deployment of 0.9 to Shop",
                           "no approval by Acme AI"}));
  EXPECT_THAT(lines, Line({"release of version 0.9", "NAMED BUT NEVER"}));
  EXPECT_THAT(lines, Line({"evaluation of objective 'fewer complaints'",
                           "NO RECORD: due 2025-07-20"}));
  EXPECT_THAT(Lines(Find(*r, "Objectives")),
              Line({"fewer complaints", "NOT EVALUATED"}));
  EXPECT_THAT(Lines(Find(*r, "Completeness: approvals pending")),
              Line({"DeploymentRecorded", "no approval by Acme AI"}));
  EXPECT_EQ(r->data["completeness_counts"]["plan cadence"], 2);
}

// A log of a million entries must give a readable report: a list is cut to
// 50 rows, and says how many more there are.
TEST(AnnualReportTest, ListsAreBoundedAndSayHowManyMore) {
  Log log;
  log.Register("credit", 0);
  for (int i = 0; i < 200; ++i) {
    v1::Event f = Log::Ev("StakeholderFeedbackReceived", "credit", 1 + i % 300);
    f.mutable_stakeholder_feedback_received()->set_channel("web");
    f.mutable_stakeholder_feedback_received()->set_category("question");
    log.Add(f, /*lag_days=*/10 + i % 5);
  }
  auto r = Annual(log);
  ASSERT_TRUE(r.ok()) << r.status();
  const Section& f = Find(*r, "Complaints and feedback");
  ASSERT_EQ(f.tables.size(), 2u);
  EXPECT_EQ(f.tables[0].rows[0][3], "200");
  EXPECT_EQ(f.tables[1].rows.size(), 50u);
  EXPECT_THAT(f.paragraphs, Line({"200 feedback records: the first 50 are "
                                  "listed, 150 more are counted"}));
  const Section& late = Find(*r, "Completeness: late records");
  EXPECT_EQ(late.tables[0].rows.size(), 50u);
  EXPECT_THAT(late.paragraphs,
              Line({"200 records of the year were recorded more than 7 days",
                    "StakeholderFeedbackReceived 200",
                    "the 50 recorded latest are listed"}));
}

// By category, channel and origin, with the time to a response; a
// deployer's feedback about the organisation's system counts, about another
// system not.
TEST(AnnualReportTest, ComplaintsByChannelWithTheTimeToResponse) {
  Log log;
  log.Register("credit", 0);
  for (int days : {2, 4, 10}) {
    v1::Event f = Log::Ev("StakeholderFeedbackReceived", "credit", 20, "Shop");
    auto* x = f.mutable_stakeholder_feedback_received();
    x->set_channel("email");
    x->set_category("complaint");
    x->set_origin(v1::FEEDBACK_ORIGIN_EXTERNAL);
    x->set_responded_at_ms(f.occurred_at_ms() + days * kDay);
    log.Add(f);
  }
  v1::Event phone = Log::Ev("StakeholderFeedbackReceived", "credit", 30);
  phone.mutable_stakeholder_feedback_received()->set_channel("phone");
  phone.mutable_stakeholder_feedback_received()->set_category("complaint");
  log.Add(phone);
  v1::Event other =
      Log::Ev("StakeholderFeedbackReceived", "their-system", 30, "Shop");
  other.mutable_stakeholder_feedback_received()->set_channel("fax");
  log.Add(other);
  auto r = Annual(log);
  ASSERT_TRUE(r.ok()) << r.status();
  const auto lines = Lines(Find(*r, "Complaints and feedback"));
  EXPECT_THAT(lines, Line({"complaint | email | external | 3 | 0 | 3 | 4.0 d "
                           "| 10.0 d | 0"}));
  EXPECT_THAT(lines, Line({"complaint | phone | not stated | 1 | 0 | 0 | "
                           "undefined (none answered)"}));
  EXPECT_THAT(lines, ::testing::Not(Line({"fax"})));
  EXPECT_THAT(lines, Line({"4 received, 0 withdrawn"}));
}

TEST(AnnualReportTest, IncidentsByHarmTypeSeverityAndStakeholders) {
  Log log;
  log.Register("credit", 0);
  const auto incident = [&](const std::string& id, int day,
                            std::vector<std::string> harms,
                            const std::string& who, int affected) {
    v1::Event e = Log::Ev("IncidentReported", "credit", day);
    Log::Subject(&e, "incident", id);
    auto* x = e.mutable_incident_reported();
    for (const auto& h : harms) x->add_harm_types(h);
    x->add_affected_stakeholders(who);
    x->set_severity(v1::SEVERITY_MINOR);
    x->set_not_serious(true);
    x->set_affected_count(affected);
    x->set_aware_at_ms(e.occurred_at_ms());
    log.Add(e);
  };
  incident("I-1", 10, {"economic", "psychological"}, "consumers", 5);
  incident("I-2", 20, {"economic"}, "workers", 3);
  v1::Event u = Log::Ev("IncidentUpdated", "credit", 25);
  Log::Subject(&u, "incident", "I-2");
  u.mutable_incident_updated()->set_severity(v1::SEVERITY_SERIOUS);
  u.mutable_incident_updated()->set_art3_49_category("c");
  u.mutable_incident_updated()->set_not_serious(false);
  log.Add(u);
  auto r = Annual(log);
  ASSERT_TRUE(r.ok()) << r.status();
  const auto lines = Lines(Find(*r, "Incidents by harm type"));
  EXPECT_THAT(lines, Line({"harm type | economic | 2 | 8 | I-1, I-2"}));
  EXPECT_THAT(lines, Line({"harm type | psychological | 1 | 5 | I-1"}));
  EXPECT_THAT(lines, Line({"severity | serious | 1 | 3 | I-2"}));
  EXPECT_THAT(lines, Line({"severity | minor | 1 | 5 | I-1"}));
  EXPECT_THAT(lines, Line({"Art. 3(49) category | (c) | 1"}));
  EXPECT_THAT(lines, Line({"affected stakeholders | workers | 1 | 3"}));
  EXPECT_THAT(lines, Line({"I-2", "serious", "NO: open", "idx 3"}));
}

// An audit of the organisation by an audit firm: its finding, the
// nonconformity, the corrective action verified 16 days after the finding,
// before its due date; the audit open 25 days.
TEST(AnnualReportTest, AuditsWithTheTimeToClosure) {
  Log log;
  log.Register("credit", 0);
  v1::Event st = Log::Ev("AuditStarted", "", 10, "Audit Co");
  Log::Subject(&st, "audit", "A-1");
  st.mutable_audit_started()->set_auditee(kOrg);
  st.mutable_audit_started()->set_audit_type(v1::AUDIT_TYPE_CERTIFICATION);
  log.Add(st);
  v1::Event f = Log::Ev("AuditFinding", "", 12, "Audit Co");
  Log::Subject(&f, "audit", "A-1");
  f.mutable_audit_finding()->set_classification(
      v1::FINDING_CLASS_MINOR_NONCONFORMITY);
  f.mutable_audit_finding()->set_statement("no log review");
  const std::string finding = log.Add(f);
  v1::Event nc = Log::Ev("NonconformityRaised", "credit", 13);
  nc.mutable_nonconformity_raised()->set_description("no log review");
  nc.mutable_nonconformity_raised()->set_source_event_id(finding);
  const std::string nc_id = log.Add(nc);
  v1::Event ca = Log::Ev("CorrectiveActionRecorded", "credit", 14);
  ca.mutable_corrective_action_recorded()->set_nonconformity_event_id(nc_id);
  ca.mutable_corrective_action_recorded()->set_action("weekly review");
  ca.mutable_corrective_action_recorded()->set_owner("ops");
  ca.mutable_corrective_action_recorded()->set_due_ms(kStart + 40 * kDay);
  const std::string ca_id = log.Add(ca);
  v1::Event ev = Log::Ev("EffectivenessVerified", "credit", 28);
  ev.mutable_effectiveness_verified()->set_action_event_id(ca_id);
  ev.mutable_effectiveness_verified()->set_effective(true);
  log.Add(ev);
  v1::Event cl = Log::Ev("AuditClosed", "", 35, "Audit Co");
  Log::Subject(&cl, "audit", "A-1");
  cl.mutable_audit_closed()->set_conclusion("conforms after correction");
  log.Add(cl);
  auto r = Annual(log);
  ASSERT_TRUE(r.ok()) << r.status();
  const auto lines = Lines(Find(*r, "Audits, findings"));
  EXPECT_THAT(lines, Line({"A-1 | certification, Acme AI | 2025-01-11",
                           "1 minor nonconformity", "2025-02-05", "| 25 |"}));
  EXPECT_THAT(lines, Line({"no log review", "weekly review (ops)",
                           "effective, 2025-01-29", "| 16 |", "on time"}));
  EXPECT_THAT(lines, Line({"1 corrective actions verified effective in the "
                           "year: median 16 days to closure"}));
}

TEST(AnnualReportTest, PartnersWithTheirDueDiligence) {
  Log log;
  log.Register("credit", 0);
  v1::Event reg = Log::Ev("PartnerRegistered", "", 1);
  Log::Subject(&reg, "partner", "Model Co");
  reg.mutable_partner_registered()->set_partner_organisation("Model Co");
  reg.mutable_partner_registered()->set_role("provider");
  log.Add(reg);
  v1::Event ans = Log::Ev("DueDiligenceRecorded", "", 2, "Model Co");
  Log::Subject(&ans, "partner", "Model Co");
  ans.mutable_due_diligence_recorded()->set_kind(
      v1::DUE_DILIGENCE_KIND_ANSWERS);
  log.Add(ans);
  v1::Event ag = Log::Ev("AgreementRecorded", "", 3);
  Log::Subject(&ag, "partner", "Model Co");
  ag.mutable_agreement_recorded()->set_audit_rights("yearly");
  log.Approve(log.Add(ag), 4);  // Acme's side only
  auto r = Annual(log);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(
      Lines(Find(*r, "Partners")),
      Line({"Model Co | Acme AI (provider)", "signed by Model Co",
            "NOT EVALUATED", "NOT BINDING", "no approval by Model Co"}));
}

TEST(AnnualReportTest, AClassificationChangeIsALevelChange) {
  Log log;
  log.Register("credit", -10);
  for (auto [day, c] : {std::pair{-5, v1::RISK_CLASS_MINIMAL},
                        std::pair{40, v1::RISK_CLASS_HIGH}}) {
    v1::Event e = Log::Ev("ClassificationAssessed", "credit", day);
    e.mutable_classification_assessed()->set_risk_class(c);
    log.Add(e);
  }
  auto r = Annual(log);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(Lines(Find(*r, "Impact assessments")),
              Line({"credit | EU AI Act Art. 6", "minimal to high", "idx 3"}));
}

TEST(AnnualReportTest, TheAppendixNamesTheCommandsForOneCitedEntry) {
  Log log;
  log.Register("credit", 0);
  v1::Event e = Log::Ev("IncidentReported", "credit", 5);
  Log::Subject(&e, "incident", "I-1");
  e.mutable_incident_reported()->set_aware_at_ms(e.occurred_at_ms());
  log.Add(e);
  auto r = Annual(log);
  ASSERT_TRUE(r.ok()) << r.status();
  const auto lines = Lines(Find(*r, "Verification appendix"));
  EXPECT_THAT(lines, Line({"ailedger verify ledger.bundle --vkey LOGVKEY "
                           "--admin-vkey ADMINVKEY"}));
  EXPECT_THAT(lines, Line({"ailedger report annual --organisation \"Acme AI\" "
                           "--year 2025"}));
  EXPECT_THAT(lines, Line({"select(.index == 2) | .tlog_proof"}));
  EXPECT_THAT(lines, Line({"ailedger verify-proof entry-2.tlog-proof",
                           "--no-witness-policy --event-id " +
                               ToHex(log.records()[1].event_id)}));
}

TEST(AnnualReportTest, DeterministicAndNotFoundForAYearWithoutRecords) {
  Log log;
  log.Register("credit", 0);
  auto a = Annual(log), b = Annual(log);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(RenderJson(*a), RenderJson(*b));
  EXPECT_EQ(RenderHtml(*a), RenderHtml(*b));
  EXPECT_EQ(Annual(log, 2024).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace ailedger::reports
