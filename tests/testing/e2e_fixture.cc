#include "tests/testing/e2e_fixture.h"

#include <unistd.h>

#include <filesystem>

#include "ledger/base/file_util.h"
#include "ledger/governance/examples.h"

namespace ailedger::testing {

void E2eTest::SetUp() {
  InitCrypto();
  static int counter = 0;
  dir_ = (std::filesystem::path(::testing::TempDir()) /
          ("ailedger-e2e-" + std::to_string(getpid()) + "-" +
           std::to_string(counter++)))
             .string();
  std::filesystem::remove_all(dir_);
  std::filesystem::create_directories(dir_);
  ASSERT_EQ(
      Cli({"keygen", "--name", kE2eOrigin, "--out", Path("log.key")}).exit_code,
      0);
  ASSERT_EQ(
      Cli({"keygen", "--name", "admin", "--out", Path("admin.key")}).exit_code,
      0);
  const std::string vkey = ReadSmallFile(Path("log.key.pub")).value();
  auto g =
      Cli({"genesis", "--origin", kE2eOrigin, "--admin-key", Path("admin.key"),
           "--log-vkey", vkey.substr(0, vkey.size() - 1), "--out",
           Path("genesis.json"), "--organisation", "Acme AI"});
  ASSERT_EQ(g.exit_code, 0) << g.err;
  auto init = Daemon({"init", "--data", Path("data"), "--genesis",
                      Path("genesis.json"), "--log-key", Path("log.key")});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  StartServer();
  Grant("publisher", "publisher", "service");
}

void WitnessedE2eTest::SetUp() {
  ASSERT_NO_FATAL_FAILURE(E2eTest::SetUp());
  ASSERT_EQ(Keygen("w", "witness.example/w1", /*cosigner=*/true), 0);
  witness_ = StartWitness();
  ASSERT_TRUE(witness_->started()) << witness_->output();
}

void E2eTest::TearDown() {
  server_.reset();
  std::filesystem::remove_all(dir_);
}

ProcessResult E2eTest::Cli(std::vector<std::string> args,
                           const std::string& stdin_data) {
  args.insert(args.begin(), AILEDGER_CLI_PATH);
  if (server_ && server_->started()) {
    args.push_back("--server");
    args.push_back(server_->address());
  }
  return RunProcess(args, stdin_data);
}

ProcessResult E2eTest::Daemon(std::vector<std::string> args) {
  args.insert(args.begin(), AILEDGERD_PATH);
  return RunProcess(args);
}

void E2eTest::StartServer(std::vector<std::string> extra) {
  std::vector<std::string> argv = {
      AILEDGERD_PATH, "serve",         "--data",   Path("data"),
      "--log-key",    Path("log.key"), "--listen", "127.0.0.1:0"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  server_ = std::make_unique<ServerProcess>(argv);
  ASSERT_TRUE(server_->started()) << server_->output();
}

std::string E2eTest::Vkey(const std::string& name) const {
  std::string v = ReadSmallFile(Path(name + ".key.pub")).value();
  while (!v.empty() && v.back() == '\n') v.pop_back();
  return v;
}

SigningKey E2eTest::LoadKey(const std::string& name) const {
  return SigningKey::Parse(ReadSmallFile(Path(name + ".key")).value()).value();
}

std::unique_ptr<LedgerClient> E2eTest::Client(const SigningKey* key) {
  LedgerClient::Options o;
  o.target = server_->address();
  o.key = key;
  auto c = LedgerClient::Connect(o);
  EXPECT_TRUE(c.ok()) << c.status();
  return c.ok() ? *std::move(c) : nullptr;
}

v1::AppendRequest E2eTest::Signed(const SigningKey& key,
                                  const std::string& type,
                                  const std::string& system, int64_t n) {
  v1::Event e;
  e.set_event_type(type);
  e.set_schema_version(1);
  e.set_organisation("Acme AI");
  auto* s = e.add_subjects();
  s->set_kind("system");
  s->set_id(system);
  e.set_occurred_at_ms(1700000000000 + n);
  e.set_nonce(std::to_string(n));
  FillExampleBody(&e);  // types that require a body get a valid one
  return AppendRequestOf(SignEvent(e, key, kE2eOrigin));
}

void E2eTest::Grant(const std::string& name, const std::string& role,
                    const std::string& kind,
                    const std::vector<std::string>& extra) {
  if (!std::filesystem::exists(Path(name + ".key"))) {
    ASSERT_EQ(Keygen(name, name), 0);
  }
  std::vector<std::string> flags = {"--organisation", "Acme AI", "--role", role,
                                    "--kind",         kind};
  flags.insert(flags.end(), extra.begin(), extra.end());
  auto req = KeyRequest(name, flags);
  ASSERT_EQ(req.exit_code, 0) << req.err;
  // The admin states what it grants; the request must ask for the same.
  auto grant = KeyGrant(name, flags);
  ASSERT_EQ(grant.exit_code, 0) << grant.err;
}

ProcessResult E2eTest::KeyRequest(const std::string& name,
                                  const std::vector<std::string>& flags) {
  std::vector<std::string> args = {"key",   "request",
                                   "--key", Path(name + ".key"),
                                   "--out", Path(name + ".request")};
  args.insert(args.end(), flags.begin(), flags.end());
  return Cli(args);
}

ProcessResult E2eTest::KeyGrant(const std::string& name,
                                const std::vector<std::string>& flags) {
  std::vector<std::string> args = {"key", "grant", Path(name + ".request"),
                                   "--key", Path("admin.key")};
  args.insert(args.end(), flags.begin(), flags.end());
  return Cli(args);
}

int E2eTest::Keygen(const std::string& file, const std::string& name,
                    bool cosigner) {
  std::vector<std::string> args = {"keygen", "--name", name, "--out",
                                   Path(file + ".key")};
  if (cosigner) args.push_back("--cosigner");
  return Cli(args).exit_code;
}

std::unique_ptr<ServerProcess> E2eTest::StartWitness(const std::string& file) {
  return std::make_unique<ServerProcess>(std::vector<std::string>{
      AILEDGER_CLI_PATH, "witness", "serve", "--key", Path(file + ".key"),
      "--log-vkey", Vkey("log"), "--state", Path("witness-state"), "--listen",
      "127.0.0.1:0"});
}

void E2eTest::PushSealedFeedback(const std::string& secret,
                                 std::string* hex_id) {
  ASSERT_TRUE(WriteFileDurably(Path("person.txt"), secret).ok());
  ASSERT_TRUE(WriteFileDurably(Path("fb.json"),
                               R"({"event_type":"StakeholderFeedbackReceived",
                                   "organisation":"Acme AI",
                                   "stakeholderFeedbackReceived":{
                                     "channel":"web form",
                                     "category":"complaint",
                                     "summary":"decision not explained"}})")
                  .ok());
  auto push = Cli({"push", Path("fb.json"), "--key", Path("publisher.key"),
                   "--seal", "complainant=" + Path("person.txt"), "--json"});
  ASSERT_EQ(push.exit_code, 0) << push.err;
  *hex_id = push.out.substr(push.out.find("\"event_id\":\"") + 12, 64);
}

void E2eTest::ExpectRefused(const v1::AppendRequest& req, absl::StatusCode code,
                            const std::string& fragment) {
  const uint64_t before = Size();
  auto r = Client(nullptr)->Append(req);
  EXPECT_EQ(r.status().code(), code) << r.status();
  EXPECT_NE(r.status().message().find(fragment), absl::string_view::npos)
      << r.status();
  EXPECT_EQ(Size(), before);
}

uint64_t E2eTest::Size() {
  auto info = Client(nullptr)->LogInfo();
  EXPECT_TRUE(info.ok()) << info.status();
  return info.ok() ? info->size() : 0;
}

}  // namespace ailedger::testing
