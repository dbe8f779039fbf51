// Approval rules and the book of pending approvals, including two-party
// records.
#include "ledger/governance/approvals.h"

#include "gtest/gtest.h"

namespace ailedger {
namespace {

v1::Approval Approve(const Hash& id, v1::Decision d = v1::DECISION_APPROVE) {
  v1::Approval a;
  a.set_approves(std::string(AsBytes(id)));
  a.set_decision(d);
  return a;
}

// Acme AI's release, event 7 by key 1, checked under role table `version`.
ApprovableEvent AcmeRelease(uint32_t version) {
  v1::Event release;
  release.set_event_type("ModelVersionReleased");
  release.set_organisation("Acme AI");
  return ApprovableOf(7, PublicKey{1}, release, version);
}

// Mallory Ltd's approval of `id`, and an approver of Mallory Ltd.
v1::Event MalloryApproval(const Hash& id) {
  v1::Event approval;
  approval.set_event_type("Approval");
  approval.set_organisation("Mallory Ltd");
  v1::Approval* a = approval.mutable_approval();
  *a = Approve(id);
  a->set_authority("board");
  return approval;
}
v1::RosterMember MalloryApprover() {
  v1::RosterMember outsider;
  outsider.mutable_grant()->set_organisation("Mallory Ltd");
  outsider.mutable_grant()->add_functions("approver");
  return outsider;
}

// Deployer Ltd's agreement with its partner Provider Inc: a two-party record.
v1::Event Agreement() {
  v1::Event agreement;
  agreement.set_event_type("AgreementRecorded");
  agreement.set_organisation("Deployer Ltd");
  auto* s = agreement.add_subjects();
  s->set_kind("partner");
  s->set_id("Provider Inc");
  return agreement;
}

// A lookup that finds `target` under any id.
auto Finds(const ApprovableEvent& target) {
  return
      [target](const Hash&) -> absl::StatusOr<std::optional<ApprovableEvent>> {
        return std::optional<ApprovableEvent>(target);
      };
}

TEST(ApprovalsTest, RuleTable) {
  EXPECT_EQ(ApprovalFunction("ModelVersionReleased"), "approver");
  EXPECT_EQ(ApprovalFunction("RiskTreated"), "risk_owner");
  EXPECT_EQ(ApprovalFunction("FairnessSnapshot"), std::nullopt);
}

TEST(ApprovalsTest, ARecordIsPendingUntilApprovedAndRejectedWhenRejected) {
  InitCrypto();
  ApprovalBook book;
  const Hash id = HashLeaf("release");
  book.NoteEvent(id, {7, {}, "ModelVersionReleased", {}, "Acme AI"});
  ASSERT_EQ(book.Pending().size(), 1u);
  book.NoteApproval(Approve(id), "Acme AI");
  EXPECT_TRUE(book.Pending().empty());
  book.NoteApproval(Approve(id, v1::DECISION_REJECT), "Acme AI");
  EXPECT_TRUE(book.Pending().empty());    // the latest decision counts:
  ASSERT_EQ(book.Rejected().size(), 1u);  // rejected, not awaiting
  EXPECT_EQ(book.Rejected()[0].index, 7u);
  book.NoteApproval(Approve(id), "Acme AI");  // and approves again
  EXPECT_TRUE(book.Rejected().empty());
  const Hash other = HashLeaf("other release");
  book.NoteEvent(other, {9, {}, "ModelVersionReleased", {}, "Acme AI"});
  ASSERT_EQ(book.Pending().size(), 1u);
  book.NoteWithdrawn(other);  // superseded or retracted: awaits nothing
  EXPECT_TRUE(book.Pending().empty());
}

TEST(ApprovalsTest, ATwoPartyRecordCountsOnlyOnceBothOrganisationsApprove) {
  InitCrypto();
  const v1::Event agreement = Agreement();
  const auto parties = PartiesOf(agreement);
  ASSERT_EQ(parties.size(), 2u);
  ApprovalBook book;
  const Hash id = HashLeaf("agreement");
  book.NoteEvent(id, ApprovableOf(3, {}, agreement, kRoleTableVersion));
  book.NoteApproval(Approve(id), "Deployer Ltd");
  EXPECT_EQ(book.Pending().size(), 1u);  // the provider has not approved yet
  book.NoteApproval(Approve(id), "Unrelated Plc");
  EXPECT_EQ(book.Pending().size(), 1u);  // not a party: does not count
  book.NoteApproval(Approve(id), "Provider Inc");
  EXPECT_TRUE(book.Pending().empty());
}

// Flaw 16: only the record's own organisation decides on a single-party
// record; another organisation's approval or rejection neither counts in the
// book nor passes CheckApproval.
TEST(ApprovalsTest, AnApproverOfAnUnrelatedOrganisationNeitherCountsNorPasses) {
  InitCrypto();
  const ApprovableEvent target = AcmeRelease(kRoleTableVersion);
  EXPECT_EQ(target.organisation, "Acme AI");
  EXPECT_TRUE(target.parties.empty());
  ApprovalBook book;
  const Hash id = HashLeaf("release");
  book.NoteEvent(id, target);
  book.NoteApproval(Approve(id), "Mallory Ltd");
  EXPECT_EQ(book.Pending().size(), 1u);  // still awaiting Acme AI
  book.NoteApproval(Approve(id, v1::DECISION_REJECT), "Mallory Ltd");
  EXPECT_TRUE(book.Rejected().empty());  // nor can Mallory reject it

  const v1::Event approval = MalloryApproval(id);
  const v1::RosterMember outsider = MalloryApprover();
  const auto lookup = Finds(target);
  absl::Status s = CheckApproval(approval, PublicKey{2}, outsider, lookup);
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied) << s;
  EXPECT_EQ(s.message(),
            "approval: 'Mallory Ltd' may not approve event 7 of 'Acme AI': "
            "only its own organisation approves it");
  v1::RosterMember insider = outsider;
  insider.mutable_grant()->set_organisation("Acme AI");
  EXPECT_TRUE(CheckApproval(approval, PublicKey{2}, insider, lookup).ok());
}

// Role table version 1: a log written before the organisation rule keeps
// the rules it was written with. Any organisation's approver passes, and its
// decisions count, as they did then; a two-party record still needs each party.
TEST(ApprovalsTest, UnderRoleTableVersionOneAnyOrganisationsApproverCounts) {
  InitCrypto();
  const ApprovableEvent target = AcmeRelease(1);
  EXPECT_EQ(target.role_table_version, 1u);
  const Hash id = HashLeaf("release");
  const v1::Event approval = MalloryApproval(id);
  const v1::RosterMember outsider = MalloryApprover();
  const auto lookup = Finds(target);
  EXPECT_TRUE(CheckApproval(approval, PublicKey{2}, outsider, lookup).ok());
  EXPECT_EQ(CheckApproval(approval, PublicKey{1}, outsider, lookup).code(),
            absl::StatusCode::kPermissionDenied);  // still not the author
  ApprovalBook book;
  book.NoteEvent(id, target);
  book.NoteApproval(Approve(id, v1::DECISION_REJECT), "Mallory Ltd");
  EXPECT_EQ(book.Rejected().size(), 1u);
  book.NoteApproval(Approve(id), "Mallory Ltd");
  EXPECT_TRUE(book.Pending().empty());

  const Hash agreed = HashLeaf("agreement");
  book.NoteEvent(agreed, ApprovableOf(3, {}, Agreement(), 1));
  book.NoteApproval(Approve(agreed), "Deployer Ltd");
  book.NoteApproval(Approve(agreed), "Unrelated Plc");
  EXPECT_EQ(book.Pending().size(), 1u);  // Provider Inc has not approved
  book.NoteApproval(Approve(agreed), "Provider Inc");
  EXPECT_TRUE(book.Pending().empty());
}

TEST(ApprovalsTest, AJointAuditBindsTheOrganisationsItAudits) {
  v1::Event audit;
  audit.set_event_type("AuditStarted");
  audit.set_organisation("Audit Firm");
  EXPECT_FALSE(TakesApprovals(audit));  // an ordinary audit
  for (const char* org : {"Provider Inc", "Deployer Ltd"}) {
    auto* s = audit.add_subjects();
    s->set_kind("organisation");
    s->set_id(org);
  }
  EXPECT_TRUE(TakesApprovals(audit));
  EXPECT_EQ(PartiesOf(audit),
            (std::vector<std::string>{"Deployer Ltd", "Provider Inc"}));
  v1::Event one;
  one.set_event_type("AuditStarted");
  one.add_subjects()->set_kind("organisation");
  one.mutable_subjects(0)->set_id("Provider Inc");
  EXPECT_FALSE(TakesApprovals(one));  // binds one organisation only
}

}  // namespace
}  // namespace ailedger
