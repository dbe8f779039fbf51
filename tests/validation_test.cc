// Required fields and well-formed values per type
// (ledger/governance/validation.h): the worked example passes, and each defect
// is refused naming its field.
#include "ledger/governance/validation.h"

#include <cmath>
#include <functional>
#include <limits>

#include "gtest/gtest.h"
#include "ledger/governance/examples.h"
#include "ledger/governance/time_rules.h"

namespace ailedger {
namespace {

// These cases are the rules of role table versions 1 and 2, which logs
// written before vocabulary v2 keep; version 3's are in validation_v3_test.
constexpr uint32_t kV2 = 2;

v1::Event Fairness() {
  v1::Event e;
  e.set_event_type("FairnessSnapshot");
  *e.mutable_fairness_snapshot() = ExampleFairnessSnapshot();
  // Version 2's shape: one reference group for the snapshot.
  e.mutable_fairness_snapshot()->set_reference_group("A");
  return e;
}

void ExpectField(const v1::Event& e, const std::string& field) {
  absl::Status s = ValidateFields(e, kV2);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << field;
  EXPECT_NE(s.message().find(field), absl::string_view::npos) << s;
}

TEST(ValidationTest, TheWorkedFairnessExamplePasses) {
  EXPECT_TRUE(ValidateFields(Fairness(), kV2).ok());
}

TEST(ValidationTest, EachFairnessDefectNamesItsField) {
  v1::Event none;
  none.set_event_type("FairnessSnapshot");
  ExpectField(none, "fairness_snapshot");
  struct Case {
    std::function<void(v1::FairnessSnapshot*)> spoil;
    std::string field;
  } cases[] = {
      {[](auto* f) { f->clear_model_version(); },
       "fairness_snapshot.model_version"},
      {[](auto* f) { f->set_evaluation_dataset_sha256("short"); },
       "fairness_snapshot.evaluation_dataset_sha256"},
      {[](auto* f) { f->clear_label_window(); },
       "fairness_snapshot.label_window"},
      {[](auto* f) { f->mutable_decision_window()->set_end_ms(1); },
       "fairness_snapshot.decision_window"},
      {[](auto* f) { f->mutable_features(0)->mutable_cells()->RemoveLast(); },
       "fairness_snapshot.features[0].cells"},
      {[](auto* f) { f->set_reference_group("Z"); },
       "fairness_snapshot.reference_group"},
      {[](auto* f) { f->clear_favourable_outcome(); },
       "fairness_snapshot.favourable_outcome"},
      {[](auto* f) {
         f->set_membership_source(v1::MEMBERSHIP_SOURCE_UNSPECIFIED);
       },
       "fairness_snapshot.membership_source"},
      {[](auto* f) { f->set_share_unknown(1.5); },
       "fairness_snapshot.share_unknown"},
      {[](auto* f) { f->set_decision_threshold(std::nan("")); },
       "fairness_snapshot.decision_threshold"},
  };
  for (const Case& c : cases) {
    v1::Event e = Fairness();
    c.spoil(e.mutable_fairness_snapshot());
    ExpectField(e, c.field);
  }
}

TEST(ValidationTest, GroupAndSocietalMetrics) {
  v1::Event g;
  g.set_event_type("GroupMetricSnapshot");
  ExpectField(g, "group_metric_snapshot");
  auto* body = g.mutable_group_metric_snapshot();
  body->set_outcome("price offered");
  body->mutable_window()->set_start_ms(1);
  body->mutable_window()->set_end_ms(2);
  auto* a = body->add_groups();
  a->set_group("A");
  a->set_n(3);
  a->set_sum(30);
  a->set_sum_of_squares(302);
  EXPECT_TRUE(ValidateFields(g, kV2).ok());
  a->set_n(0);
  ExpectField(g, "group_metric_snapshot.groups[0]");

  v1::Event m;
  m.set_event_type("SocietalMetricRecorded");
  auto* s = m.mutable_societal_metric();
  s->set_name("appeals upheld");
  s->set_unit("%");
  s->set_population("applicants 2024");
  s->set_method_version("v1");
  s->mutable_period()->set_start_ms(1);
  s->mutable_period()->set_end_ms(2);
  EXPECT_TRUE(ValidateFields(m, kV2).ok());
  s->set_uncertainty(-1);
  ExpectField(m, "societal_metric.uncertainty");
  s->set_uncertainty(0);
  s->clear_population();
  ExpectField(m, "societal_metric.population");
}

}  // namespace
}  // namespace ailedger

namespace ailedger {
namespace {

TEST(ValidationTest, IncidentsAndNotifications) {
  v1::Event e;
  e.set_event_type("IncidentReported");
  ExpectField(e, "incident_reported");
  *e.mutable_incident_reported() = ExampleIncidentReported(1700000000000);
  EXPECT_TRUE(ValidateFields(e, kV2).ok());
  auto* r = e.mutable_incident_reported();
  r->set_causal_link_at_ms(1);
  ExpectField(e, "incident_reported.causal_link_at_ms");
  r->set_causal_link_at_ms(0);
  r->set_art3_49_category("z");
  ExpectField(e, "incident_reported.art3_49_category");
  r->clear_art3_49_category();
  ExpectField(e, "incident_reported.art3_49_category");  // neither serious nor
                                                         // "not serious"
  r->set_not_serious(true);
  ExpectField(e, "incident_reported.not_serious_reason");
  r->set_not_serious_reason("no harm materialised; caught in shadow mode");
  EXPECT_TRUE(ValidateFields(e, kV2).ok());

  v1::Event n;
  n.set_event_type("RegulatorNotificationSent");
  auto* b = n.mutable_regulator_notification();
  b->set_authority("Autoriteit Persoonsgegevens");
  b->set_member_state("nl");
  b->set_kind(v1::NOTIFICATION_KIND_INITIAL);
  b->set_sent_at_ms(1700000000000);
  ExpectField(n, "regulator_notification.member_state");
  b->set_member_state("NL");
  EXPECT_TRUE(ValidateFields(n, kV2).ok());
}

}  // namespace
}  // namespace ailedger

namespace ailedger {
namespace {

TEST(ValidationTest, SystemsAndReleases) {
  for (const char* type : {"SystemRegistered", "ModelVersionReleased"}) {
    v1::Event e;
    e.set_event_type(type);
    EXPECT_FALSE(ValidateFields(e, kV2).ok()) << type;  // the body is required
    FillExampleBody(&e);
    EXPECT_TRUE(ValidateFields(e, kV2).ok()) << type;
  }
  v1::Event sys;
  sys.set_event_type("SystemRegistered");
  FillExampleBody(&sys);
  sys.mutable_system_registered()->clear_annex_iii_point();
  ExpectField(
      sys, "system_registered.annex_iii_point");  // high-risk needs the point
  sys.mutable_system_registered()->set_risk_class(v1::RISK_CLASS_MINIMAL);
  EXPECT_TRUE(ValidateFields(sys, kV2).ok());

  v1::Event rel;
  rel.set_event_type("ModelVersionReleased");
  FillExampleBody(&rel);
  rel.mutable_model_version_released()->set_substantial_modification(true);
  ExpectField(rel, "model_version_released.modification_rationale");
  rel.mutable_model_version_released()->set_modification_rationale(
      "new features");
  rel.mutable_model_version_released()->add_datasheet_sha256("short");
  ExpectField(rel, "model_version_released.datasheet_sha256[0]");
  rel.mutable_model_version_released()->clear_datasheet_sha256();
  rel.mutable_model_version_released()->set_artifact_sha256("x");
  ExpectField(rel, "model_version_released.artifact_sha256");
}

// Flaw 7: identifiers (subject kinds and ids, organisations, display names,
// ...) hold no control character; the refusal names the field, the code point
// and its byte offset. A NUL in a subject id once let one organisation's index
// rows cut another's queries short.
TEST(ValidationTest, ControlCharactersInIdentifiersAreRefusedNamingField) {
  auto with = [](const std::function<void(v1::Event*)>& spoil) {
    v1::Event e = Fairness();
    e.set_organisation("Acme AI");
    auto* s = e.add_subjects();
    s->set_kind("system");
    s->set_id("credit-scoring");
    spoil(&e);
    return ValidateFields(e, kV2);
  };
  EXPECT_TRUE(with([](v1::Event*) {}).ok());
  struct Case {
    std::function<void(v1::Event*)> spoil;
    std::string message;
  } cases[] = {
      {[](auto* e) {
         e->mutable_subjects(0)->set_id(std::string("credit\0x", 8));
       },
       "subjects[0].id: control character U+0000 at byte 6"},
      {[](auto* e) { e->mutable_subjects(0)->set_kind("sys\ttem"); },
       "subjects[0].kind: control character U+0009 at byte 3"},
      {[](auto* e) { e->set_organisation("Acme\x1b[8m AI"); },
       "organisation: control character U+001B at byte 4"},
      {[](auto* e) { e->set_organisation("Acme\x7f"); },
       "organisation: control character U+007F at byte 4"},
      {[](auto* e) { e->set_organisation("Acme \xc2\x85"); },  // NEL (C1)
       "organisation: control character U+0085 at byte 5"},
      {[](auto* e) { e->set_organisation("\u202EIA emcA"); },  // RLO
       "organisation: control character U+202E at byte 0"},
      {[](auto* e) { e->add_framework_refs("iso42001:A.6.2.8\n"); },
       "framework_refs[0]: control character U+000A at byte 16"},
      {[](auto* e) {
         e->mutable_fairness_snapshot()->set_model_version("2.4\u2066");
       },
       "fairness_snapshot.model_version: control character U+2066 at byte 3"},
  };
  for (const Case& c : cases) {
    absl::Status s = with(c.spoil);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.message;
    EXPECT_EQ(s.message(), c.message);
  }
  v1::Event grant;
  grant.set_event_type("KeyGranted");
  grant.mutable_key_granted()->set_display_name("Eve\x1b[2K");
  EXPECT_EQ(ValidateFields(grant, kV2).message(),
            "key_granted.display_name: control character U+001B at byte 3");
}

// Free text keeps its layout (tab, newline, carriage return) and nothing else
// of C0, DEL or C1; bidi marks are a matter for identifiers only.
TEST(ValidationTest, FreeTextKeepsLayoutButNoOtherControlCharacters) {
  v1::Event e = Fairness();
  e.set_supersedes_reason("first line\n\tsecond line\r\n");
  e.set_supersedes(std::string(32, 'x'));
  EXPECT_TRUE(ValidateFields(e, kV2).ok()) << ValidateFields(e, kV2);
  e.set_supersedes_reason("rtl \u200F text");  // RLM in free text
  EXPECT_TRUE(ValidateFields(e, kV2).ok()) << ValidateFields(e, kV2);
  e.set_supersedes_reason("bell\a");
  EXPECT_EQ(ValidateFields(e, kV2).message(),
            "supersedes_reason: control character U+0007 at byte 4");
}

// Role table version 1: the text rules came with version 2, so a log whose
// genesis names version 1 verifies with the strings it was written with. A
// genesis is checked under the version it names, whatever the log's.
TEST(ValidationTest, ControlCharactersAreCheckedOnlyUnderRoleTableVersionTwo) {
  v1::Event e = Fairness();
  e.set_organisation("Acme\x1b[8m AI");
  e.set_supersedes_reason("bell\a");
  e.set_supersedes(std::string(32, 'x'));
  EXPECT_TRUE(ValidateFields(e, 1).ok()) << ValidateFields(e, 1);
  EXPECT_EQ(ValidateFields(e, 2).message(),
            "organisation: control character U+001B at byte 4");
  EXPECT_EQ(ValidateFields(e, 0).code(), absl::StatusCode::kInvalidArgument);
  e.set_organisation("Acme AI");
  e.clear_fairness_snapshot();
  EXPECT_EQ(ValidateFields(e, 1).code(), absl::StatusCode::kInvalidArgument);

  v1::Event genesis;
  genesis.set_event_type("Genesis");
  genesis.mutable_genesis()->set_admin_name("admin\x1b[2K");
  genesis.mutable_genesis()->set_role_table_version(1);
  EXPECT_TRUE(ValidateFields(genesis, 0).ok()) << ValidateFields(genesis, 0);
  EXPECT_TRUE(ValidateFields(genesis, 2).ok());  // its own version decides
  genesis.mutable_genesis()->set_role_table_version(2);
  EXPECT_EQ(ValidateFields(genesis, 1).message(),
            "genesis.admin_name: control character U+001B at byte 5");
}

}  // namespace
}  // namespace ailedger

namespace ailedger {
namespace {

// The time rule both judges share (the sequencer against its clock, the
// verifier against the leaf's integration time): never before 1970, never
// beyond the skew window.
TEST(TimeRuleTest, BeforeNineteenSeventyAndTheFarFutureAreRefused) {
  v1::Event e;
  e.set_occurred_at_ms(0);
  EXPECT_TRUE(CheckOccurredAt(e, 1'000'000).ok());
  e.set_occurred_at_ms(-1);
  EXPECT_NE(CheckOccurredAt(e, 1'000'000).message().find("before 1970"),
            std::string::npos);
  e.set_occurred_at_ms(std::numeric_limits<int64_t>::min());
  EXPECT_FALSE(CheckOccurredAt(e, 1'000'000).ok());
  e.set_occurred_at_ms(1'000'000 + kMaxClockSkewMs + 1);
  EXPECT_NE(CheckOccurredAt(e, 1'000'000).message().find("in the future"),
            std::string::npos);
}

}  // namespace
}  // namespace ailedger
