// Identity attacks by one organisation on another, against the real ailedgerd
// and ailedger (issue 10, flaws 7 and 16):
//  - a publisher pushes a subject id with NUL bytes crafted to collide with
//    another organisation's index rows, so that the victim's query ends early
//    with status OK;
//  - an approver of an unrelated organisation approves a single-party record;
//  - an unscoped key writes an event in another organisation's name.
// Each is refused by the server with its code and a message naming the field
// or the organisation, nothing is written, and the offline verifier refuses
// the same event when a log operator re-signs a bundle that carries it.
#include <fstream>
#include <map>

#include "ailedger/bundle.pb.h"
#include "ledger/audit/bundle.h"
#include "ledger/base/big_endian.h"
#include "ledger/base/file_util.h"
#include "ledger/governance/examples.h"
#include "ledger/storage/event_index.h"
#include "ledger/storage/rocksdb_store.h"
#include "ledger/tlog/checkpoint.h"
#include "ledger/tlog/contexts.h"
#include "ledger/tlog/leaf.h"
#include "tests/testing/bundle_records.h"
#include "tests/testing/e2e_fixture.h"

namespace ailedger {
namespace {

using testing::kE2eOrigin;
using testing::ReadRecords;
using testing::ReplaceLeafAndResign;
using testing::WriteRecords;

constexpr char kVictim[] = "Acme AI";
constexpr char kOther[] = "Mallory Ltd";

class E2eIdentitySecurityTest : public testing::OrganisationsE2eTest {
 protected:
  // `count` RiskAssessed events of the victim about credit-scoring, signed
  // by its analyst; their indices in `*indices`.
  void AppendVictimEvents(int count, std::vector<uint64_t>* indices) {
    for (int n = 0; n < count; ++n) {
      auto r = Client(nullptr)->Append(
          Sign(Make("RiskAssessed", kVictim, "credit-scoring", n), "analyst"));
      ASSERT_TRUE(r.ok()) << r.status();
      indices->push_back(r->index());
    }
  }
  std::vector<uint64_t> QuerySubject(const std::string& kind,
                                     const std::string& id) {
    const SigningKey admin = LoadKey("admin");
    auto reader = Client(&admin);
    v1::QueryRequest q;
    q.set_subject_kind(kind);
    q.set_subject_id(id);
    std::vector<uint64_t> got;
    auto s =
        reader->Query(q, [&](const v1::Entry& e) { got.push_back(e.index()); });
    EXPECT_TRUE(s.ok()) << s;
    return got;
  }
  // Exports the log, replaces leaf `index` with `replacement`, re-chains the
  // leaves after it and re-signs the checkpoint with the log key, as an
  // operator holding that key could; then verifies the forged bundle.
  testing::ProcessResult VerifyForged(uint64_t index,
                                      const v1::AppendRequest& replacement) {
    ExportBundle("full.bundle");
    auto records = ReadRecords(Path("full.bundle"));
    ReplaceLeafAndResign(records, index, replacement, LoadKey("log"));
    WriteRecords(Path("forged.bundle"), records);
    return Cli({"verify", Path("forged.bundle"), "--vkey", Vkey("log"),
                "--admin-vkey", Vkey("admin")});
  }
};

// Flaw 7: with NUL bytes in a subject id, another organisation's rows used to
// sort inside the victim's index range: a hundred of them filled the victim's
// first page and moved its next index past every one of its own entries.
TEST_F(E2eIdentitySecurityTest,
       ASubjectIdWithANulByteIsRefusedAndTheVictimsQueryStaysWhole) {
  ASSERT_TRUE(GrantIn("analyst", kVictim, "publisher", "").ok());
  ASSERT_TRUE(GrantIn("mallory", kOther, "publisher", "").ok());
  std::vector<uint64_t> victim;
  ASSERT_NO_FATAL_FAILURE(AppendVictimEvents(3, &victim));
  ASSERT_EQ(QuerySubject("system", "credit-scoring"), victim);
  v1::Event attack = Make("RiskAssessed", kOther, "x", 100);
  attack.clear_subjects();
  for (int k = 0; k < 100; ++k) {
    auto* s = attack.add_subjects();
    s->set_kind("system");
    std::string id = "credit-scoring";
    id.append(9, '\0');  // the separator, then an index of 0 ...
    id.push_back(static_cast<char>(k));  // ... and a distinct tail
    s->set_id(id);
  }
  ExpectRefused(Sign(attack, "mallory"), absl::StatusCode::kInvalidArgument,
                "subjects[0].id: control character U+0000 at byte 14");
  EXPECT_EQ(QuerySubject("system", "credit-scoring"), victim);
}

// Identifiers never carry control characters: an escape sequence in a display
// name, a bidi override in an organisation.
TEST_F(E2eIdentitySecurityTest,
       ControlCharactersInDisplayNamesAndOrganisationsAreRefused) {
  const uint64_t before = Size();
  absl::Status s = GrantIn("eve", kOther, "publisher", "", "Eve\x1b[2K");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_NE(s.message().find(
                "key_granted.display_name: control character U+001B at byte 3"),
            absl::string_view::npos)
      << s;
  s = GrantIn("eve", "Acme\u202E IA", "publisher", "");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_NE(
      s.message().find("organisation: control character U+202E at byte 4"),
      absl::string_view::npos)
      << s;
  EXPECT_EQ(Size(), before);
}

// Flaw 16: an approver of an unrelated organisation does not approve another
// organisation's single-party record; its own organisation's approver does.
TEST_F(E2eIdentitySecurityTest,
       AnApproverOfAnUnrelatedOrganisationIsRefusedByServerAndVerifier) {
  ASSERT_TRUE(GrantIn("analyst", kVictim, "publisher", "").ok());
  ASSERT_TRUE(GrantIn("officer", kVictim, "publisher", "approver").ok());
  ASSERT_TRUE(GrantIn("outsider", kOther, "publisher", "approver").ok());
  auto client = Client(nullptr);
  ASSERT_TRUE(
      client
          ->Append(Sign(Make("SystemRegistered", kVictim, "credit-scoring", 1),
                        "analyst"))
          .ok());
  auto release = client->Append(Sign(
      Make("ModelVersionReleased", kVictim, "credit-scoring", 2), "analyst"));
  ASSERT_TRUE(release.ok()) << release.status();
  const v1::AppendRequest foreign =
      Approval("outsider", kOther, release->event_id());
  ExpectRefused(foreign, absl::StatusCode::kPermissionDenied,
                "approval: 'Mallory Ltd' may not approve event " +
                    std::to_string(release->index()) + " of 'Acme AI'");
  auto own = client->Append(Approval("officer", kVictim, release->event_id()));
  ASSERT_TRUE(own.ok()) << own.status();
  // The operator swaps the genuine approval for the foreign one.
  auto r = VerifyForged(own->index(), foreign);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(
      r.err.find("index " + std::to_string(own->index()) + ": approval: "),
      std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("'Mallory Ltd' may not approve event"),
            std::string::npos)
      << r.err;
}

// Flaw 16: an unscoped key writes only in its own organisation's name.
TEST_F(E2eIdentitySecurityTest,
       AnUnscopedKeyNamingAnotherOrganisationIsRefusedByServerAndVerifier) {
  ASSERT_TRUE(GrantIn("mallory", kOther, "publisher", "").ok());
  const v1::AppendRequest forged =
      Sign(Make("RiskAssessed", kVictim, "credit-scoring", 7), "mallory");
  ExpectRefused(forged, absl::StatusCode::kPermissionDenied,
                "organisation: 'Acme AI' is not the signer's organisation "
                "'Mallory Ltd'");
  auto own = Client(nullptr)->Append(
      Sign(Make("RiskAssessed", kOther, "credit-scoring", 8), "mallory"));
  ASSERT_TRUE(own.ok()) << own.status();
  auto r = VerifyForged(own->index(), forged);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("index " + std::to_string(own->index()) +
                       ": role: organisation: 'Acme AI' is not the signer's "
                       "organisation 'Mallory Ltd'"),
            std::string::npos)
      << r.err;
}

// Admins act for the log: a grant names the grantee's organisation. Auditors
// write in their own firm's name and name the audited organisations as
// subjects.
TEST_F(E2eIdentitySecurityTest,
       AdminsGrantForAnyOrganisationAuditorsForTheirOwn) {
  ASSERT_TRUE(GrantIn("auditor", "Independent Audit GmbH", "auditor", "").ok());
  v1::Event audit = Make("AuditStarted", kVictim, "credit-scoring", 3);
  audit.mutable_subjects(0)->set_kind("audit");
  audit.mutable_subjects(0)->set_id("IA-1");
  ExpectRefused(Sign(audit, "auditor"), absl::StatusCode::kPermissionDenied,
                "organisation: 'Acme AI' is not the signer's organisation "
                "'Independent Audit GmbH'");
  audit.set_organisation("Independent Audit GmbH");
  auto* s = audit.add_subjects();
  s->set_kind("organisation");
  s->set_id(kVictim);
  auto ok = Client(nullptr)->Append(Sign(audit, "auditor"));
  EXPECT_TRUE(ok.ok()) << ok.status();
}

// Flaw 7, existing stores: a store written with NUL-ended index components
// (format version 1) is refused by serve and by check-indexes, naming
// `ailedgerd upgrade`; after the upgrade (a dry run first, which changes
// nothing) it serves again and its queries are whole.
TEST_F(E2eIdentitySecurityTest, AVersionOneStoreServesOnlyAfterAnUpgrade) {
  ASSERT_TRUE(GrantIn("analyst", kVictim, "publisher", "").ok());
  std::vector<uint64_t> victim;
  ASSERT_NO_FATAL_FAILURE(AppendVictimEvents(2, &victim));
  server_.reset();
  {  // Rewrite the store as version 1 wrote it.
    auto store =
        RocksDbStore::Open(Path("data"), RocksDbStore::Mode::kOpenExisting)
            .value();
    const uint64_t size = store->ReadTreeState().value().size;
    const std::string nul(1, '\0');
    std::vector<std::pair<std::string, std::string>> put;
    std::vector<std::string> erase;
    for (uint64_t i = 0; i < size; ++i) {
      v1::Event e;
      ASSERT_TRUE(e.ParseFromString(
          DecodeLeaf(store->ReadLeaf(i).value()).value().event_bytes));
      for (auto& [key, value] : IndexRowsFor(e, i)) {
        if (key[0] == 's' || key[0] == 't' || key[0] == 'o')
          erase.push_back(key);
      }
      std::vector<std::string> old = {"t" + e.event_type() + nul};
      if (!e.organisation().empty())
        old.push_back("o" + e.organisation() + nul);
      for (const auto& sub : e.subjects())
        old.push_back("s" + sub.kind() + nul + sub.id() + nul);
      for (std::string& key : old) {
        PutBigEndian64(i, &key);
        put.emplace_back(key, "");
      }
    }
    ASSERT_TRUE(store->RewriteIndexRows(put, erase).ok());
    ASSERT_TRUE(store
                    ->PutRawForTesting("meta", "format_version",
                                       std::string("\0\0\0\x01", 4))
                    .ok());
  }
  {
    testing::ServerProcess refused({AILEDGERD_PATH, "serve", "--data",
                                    Path("data"), "--log-key", Path("log.key"),
                                    "--listen", "127.0.0.1:0"});
    EXPECT_FALSE(refused.started());
    EXPECT_NE(
        refused.output().find("format version 1 has the old index key layout"),
        std::string::npos)
        << refused.output();
    EXPECT_NE(refused.output().find("ailedgerd upgrade --data " + Path("data")),
              std::string::npos)
        << refused.output();
  }
  auto check = Daemon({"check-indexes", "--data", Path("data"), "--repair"});
  EXPECT_EQ(check.exit_code, 1) << check.out << check.err;
  EXPECT_NE(check.err.find("ailedgerd upgrade --data"), std::string::npos)
      << check.err;
  auto dry = Daemon({"upgrade", "--data", Path("data"), "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.out << dry.err;
  EXPECT_NE(dry.out.find("would rebuild"), std::string::npos) << dry.out;
  EXPECT_EQ(Daemon({"check-indexes", "--data", Path("data")}).exit_code, 1)
      << "a dry run leaves the version as it was";
  auto upgrade = Daemon({"upgrade", "--data", Path("data")});
  ASSERT_EQ(upgrade.exit_code, 0) << upgrade.out << upgrade.err;
  EXPECT_NE(upgrade.out.find("store format version 1 -> 2"), std::string::npos)
      << upgrade.out;
  EXPECT_NE(upgrade.out.find("store format version is now 2"),
            std::string::npos)
      << upgrade.out;
  auto clean = Daemon({"check-indexes", "--data", Path("data")});
  EXPECT_EQ(clean.exit_code, 0) << clean.out << clean.err;
  StartServer();
  EXPECT_EQ(QuerySubject("system", "credit-scoring"), victim);
}

}  // namespace
}  // namespace ailedger
