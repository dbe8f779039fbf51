// Vocabulary v2 through the real ailedgerd and ailedger: a new log's genesis
// names role table version 3; an event the rules of version 3 refuse is
// refused by the server naming its field, and nothing is written; the events
// that pass them verify offline.
#include <functional>
#include <nlohmann/json.hpp>

#include "ledger/base/file_util.h"
#include "tests/testing/e2e_fixture.h"

namespace ailedger {
namespace {

class VocabularyV2Test : public testing::E2eTest {
 protected:
  uint32_t RulesVersion() const override { return 3; }

  // `ailedger template TYPE` about system "credit", edited by `edit`, written
  // to NAME.json.
  std::string Event(const std::string& name, const std::string& type,
                    const std::function<void(nlohmann::json&)>& edit) {
    auto t = Cli({"template", type, "--organisation", "Acme AI"});
    EXPECT_EQ(t.exit_code, 0) << t.err;
    nlohmann::json j = nlohmann::json::parse(t.out);
    j["subjects"] = {{{"kind", "system"}, {"id", "credit"}}};
    edit(j);
    const std::string path = Path(name + ".json");
    EXPECT_TRUE(WriteFileDurably(path, j.dump()).ok());
    return path;
  }
  testing::ProcessResult Push(const std::string& file) {
    return Cli(
        {"push", file, "--key", Path("publisher.key"), "--vkey", Vkey("log")});
  }
};

TEST_F(VocabularyV2Test, RefusalsNameTheFieldAndWriteNothing) {
  ASSERT_EQ(Push(Event("system", "SystemRegistered", [](auto&) {})).exit_code,
            0);
  const uint64_t size = Size();
  auto unnamed = Push(Event("unnamed", "SystemRegistered", [](auto& j) {
    j["system_registered"].erase("name");
    j["subjects"][0]["id"] = "other";
  }));
  EXPECT_NE(unnamed.exit_code, 0);
  EXPECT_NE(unnamed.err.find("system_registered.name: required"),
            std::string::npos)
      << unnamed.err;
  auto unreleased = Push(Event("deploy", "DeploymentRecorded", [](auto& j) {
    j["deployment_recorded"]["version"] = "2.4.1";
  }));
  EXPECT_NE(unreleased.exit_code, 0);
  EXPECT_NE(unreleased.err.find("deployment_recorded.version: version '2.4.1'"),
            std::string::npos)
      << unreleased.err;
  EXPECT_EQ(Size(), size);  // nothing written
  auto release = Push(Event("release", "ModelVersionReleased", [](auto& j) {
    j["model_version_released"]["version"] = "2.4.1";
  }));
  ASSERT_EQ(release.exit_code, 0) << release.err;
  ASSERT_EQ(Push(Path("deploy.json")).exit_code, 0);
  ExportBundle("b");
  auto v = Cli({"verify", Path("b"), "--vkey", Vkey("log"), "--admin-vkey",
                Vkey("admin"), "--json"});
  ASSERT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_EQ(nlohmann::json::parse(v.out)["verified"], true);
}

}  // namespace
}  // namespace ailedger
