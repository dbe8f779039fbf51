// The offline verifier (`ailedger verify`, `monitor`) against the attacks of
// issue 10: a log re-signed by the operator (who holds the log key) with the
// same event at two indices or an event dated 2100; a server whose exports
// leave out a revocation; display names that carry terminal control
// sequences; a bundle read from a pipe.
#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>

#include "ailedger/bundle.pb.h"
#include "ledger/audit/bundle.h"
#include "ledger/base/file_util.h"
#include "ledger/governance/canonical.h"
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
using testing::WriteRecords;

constexpr int64_t k2100 = 4102444800000;  // 2100-01-01T00:00:00Z
constexpr char kEscName[] = "\x1b[2K\rVERIFIED";
constexpr char kSeekable[] =
    "verify: BUNDLE must be a seekable file (the second pass re-reads it); "
    "save the stream to a file first";

size_t Find(const std::vector<BundleRecord>& r, RecordType type) {
  for (size_t i = 0; i < r.size(); ++i) {
    if (r[i].type == type) return i;
  }
  return r.size();
}

bool HasControlBytes(const std::string& s) {
  return s.find('\x1b') != std::string::npos ||
         s.find('\r') != std::string::npos;
}

// A whole log as its operator could re-sign it: every leaf, and a checkpoint
// over them signed with the log key.
struct Forged {
  std::vector<std::string> leaves;
  std::string checkpoint;
};

class VerifySecurityTest : public testing::E2eTest {
 protected:
  void SetUp() override {
    E2eTest::SetUp();
    AppendEvents(0, 6);  // indices 2..7 (0 genesis, 1 the publisher's grant)
    ExportBundle("full.bundle");
  }
  std::vector<std::string> VerifyFlags() {
    return {"--vkey", Vkey("log"), "--admin-vkey", Vkey("admin")};
  }
  testing::ProcessResult Verify(const std::string& bundle,
                                std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"verify", bundle};
    for (const auto& f : VerifyFlags()) args.push_back(f);
    args.insert(args.end(), extra.begin(), extra.end());
    return Cli(args);
  }
  testing::ProcessResult Monitor() {
    return Cli({"monitor", "--once", "--state", Path("monitor"), "--vkey",
                Vkey("log"), "--admin-vkey", Vkey("admin"), "--key",
                Path("admin.key")});
  }

  // The leaves of a full bundle, edited by `edit`, re-chained and re-signed.
  Forged Forge(const std::string& full_bundle,
               const std::function<void(std::vector<Leaf>&)>& edit) {
    const auto records = ReadRecords(full_bundle);
    std::vector<Leaf> leaves;
    for (size_t i = Find(records, RecordType::kLeaf);
         records[i].type == RecordType::kLeaf; ++i) {
      leaves.push_back(DecodeLeaf(records[i].payload).value());
    }
    edit(leaves);
    Forged out;
    out.leaves = testing::RechainAndSign(std::move(leaves), LoadKey("log"),
                                         &out.checkpoint);
    return out;
  }
  // `bundle` (from `from` to the end) with the forged leaves and checkpoint.
  std::string WriteForged(const std::string& bundle, const Forged& f,
                          const std::string& name) {
    auto records = ReadRecords(bundle);
    const size_t first = Find(records, RecordType::kLeaf);
    v1::BundleHeader h;
    EXPECT_TRUE(h.ParseFromString(records[0].payload));
    EXPECT_EQ(h.checkpoint_size(), f.leaves.size());
    for (size_t i = first; records[i].type == RecordType::kLeaf; ++i)
      records[i].payload = f.leaves[h.from() + (i - first)];
    records[Find(records, RecordType::kCheckpoint)].payload = f.checkpoint;
    WriteRecords(Path(name), records);
    return Path(name);
  }
  // `e` signed by `signer` in place of leaf `index`'s event.
  void Replace(std::vector<Leaf>& leaves, size_t index, const v1::Event& e,
               const std::string& signer) {
    testing::ReplaceEvent(leaves[index], AppendRequestOf(SignEvent(
                                             e, LoadKey(signer), kE2eOrigin)));
  }
  static v1::Event EventOf(const Leaf& l) {
    v1::Event e;
    EXPECT_TRUE(e.ParseFromString(l.event_bytes));
    return e;
  }

  // Grants "rogue" the publisher role, logs one event by it, then revokes it.
  // Returns the revocation's index.
  uint64_t GrantAndRevokeRogue() {
    Grant("rogue", "publisher");
    EXPECT_TRUE(Client(nullptr)
                    ->Append(Signed(LoadKey("rogue"), "RiskAssessed", "r", 70))
                    .ok());
    auto r = Cli({"key", "revoke", "--revoke", Vkey("rogue"), "--key",
                  Path("admin.key"), "--reason", "left the company"});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    return Size() - 1;
  }
  // The operator drops the KeyRevoked rows of the query index: the server's
  // queries, and so the roster of its ranged exports, leave out revocations.
  void HideRevocations() {
    ASSERT_EQ(server_->Stop(SIGTERM), 0);
    {
      auto store =
          RocksDbStore::Open(Path("data"), RocksDbStore::Mode::kOpenExisting);
      ASSERT_TRUE(store.ok()) << store.status();
      const std::string prefix = TypePrefix("KeyRevoked");
      auto rows =
          (*store)->ScanIndex(prefix, prefix + std::string(9, '\xff'), 100);
      ASSERT_TRUE(rows.ok() && !rows->empty());
      std::vector<std::string> erase;
      for (const auto& row : *rows) erase.push_back(row.first);
      ASSERT_TRUE((*store)->RewriteIndexRows({}, erase).ok());
    }
    StartServer();
  }
};

// Flaw 4: the server logs an event once (its event id index); a log re-signed
// with the same signed event at a second index inflates every count.
TEST_F(VerifySecurityTest, TheSameSignedEventAtTwoIndicesFails) {
  const Forged honest = Forge(Path("full.bundle"), [](auto&) {});
  EXPECT_EQ(Verify(WriteForged(Path("full.bundle"), honest, "resigned.bundle"))
                .exit_code,
            0);  // re-signing alone is not what fails
  const Forged dup = Forge(Path("full.bundle"), [](std::vector<Leaf>& l) {
    l[6].event_bytes = l[3].event_bytes;
    l[6].signer = l[3].signer;
    l[6].signature = l[3].signature;
  });
  auto r = Verify(WriteForged(Path("full.bundle"), dup, "dup.bundle"));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("index 6: duplicate of the event at index 3"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.out.find("FAILED"), std::string::npos) << r.out;
}

// Flaw 13: the server refuses an event dated beyond its clock plus the skew
// window; offline, the same rule holds against the integration time.
TEST_F(VerifySecurityTest, AnEventDated2100FailsOfflineAsTheServerRefusesIt) {
  const std::string fragment =
      "event.occurred_at_ms: " + std::to_string(k2100) +
      " is in the future beyond the skew window";
  v1::Event future;
  ASSERT_TRUE(future.ParseFromString(
      Signed(LoadKey("publisher"), "RiskAssessed", "s", 9).event()));
  future.set_occurred_at_ms(k2100);
  ExpectRefused(
      AppendRequestOf(SignEvent(future, LoadKey("publisher"), kE2eOrigin)),
      absl::StatusCode::kInvalidArgument, fragment);
  const Forged f = Forge(Path("full.bundle"), [&](std::vector<Leaf>& l) {
    v1::Event e = EventOf(l[4]);
    e.set_occurred_at_ms(k2100);
    Replace(l, 4, e, "publisher");
  });
  auto r = Verify(WriteForged(Path("full.bundle"), f, "2100.bundle"));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("index 4: time: " + fragment + " (integrated at "),
            std::string::npos)
      << r.err;
}

// Flaw 14: a header origin is printed on the verdict line before anything
// can check it: with "ESC[2K CR VERIFIED" in it, a FAILED bundle would show as
// VERIFIED on the auditor's terminal. It is shown escaped, in text and JSON.
TEST_F(VerifySecurityTest, ControlSequencesCannotOverwriteTheVerdict) {
  auto records = ReadRecords(Path("full.bundle"));
  v1::BundleHeader h;
  ASSERT_TRUE(h.ParseFromString(records[0].payload));
  h.set_origin(std::string(kE2eOrigin) + kEscName);
  records[0].payload = CanonicalEncoding(h);
  WriteRecords(Path("origin.bundle"), records);
  auto text = Verify(Path("origin.bundle"));
  EXPECT_EQ(text.exit_code, 1) << text.out << text.err;
  EXPECT_FALSE(HasControlBytes(text.out)) << text.out;
  EXPECT_FALSE(HasControlBytes(text.err)) << text.err;
  EXPECT_EQ(text.out.rfind(std::string("FAILED ") + kE2eOrigin +
                               "\\u001b[2K\\u000dVERIFIED entries [0, 8)",
                           0),
            0u)
      << text.out;
  auto json = Verify(Path("origin.bundle"), {"--json"});
  EXPECT_EQ(json.exit_code, 1);
  EXPECT_FALSE(HasControlBytes(json.out)) << json.out;
  EXPECT_NE(json.out.find("\\u001b[2K\\r"), std::string::npos) << json.out;
}

// Flaw 14, with the names of the roster: a display name carrying the same
// sequence (which the field validation now refuses) never reaches the
// terminal raw either, in the verdict, the failure or the signers.
TEST_F(VerifySecurityTest,
       ControlSequencesInADisplayNameNeverReachTheTerminal) {
  const Forged f = Forge(Path("full.bundle"), [&](std::vector<Leaf>& l) {
    v1::Event grant = EventOf(l[1]);  // the publisher's KeyGranted
    grant.mutable_key_granted()->set_display_name(kEscName);
    Replace(l, 1, grant, "admin");
  });
  const std::string bundle = WriteForged(Path("full.bundle"), f, "esc.bundle");
  for (const std::vector<std::string>& extra :
       {std::vector<std::string>{}, std::vector<std::string>{"--json"}}) {
    auto r = Verify(bundle, extra);
    EXPECT_FALSE(HasControlBytes(r.out)) << r.out;
    EXPECT_FALSE(HasControlBytes(r.err)) << r.err;
    // Role table version 2 refuses the name, naming the field and the code
    // point, not echoing the bytes.
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE((r.out + r.err).find("display_name: control character U+001B"),
              std::string::npos)
        << r.out << r.err;
  }
}

// Flaw 17: the second pass over a bundle with a correction cannot re-read a
// pipe: refused up front, not "truncated: no checkpoint".
TEST_F(VerifySecurityTest, ABundleFromAPipeIsRefusedUpFront) {
  const auto records = ReadRecords(Path("full.bundle"));
  const Leaf target =
      DecodeLeaf(records[Find(records, RecordType::kLeaf) + 2].payload).value();
  v1::Event fix = EventOf(target);
  fix.set_nonce("correction");
  fix.set_supersedes(
      std::string(AsBytes(EventId(kE2eOrigin, target.event_bytes))));
  fix.set_supersedes_reason("wrong likelihood");
  auto appended = Client(nullptr)->Append(
      AppendRequestOf(SignEvent(fix, LoadKey("publisher"), kE2eOrigin)));
  ASSERT_TRUE(appended.ok()) << appended.status();
  ExportBundle("fixed.bundle");
  auto file = Verify(Path("fixed.bundle"));
  ASSERT_EQ(file.exit_code, 0) << file.out << file.err;
  std::string cmd = "cat '" + Path("fixed.bundle") + "' | '" +
                    AILEDGER_CLI_PATH + "' verify /dev/stdin";
  for (const auto& f : VerifyFlags()) cmd += " '" + f + "'";
  auto piped = testing::RunProcess({"/bin/sh", "-c", cmd});
  EXPECT_EQ(piped.exit_code, 2) << piped.out << piped.err;
  EXPECT_NE(piped.err.find(kSeekable), std::string::npos) << piped.err;
  EXPECT_EQ(piped.out, "");
}

// Flaw 5: a ranged bundle proves the roster events it carries, not that none
// was left out. Every ranged verification says so and counts them; a server
// that hides a revocation yields a bundle that verifies, with that warning,
// even with a later event by the revoked key in it.
TEST_F(VerifySecurityTest, ARangedBundleSaysItsRosterIsUnprovenAndCountsIt) {
  const uint64_t revoked = GrantAndRevokeRogue();
  AppendEvents(20, 2);
  const std::string from = std::to_string(Size() - 2);
  ExportBundle("ranged.bundle", {"--from", from});
  auto honest = Verify(Path("ranged.bundle"), {"--json"});
  EXPECT_EQ(honest.exit_code, 0) << honest.out << honest.err;
  EXPECT_NE(honest.out.find("\"roster_complete\":false"), std::string::npos);
  // Genesis, two grants, one revocation.
  EXPECT_NE(honest.out.find("\"roster_events_supplied\":4"), std::string::npos)
      << honest.out;
  HideRevocations();
  ExportBundle("hidden.bundle", {"--from", from});
  ExportBundle("full.bundle");
  auto hidden = Verify(Path("hidden.bundle"));
  EXPECT_EQ(hidden.exit_code, 0) << hidden.out << hidden.err;
  EXPECT_NE(hidden.out.find("warning: roster completeness is not proven: the "
                            "bundle starts at index " +
                            from +
                            " and the exporter supplied 3 roster "
                            "events before it"),
            std::string::npos)
      << hidden.out;
  // The last event re-signed by the revoked key: a ranged bundle cannot see
  // it, and says why; the full bundle fails it.
  const uint64_t last = Size() - 1;
  const Forged f = Forge(Path("full.bundle"), [&](std::vector<Leaf>& l) {
    Replace(l, last, EventOf(l[last]), "rogue");
  });
  auto ranged = Verify(WriteForged(Path("hidden.bundle"), f, "rogue.bundle"));
  EXPECT_EQ(ranged.exit_code, 0) << ranged.out << ranged.err;
  EXPECT_NE(ranged.out.find("roster completeness is not proven"),
            std::string::npos);
  auto full = Verify(WriteForged(Path("full.bundle"), f, "rogue-full.bundle"),
                     {"--json"});
  EXPECT_EQ(full.exit_code, 1) << full.out << full.err;
  EXPECT_NE(full.err.find("index " + std::to_string(last) + ": role"),
            std::string::npos)
      << full.err;
  EXPECT_NE(full.out.find("\"roster_complete\":true"), std::string::npos);
  EXPECT_GT(last, revoked);
}

// Flaw 5: monitor keeps the roster it replayed and refuses a round whose
// bundle's roster differs from it (here: a server hiding a revocation), saving
// nothing.
TEST_F(VerifySecurityTest, MonitorRefusesARoundWhoseRosterDiffersFromItsOwn) {
  const uint64_t revoked = GrantAndRevokeRogue();
  auto first = Monitor();
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  const std::string roster = ReadSmallFile(Path("monitor/roster")).value();
  EXPECT_NE(roster.find(std::to_string(revoked) + " "), std::string::npos)
      << roster;
  EXPECT_NE(roster.find(" KeyRevoked\n"), std::string::npos) << roster;
  AppendEvents(30, 1);
  auto second = Monitor();  // an honest ranged round
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
  EXPECT_NE(second.out.find("(+1 entries)"), std::string::npos) << second.out;
  const std::string checkpoint =
      ReadSmallFile(Path("monitor/checkpoint")).value();
  const std::string kept = ReadSmallFile(Path("monitor/roster")).value();
  EXPECT_EQ(kept, roster);
  HideRevocations();
  AppendEvents(40, 2);
  auto refused = Monitor();
  EXPECT_EQ(refused.exit_code, 1) << refused.out << refused.err;
  const std::string from = std::to_string(Size() - 2);
  EXPECT_NE(refused.err.find(
                "roster disagrees with the one this monitor replayed: index " +
                std::to_string(revoked) +
                ": roster: differs from the roster replayed before (4 events "
                "before index " +
                from + "; the exporter supplied 3): the KeyRevoked at index " +
                std::to_string(revoked) + " is missing from the bundle"),
            std::string::npos)
      << refused.err;
  EXPECT_EQ(ReadSmallFile(Path("monitor/checkpoint")).value(), checkpoint);
  EXPECT_EQ(ReadSmallFile(Path("monitor/roster")).value(), roster);
  bool evidence = false;
  for (const auto& e : std::filesystem::directory_iterator(Path("monitor"))) {
    if (e.path().filename().string().rfind("evidence-", 0) == 0)
      evidence = std::filesystem::exists(e.path() / "bundle");
  }
  EXPECT_TRUE(evidence);
}

}  // namespace
}  // namespace ailedger
