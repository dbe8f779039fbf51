// `ailedger sample` against the real ailedgerd: the same checkpoint gives the
// same sample (from a saved file or from the server), a checkpoint that does
// not open under the reader's key gives none.
#include <nlohmann/json.hpp>

#include "ledger/base/file_util.h"
#include "tests/testing/e2e_fixture.h"

namespace ailedger {
namespace {

class SampleTest : public testing::E2eTest {};

TEST_F(SampleTest, ReproducibleFromTheCheckpointAndBoundToTheLogKey) {
  AppendEvents(0, 6);
  auto cp = Cli({"checkpoint"});
  ASSERT_EQ(cp.exit_code, 0) << cp.err;
  ASSERT_TRUE(WriteFileDurably(Path("cp"), cp.out).ok());
  auto from_file = Cli({"sample", "--n", "4", "--vkey", Vkey("log"),
                        "--checkpoint", Path("cp"), "--json"});
  ASSERT_EQ(from_file.exit_code, 0) << from_file.err;
  auto from_server =
      Cli({"sample", "--n", "4", "--vkey", Vkey("log"), "--json"});
  ASSERT_EQ(from_server.exit_code, 0) << from_server.err;
  EXPECT_EQ(from_file.out, from_server.out);
  const nlohmann::json j = nlohmann::json::parse(from_file.out);
  EXPECT_EQ(j["size"], Size());
  ASSERT_EQ(j["indices"].size(), 4u);
  for (const auto& i : j["indices"]) EXPECT_LT(i.get<uint64_t>(), Size());
  auto text = Cli({"sample", "--n", "2", "--vkey", Vkey("log"), "--checkpoint",
                   Path("cp")});
  EXPECT_NE(text.out.find("seeded by root"), std::string::npos) << text.out;
  auto wrong = Cli({"sample", "--n", "2", "--vkey", Vkey("admin"),
                    "--checkpoint", Path("cp")});
  EXPECT_NE(wrong.exit_code, 0);
  EXPECT_EQ(wrong.out.find("seeded"), std::string::npos);
}

}  // namespace
}  // namespace ailedger
