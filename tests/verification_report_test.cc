// reports/verification_report.h over records built in memory: signers by
// role, segregation-of-duties facts, a compromise window with entries inside
// and outside it, a chain of two corrections and a retraction, an erasure,
// late records beyond the listing cap counted, approvals pending and
// rejected, the range and witnesses; every list bounded; the same records
// give the same bytes.
#include "reports/verification_report.h"

#include <gtest/gtest.h>

#include "reports/citations.h"

namespace ailedger::reports {
namespace {

constexpr int64_t kHour = 3'600'000;
constexpr int64_t kDay = 24 * kHour;
constexpr int64_t kStart = 1'735'689'600'000;  // 2025-01-01T00:00:00Z

PublicKey Key(uint8_t b) {
  PublicKey k{};
  k.fill(b);
  return k;
}

std::string Bytes(const Hash& h) { return std::string(AsBytes(h)); }

std::string Joined(const Table& t) {
  std::string out;
  for (const auto& row : t.rows) {
    for (const auto& cell : row) out += cell + " | ";
    out += "\n";
  }
  return out;
}

const Section& SectionOf(const Report& r, const std::string& title) {
  for (const Section& s : r.sections)
    if (s.title == title) return s;
  ADD_FAILURE() << "no section " << title;
  static const Section none;
  return none;
}

std::string Paragraphs(const Section& s) {
  std::string out;
  for (const auto& p : s.paragraphs) out += p + "\n";
  return out;
}

class VerificationReportTest : public ::testing::Test {
 protected:
  // Index i has event id SHA-256("event i"), is recorded at kStart + i
  // hours and occurred then.
  Record& Add(const std::string& type, const PublicKey& signer,
              const std::string& org = "Acme AI") {
    Record r;
    r.index = records_.size();
    r.event_id = Sha256Of("event " + std::to_string(r.index));
    r.signer = signer;
    r.integrated_time_ms = kStart + kHour * r.index;
    r.event.set_event_type(type);
    r.event.set_organisation(org);
    r.event.set_occurred_at_ms(r.integrated_time_ms);
    records_.push_back(r);
    return records_.back();
  }

  std::string Id(uint64_t index) { return Bytes(records_[index].event_id); }

  void Grant(const PublicKey& key, const std::string& name,
             const std::string& org, v1::KeyKind kind,
             std::vector<std::string> functions) {
    v1::KeyGranted* g =
        Add("KeyGranted", kAdmin, org).event.mutable_key_granted();
    g->set_public_key(std::string(key.begin(), key.end()));
    g->set_display_name(name);
    g->set_organisation(org);
    g->set_kind(kind);
    g->add_roles(v1::ROLE_PUBLISHER);
    for (auto& f : functions) g->add_functions(f);
  }

  void Approve(const PublicKey& key, uint64_t index, v1::Decision d,
               const std::string& org = "Acme AI") {
    v1::Approval* a = Add("Approval", key, org).event.mutable_approval();
    a->set_approves(Id(index));
    a->set_decision(d);
    a->set_authority("AI board");
  }

  void Supersede(const std::string& type, const PublicKey& key, uint64_t index,
                 const std::string& reason) {
    Record& r = Add(type, key);
    r.event.set_supersedes(Id(index));
    r.event.set_supersedes_reason(reason);
  }

  // The log of the fixture: comments give each entry's index.
  void BuildLog() {
    Record& genesis = Add("Genesis", kAdmin);  // 0
    genesis.event.mutable_genesis()->set_admin_public_key(
        std::string(kAdmin.begin(), kAdmin.end()));
    genesis.event.mutable_genesis()->set_admin_name("Root Admin");
    genesis.event.mutable_genesis()->set_admin_organisation("Acme AI");
    Grant(kPipeline, "pipeline", "Acme AI", v1::KEY_KIND_SERVICE_ACCOUNT,
          {"approver"});  // 1
    Grant(kAda, "Ada", "Acme AI", v1::KEY_KIND_PERSON,
          {"approver", "risk_owner"});                                    // 2
    Grant(kAda2, "Ada", "Acme AI", v1::KEY_KIND_PERSON, {});              // 3
    Grant(kBob, "Bob", "Partner Co", v1::KEY_KIND_PERSON, {"approver"});  // 4
    Grant(kEve, "Eve", "Acme AI", v1::KEY_KIND_PERSON, {});               // 5
    Add("ModelVersionReleased", kAda2);                                   // 6
    Approve(kAda, 6, v1::DECISION_APPROVE);                               // 7
    Add("AgreementRecorded", kEve);                                       // 8
    Approve(kBob, 8, v1::DECISION_APPROVE, "Partner Co");                 // 9
    Add("RiskAssessed", kEve);                                            // 10
    Add("RiskAssessed", kEve);                                            // 11
    Supersede("RiskAssessed", kEve, 10, "wrong likelihood");              // 12
    Supersede("RiskAssessed", kAda, 12, "severity re-rated");             // 13
    v1::KeyRevoked* k = Add("KeyRevoked", kAdmin).event.mutable_key_revoked();
    k->set_public_key(std::string(kEve.begin(), kEve.end()));  // 14
    k->set_reason("laptop stolen");
    k->set_compromised_since_ms(records_[11].integrated_time_ms);
    v1::Retraction* x = Add("Retraction", kAda).event.mutable_retraction();
    x->set_retracts(Id(11));  // 15
    x->set_reason("recorded for the wrong system");
    v1::SealedAttachment* a =
        Add("IncidentReported", kAda).event.add_sealed();  // 16
    a->set_label("complainant contact");
    a->set_media_type("text/plain");
    v1::Erasure* e = Add("Erasure", kAdmin).event.mutable_erasure();  // 17
    e->set_event_id(Id(16));
    e->set_legal_basis("GDPR Art. 17(1)(a)");
    e->set_requested_by("the complainant");
    Add("PolicyPublished", kAda);                 // 18
    Add("ReportPublished", kAda2);                // 19
    Approve(kAda, 19, v1::DECISION_REJECT);       // 20
    Approve(kPipeline, 6, v1::DECISION_APPROVE);  // 21
    // 22..81: 60 late records, the latest recorded the most late.
    for (int i = 0; i < 60; ++i) {
      Record& r =
          Add(i < 55 ? "StakeholderFeedbackReceived" : "TrainingCompleted",
              kPipeline);
      r.event.set_occurred_at_ms(r.integrated_time_ms - (8 + i) * kDay);
      if (i % 2 == 0) r.event.set_backfill_reason("migrated from the CRM");
    }
    Add("RiskAssessed", kAda);  // 82: on time
    verified_.verified = true;
    verified_.origin = "example.org/log";
    verified_.to = verified_.checkpoint_size = records_.size();
    verified_.roster_complete = true;
    verified_.rule_versions = {{0, 3}};
    verified_.cosignatures = 1;
    verified_.witnessed = {{10, {{"witness.example", 1'740'000'000}}},
                           {20, {{"witness.example", 1'750'000'000}}}};
    verified_.pending_approvals = {{18, "PolicyPublished"}};
    verified_.rejected = {{19, "ReportPublished"}};
    auto w = VerifierKey::Create("witness.example", 0x04, Key(0x77));
    ASSERT_TRUE(w.ok()) << w.status();
    options_.witness_policy.witnesses.push_back(*w);
    options_.witness_policy.quorum = 1;
  }

  Report Build() { return VerificationReport(verified_, options_, records_); }

  const PublicKey kAdmin = Key(0xAD), kPipeline = Key(1), kAda = Key(2),
                  kAda2 = Key(3), kBob = Key(4), kEve = Key(5);
  std::vector<Record> records_;
  VerifyReport verified_;
  VerifyOptions options_;
};

TEST_F(VerificationReportTest, SignersByRoleWithCountsAndTypes) {
  BuildLog();
  const Report r = Build();
  const nlohmann::json& s = r.data["signers"];
  // Genesis, five grants, a revocation and an erasure.
  EXPECT_EQ(s["entries_by_role"]["admin"], 8);
  EXPECT_EQ(s["entries_by_role"]["publisher"], records_.size() - 8);
  EXPECT_EQ(s["keys_total"], 6);
  const std::string table = Joined(SectionOf(r, "Signers by role").tables[1]);
  EXPECT_NE(table.find("pipeline (Acme AI, service account) | publisher | "
                       "approver"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("StakeholderFeedbackReceived 55, TrainingCompleted 5, "
                       "Approval 1"),
            std::string::npos)
      << table;
  // The role summary: the admin and the five publishers, one a service.
  const Table& roles = SectionOf(r, "Signers by role").tables[0];
  EXPECT_EQ(roles.rows[0],
            (std::vector<std::string>{"admin", "1", "0", "0", "8"}));
  EXPECT_EQ(roles.rows[1][1], "5");
  EXPECT_EQ(roles.rows[1][3], "1");
}

TEST_F(VerificationReportTest, SegregationOfDutiesFacts) {
  BuildLog();
  const Report r = Build();
  const nlohmann::json& s = r.data["segregation"];
  EXPECT_EQ(s["approvals"], 4);
  EXPECT_EQ(s["same_organisation"], 3);
  EXPECT_EQ(s["other_organisation"], 1);
  EXPECT_EQ(s["decisions"]["reject"], 1);
  EXPECT_EQ(s["facts"]["signed by a service account"], 1);
  EXPECT_EQ(s["facts"]["another key of the author's person (same name and "
                       "organisation)"],
            2);  // idx 7 and 20: Ada approves what her other key wrote
  EXPECT_FALSE(s["facts"].contains("signed by the author's own key"));
  const Section& sec = SectionOf(r, "Segregation of duties");
  const std::string approvals = Joined(sec.tables[0]);
  EXPECT_EQ(approvals.rfind("idx 7 · Approval", 0), 0u) << approvals;
  EXPECT_NE(approvals.find("approver of another organisation than the author "
                           "(Partner Co, Acme AI)"),
            std::string::npos);
  const std::string holders = Joined(sec.tables[1]);
  EXPECT_NE(holders.find("Ada | Acme AI | 2 | publisher | approver, "
                         "risk_owner | 2 keys; more than one function"),
            std::string::npos)
      << holders;
  EXPECT_NE(holders.find("pipeline (service account)"), std::string::npos);
  EXPECT_EQ(holders.find("Bob"), std::string::npos);  // nothing to state
}

TEST_F(VerificationReportTest, CompromiseWindowListsOnlyTheEntriesInsideIt) {
  BuildLog();
  const Report r = Build();
  const Section& s = SectionOf(r, "Key grants and revocations");
  ASSERT_EQ(s.tables.size(), 2u);
  const std::string timeline = Joined(s.tables[0]);
  EXPECT_NE(timeline.find("idx 14 · KeyRevoked"), std::string::npos);
  EXPECT_NE(timeline.find("laptop stolen | [2025-01-01T11:00:00Z, idx 14): 2 "
                          "entries signed inside"),
            std::string::npos)
      << timeline;
  const Table& window = s.tables[1];
  ASSERT_EQ(window.rows.size(), 2u);
  EXPECT_EQ(window.rows[0][1].rfind("idx 11 · RiskAssessed", 0), 0u);
  EXPECT_EQ(window.rows[1][1].rfind("idx 12 · RiskAssessed", 0), 0u);
  EXPECT_EQ(window.rows[1][2], "corrects idx 10");
  const std::set<uint64_t> cited = CitedIndices(r);
  EXPECT_TRUE(cited.contains(11) && cited.contains(12));
  const nlohmann::json& keys = r.data["keys"];
  EXPECT_EQ(keys["granted"], 6);
  EXPECT_EQ(keys["compromised"], 1);
  bool found = false;
  for (const auto& k : keys["listed"]) {
    if (k["window_entries"] != 2) continue;
    found = true;
    EXPECT_EQ(k["window_by_type"]["RiskAssessed"], 2);
    EXPECT_EQ(k["window_listed"].size(), 2u);
  }
  EXPECT_TRUE(found) << keys.dump(1);
  // Eve's entries before the window (idx 8, 10) are not listed in it.
  const std::string window_text = Joined(window);
  EXPECT_EQ(window_text.find("idx 8 ·"), std::string::npos);
  EXPECT_EQ(window_text.find("idx 10 ·"), std::string::npos);
}

TEST_F(VerificationReportTest, ChainOfTwoCorrectionsAndARetraction) {
  BuildLog();
  const Report r = Build();
  const Section& s = SectionOf(r, "Corrections and retractions");
  const Table& chains = s.tables[0];
  ASSERT_EQ(chains.rows.size(), 3u) << Joined(chains);
  EXPECT_EQ(chains.rows[0][1].rfind("idx 10 · RiskAssessed", 0), 0u);
  EXPECT_EQ(chains.rows[0][2], "original");
  EXPECT_EQ(chains.rows[1][2], "supersedes idx 10: wrong likelihood");
  EXPECT_EQ(chains.rows[2][1].rfind("idx 13 · ", 0), 0u);
  EXPECT_EQ(chains.rows[2][2], "supersedes idx 12: severity re-rated; current");
  EXPECT_EQ(r.data["corrections"]["chains"], 1);
  EXPECT_EQ(r.data["corrections"]["longest"], 2);
  const Table& retractions = s.tables[1];
  ASSERT_EQ(retractions.rows.size(), 1u);
  EXPECT_EQ(retractions.rows[0][1].rfind("idx 11 · ", 0), 0u);
  EXPECT_EQ(retractions.rows[0][2], "recorded for the wrong system");
}

TEST_F(VerificationReportTest, ErasedAttachment) {
  BuildLog();
  const Report r = Build();
  const Table& t = SectionOf(r, "Erased attachments").tables[0];
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0][0].rfind("idx 17 · Erasure", 0), 0u);
  EXPECT_EQ(t.rows[0][1].rfind("idx 16 · IncidentReported", 0), 0u);
  EXPECT_EQ(t.rows[0][2], "#0: complainant contact (text/plain)");
  EXPECT_EQ(t.rows[0][3], "GDPR Art. 17(1)(a)");
  EXPECT_EQ(t.rows[0][4], "the complainant");
}

TEST_F(VerificationReportTest, LateRecordsBeyondTheCapAreCounted) {
  BuildLog();
  const Report r = Build();
  const nlohmann::json& late = r.data["late"];
  EXPECT_EQ(late["count"], 60);
  EXPECT_EQ(late["by_type"]["StakeholderFeedbackReceived"], 55);
  EXPECT_EQ(late["by_type"]["TrainingCompleted"], 5);
  EXPECT_EQ(late["by_backfill_reason"]["migrated from the CRM"], 30);
  EXPECT_EQ(late["by_backfill_reason"]["none given"], 30);
  EXPECT_EQ(late["listed"].size(), 50u);
  const Section& s = SectionOf(r, "Late-recorded events");
  ASSERT_EQ(s.tables[0].rows.size(), 50u);
  // The latest recorded first: idx 81 is 67 days late, idx 32 is 18.
  EXPECT_EQ(s.tables[0].rows[0][0].rfind("idx 81 · ", 0), 0u);
  EXPECT_EQ(s.tables[0].rows[0][1], "67 days");
  EXPECT_EQ(s.tables[0].rows[49][0].rfind("idx 32 · ", 0), 0u);
  EXPECT_NE(Paragraphs(s).find("60 late entries in all: the 50 recorded "
                               "latest after they occurred are listed, the "
                               "other 10 counted here only."),
            std::string::npos)
      << Paragraphs(s);
}

TEST_F(VerificationReportTest, PendingAndRejectedApprovalsCited) {
  BuildLog();
  const Report r = Build();
  const Section& s = SectionOf(r, "Approvals pending and rejected");
  ASSERT_EQ(s.tables[0].rows.size(), 1u);
  EXPECT_EQ(s.tables[0].rows[0][0].rfind("idx 18 · PolicyPublished", 0), 0u);
  EXPECT_EQ(s.tables[0].rows[0][1],
            "a holder of the 'approver' function of Acme AI");
  ASSERT_EQ(s.tables[1].rows.size(), 1u);
  EXPECT_EQ(s.tables[1].rows[0][0].rfind("idx 19 · ReportPublished", 0), 0u);
  EXPECT_EQ(s.tables[1].rows[0][1].rfind(
                "Ada (Acme AI, person): idx 20 · Approval", 0),
            0u)
      << s.tables[1].rows[0][1];
  EXPECT_EQ(s.tables[1].rows[0][2], "AI board");
}

TEST_F(VerificationReportTest, RangeCheckpointAndWitnesses) {
  BuildLog();
  const Report r = Build();
  EXPECT_EQ(r.envelope.from, 0u);
  EXPECT_EQ(r.envelope.to, records_.size());
  EXPECT_TRUE(r.envelope.complete_range);
  EXPECT_EQ(r.envelope.witnessed.size(), 2u);
  const Section& s = SectionOf(r, "Range, checkpoint and witnesses");
  const std::string text = Paragraphs(s);
  EXPECT_NE(text.find("Entries [0, 83) of example.org/log"), std::string::npos)
      << text;
  EXPECT_NE(text.find("Entries below 20 were recorded no later than"),
            std::string::npos)
      << text;
  ASSERT_EQ(s.tables.size(), 1u);
  EXPECT_EQ(s.tables[0].rows[0][0], "witness.example");
  EXPECT_EQ(s.tables[0].rows[0][1], "2");
  EXPECT_EQ(r.data["range"]["timed_below"], 20);
}

TEST_F(VerificationReportTest, ARangedBundleSaysWhatItCannotShow) {
  BuildLog();
  records_.erase(records_.begin(), records_.begin() + 6);  // from 6
  verified_.from = 6;
  verified_.roster_complete = false;
  verified_.roster_events_supplied = 6;
  const Report r = Build();
  EXPECT_NE(Paragraphs(SectionOf(r, "Range, checkpoint and witnesses"))
                .find("the roster is NOT proven complete"),
            std::string::npos);
  // Eve's grant is before the range; her revocation and window are not.
  const std::string timeline =
      Joined(SectionOf(r, "Key grants and revocations").tables[0]);
  EXPECT_NE(timeline.find("before the verified range | idx 14 · KeyRevoked"),
            std::string::npos)
      << timeline;
}

TEST_F(VerificationReportTest, EveryListIsBounded) {
  BuildLog();
  // 150 more entries by Eve inside her window, before the revocation: build
  // a log where the revocation comes after them.
  records_.clear();
  Add("Genesis", kAdmin)
      .event.mutable_genesis()
      ->set_admin_public_key(std::string(kAdmin.begin(), kAdmin.end()));
  Grant(kEve, "Eve", "Acme AI", v1::KEY_KIND_PERSON, {});
  for (int i = 0; i < 150; ++i) {
    Record& r = Add("IncidentReported", kEve);
    r.event.add_sealed()->set_label("contact");
  }
  for (int i = 0; i < 150; ++i) {
    v1::Erasure* e = Add("Erasure", kAdmin).event.mutable_erasure();
    e->set_event_id(Id(2 + i));
  }
  v1::KeyRevoked* k = Add("KeyRevoked", kAdmin).event.mutable_key_revoked();
  k->set_public_key(std::string(kEve.begin(), kEve.end()));
  k->set_compromised_since_ms(kStart);
  verified_.to = verified_.checkpoint_size = records_.size();
  const Report r = Build();
  const Section& keys = SectionOf(r, "Key grants and revocations");
  EXPECT_EQ(keys.tables[1].rows.size(), 100u);
  EXPECT_NE(Paragraphs(keys).find("150 entries recorded inside the window "
                                  "(IncidentReported 150), the first 100 "
                                  "listed."),
            std::string::npos)
      << Paragraphs(keys);
  const Section& erased = SectionOf(r, "Erased attachments");
  EXPECT_EQ(erased.tables[0].rows.size(), 100u);
  EXPECT_EQ(erased.tables[0].rows[0][0].rfind("idx 202 · Erasure", 0), 0u);
  EXPECT_NE(Paragraphs(erased).find("150 erasures in all: the 100 latest are "
                                    "listed, the other 50 counted here only."),
            std::string::npos);
  EXPECT_EQ(r.data["erasures"]["count"], 150);
  EXPECT_EQ(r.data["erasures"]["listed"].size(), 100u);
}

TEST_F(VerificationReportTest, TheSameRecordsGiveTheSameBytes) {
  BuildLog();
  const Report a = Build();
  const std::vector<Record> copy = records_;  // other addresses
  const Report b = VerificationReport(verified_, options_, copy);
  EXPECT_EQ(RenderJson(a), RenderJson(b));
  EXPECT_EQ(RenderMarkdown(a), RenderMarkdown(b));
  EXPECT_EQ(RenderHtml(a), RenderHtml(b));
  for (const char* key : {"signers", "segregation", "keys", "corrections",
                          "late", "approvals", "erasures", "range"})
    EXPECT_TRUE(a.data.contains(key)) << key;
}

}  // namespace
}  // namespace ailedger::reports
