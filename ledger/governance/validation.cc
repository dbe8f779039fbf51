#include "ledger/governance/validation.h"

#include <cmath>
#include <map>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "ledger/governance/field_values.h"
#include "ledger/governance/frameworks.h"
#include "ledger/governance/validation_rules.h"
#include "ledger/governance/validation_text.h"
#include "ledger/governance/validation_v3.h"

namespace ailedger {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;
using validation::Bad;
using validation::Missing;

// Validation table version 1: the required fields of each body. Keep
// docs/FORMATS.md in step.
const std::map<std::string, std::vector<std::string>>& Table() {
  static const auto* table =
      new std::map<std::string, std::vector<std::string>>{
          // The log's own records (their rules of state: approvals.h,
          // corrections.h, the sequencer's erasure check).
          {"Approval", {"approves", "decision", "authority"}},
          {"Retraction", {"retracts", "reason"}},
          {"Erasure", {"event_id", "legal_basis"}},
          {"RulesVersionAdopted", {"role_table_version", "reason"}},
          // The body's key, overlap and possession are the roster's (roster.h).
          {"LogKeyRotated",
           {"new_log_verifier_key", "overlap_entries", "possession_signature",
            "reason"}},
          // Lifecycle of a system.
          {"SystemRegistered",
           {"intended_purpose", "provider", "owner", "eu_role", "risk_class",
            "jurisdictions"}},
          {"ClassificationAssessed", {"risk_class", "reasoning"}},
          {"DatasetRegistered",
           {"name", "version", "dataset_sha256", "motivation", "composition",
            "collection_process", "preprocessing", "uses", "distribution",
            "maintenance", "provenance"}},
          {"ModelVersionReleased", {"version", "artifact_sha256"}},
          {"DeploymentRecorded", {"version", "environment", "deployer"}},
          {"RolledBack",
           {"from_version", "to_version", "environment", "reason"}},
          {"SystemDecommissioned", {"reason", "data_disposition"}},
          {"LogSegmentAnchored",
           {"period", "segment_sha256", "location", "retain_until_ms"}},
          // Assessments and plans.
          {"QuestionnaireDefined",
           {"name", "version", "framework", "questionnaire_sha256",
            "question_ids"}},
          {"ImpactAssessmentRecorded",
           {"framework", "framework_version", "next_review_ms"}},
          {"RiskCriteriaDefined",
           {"version", "likelihood_scale", "severity_scale", "acceptance"}},
          {"RiskAssessed", {"description", "likelihood", "severity"}},
          {"RiskTreated",
           {"assessment_event_id", "option", "residual_likelihood",
            "residual_severity"}},
          {"PrivacyAssessmentRecorded",
           {"kind", "processing", "legal_basis", "outcome"}},
          {"MonitoringPlan",
           {"metrics", "metrics[].name", "metrics[].event_type",
            "metrics[].cadence_days"}},
          // Measurements.
          {"FairnessSnapshot",
           {"model_version", "evaluation_dataset_sha256", "label_window",
            "decision_window", "features", "favourable_outcome",
            "membership_source"}},
          {"GroupMetricSnapshot",
           {"outcome", "window", "groups", "groups[].group"}},
          {"SocietalMetricRecorded",
           {"name", "unit", "population", "period", "method_version"}},
          // Incidents and oversight.
          {"IncidentReported",
           {"harm_types", "severity", "aware_at_ms", "deciding_party"}},
          {"IncidentUpdated", {"update"}},
          {"IncidentClosed", {"resolution"}},
          {"RegulatorNotificationSent", {"authority", "kind", "sent_at_ms"}},
          {"HumanOverrideLogged",
           {"model_version", "original_outcome", "final_outcome", "reason"}},
          {"ExplanationMethodRecorded",
           {"method", "scope", "model_version", "fidelity_check",
            "stability_check"}},
          {"ExplanationProvided", {"method_event_id", "period", "channel"}},
          // Partnerships (ISO/IEC 42001 A.10).
          {"PartnerRegistered", {"partner_organisation", "role"}},
          {"DueDiligenceRecorded", {"kind"}},
          {"AgreementRecorded",
           {"contract_sha256", "responsibilities", "responsibilities[].duty",
            "responsibilities[].party", "audit_rights", "incident_duties",
            "escalation", "dispute_resolution"}},
          {"StakeholderFeedbackReceived", {"channel", "category", "summary"}},
          {"AdvisoryBoardReview", {"board", "question", "decision"}},
          {"ConsultationHeld", {"held_with", "groups", "changes"}},
          // The management system (ISO/IEC 42001 clauses 4-10).
          {"ContextRecorded",
           {"interested_parties", "interested_parties[].name"}},
          {"ScopeDefined", {"scope"}},
          {"PolicyPublished",
           {"title", "version", "policy_sha256", "next_review_ms"}},
          {"RoleAssigned", {"role", "holder", "responsibilities"}},
          {"ObjectiveSet", {"objective", "measure", "target", "due_ms"}},
          {"ChangePlanned", {"change", "purpose"}},
          {"CompetenceRecorded", {"role", "competence"}},
          {"TrainingCompleted", {"course", "participants", "period"}},
          {"ControlStatusUpdated", {"control_id", "justification", "status"}},
          {"AuditProgramme", {"period", "scope", "criteria"}},
          {"AuditStarted", {"scope", "criteria", "auditors", "independence"}},
          {"AuditFinding", {"classification", "reference", "statement"}},
          {"AuditClosed", {"conclusion"}},
          {"ManagementReviewHeld",
           {"attendees", "inputs", "inputs.previous_actions",
            "inputs.issue_changes", "inputs.party_needs", "inputs.performance",
            "inputs.opportunities", "outputs"}},
          {"NonconformityRaised", {"description", "root_cause"}},
          {"CorrectiveActionRecorded",
           {"nonconformity_event_id", "action", "owner", "due_ms"}},
          {"EffectivenessVerified", {"action_event_id", "method"}},
          {"NoticePublished", {"audience", "channel", "notice_sha256"}},
          {"PeerReviewPublished",
           {"reviewer", "scope", "conclusion", "report_sha256"}},
          {"ReportPublished",
           {"kind", "report_sha256", "tree_size", "root_hash"}},
          // Vocabulary v2: types no earlier log holds. The fields v2 added
          // to v1's types: validation_v3.h.
          {"IncidentCommunicated",
           {"incident_event_id", "audience", "channel", "sent_at_ms",
            "content_sha256"}},
          {"IncidentCommunicationPlan",
           {"version", "commitments", "commitments[].audience",
            "commitments[].within_hours"}},
          {"SoaVersionDefined", {"version", "row_event_ids"}},
          {"OrganisationProfile", {"legal_name", "time_zone", "country"}},
          {"TestReport", {"model_version", "report_sha256"}},
          {"ConformityDeclared", {"procedure", "declaration_sha256"}},
          {"EuDatabaseRegistered",
           {"article", "registration_id", "registered_at_ms"}},
          {"GbaPlusRecorded", {"assessment_event_id", "summary"}},
          {"ContingencyPlan", {"plan"}},
          {"AiaPublished", {"assessment_event_id", "uri"}},
          {"ObjectiveEvaluated", {"objective_event_id", "met", "result"}},
          {"ChangeCompleted", {"change_event_id", "outcome"}},
          {"DocumentRetention", {"document_sha256", "action"}},
      };
  return *table;
}

// Whether a singular field holds a value that counts as given. A field with
// presence (a message, or a scalar marked `optional` because 0 or false is a
// value) is given when set, whatever its value.
bool Given(const Message& m, const FieldDescriptor* f) {
  const Reflection* r = m.GetReflection();
  if (f->is_repeated()) return r->FieldSize(m, f) > 0;
  if (f->has_presence()) return r->HasField(m, f);
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return r->HasField(m, f);
    case FieldDescriptor::CPPTYPE_STRING:
      return !r->GetString(m, f).empty();
    case FieldDescriptor::CPPTYPE_ENUM:
      return r->GetEnumValue(m, f) != 0;
    case FieldDescriptor::CPPTYPE_INT64:
      return r->GetInt64(m, f) > 0;
    case FieldDescriptor::CPPTYPE_UINT64:
      return r->GetUInt64(m, f) > 0;
    case FieldDescriptor::CPPTYPE_INT32:
      return r->GetInt32(m, f) > 0;
    case FieldDescriptor::CPPTYPE_UINT32:
      return r->GetUInt32(m, f) > 0;
    default:
      return true;  // a bool or a double cannot be required
  }
}

// Checks `path` ("a", "a.b" or "a[].b") in `m`, naming fields under `prefix`.
absl::Status CheckRequired(const Message& m, absl::string_view path,
                           const std::string& prefix) {
  const size_t dot = path.find('.');
  absl::string_view head = path.substr(0, dot);
  const bool each = absl::EndsWith(head, "[]");
  if (each) head.remove_suffix(2);
  const FieldDescriptor* f =
      m.GetDescriptor()->FindFieldByName(std::string(head));
  if (f == nullptr) return absl::InternalError("validation table: " + prefix);
  const std::string name = absl::StrCat(prefix, ".", head);
  if (dot == absl::string_view::npos) {
    return Given(m, f) ? absl::OkStatus() : Missing(name);
  }
  const Reflection* r = m.GetReflection();
  const absl::string_view rest = path.substr(dot + 1);
  if (!each) {
    if (!r->HasField(m, f)) return absl::OkStatus();  // its own rule says
    return CheckRequired(r->GetMessage(m, f), rest, name);
  }
  for (int i = 0; i < r->FieldSize(m, f); ++i) {
    auto s = CheckRequired(r->GetRepeatedMessage(m, f, i), rest,
                           absl::StrCat(name, "[", i, "]"));
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

bool IsDigestField(const FieldDescriptor* f) {
  const std::string& n = f->name();
  return f->type() == FieldDescriptor::TYPE_BYTES &&
         (absl::EndsWith(n, "sha256") || absl::EndsWith(n, "event_id") ||
          absl::EndsWith(n, "_event_ids") || n == "root_hash" ||
          n == "approves" || n == "retracts" || n == "commitment");
}

absl::Status CheckPeriod(const v1::Period& p, const std::string& field) {
  if (p.start_ms() <= 0 || p.end_ms() <= p.start_ms()) {
    return Bad(field, "a period needs 0 < start_ms < end_ms");
  }
  return absl::OkStatus();
}

absl::Status CheckWellFormed(const Message& m, const std::string& prefix);

absl::Status CheckValue(const Message& m, const FieldDescriptor* f, int i,
                        const std::string& name) {
  const Reflection* r = m.GetReflection();
  const bool rep = f->is_repeated();
  if (IsDigestField(f)) {
    const std::string v =
        rep ? r->GetRepeatedString(m, f, i) : r->GetString(m, f);
    if (!v.empty() && v.size() != 32) {
      return Bad(name, absl::EndsWith(f->name(), "sha256")
                           ? "a 32-byte SHA-256 digest"
                           : "a 32-byte hash (an event id or root)");
    }
  } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_DOUBLE) {
    const double v = rep ? r->GetRepeatedDouble(m, f, i) : r->GetDouble(m, f);
    if (!std::isfinite(v)) return Bad(name, "not a finite number");
  } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
    const Message& sub = MessageValue(m, f, i);
    if (f->message_type() == v1::Period::descriptor()) {
      return CheckPeriod(static_cast<const v1::Period&>(sub), name);
    }
    return CheckWellFormed(sub, name);
  }
  return absl::OkStatus();
}

absl::Status CheckWellFormed(const Message& m, const std::string& prefix) {
  return ForEachFieldValue(m, prefix, CheckValue);
}

const FieldDescriptor* BodyDescriptor(absl::string_view event_type) {
  const auto* oneof = v1::Event::descriptor()->FindOneofByName("body");
  for (int i = 0; i < oneof->field_count(); ++i) {
    const FieldDescriptor* f = oneof->field(i);
    if (f->message_type()->name() == event_type) return f;
  }
  return nullptr;
}

// The envelope: framework references in the standards' own identifiers
// (clauses that exist, under version 3); references to other logs name them.
absl::Status CheckEnvelope(const v1::Event& e, bool version3) {
  if (!e.supersedes().empty() && e.supersedes().size() != 32)
    return Bad("supersedes", "an event id (32 bytes)");
  if (!e.supersedes().empty() && e.supersedes_reason().empty())
    return Missing("supersedes_reason");
  for (int i = 0; i < e.framework_refs_size(); ++i) {
    if (auto s = CheckFrameworkRef(e.framework_refs(i), version3); !s.ok())
      return Bad(absl::StrCat("framework_refs[", i, "]"), s.message());
  }
  for (int i = 0; i < e.external_refs_size(); ++i) {
    const v1::ExternalEntryRef& r = e.external_refs(i);
    const std::string field = absl::StrCat("external_refs[", i, "]");
    if (r.origin().empty()) return Missing(field + ".origin");
    if (r.leaf_hash().size() != 32)
      return Bad(field + ".leaf_hash", "a 32-byte RFC 6962 leaf hash");
  }
  return absl::OkStatus();
}

// The required fields `table` names for the event's type, if any.
absl::Status CheckTable(
    const v1::Event& e,
    const std::map<std::string, std::vector<std::string>>& table) {
  auto it = table.find(e.event_type());
  if (it == table.end()) return absl::OkStatus();
  const FieldDescriptor* body = BodyDescriptor(e.event_type());
  if (body == nullptr) return absl::InternalError("validation table: body");
  const Reflection* r = e.GetReflection();
  if (!r->HasField(e, body)) return Missing(body->name());
  for (const std::string& path : it->second) {
    auto s = CheckRequired(r->GetMessage(e, body), path, body->name());
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace

std::string BodyFieldOf(absl::string_view event_type) {
  const FieldDescriptor* f = BodyDescriptor(event_type);
  return f ? f->name() : "";
}

std::vector<std::string> RequiredFields(absl::string_view event_type) {
  auto it = Table().find(std::string(event_type));
  return it == Table().end() ? std::vector<std::string>() : it->second;
}

std::vector<std::string> RequiredFieldsV3(absl::string_view event_type) {
  const auto& table = validation::Version3Table();
  auto it = table.find(std::string(event_type));
  return it == table.end() ? std::vector<std::string>() : it->second;
}

absl::Status ValidateFields(const v1::Event& e, uint32_t log_version) {
  const uint32_t version = RulesVersionOf(e, log_version);
  const bool version3 = AppliesVersion3Rules(version);
  if (AppliesVersion2Rules(version)) {
    if (auto s = CheckStrings(e, ""); !s.ok()) return s;
  }
  if (auto s = CheckTable(e, Table()); !s.ok()) return s;
  if (version3) {
    if (auto s = CheckTable(e, validation::Version3Table()); !s.ok()) return s;
  }
  if (auto s = CheckEnvelope(e, version3); !s.ok()) return s;
  if (auto s = CheckWellFormed(e, ""); !s.ok()) return s;
  if (auto s = validation::CheckNewTypeRules(e); !s.ok()) return s;
  if (version3) {
    if (auto s = validation::CheckVersion3Rules(e); !s.ok()) return s;
  }
  return validation::CheckTypeRules(e, version3);
}

}  // namespace ailedger
