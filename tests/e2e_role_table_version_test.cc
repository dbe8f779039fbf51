// Role table versions against the real ailedgerd and ailedger (issue 10, the
// log-wide step of rule versioning): a log is checked under the role table
// version its genesis names. Version 2 added three rules of state (an event
// names its signer's organisation, approvals count only from the record's own
// organisation, identifiers hold no control characters); a log written under
// version 1 before them keeps being accepted by the server, across restarts,
// and verified offline and by `monitor`, while the same events under a version
// 2 genesis are refused by both, and an unknown version by both as well.
#include <google/protobuf/util/json_util.h>

#include <filesystem>
#include <fstream>

#include "ailedger/bundle.pb.h"
#include "ledger/audit/bundle.h"
#include "ledger/base/file_util.h"
#include "ledger/governance/examples.h"
#include "ledger/governance/genesis.h"
#include "ledger/storage/rocksdb_store.h"
#include "ledger/tlog/checkpoint.h"
#include "ledger/tlog/contexts.h"
#include "ledger/tlog/leaf.h"
#include "tests/testing/bundle_records.h"
#include "tests/testing/e2e_fixture.h"

namespace ailedger {
namespace {

using testing::kE2eOrigin;

constexpr char kAcme[] = "Acme AI";
constexpr char kMallory[] = "Mallory Ltd";

class E2eRoleTableVersionTest : public testing::OrganisationsE2eTest {
 protected:
  // Replaces the fixture's log by a new one whose genesis names `version`
  // (a new log key: the old one has signed a log). Returns `ailedgerd init`;
  // serves the new log when it succeeded.
  testing::ProcessResult Reinit(uint32_t version) {
    server_.reset();
    std::filesystem::remove_all(Path("data"));
    for (const char* f : {"log.key", "log.key.pub", "log.key.hwm"})
      std::filesystem::remove(Path(f));
    EXPECT_EQ(Cli({"keygen", "--name", kE2eOrigin, "--out", Path("log.key")})
                  .exit_code,
              0);
    GenesisParams p;
    p.origin = kE2eOrigin;
    p.log_verifier_key = LoadKey("log").verifier().ToString();
    p.admin_public_key = LoadKey("admin").verifier().public_key();
    p.admin_name = "admin";
    p.organisation = kAcme;
    p.occurred_at_ms = 1700000000000;
    p.role_table_version = version;
    genesis_ = MakeGenesis(p);
    std::string json;
    EXPECT_TRUE(
        google::protobuf::util::MessageToJsonString(
            AppendRequestOf(SignEvent(genesis_, LoadKey("admin"), kE2eOrigin)),
            &json)
            .ok());
    EXPECT_TRUE(WriteFileDurably(Path("genesis.json"), json, 0600).ok());
    auto init = Daemon({"init", "--data", Path("data"), "--genesis",
                        Path("genesis.json"), "--log-key", Path("log.key")});
    if (init.exit_code == 0) StartServer();
    return init;
  }

  // `type` in `organisation`'s name signed by `signer`.
  v1::AppendRequest Make(const std::string& type,
                         const std::string& organisation,
                         const std::string& system, int n,
                         const std::string& signer) {
    return Sign(OrganisationsE2eTest::Make(type, organisation, system, n),
                signer);
  }

  // The three kinds of event version 2 refuses, after what they need: an
  // event naming no organisation, one in another organisation's name, one
  // with an escape sequence in a subject id, and an approval by an unrelated
  // organisation's approver. Each is appended expecting `expect`.
  struct Outcome {
    absl::StatusCode code;
    std::string fragment;
  };
  void AppendTheVersionTwoViolations(const Outcome (&expect)[4]) {
    ASSERT_TRUE(GrantIn("analyst", kAcme, "publisher", "").ok());
    ASSERT_TRUE(GrantIn("mallory", kMallory, "publisher", "approver").ok());
    auto client = Client(nullptr);
    ASSERT_TRUE(client
                    ->Append(Make("SystemRegistered", kAcme, "credit-scoring",
                                  1, "analyst"))
                    .ok());
    auto release = client->Append(
        Make("ModelVersionReleased", kAcme, "credit-scoring", 2, "analyst"));
    ASSERT_TRUE(release.ok()) << release.status();
    const v1::AppendRequest attempts[] = {
        Make("RiskAssessed", "", "credit-scoring", 3, "analyst"),
        Make("RiskAssessed", kAcme, "credit-scoring", 4, "mallory"),
        Make("RiskAssessed", kAcme, "credit\x1b[8mscoring", 5, "analyst"),
        Approval("mallory", kMallory, release->event_id()),
    };
    release_index_ = release->index();
    for (size_t i = 0; i < 4; ++i) {
      if (expect[i].code == absl::StatusCode::kOk) {
        auto r = client->Append(attempts[i]);
        EXPECT_TRUE(r.ok()) << i << ": " << r.status();
      } else {
        ExpectRefused(attempts[i], expect[i].code, expect[i].fragment);
      }
    }
  }

  // The admin's RulesVersionAdopted of role table version 2.
  v1::AppendRequest AdoptVersionTwo() {
    v1::Event adopt;
    adopt.set_event_type("RulesVersionAdopted");
    adopt.set_schema_version(1);
    adopt.set_organisation(kAcme);
    adopt.set_occurred_at_ms(1700000000000);
    adopt.mutable_rules_version_adopted()->set_role_table_version(2);
    adopt.mutable_rules_version_adopted()->set_reason("the organisation rule");
    return AppendRequestOf(SignEvent(adopt, LoadKey("admin"), kE2eOrigin));
  }

  testing::ProcessResult Verify(const std::string& bundle) {
    return Cli({"verify", bundle, "--vkey", Vkey("log"), "--admin-vkey",
                Vkey("admin")});
  }
  testing::ProcessResult Monitor() {
    return Cli({"monitor", "--once", "--state", Path("monitor"), "--vkey",
                Vkey("log"), "--admin-vkey", Vkey("admin"), "--key",
                Path("admin.key")});
  }

  // Exports the log and replaces its genesis by one naming `version`, signed
  // by the admin; re-chains the leaves and re-signs the checkpoint with the
  // log key, as an operator holding both keys could. Returns the bundle path.
  std::string ExportWithGenesisVersion(uint32_t version) {
    ExportBundle("full.bundle");
    auto records = testing::ReadRecords(Path("full.bundle"));
    v1::Event genesis = genesis_;
    genesis.mutable_genesis()->set_role_table_version(version);
    testing::ReplaceLeafAndResign(
        records, 0,
        AppendRequestOf(SignEvent(genesis, LoadKey("admin"), kE2eOrigin)),
        LoadKey("log"));
    const std::string path = Path("regenesis.bundle");
    testing::WriteRecords(path, records);
    return path;
  }

  v1::Event genesis_;
  uint64_t release_index_ = 0;
};

// A log written under version 1 (before the rules of version 2) is accepted
// and verified as it was written: by the server, after a restart, from a
// roster snapshot saved before the snapshot carried the version, offline, and
// by monitor in a first and a ranged round. The same log claiming version 2
// fails offline at the first event version 2 refuses.
TEST_F(E2eRoleTableVersionTest, AVersionOneLogKeepsVerifyingUnderItsOwnRules) {
  ASSERT_EQ(Reinit(1).exit_code, 0);
  const Outcome accepted = {absl::StatusCode::kOk, ""};
  AppendTheVersionTwoViolations({accepted, accepted, accepted, accepted});
  const uint64_t written = Size();
  ASSERT_EQ(written, 9u);
  auto first = Monitor();
  EXPECT_EQ(first.exit_code, 0) << first.out << first.err;

  // The snapshot as a server before this change saved it: no version.
  server_.reset();
  {
    auto store =
        RocksDbStore::Open(Path("data"), RocksDbStore::Mode::kOpenExisting)
            .value();
    v1::RosterSnapshot snapshot;
    ASSERT_TRUE(snapshot.ParseFromString(**store->ReadMeta("roster")));
    EXPECT_EQ(snapshot.role_table_version(), 1u);
    snapshot.clear_role_table_version();
    ASSERT_TRUE(
        store->PutRawForTesting("meta", "roster", snapshot.SerializeAsString())
            .ok());
  }
  StartServer();
  auto again = Client(nullptr)->Append(
      Make("RiskAssessed", kMallory, "credit-scoring", 6, "analyst"));
  EXPECT_TRUE(again.ok()) << again.status();

  auto r =
      Verify(ExportWithGenesisVersion(1));  // the genuine genesis, re-signed
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("VERIFIED"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("warning: the genesis names role table version 1: "
                       "every entry checked under its rules"),
            std::string::npos)
      << r.out;
  auto ranged = Monitor();
  EXPECT_EQ(ranged.exit_code, 0) << ranged.out << ranged.err;
  EXPECT_EQ(ranged.err.find("split view"), std::string::npos) << ranged.err;

  r = Verify(ExportWithGenesisVersion(2));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("index 5: role: organisation: '' is not the signer's "
                       "organisation 'Acme AI'"),
            std::string::npos)
      << r.err;
}

// A RulesVersionAdopted is a roster event (event_types.h): a ranged export
// carries it before its range, so a ranged bundle's roster is complete and
// monitor's ranged round finds the roster it replayed itself.
TEST_F(E2eRoleTableVersionTest, ARangedExportCarriesTheRulesVersionAdopted) {
  ASSERT_EQ(Reinit(1).exit_code, 0);
  ASSERT_TRUE(GrantIn("analyst", kAcme, "publisher", "").ok());
  auto adopted = Client(nullptr)->Append(AdoptVersionTwo());
  ASSERT_TRUE(adopted.ok()) << adopted.status();
  auto first = Monitor();  // from genesis: the adoption replayed as roster
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  ASSERT_TRUE(Client(nullptr)
                  ->Append(Make("SystemRegistered", kAcme, "credit-scoring", 1,
                                "analyst"))
                  .ok());
  auto ranged = Monitor();  // from index 3, the adoption at 2 before it
  EXPECT_EQ(ranged.exit_code, 0) << ranged.out << ranged.err;
  ASSERT_EQ(Cli({"export", "--out", Path("ranged.bundle"), "--from", "3",
                 "--key", Path("admin.key")})
                .exit_code,
            0);
  auto r = Cli({"verify", Path("ranged.bundle"), "--vkey", Vkey("log"),
                "--admin-vkey", Vkey("admin"), "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  // Genesis, the grant and the adoption.
  EXPECT_NE(r.out.find("\"roster_events_supplied\":3"), std::string::npos)
      << r.out;
}

// A version 1 log moves to version 2 by a RulesVersionAdopted: from the next
// index on the server holds every event to version 2, also after a restart
// (the roster snapshot then names 2, the genesis 1), and the whole log
// verifies, each entry under the version in force at its index.
TEST_F(E2eRoleTableVersionTest, AnAdoptedVersionHoldsAcrossARestart) {
  ASSERT_EQ(Reinit(1).exit_code, 0);
  ASSERT_TRUE(GrantIn("analyst", kAcme, "publisher", "").ok());
  ASSERT_TRUE(GrantIn("mallory", kMallory, "publisher", "").ok());
  auto client = Client(nullptr);
  // In another organisation's name: allowed under version 1.
  auto before = client->Append(
      Make("RiskAssessed", kAcme, "credit-scoring", 1, "mallory"));
  ASSERT_TRUE(before.ok()) << before.status();
  auto adopted = client->Append(AdoptVersionTwo());
  ASSERT_TRUE(adopted.ok()) << adopted.status();
  ExpectRefused(Make("RiskAssessed", kAcme, "credit-scoring", 2, "mallory"),
                absl::StatusCode::kPermissionDenied,
                "is not the signer's organisation");
  server_.reset();
  StartServer();  // a restart: the roster snapshot names version 2
  ExpectRefused(Make("RiskAssessed", kAcme, "credit-scoring", 3, "mallory"),
                absl::StatusCode::kPermissionDenied,
                "is not the signer's organisation");
  ASSERT_TRUE(Client(nullptr)
                  ->Append(Make("RiskAssessed", kMallory, "credit-scoring", 4,
                                "mallory"))
                  .ok());
  ExportBundle("all.bundle");
  auto r = Cli({"verify", Path("all.bundle"), "--vkey", Vkey("log"),
                "--admin-vkey", Vkey("admin")});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(
      r.out.find(absl::StrCat("entries before index ", adopted->index() + 1,
                              " checked under its rules")),
      std::string::npos)
      << r.out;
}

// The same events under a version 2 genesis: the server refuses each with the
// message of its rule and writes nothing.
TEST_F(E2eRoleTableVersionTest, AVersionTwoLogRefusesTheSameEvents) {
  ASSERT_EQ(Reinit(2).exit_code, 0);
  AppendTheVersionTwoViolations({
      {absl::StatusCode::kPermissionDenied,
       "organisation: '' is not the signer's organisation 'Acme AI'"},
      {absl::StatusCode::kPermissionDenied,
       "organisation: 'Acme AI' is not the signer's organisation "
       "'Mallory Ltd'"},
      {absl::StatusCode::kInvalidArgument,
       "subjects[0].id: control character U+001B at byte 6"},
      {absl::StatusCode::kPermissionDenied,
       "approval: 'Mallory Ltd' may not approve event 4 of 'Acme AI'"},
  });
  EXPECT_EQ(Size(), 5u);
  auto r = Verify(ExportWithGenesisVersion(2));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

// An unknown version: `ailedgerd init` refuses the genesis, and so does the
// verifier when a bundle's genesis names it.
TEST_F(E2eRoleTableVersionTest, AGenesisNamingAnUnknownVersionIsRefused) {
  ASSERT_EQ(Reinit(2).exit_code, 0);
  auto r = Verify(ExportWithGenesisVersion(kRoleTableVersion + 1));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("index 0: role: genesis.leaf_version/"
                       "role_table_version: unsupported version"),
            std::string::npos)
      << r.err;
  auto init = Reinit(kRoleTableVersion + 1);
  EXPECT_NE(init.exit_code, 0);
  EXPECT_NE(init.err.find("genesis.leaf_version/role_table_version: "
                          "unsupported version"),
            std::string::npos)
      << init.out << init.err;
  EXPECT_FALSE(std::filesystem::exists(Path("data") + "/CURRENT"));
}

}  // namespace
}  // namespace ailedger
