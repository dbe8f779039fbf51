// Every report cites its evidence so that one claim can be checked alone
// (issue 13): a report read straight from the real ailedgerd (--server,
// exported and verified first, the bundle kept beside it), whose JSON
// carries per cited entry its status, assurance and a C2SP tlog-proof that
// `ailedger verify-proof` accepts offline; --anchor of a system's report.
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>

#include "ledger/base/file_util.h"
#include "ledger/governance/envelope.h"
#include "ledger/governance/event_signature.h"
#include "ledger/governance/examples.h"
#include "ledger/tlog/contexts.h"
#include "tests/testing/bundle_records.h"
#include "tests/testing/e2e_fixture.h"

namespace ailedger {
namespace {

class ReportCitationsTest : public testing::E2eTest {
 protected:
  uint32_t RulesVersion() const override { return 3; }

  std::string Push(const std::string& type,
                   const std::function<void(v1::Event*)>& edit = nullptr) {
    v1::Event e = NewEvent(type, "Acme AI", 1700000000000);
    auto* s = e.add_subjects();
    s->set_kind("system");
    s->set_id("credit");
    FillExampleBody(&e);
    if (edit) edit(&e);
    const SignedEvent signed_event =
        SignEvent(e, LoadKey("publisher"), testing::kE2eOrigin);
    auto r = Client(nullptr)->Append(AppendRequestOf(signed_event));
    EXPECT_TRUE(r.ok()) << type << ": " << r.status();
    return std::string(
        AsBytes(EventId(testing::kE2eOrigin, signed_event.event_bytes)));
  }

  std::vector<std::string> Fairness(const std::string& out) {
    return {"report", "fairness",       "--system",     "credit",
            "--vkey", Vkey("log"),      "--admin-vkey", Vkey("admin"),
            "--out",  Path(out),        "--format",     "json,md",
            "--key",  Path("admin.key")};
  }

  void FillLog() {
    Push("SystemRegistered");
    Push("ModelVersionReleased", [](v1::Event* e) {
      e->mutable_model_version_released()->set_version(
          ExampleFairnessSnapshot().model_version());
    });
    first_ = Push("FairnessSnapshot");
    Push("FairnessSnapshot", [&](v1::Event* e) {
      e->set_supersedes(first_);
      e->set_supersedes_reason("counts re-run");
    });
  }

  std::string first_;
};

TEST_F(ReportCitationsTest, FromTheServerEachCitedEntryProvesAlone) {
  FillLog();
  auto r = Cli(Fairness("out"));  // no --bundle: read through --server
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("ledger.bundle"), std::string::npos) << r.out;
  ASSERT_TRUE(ReadSmallFile(Path("out/ledger.bundle")).ok());
  const nlohmann::json j =
      nlohmann::json::parse(ReadSmallFile(Path("out/fairness.json")).value());
  const auto& cited = j["data"]["citations"];
  ASSERT_EQ(cited.size(), 2u) << j["data"];  // the two snapshots
  EXPECT_EQ(cited[0]["status"][0].get<std::string>().rfind(
                "superseded by idx " +
                    std::to_string(cited[1]["index"].get<uint64_t>()),
                0),
            0u)
      << cited[0]["status"];
  EXPECT_EQ(cited[1]["status"][0], "current");
  EXPECT_EQ(cited[1]["signer"]["kind"], "service account");  // the pipeline
  EXPECT_EQ(cited[0]["assurance"][0], "self-attested");
  EXPECT_EQ(cited[0]["assurance"][1], "computed from raw inputs");
  EXPECT_EQ(ToHex(first_), cited[0]["event_id"]);
  for (const auto& c : cited) {
    ASSERT_TRUE(
        WriteFileDurably(Path("proof"), c["tlog_proof"].get<std::string>())
            .ok());
    auto v = Cli({"verify-proof", Path("proof"), "--vkey", Vkey("log"),
                  "--no-witness-policy", "--event-id",
                  c["event_id"].get<std::string>()});
    EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  }
  // Bound to the entry: the proof of one is not the proof of the other.
  ASSERT_TRUE(
      WriteFileDurably(Path("proof"), cited[0]["tlog_proof"].get<std::string>())
          .ok());
  EXPECT_NE(Cli({"verify-proof", Path("proof"), "--vkey", Vkey("log"),
                 "--no-witness-policy", "--event-id",
                 cited[1]["event_id"].get<std::string>()})
                .exit_code,
            0);
  const std::string md = ReadSmallFile(Path("out/fairness.md")).value();
  EXPECT_NE(md.find("Evidence cited"), std::string::npos);
  EXPECT_NE(md.find("counts re-run"), std::string::npos);
}

TEST_F(ReportCitationsTest, TheFactsheetOfASystemCitesItsSnapshots) {
  FillLog();
  auto r = Cli({"report", "system", "--system", "credit", "--vkey", Vkey("log"),
                "--admin-vkey", Vkey("admin"), "--out", Path("out"), "--format",
                "json,html", "--key", Path("admin.key")});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const nlohmann::json j = nlohmann::json::parse(
      ReadSmallFile(Path("out/system-factsheet.json")).value());
  EXPECT_EQ(j["kind"], "system-factsheet");
  EXPECT_GE(j["data"]["citations"].size(), 4u);  // registration .. snapshots
  EXPECT_EQ(Cli({"report", "system", "--system", "nope", "--vkey", Vkey("log"),
                 "--admin-vkey", Vkey("admin"), "--out", Path("out"), "--key",
                 Path("admin.key")})
                .exit_code,
            1);
}

TEST_F(ReportCitationsTest, ASystemReportIsAnchoredForItsOrganisation) {
  FillLog();
  std::vector<std::string> args = Fairness("out");
  args.insert(args.end(),
              {"--anchor", "--key", Path("publisher.key")});  // the last --key
  const uint64_t size = Size();
  auto r = Cli(args);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(Size(), size + 1);
  ExportBundle("after.bundle");
  auto v = Cli({"verify", Path("after.bundle"), "--vkey", Vkey("log"),
                "--admin-vkey", Vkey("admin")});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
}

// Restatements: after last year's annual report is anchored, a late record
// of last year and a correction of one change last year's figures; this
// year's report proves its log extends last year's and lists both.
TEST_F(ReportCitationsTest, TheAnnualReportRestatesLastYear) {
  FillLog();  // occurred in 2023
  auto annual = [&](const std::string& year, const std::string& out) {
    return std::vector<std::string>{
        "report",       "annual",      "--organisation", "Acme AI",
        "--year",       year,          "--vkey",         Vkey("log"),
        "--admin-vkey", Vkey("admin"), "--out",          Path(out),
        "--format",     "json",        "--key",          Path("publisher.key")};
  };
  auto args = annual("2023", "y2023");
  args.push_back("--anchor");
  auto r = Cli(args);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const uint64_t anchored = Size() - 1;  // the report's tree_size
  const std::string late = Push("FairnessSnapshot", [](v1::Event* e) {
    e->set_occurred_at_ms(1'703'000'000'000);  // 2023-12-19, recorded now
  });
  Push("FairnessSnapshot", [&](v1::Event* e) {
    e->set_occurred_at_ms(1'705'000'000'000);  // 2024-01-11
    e->set_supersedes(late);
    e->set_supersedes_reason("wrong window");
  });
  r = Cli(annual("2024", "y2024"));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const nlohmann::json j = nlohmann::json::parse(
      ReadSmallFile(Path("y2024/annual-impact.json")).value());
  const auto& rs = j["data"]["restatements"];
  EXPECT_EQ(rs["consistency"]["first"], anchored);
  EXPECT_EQ(rs["consistency"]["second"], Size());
  EXPECT_EQ(rs["consistency"]["verified"], true);
  ASSERT_EQ(rs["changes"].size(), 2u) << rs;
  EXPECT_EQ(rs["changes"][0][2], "adds a FairnessSnapshot to last year");
  EXPECT_EQ(rs["changes"][1][1].get<std::string>().rfind("supersedes idx ", 0),
            0u);
  // The late one is added and then withdrawn: 2023's count stands.
  EXPECT_EQ(rs["count_changes"].size(), 0u) << rs;
  // The envelope names the previous annual report and proves this log
  // extends the one it was computed from.
  ASSERT_TRUE(j["data"]["previous_report"].is_object())
      << j["envelope"]["Previous report of this kind"];
  EXPECT_EQ(j["data"]["previous_report"]["index"], anchored);
  EXPECT_EQ(j["data"]["previous_report"]["consistency"]["verified"], true);
  EXPECT_NE(
      j["envelope"]["Previous report of this kind"].get<std::string>().find(
          "extends it"),
      std::string::npos);
}

// --other-bundle: another party's log is read only when it verifies under
// its own keys, given with --other-vkey.
TEST_F(ReportCitationsTest, TheOtherPartysLogMustVerify) {
  FillLog();
  ExportBundle("own.bundle");
  ExportBundle("other.bundle");
  auto annual = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = {
        "report", "annual",    "--organisation", "Acme AI",
        "--year", "2023",      "--bundle",       Path("own.bundle"),
        "--vkey", Vkey("log"), "--admin-vkey",   Vkey("admin"),
        "--out",  Path("out"), "--format",       "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return Cli(args);
  };
  auto r = annual(
      {"--other-bundle", Path("other.bundle"), "--other-vkey", Vkey("log")});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  ExpectExit(annual({"--other-bundle", Path("other.bundle")}), 2,
             "--other-vkey");
  std::string bytes = ReadSmallFile(Path("other.bundle")).value();
  bytes[bytes.size() / 2] ^= 0x01;  // a byte of some leaf
  ASSERT_TRUE(WriteFileDurably(Path("bad.bundle"), bytes).ok());
  r = annual(
      {"--other-bundle", Path("bad.bundle"), "--other-vkey", Vkey("log")});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("--other-bundle"), std::string::npos) << r.err;
}

// A tampered bundle gives no report but the verification report: each
// exits 1 and writes nothing.
TEST_F(ReportCitationsTest, ATamperedBundleGivesNoReport) {
  FillLog();
  ExportBundle("b");
  std::vector<BundleRecord> records = testing::ReadRecords(Path("b"));
  for (BundleRecord& r : records) {
    if (r.type == RecordType::kLeaf && r.payload.size() > 200) {
      r.payload[r.payload.size() / 2] ^= 0x01;  // a byte of an event
      break;
    }
  }
  testing::WriteRecords(Path("t"), records);
  const std::vector<std::vector<std::string>> reports = {
      {"annual", "--organisation", "Acme AI", "--year", "2023"},
      {"aia", "--system", "credit"},
      {"fairness", "--system", "credit"},
      {"iso42001", "--organisation", "Acme AI"},
      {"system", "--system", "credit"}};
  for (std::vector<std::string> args : reports) {
    args.insert(args.begin(), "report");
    args.insert(args.end(),
                {"--bundle", Path("t"), "--vkey", Vkey("log"), "--admin-vkey",
                 Vkey("admin"), "--out", Path("out-" + args[1])});
    auto r = Cli(args);
    EXPECT_EQ(r.exit_code, 1) << args[1] << r.out << r.err;
    EXPECT_NE(r.err.find("does not verify"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(Path("out-" + args[1])))
        << args[1] << " wrote files";
  }
}

}  // namespace
}  // namespace ailedger
