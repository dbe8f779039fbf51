// reports/citations.h over records built in memory: which entries a report
// cites, their status and assurance from later entries, and inclusion proofs
// from the bundle's leaf hashes that verify against the tree's root.
#include "reports/citations.h"

#include <gtest/gtest.h>

#include "ledger/merkle/verify.h"
#include "tests/testing/reference_tree.h"

namespace ailedger::reports {
namespace {

PublicKey Key(uint8_t b) {
  PublicKey k{};
  k.fill(b);
  return k;
}

Hash Id(uint8_t b) {
  Hash h{};
  h.fill(b);
  return h;
}

class CitationsTest : public ::testing::Test {
 protected:
  // Index i has event id Id(i + 1) and leaf hash HashLeaf("leaf i").
  Record& Add(const std::string& type, const PublicKey& signer,
              const std::string& org = "Acme AI") {
    Record r;
    r.index = records_.size();
    r.event_id = Id(static_cast<uint8_t>(r.index + 1));
    r.leaf_hash = HashLeaf("leaf " + std::to_string(r.index));
    r.signer = signer;
    r.integrated_time_ms = 1'700'000'000'000 + 86'400'000 * r.index;
    r.event.set_event_type(type);
    r.event.set_organisation(org);
    r.event.set_occurred_at_ms(1'700'000'000'000);
    records_.push_back(r);
    proofs_.leaf_hashes.push_back(r.leaf_hash);
    return records_.back();
  }

  void Grant(const PublicKey& key, const std::string& name,
             const std::string& org, v1::KeyKind kind) {
    v1::KeyGranted* g =
        Add("KeyGranted", Key(0xAD)).event.mutable_key_granted();
    g->set_public_key(std::string(key.begin(), key.end()));
    g->set_display_name(name);
    g->set_organisation(org);
    g->set_kind(kind);
  }

  Report Citing(std::initializer_list<uint64_t> indices) {
    Report r;
    r.kind = "test";
    Section s{"figures", {}, {Table{{"evidence"}, {}}}};
    for (uint64_t i : indices) s.tables[0].rows.push_back({Cite(records_[i])});
    r.sections.push_back(s);
    return r;
  }

  std::vector<Record> records_;
  ProofSource proofs_;
  VerifyReport verified_;
  VerifyOptions options_;
};

TEST_F(CitationsTest, FindsEveryIndexCitedAnywhereAndNothingElse) {
  for (int i = 0; i < 12; ++i) Add("RiskAssessed", Key(1));
  Report r = Citing({3, 11});
  r.data["note"] = Cite(records_[7]);
  r.sections[0].paragraphs.push_back("idx 5 is not a citation; idx 6 · is");
  EXPECT_EQ(CitedIndices(r), (std::set<uint64_t>{3, 6, 7, 11}));
}

TEST_F(CitationsTest, StatusAndAssuranceComeFromLaterEntries) {
  Grant(Key(1), "pipeline", "Acme AI", v1::KEY_KIND_SERVICE_ACCOUNT);  // 0
  Grant(Key(2), "Ada", "Audit Co", v1::KEY_KIND_PERSON);               // 1
  Add("FairnessSnapshot", Key(1)).event.mutable_fairness_snapshot();   // 2
  Add("RiskAssessed", Key(1));                                         // 3
  Record& approval = Add("Approval", Key(2), "Audit Co");              // 4
  approval.event.mutable_approval()->set_approves(
      std::string(AsBytes(Id(3))));  // index 2
  approval.event.mutable_approval()->set_decision(v1::DECISION_APPROVE);
  Record& fix = Add("RiskAssessed", Key(1));  // 5 supersedes 3
  fix.event.set_supersedes(std::string(AsBytes(Id(4))));
  fix.event.set_supersedes_reason("wrong owner");
  Record& retraction = Add("Retraction", Key(1));  // 6 retracts 5
  retraction.event.mutable_retraction()->set_retracts(
      std::string(AsBytes(Id(6))));
  retraction.event.mutable_retraction()->set_reason("wrong system");
  options_.expected.push_back({v1::ROLE_AUDITOR, Key(2)});
  verified_.checkpoint_size = records_.size();
  verified_.witnessed.push_back({4, {{"witness.example", 1'800'000'000}}});

  Report r = Citing({2, 3, 5});
  AttachCitations(records_, proofs_, verified_, options_, &r);
  const nlohmann::json& c = r.data["citations"];
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0]["signer"]["kind"], "service account");
  EXPECT_EQ(c[0]["status"], nlohmann::json({"current"}));
  const auto assurance = c[0]["assurance"].get<std::vector<std::string>>();
  ASSERT_EQ(assurance.size(), 5u) << c[0]["assurance"];
  EXPECT_EQ(assurance[0], "self-attested");
  EXPECT_EQ(assurance[1].rfind("attested by the other party (idx 4", 0), 0u);
  EXPECT_EQ(assurance[2].rfind("confirmed by an expected auditor", 0), 0u);
  EXPECT_EQ(assurance[3], "computed from raw inputs");
  EXPECT_NE(assurance[4].find("2027-01-15T08:00:00.000Z per witness.example"),
            std::string::npos)
      << assurance[4];
  EXPECT_EQ(c[1]["status"][0], "superseded by idx 5 (wrong owner)");
  EXPECT_EQ(c[1]["assurance"].size(), 2u);  // self-attested, witnessed
  EXPECT_EQ(c[2]["status"][0], "retracted by idx 6 (wrong system)");
  EXPECT_EQ(c[2]["assurance"].size(), 1u);  // above the witnessed size
  EXPECT_EQ(r.sections.back().title, "Evidence cited");
  EXPECT_EQ(r.sections.back().tables[0].rows.size(), 3u);
}

TEST_F(CitationsTest, InclusionProofsAreTheReferenceTreesAndVerify) {
  for (int size : {1, 2, 3, 5, 8, 13}) {
    records_.clear();
    proofs_ = ProofSource{};
    for (int i = 0; i < size; ++i) Add("RiskAssessed", Key(1));
    ProofTree tree(proofs_, size);
    const Hash root = testing::ReferenceRoot(proofs_.leaf_hashes, 0, size);
    for (int i = 0; i < size; ++i) {
      auto proof = tree.Inclusion(i);
      ASSERT_TRUE(proof.ok());
      EXPECT_EQ(*proof,
                testing::ReferenceInclusion(proofs_.leaf_hashes, i, size));
      EXPECT_TRUE(
          VerifyInclusion(i, size, proofs_.leaf_hashes[i], *proof, root).ok())
          << size << " " << i;
      // Another leaf at the same index does not verify.
      EXPECT_FALSE(
          VerifyInclusion(i, size, HashLeaf("other"), *proof, root).ok());
    }
    EXPECT_FALSE(tree.Inclusion(size).ok());
  }
}

TEST_F(CitationsTest, ARangedBundleHasNoProofs) {
  for (int i = 0; i < 4; ++i) Add("RiskAssessed", Key(1));
  proofs_.first = 2;
  EXPECT_EQ(ProofTree(proofs_, 4).Inclusion(2).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace ailedger::reports
