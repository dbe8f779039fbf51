// Roster replay: genesis, grants with possession signatures, revocations, roles
// and scopes, and the snapshot round trip.
#include "ledger/governance/roster.h"

#include "gtest/gtest.h"
#include "ledger/governance/genesis.h"
#include "ledger/governance/roles.h"
#include "ledger/tlog/checkpoint.h"
#include "ledger/tlog/contexts.h"
#include "ledger/tlog/leaf.h"

namespace ailedger {
namespace {

constexpr char kOrigin[] = "roster.example/log";

class RosterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    InitCrypto();
    admin_ = std::make_unique<SigningKey>(
        SigningKey::Generate("admin", kKeyTypeEd25519).value());
    ASSERT_TRUE(roster_.Apply(Pk(*admin_), Genesis(*admin_)).ok());
  }
  static const PublicKey& Pk(const SigningKey& k) {
    return k.verifier().public_key();
  }
  v1::Event Genesis(const SigningKey& admin) {
    GenesisParams p;
    p.origin = kOrigin;
    p.admin_public_key = Pk(admin);
    return MakeGenesis(p);
  }
  v1::Event Grant(const SigningKey& key, v1::Role role,
                  const std::string& scope_system = "") {
    v1::Event e;
    e.set_event_type("KeyGranted");
    auto* g = e.mutable_key_granted();
    g->set_public_key(std::string(AsBytes(Pk(key))));
    g->set_display_name("someone");
    g->set_organisation("Acme AI");
    g->set_kind(v1::KEY_KIND_PERSON);
    g->add_roles(role);
    g->set_scope_system(scope_system);
    g->set_possession_signature(
        std::string(AsBytes(key.Sign(KeyPossessionMessage(kOrigin, Pk(key))))));
    return e;
  }
  v1::Event Revoke(const SigningKey& key) {
    v1::Event e;
    e.set_event_type("KeyRevoked");
    e.mutable_key_revoked()->set_public_key(std::string(AsBytes(Pk(key))));
    return e;
  }
  v1::Event About(const std::string& type, const std::string& system) {
    v1::Event e;
    e.set_event_type(type);
    e.set_organisation("Acme AI");  // the signers' own (Grant)
    auto* s = e.add_subjects();
    s->set_kind("system");
    s->set_id(system);
    return e;
  }
  SigningKey NewKey(const std::string& name) {
    return SigningKey::Generate(name, kKeyTypeEd25519).value();
  }

  Roster roster_{kOrigin};
  std::unique_ptr<SigningKey> admin_;
};

TEST_F(RosterTest, GenesisMustBeFirstAndSignedByTheAdminItNames) {
  Roster fresh(kOrigin);
  SigningKey other = NewKey("other");
  EXPECT_EQ(fresh.Check(Pk(other), Genesis(*admin_)).code(),
            absl::StatusCode::kInvalidArgument);
  v1::Event wrong_origin = Genesis(*admin_);
  wrong_origin.mutable_genesis()->set_origin("elsewhere/log");
  EXPECT_EQ(fresh.Check(Pk(*admin_), wrong_origin).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(fresh.Check(Pk(*admin_), About("RiskAssessed", "s")).code(),
            absl::StatusCode::kInvalidArgument);  // entry 0 must be genesis
  EXPECT_EQ(roster_.Check(Pk(*admin_), Genesis(*admin_)).code(),
            absl::StatusCode::kFailedPrecondition);  // only entry 0
  EXPECT_TRUE(roster_.HasRole(Pk(*admin_), v1::ROLE_ADMIN));
}

// A successor log's genesis names another origin and a signed checkpoint of
// it (server/restore.h); a malformed or self-naming one is refused.
TEST_F(RosterTest, ASuccessorsGenesisNamesASignedCheckpointOfAnotherLog) {
  SigningKey old_key =
      SigningKey::Generate("old.example/log", kKeyTypeEd25519).value();
  const std::string note =
      SignCheckpoint({"old.example/log", 7, Sha256Of("root")}, old_key).value();
  auto successor = [&](const std::string& origin, const std::string& text) {
    GenesisParams p;
    p.origin = kOrigin;
    p.admin_public_key = Pk(*admin_);
    p.predecessor_origin = origin;
    p.predecessor_checkpoint = text;
    return Roster(kOrigin).Check(Pk(*admin_), MakeGenesis(p));
  };
  EXPECT_TRUE(successor("old.example/log", note).ok());
  EXPECT_EQ(successor("other.example/log", note).code(),
            absl::StatusCode::kInvalidArgument);  // not its checkpoint
  EXPECT_EQ(successor(kOrigin, note).code(),
            absl::StatusCode::kInvalidArgument);  // itself
  const std::string unsigned_body = note.substr(0, note.find("\n\n") + 1);
  EXPECT_EQ(successor("old.example/log", unsigned_body).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(successor("old.example/log", "").code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(RosterTest, GrantsNeedAnAdminAndThePossessionSignature) {
  SigningKey pub = NewKey("pub");
  v1::Event grant = Grant(pub, v1::ROLE_PUBLISHER);
  EXPECT_EQ(roster_.Check(Pk(pub), grant).code(),
            absl::StatusCode::kUnauthenticated);
  v1::Event forged = grant;
  SigningKey thief = NewKey("thief");
  forged.mutable_key_granted()->set_possession_signature(
      std::string(AsBytes(thief.Sign(KeyPossessionMessage(kOrigin, Pk(pub))))));
  EXPECT_EQ(roster_.Check(Pk(*admin_), forged).code(),
            absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(roster_.Apply(Pk(*admin_), grant).ok());
  EXPECT_EQ(roster_.Check(Pk(*admin_), grant).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(roster_.Check(Pk(pub), About("RiskAssessed", "s")).ok());
  EXPECT_EQ(roster_.Check(Pk(pub), About("AuditFinding", "s")).code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(RosterTest, RevokedKeysAreUnauthenticatedAndTheLastAdminStays) {
  SigningKey pub = NewKey("pub");
  ASSERT_TRUE(roster_.Apply(Pk(*admin_), Grant(pub, v1::ROLE_PUBLISHER)).ok());
  ASSERT_TRUE(roster_.Apply(Pk(*admin_), Revoke(pub)).ok());
  auto s = roster_.Check(Pk(pub), About("RiskAssessed", "s"));
  EXPECT_EQ(s.code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(s.message().find("revoked"), absl::string_view::npos);
  EXPECT_EQ(roster_.Check(Pk(*admin_), Revoke(*admin_)).code(),
            absl::StatusCode::kFailedPrecondition);
  SigningKey second = NewKey("admin2");
  ASSERT_TRUE(roster_.Apply(Pk(*admin_), Grant(second, v1::ROLE_ADMIN)).ok());
  EXPECT_TRUE(roster_.Apply(Pk(second), Revoke(*admin_)).ok());
  EXPECT_EQ(roster_.active_admins(), 1u);
}

TEST_F(RosterTest, ScopedKeysWriteOnlyAboutTheirSystem) {
  SigningKey scoped = NewKey("scoped");
  ASSERT_TRUE(
      roster_.Apply(Pk(*admin_), Grant(scoped, v1::ROLE_PUBLISHER, "hiring"))
          .ok());
  EXPECT_TRUE(roster_.Check(Pk(scoped), About("RiskAssessed", "hiring")).ok());
  EXPECT_EQ(roster_.Check(Pk(scoped), About("RiskAssessed", "credit")).code(),
            absl::StatusCode::kPermissionDenied);
  v1::Event none;
  none.set_event_type("RiskAssessed");
  EXPECT_EQ(roster_.Check(Pk(scoped), none).code(),
            absl::StatusCode::kPermissionDenied);
}

// Flaw 16: a key, scoped or not, writes in its own roster organisation's name
// only; the admin's events name the organisation they concern.
TEST_F(RosterTest, AKeyWritesOnlyInItsOwnOrganisationsName) {
  SigningKey pub = NewKey("pub");
  ASSERT_TRUE(roster_.Apply(Pk(*admin_), Grant(pub, v1::ROLE_PUBLISHER)).ok());
  v1::Event foreign = About("RiskAssessed", "s");
  foreign.set_organisation("Other Ltd");
  absl::Status s = roster_.Check(Pk(pub), foreign);
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(s.message(),
            "organisation: 'Other Ltd' is not the signer's organisation "
            "'Acme AI'");
  foreign.clear_organisation();  // nor in no one's
  EXPECT_EQ(roster_.Check(Pk(pub), foreign).code(),
            absl::StatusCode::kPermissionDenied);
  SigningKey other = NewKey("other");
  v1::Event grant = Grant(other, v1::ROLE_PUBLISHER);
  grant.mutable_key_granted()->set_organisation("Other Ltd");
  grant.set_organisation("Other Ltd");  // the admin grants for the grantee
  EXPECT_TRUE(roster_.Check(Pk(*admin_), grant).ok());
  EXPECT_TRUE(NamesSignersOrganisation("AuditFinding"));
  EXPECT_FALSE(NamesSignersOrganisation("Erasure"));
}

// Role table versions: a log is checked under the version its genesis names.
// Version 1 logs were written before the organisation rule of version 2 and
// keep verifying as written; an unknown version is refused.
TEST_F(RosterTest, AVersionOneLogLetsAKeyWriteInAnyOrganisationsName) {
  Roster v1_log(kOrigin);
  v1::Event genesis = Genesis(*admin_);
  genesis.mutable_genesis()->set_role_table_version(1);
  ASSERT_TRUE(v1_log.Apply(Pk(*admin_), genesis).ok());
  EXPECT_EQ(v1_log.role_table_version(), 1u);
  EXPECT_EQ(roster_.role_table_version(), kRoleTableVersion);
  SigningKey pub = NewKey("pub");
  ASSERT_TRUE(v1_log.Apply(Pk(*admin_), Grant(pub, v1::ROLE_PUBLISHER)).ok());
  ASSERT_TRUE(roster_.Apply(Pk(*admin_), Grant(pub, v1::ROLE_PUBLISHER)).ok());
  v1::Event foreign = About("RiskAssessed", "s");
  foreign.set_organisation("Other Ltd");
  EXPECT_TRUE(v1_log.Check(Pk(pub), foreign).ok());
  EXPECT_EQ(roster_.Check(Pk(pub), foreign).code(),
            absl::StatusCode::kPermissionDenied);
  foreign.clear_organisation();
  EXPECT_TRUE(v1_log.Check(Pk(pub), foreign).ok());
  EXPECT_EQ(roster_.Check(Pk(pub), foreign).message(),
            "organisation: '' is not the signer's organisation 'Acme AI'");
  // Scopes and roles are the same in both versions.
  foreign.set_event_type("AuditFinding");
  EXPECT_EQ(v1_log.Check(Pk(pub), foreign).code(),
            absl::StatusCode::kPermissionDenied);
  // The version survives the snapshot the server restarts from.
  auto restored = Roster::FromSnapshot(v1_log.ToSnapshot());
  ASSERT_TRUE(restored.ok());
  EXPECT_EQ(restored->role_table_version(), 1u);
  foreign.set_event_type("RiskAssessed");
  EXPECT_TRUE(restored->Check(Pk(pub), foreign).ok());
}

TEST_F(RosterTest, AGenesisNamingAnUnknownRoleTableVersionIsRefused) {
  for (uint32_t version : {0u, kRoleTableVersion + 1}) {
    Roster fresh(kOrigin);
    v1::Event genesis = Genesis(*admin_);
    genesis.mutable_genesis()->set_role_table_version(version);
    absl::Status s = fresh.Check(Pk(*admin_), genesis);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << version;
    EXPECT_EQ(s.message(),
              "genesis.leaf_version/role_table_version: unsupported version");
  }
  EXPECT_TRUE(IsKnownRoleTableVersion(1));
  EXPECT_TRUE(IsKnownRoleTableVersion(2));
  EXPECT_TRUE(IsKnownRoleTableVersion(3));
  EXPECT_FALSE(IsKnownRoleTableVersion(4));
  EXPECT_FALSE(AppliesVersion3Rules(2));
  // The types of vocabulary v2 came with version 3.
  EXPECT_EQ(RequiredRole("TestReport", 3).value(), v1::ROLE_PUBLISHER);
  EXPECT_EQ(RequiredRole("TestReport", 2).status().message(),
            "event_type: 'TestReport' is not in role table version 2");
  EXPECT_EQ(RequiredRole("AuditProgramme", 2).value(), v1::ROLE_AUDITOR);
  EXPECT_EQ(RequiredRole("AuditProgramme", 3).value(), v1::ROLE_PUBLISHER);
  EXPECT_TRUE(AppliesVersion3Rules(3));
  EXPECT_TRUE(AppliesVersion3Rules(0));
  EXPECT_FALSE(AppliesVersion2Rules(1));
  EXPECT_TRUE(AppliesVersion2Rules(2));
  EXPECT_TRUE(AppliesVersion2Rules(0));  // no genesis yet: the strict rules
}

TEST_F(RosterTest, SnapshotRoundTrips) {
  SigningKey pub = NewKey("pub");
  ASSERT_TRUE(roster_.Apply(Pk(*admin_), Grant(pub, v1::ROLE_PUBLISHER)).ok());
  auto restored = Roster::FromSnapshot(roster_.ToSnapshot());
  ASSERT_TRUE(restored.ok());
  EXPECT_EQ(restored->next_index(), 2u);
  EXPECT_TRUE(restored->HasRole(Pk(pub), v1::ROLE_PUBLISHER));
  EXPECT_EQ(restored->ToSnapshot().SerializeAsString(),
            roster_.ToSnapshot().SerializeAsString());
}

TEST(RoleTableTest, EveryTypeHasOneRoleAndUnknownTypesAreRefused) {
  EXPECT_EQ(RequiredRole("KeyGranted").value(), v1::ROLE_ADMIN);
  EXPECT_EQ(RequiredRole("AuditFinding").value(), v1::ROLE_AUDITOR);
  EXPECT_EQ(RequiredRole("FairnessSnapshot").value(), v1::ROLE_PUBLISHER);
  EXPECT_EQ(RequiredRole("Bogus").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseRole("auditor").value(), v1::ROLE_AUDITOR);
  EXPECT_FALSE(ParseRole("root").ok());
}

}  // namespace
}  // namespace ailedger

namespace ailedger {
namespace {

TEST_F(RosterTest, ServiceAccountsNeverApprove) {
  SigningKey svc = NewKey("svc");
  v1::Event grant = Grant(svc, v1::ROLE_PUBLISHER);
  grant.mutable_key_granted()->set_kind(v1::KEY_KIND_SERVICE_ACCOUNT);
  ASSERT_TRUE(roster_.Apply(Pk(*admin_), grant).ok());
  EXPECT_TRUE(roster_.Check(Pk(svc), About("RiskAssessed", "s")).ok());
  auto approval = roster_.Check(Pk(svc), About("Approval", "s"));
  EXPECT_EQ(approval.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(approval.message().find("service accounts never approve"),
            absl::string_view::npos);
}

TEST_F(RosterTest, EntryZeroMustBeTypedGenesis) {
  Roster fresh(kOrigin);
  v1::Event mistyped = Genesis(*admin_);
  mistyped.set_event_type("KeyGranted");
  EXPECT_EQ(fresh.Check(Pk(*admin_), mistyped).code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ailedger

namespace ailedger {
namespace {

TEST_F(RosterTest, ABodyMustMatchItsEventType) {
  SigningKey pub = NewKey("pub");
  ASSERT_TRUE(roster_.Apply(Pk(*admin_), Grant(pub, v1::ROLE_PUBLISHER)).ok());
  v1::Event e = About("ContextRecorded", "s");
  e.mutable_retraction()->set_retracts(std::string(32, 'x'));
  e.mutable_retraction()->set_reason("smuggled");
  auto s = roster_.Check(Pk(pub), e);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("cannot carry the body of a Retraction"),
            absl::string_view::npos);
}

}  // namespace
}  // namespace ailedger
