// Audits in the generated history: Aurora's own audit programme (ISO/IEC
// 42001 9.2.2; role table version 3 has the auditee's publisher write it),
// the internal audit it plans, carried out by the audit firm, its findings
// with evidence, and the corrective actions that close them.
#include "absl/strings/str_cat.h"
#include "tools/history_story.h"

namespace ailedger::history {
namespace {

std::string AuditId(int year) { return absl::StrCat("IA-", year + 1); }

}  // namespace

void History::Story::AuditProgramme(int year) {
  v1::Event e = Base("AuditProgramme", kProvider, {}, {"iso42001:9.2.2"});
  auto* p = e.mutable_audit_programme();
  p->mutable_period()->set_start_ms(clock_ms_);
  p->mutable_period()->set_end_ms(clock_ms_ + 365 * kDay);
  p->set_scope(absl::StrCat("Aurora's AIMS, year ", year + 1));
  p->set_criteria("ISO/IEC 42001:2023");
  auto* a = p->add_audits();
  a->set_audit_id(AuditId(year));
  a->set_type(v1::AUDIT_TYPE_INTERNAL);
  // Audit() starts on day 200 of the year; this runs on day 20.
  a->mutable_window()->set_start_ms(clock_ms_ + 170 * kDay);
  a->mutable_window()->set_end_ms(clock_ms_ + 260 * kDay);
  a->set_scope("A.6 AI system life cycle, by Independent Audit GmbH");
  Emit("analyst", e);
}

void History::Story::Audit(int year) {
  const std::pair<std::string, std::string> audit{"audit", AuditId(year)};
  v1::Event e = Base("AuditStarted", kAuditFirm, {audit});
  auto* a = e.mutable_audit_started();
  a->set_scope("A.6 AI system life cycle");
  a->set_criteria("ISO/IEC 42001:2023 Annex A");
  a->add_auditors("Petra Lang, external lead auditor");
  a->set_independence("no role in development or operations");
  a->set_auditee(kProvider);
  a->set_audit_type(v1::AUDIT_TYPE_INTERNAL);
  Emit("auditor", e);
  Later(3, [=, this] {
    v1::Event f = Base("AuditFinding", kAuditFirm, {audit});
    auto* af = f.mutable_audit_finding();
    af->set_classification(v1::FINDING_CLASS_MINOR_NONCONFORMITY);
    af->set_reference("iso42001:A.6.2.4");
    af->set_statement("a release skipped its subgroup evaluation");
    af->add_evidence_event_ids(Bytes(systems_[0].last_release));
    const Hash finding = Emit("auditor", f);
    af->set_classification(v1::FINDING_CLASS_OBSERVATION);
    af->set_reference("iso42001:A.6.2.8");
    af->set_statement("log segments are anchored irregularly");
    af->clear_evidence_event_ids();
    if (const Hash* seg = Latest("LogSegmentAnchored"))
      af->add_evidence_event_ids(Bytes(*seg));
    Emit("auditor", f);
    Correct(finding, audit);
  });
}

// A nonconformity from `finding`, its corrective action and, later, the
// verification; the audit closes after.
void History::Story::Correct(const Hash& finding,
                             const std::pair<std::string, std::string>& audit) {
  const Subjects sys = {{"system", systems_[0].id}};
  v1::Event n = Base("NonconformityRaised", kProvider, sys, {"iso42001:10.2"});
  auto* nr = n.mutable_nonconformity_raised();
  nr->set_description("evaluation skipped");
  nr->set_root_cause("a manual step");
  nr->set_reference("iso42001:A.6.2.4");
  nr->set_source_event_id(Bytes(finding));
  const Hash nc = Emit("analyst", n);
  v1::Event a = Base("CorrectiveActionRecorded", kProvider, sys);
  auto* ca = a.mutable_corrective_action_recorded();
  ca->set_nonconformity_event_id(Bytes(nc));
  ca->set_action("evaluation made a blocking pipeline stage");
  ca->set_owner("ML platform lead");
  ca->set_due_ms(clock_ms_ + 45 * kDay);
  const Hash action = Emit("analyst", a);
  Later(60, [=, this] {
    v1::Event v = Base("EffectivenessVerified", kProvider, sys);
    v.mutable_effectiveness_verified()->set_action_event_id(Bytes(action));
    v.mutable_effectiveness_verified()->set_effective(true);
    v.mutable_effectiveness_verified()->set_method("two gated releases");
    Emit("analyst", v);
    v1::Event c = Base("AuditClosed", kAuditFirm, {audit});
    c.mutable_audit_closed()->set_conclusion("conforms after correction");
    c.mutable_audit_closed()->set_findings(2);
    Emit("auditor", c);
  });
}

}  // namespace ailedger::history
