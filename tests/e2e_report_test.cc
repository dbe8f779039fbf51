// `ailedger report verification` against a bundle exported from the real
// ailedgerd: the three forms are written, byte-identical from the same inputs,
// text from the log is escaped in HTML and Markdown, and a bundle that fails
// verification gives a report that says so and exit 1.
#include <nlohmann/json.hpp>

#include "ledger/audit/bundle.h"
#include "ledger/base/file_util.h"
#include "tests/testing/bundle_records.h"
#include "tests/testing/e2e_fixture.h"

namespace ailedger {
namespace {

class ReportTest : public testing::E2eTest {
 protected:
  testing::ProcessResult Report(const std::string& bundle,
                                const std::string& out) {
    return Cli({"report", "verification", "--bundle", bundle, "--vkey",
                Vkey("log"), "--admin-vkey", Vkey("admin"), "--out",
                Path(out)});
  }
  std::string Read(const std::string& path) {
    return ReadSmallFile(Path(path)).value_or("");
  }
};

TEST_F(ReportTest, VerificationReportInThreeFormsDeterministicAndEscaped) {
  // A display name from the log, with HTML and Markdown in it.
  ASSERT_EQ(Keygen("mallory", "mallory"), 0);
  const std::vector<std::string> flags = {"--organisation", "Acme AI", "--role",
                                          "publisher"};
  std::vector<std::string> asked = flags;
  asked.insert(asked.end(), {"--display-name", "<script>x</script>|*"});
  ASSERT_EQ(KeyRequest("mallory", asked).exit_code, 0);
  ASSERT_EQ(KeyGrant("mallory", flags).exit_code, 0);
  ASSERT_TRUE(
      Client(nullptr)->Append(Signed(LoadKey("mallory"), "RiskAssessed")).ok());
  AppendEvents(0, 3);
  ExportBundle("b");
  auto first = Report(Path("b"), "one");
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  auto second = Report(Path("b"), "two");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  for (const char* form : {"html", "md", "json"}) {
    const std::string name = std::string("/verification.") + form;
    EXPECT_FALSE(Read("one" + name).empty()) << form;
    EXPECT_EQ(Read("one" + name), Read("two" + name)) << form;
  }
  const nlohmann::json j = nlohmann::json::parse(Read("one/verification.json"));
  EXPECT_EQ(j["kind"], "verification");
  EXPECT_EQ(j["verified"], true);
  EXPECT_EQ(j["complete_range"], true);
  EXPECT_EQ(j["data"]["to"], Size());
  const std::string html = Read("one/verification.html");
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;x&lt;/script&gt;"), std::string::npos);
  const std::string md = Read("one/verification.md");
  EXPECT_NE(md.find("&lt;script>x&lt;/script>\\|\\*"), std::string::npos) << md;
}

TEST_F(ReportTest, AFailedVerificationIsReportedAsSuch) {
  AppendEvents(0, 2);
  ExportBundle("b");
  std::vector<BundleRecord> records = testing::ReadRecords(Path("b"));
  for (BundleRecord& r : records) {
    if (r.type == RecordType::kLeaf) {
      r.payload.back() ^= 0x01;  // a leaf's signature, spoilt
      break;
    }
  }
  testing::WriteRecords(Path("t"), records);
  auto r = Report(Path("t"), "bad");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  const nlohmann::json j = nlohmann::json::parse(Read("bad/verification.json"));
  EXPECT_EQ(j["verified"], false);
  EXPECT_EQ(j["complete_range"], false);
  EXPECT_NE(Read("bad/verification.md").find("FAILED"), std::string::npos);
}

}  // namespace
}  // namespace ailedger
