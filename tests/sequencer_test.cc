// The sequencer without gRPC: group commit, refusals alone, the bounded queue,
// the high-water mark, and receipts that verify.
#include "server/sequencer.h"

#include <filesystem>

#include "gtest/gtest.h"
#include "ledger/base/file_util.h"
#include "ledger/governance/examples.h"
#include "ledger/governance/roles.h"
#include "ledger/storage/memory_store.h"
#include "ledger/tlog/contexts.h"
#include "ledger/tlog/leaf.h"
#include "ledger/tlog/tlog_proof.h"
#include "tests/testing/sequencer_events.h"

namespace ailedger {
namespace {

constexpr char kOrigin[] = "seq.example/log";

class SequencerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    InitCrypto();
    key_path_ =
        ::testing::TempDir() + "/seq-log-" + std::to_string(getpid()) + ".key";
    std::filesystem::remove(key_path_ + ".hwm");
    auto key = SigningKey::Generate(kOrigin, kKeyTypeEd25519).value();
    ASSERT_TRUE(WriteFileDurably(key_path_, key.ToString(), 0600).ok());
    signer_ = LogSigner::Open(key_path_).value();
    admin_ = std::make_unique<SigningKey>(
        SigningKey::Generate("admin", kKeyTypeEd25519).value());
    writer_ = LogWriter::Open(&store_, kOrigin, [this](const Checkpoint& cp) {
                return signer_->Sign(cp);
              }).value();
  }
  void Start(Sequencer::Options o = {}) {
    seq_ = std::make_unique<Sequencer>(&store_, writer_.get(), signer_.get(),
                                       Roster(kOrigin), o,
                                       [] { return uint64_t{1000}; });
  }
  PendingAppend Pending(const v1::Event& e, const SigningKey& k) {
    return testing::SignedPending(kOrigin, e, k);
  }
  v1::Event Genesis() { return testing::TestGenesis(kOrigin, *admin_); }
  // A grant of the publisher role to `k` (organisation "Acme AI").
  v1::Event Grant(const SigningKey& k) {
    return testing::PublisherGrant(kOrigin, k);
  }
  // Feedback with one sealed attachment.
  v1::Event Feedback(const std::string& nonce) {
    v1::Event feedback;
    feedback.set_event_type("StakeholderFeedbackReceived");
    feedback.set_organisation("Acme AI");
    feedback.set_nonce(nonce);
    FillExampleBody(&feedback);
    feedback.add_sealed()->set_commitment(std::string(32, 'c'));
    return feedback;
  }
  v1::Event Erasure(const Hash& id, uint32_t attachment,
                    const std::string& nonce) {
    v1::Event e;
    e.set_event_type("Erasure");
    e.set_nonce(nonce);
    e.mutable_erasure()->set_event_id(std::string(AsBytes(id)));
    e.mutable_erasure()->set_attachment(attachment);
    e.mutable_erasure()->set_legal_basis("GDPR Art. 17(1)(a)");
    return e;
  }
  AppendOutcomes Run(std::vector<PendingAppend> group) {
    return testing::SubmitAndWait(*seq_, std::move(group));
  }

  std::string key_path_;
  MemoryStore store_;
  std::unique_ptr<LogSigner> signer_;
  std::unique_ptr<SigningKey> admin_;
  std::unique_ptr<LogWriter> writer_;
  std::unique_ptr<Sequencer> seq_;
};

TEST_F(SequencerTest, ReceiptsVerifyAndRefusalsStandAlone) {
  Start();
  v1::Event audit;
  audit.set_event_type("AuditFinding");  // the admin is not an auditor
  v1::Event stray;
  stray.set_event_type("Genesis");  // not at index 0
  auto out = Run({Pending(Genesis(), *admin_), Pending(audit, *admin_),
                  Pending(stray, *admin_)});
  ASSERT_EQ(out.size(), 3u);
  ASSERT_TRUE(out[0].ok()) << out[0].status();
  EXPECT_EQ(out[1].status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_FALSE(out[2].ok());
  auto proof = ParseTlogProof(out[0]->tlog_proof);
  ASSERT_TRUE(proof.ok());
  EXPECT_TRUE(
      VerifyTlogProof(*proof, out[0]->leaf_hash, signer_->verifier()).ok());
  EXPECT_EQ(store_.ReadTreeState()->size, 1u);
  EXPECT_EQ(signer_->high_water_mark(), 1u);
  EXPECT_EQ(ReadSmallFile(key_path_ + ".hwm").value().substr(0, 2), "1 ");
}

TEST_F(SequencerTest, AFullQueueIsResourceExhausted) {
  Sequencer::Options o;
  o.max_queue_bytes = 10;  // smaller than any event
  Start(o);
  auto s = seq_->Submit({Pending(Genesis(), *admin_)}, [](AppendOutcomes) {});
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_FALSE(store_.ReadTreeState().ok());
}

TEST_F(SequencerTest, SigningBelowTheHighWaterMarkIsRefused) {
  ASSERT_TRUE(signer_->Advance(5).ok());
  Start();
  auto out = Run({Pending(Genesis(), *admin_)});
  EXPECT_EQ(out[0].status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_FALSE(store_.ReadTreeState().ok());
  auto reopened = LogSigner::Open(key_path_).value();
  EXPECT_EQ(reopened->high_water_mark(), 5u);
}

TEST_F(SequencerTest, StopAnswersEverythingQueued) {
  Start();
  std::atomic<int> answered{0};
  for (int i = 0; i < 50; ++i) {
    v1::Event e = Genesis();
    e.set_nonce(std::to_string(i));
    ASSERT_TRUE(
        seq_->Submit({Pending(e, *admin_)}, [&](AppendOutcomes) { ++answered; })
            .ok());
  }
  seq_->Stop();
  EXPECT_EQ(answered.load(), 50);
  EXPECT_EQ(
      seq_->Submit({Pending(Genesis(), *admin_)}, [](AppendOutcomes) {}).code(),
      absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace ailedger

namespace ailedger {
namespace {

TEST_F(SequencerTest, TheSignerNeverSignsTwoTreesOfOneSize) {
  Checkpoint a{kOrigin, 4, HashLeaf("a")}, b{kOrigin, 4, HashLeaf("b")};
  ASSERT_TRUE(signer_->Sign(a).ok());
  ASSERT_TRUE(signer_->Advance(4, a.root).ok());  // a was committed
  EXPECT_TRUE(signer_->Sign(a).ok());             // the same tree again is fine
  EXPECT_EQ(signer_->Sign(b).status().code(),
            absl::StatusCode::kFailedPrecondition);
  // The mark, with its root, survives a restart.
  auto reopened = LogSigner::Open(key_path_).value();
  EXPECT_EQ(reopened->Sign(b).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(reopened->high_water_mark(), 4u);
}

}  // namespace
}  // namespace ailedger

namespace ailedger {
namespace {

// An erasure may name an event of its own batch: the sequencer sees the
// attachments of events it admitted before (gen-history found this).
TEST_F(SequencerTest, AnErasureMayNameAnEventOfTheSameBatch) {
  Start();
  const SigningKey pub =
      SigningKey::Generate("publisher", kKeyTypeEd25519).value();
  const PendingAppend logged = Pending(Feedback("f"), pub);
  auto erase = [&](uint32_t attachment, const std::string& nonce) {
    return Pending(Erasure(logged.event_id, attachment, nonce), *admin_);
  };
  auto out = Run({Pending(Genesis(), *admin_), Pending(Grant(pub), *admin_),
                  logged, erase(0, "a"), erase(0, "b"), erase(1, "c")});
  ASSERT_EQ(out.size(), 6u);
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(out[i].ok()) << i << out[i].status();
  EXPECT_EQ(out[4].status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(out[4].status().message().find("already erased"),
            std::string::npos);
  EXPECT_EQ(out[5].status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_.ReadTreeState()->size, 4u);
}

// A batch's events are looked up in the store in one read before the rules
// run (Sequencer::Batch::Prefetch): copies logged by an earlier batch, copies
// within the batch and events the rules name from an earlier batch are each
// still found.
TEST_F(SequencerTest, ABatchFindsWhatEarlierBatchesAndItselfLogged) {
  Start();
  const SigningKey pub =
      SigningKey::Generate("publisher", kKeyTypeEd25519).value();
  const PendingAppend logged = Pending(Feedback("f"), pub);
  auto first =
      Run({Pending(Genesis(), *admin_), Pending(Grant(pub), *admin_), logged});
  for (const auto& o : first) ASSERT_TRUE(o.ok()) << o.status();
  const PendingAppend fresh = Pending(Feedback("g"), pub);
  auto out = Run({logged, Pending(Feedback("f"), *admin_),
                  Pending(Erasure(logged.event_id, 0, "a"), *admin_), fresh,
                  fresh, Pending(Erasure(logged.event_id, 0, "b"), *admin_),
                  Pending(Erasure(logged.event_id, 1, "c"), *admin_)});
  ASSERT_EQ(out.size(), 7u);
  ASSERT_TRUE(out[0].ok()) << out[0].status();  // logged before: its receipt
  EXPECT_TRUE(out[0]->duplicate);
  EXPECT_EQ(out[0]->index, 2u);
  EXPECT_EQ(out[1].status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_NE(out[1].status().message().find("at index 2 by another signer"),
            std::string::npos)
      << out[1].status();
  ASSERT_TRUE(out[2].ok()) << out[2].status();  // names index 2's attachment
  ASSERT_TRUE(out[3].ok()) << out[3].status();
  EXPECT_FALSE(out[3]->duplicate);
  ASSERT_TRUE(out[4].ok()) << out[4].status();  // a copy within the batch
  EXPECT_TRUE(out[4]->duplicate);
  EXPECT_EQ(out[4]->index, out[3]->index);
  EXPECT_EQ(out[5].status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(out[6].status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_.ReadTreeState()->size, 5u);
}

// Role table versions: the sequencer applies the organisation rules of
// version 2 only to a log whose genesis names version 2; a version 1 log keeps
// the rules it was written under (an event naming no organisation, an
// approval by an unrelated organisation's approver).
class SequencerRoleTableTest : public SequencerTest {
 protected:
  // Appends a genesis naming `version`, grants an Acme AI publisher and a
  // Mallory Ltd approver, then (in a second batch, so that the approved event
  // is looked up in the store) an event naming no organisation and Mallory's
  // approval of Acme's policy. Returns the second batch's outcomes.
  AppendOutcomes Replay(uint32_t version) {
    Start();
    v1::Event genesis = Genesis();
    genesis.mutable_genesis()->set_role_table_version(version);
    v1::Event policy;
    policy.set_event_type("PolicyPublished");
    policy.set_organisation("Acme AI");
    FillExampleBody(&policy);
    const PendingAppend logged = Pending(policy, analyst_);
    auto first =
        Run({Pending(genesis, *admin_),
             Pending(GrantOf(analyst_, "Acme AI", ""), *admin_),
             Pending(GrantOf(outsider_, "Mallory Ltd", "approver"), *admin_),
             logged});
    for (const auto& o : first) EXPECT_TRUE(o.ok()) << o.status();
    v1::Event nameless;
    nameless.set_event_type("RiskAssessed");
    FillExampleBody(&nameless);
    v1::Event approval;
    approval.set_event_type("Approval");
    approval.set_organisation("Mallory Ltd");
    approval.mutable_approval()->set_approves(
        std::string(AsBytes(logged.event_id)));
    approval.mutable_approval()->set_decision(v1::DECISION_APPROVE);
    approval.mutable_approval()->set_authority("board");
    return Run({Pending(nameless, analyst_), Pending(approval, outsider_)});
  }
  v1::Event GrantOf(const SigningKey& key, const std::string& organisation,
                    const std::string& function) {
    const PublicKey pk = key.verifier().public_key();
    v1::Event e;
    e.set_event_type("KeyGranted");
    e.set_organisation(organisation);
    auto* g = e.mutable_key_granted();
    g->set_public_key(std::string(AsBytes(pk)));
    g->set_display_name("staff");
    g->set_organisation(organisation);
    g->set_kind(v1::KEY_KIND_PERSON);
    g->add_roles(v1::ROLE_PUBLISHER);
    if (!function.empty()) g->add_functions(function);
    g->set_possession_signature(
        std::string(AsBytes(key.Sign(KeyPossessionMessage(kOrigin, pk)))));
    return e;
  }

  const SigningKey analyst_ =
      SigningKey::Generate("analyst", kKeyTypeEd25519).value();
  const SigningKey outsider_ =
      SigningKey::Generate("outsider", kKeyTypeEd25519).value();
};

TEST_F(SequencerRoleTableTest, AVersionOneLogKeepsTheRulesItWasWrittenWith) {
  auto out = Replay(1);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_TRUE(out[0].ok()) << out[0].status();
  EXPECT_TRUE(out[1].ok()) << out[1].status();
  EXPECT_EQ(store_.ReadTreeState()->size, 6u);
}

TEST_F(SequencerRoleTableTest, AVersionTwoLogRefusesTheSameEvents) {
  auto out = Replay(2);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(out[0].status().message(),
            "organisation: '' is not the signer's organisation 'Acme AI'");
  EXPECT_EQ(out[1].status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(out[1].status().message(),
            "approval: 'Mallory Ltd' may not approve event 3 of 'Acme AI': "
            "only its own organisation approves it");
  EXPECT_EQ(store_.ReadTreeState()->size, 4u);
}

TEST_F(SequencerRoleTableTest, AGenesisNamingAnUnknownVersionIsRefused) {
  Start();
  v1::Event genesis = Genesis();
  genesis.mutable_genesis()->set_role_table_version(kRoleTableVersion + 1);
  auto out = Run({Pending(genesis, *admin_)});
  EXPECT_EQ(out[0].status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(store_.ReadTreeState().ok());
}

}  // namespace
}  // namespace ailedger
