#include "tests/testing/e2e_fixture.h"

#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <thread>

#include "absl/strings/str_cat.h"
#include "ledger/base/file_util.h"
#include "ledger/governance/envelope.h"
#include "ledger/governance/event_signature.h"
#include "ledger/governance/examples.h"
#include "ledger/governance/key_grant_event.h"
#include "ledger/tlog/contexts.h"
#include "tests/testing/temp_dir.h"

namespace ailedger::testing {

void E2eTest::SetUp() {
  InitCrypto();
  dir_ = FreshTempPath("e2e");
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
           Path("genesis.json"), "--organisation", "Acme AI", "--rules-version",
           std::to_string(RulesVersion())});
  ASSERT_EQ(g.exit_code, 0) << g.err;
  std::vector<std::string> init_args = {"init"};
  for (const std::string& f : StoreFlags()) init_args.push_back(f);
  for (const char* f : {"--genesis", "genesis.json", "--log-key", "log.key"})
    init_args.push_back(f[0] == '-' ? f : Path(f));
  auto init = Daemon(init_args);
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
  std::vector<std::string> argv = {AILEDGERD_PATH, "serve"};
  for (const std::string& f : StoreFlags()) argv.push_back(f);
  for (const std::string& f :
       {std::string("--log-key"), Path("log.key"), std::string("--listen"),
        std::string("127.0.0.1:0")})
    argv.push_back(f);
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

v1::Event MakeEvent(const std::string& type, const std::string& organisation,
                    const std::string& system, int64_t n) {
  v1::Event e = NewEvent(type, organisation, 1700000000000 + n);
  auto* s = e.add_subjects();
  s->set_kind("system");
  s->set_id(system);
  e.set_nonce(std::to_string(n));
  FillExampleBody(&e);
  return e;
}

v1::AppendRequest E2eTest::Signed(const SigningKey& key,
                                  const std::string& type,
                                  const std::string& system, int64_t n) {
  return AppendRequestOf(
      SignEvent(MakeEvent(type, "Acme AI", system, n), key, kE2eOrigin));
}

absl::Status OrganisationsE2eTest::GrantIn(const std::string& name,
                                           const std::string& organisation,
                                           const std::string& role,
                                           const std::string& function,
                                           const std::string& display_name) {
  keys_.erase(name);
  SigningKey key = SigningKey::Generate(name, kKeyTypeEd25519).value();
  KeyGrantParams p;
  p.origin = kE2eOrigin;
  p.display_name = display_name.empty() ? name : display_name;
  p.organisation = organisation;
  p.roles = {role == "auditor" ? v1::ROLE_AUDITOR : v1::ROLE_PUBLISHER};
  if (!function.empty()) p.functions = {function};
  p.occurred_at_ms = 1700000000000;
  const v1::Event e = MakeKeyGrant(key, p);
  keys_.emplace(name, std::move(key));
  auto r = Client(nullptr)->Append(
      AppendRequestOf(SignEvent(e, LoadKey("admin"), kE2eOrigin)));
  return r.status();
}

v1::AppendRequest OrganisationsE2eTest::Sign(const v1::Event& e,
                                             const std::string& signer) {
  return AppendRequestOf(SignEvent(e, Key(signer), kE2eOrigin));
}

v1::AppendRequest OrganisationsE2eTest::Approval(
    const std::string& signer, const std::string& organisation,
    const std::string& event_id) {
  v1::Event e = NewEvent("Approval", organisation, 1700000000000);
  e.mutable_approval()->set_approves(event_id);
  e.mutable_approval()->set_decision(v1::DECISION_APPROVE);
  e.mutable_approval()->set_authority("model risk committee charter");
  return Sign(e, signer);
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

void E2eTest::StopAndBackUpStore() {
  ASSERT_EQ(server_->Stop(SIGTERM), 0);
  std::filesystem::copy(Path("data"), Path("old"),
                        std::filesystem::copy_options::recursive);
}

void E2eTest::StopAndRestoreBackup() {
  ASSERT_EQ(server_->Stop(SIGTERM), 0);
  std::filesystem::remove_all(Path("data"));
  std::filesystem::rename(Path("old"), Path("data"));
  std::filesystem::remove(Path("log.key.hwm"));
}

void E2eTest::AppendEvents(int first, int n) {
  auto client = Client(nullptr);
  for (int i = first; i < first + n; ++i) {
    ASSERT_TRUE(
        client->Append(Signed(LoadKey("publisher"), "RiskAssessed", "s", i))
            .ok());
  }
}

void E2eTest::ExportBundle(const std::string& name,
                           const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"export", "--out", Path(name), "--key",
                                   Path("admin.key")};
  args.insert(args.end(), extra.begin(), extra.end());
  auto e = Cli(args);
  ASSERT_EQ(e.exit_code, 0) << e.err;
}

absl::StatusOr<VerifiedCheckpoint> E2eTest::WaitForCosigned(
    uint64_t size, const std::vector<VerifierKey>& cosigners,
    std::chrono::seconds within) {
  const VerifierKey log = VerifierKey::Parse(Vkey("log")).value();
  absl::StatusOr<VerifiedCheckpoint> cp = absl::NotFoundError("none served");
  for (const auto until = std::chrono::steady_clock::now() + within;
       std::chrono::steady_clock::now() < until;
       std::this_thread::sleep_for(std::chrono::milliseconds(100))) {
    auto note = Cli({"checkpoint", "--cosigned"});
    if (note.exit_code != 0) continue;
    cp = OpenCheckpoint(note.out, log, cosigners);
    if (cp.ok() && cp->checkpoint.size == size) return cp;
  }
  if (cp.ok()) {
    return absl::NotFoundError(
        absl::StrCat("the cosigned checkpoint is of size ", cp->checkpoint.size,
                     ", not ", size));
  }
  return cp;
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

void E2eTest::ExpectExit(const ProcessResult& r, int code,
                         const std::string& fragment) {
  EXPECT_EQ(r.exit_code, code) << r.out << r.err;
  EXPECT_NE(r.err.find(fragment), std::string::npos) << r.err;
}

std::string E2eTest::PushExample(const std::string& type, int64_t t_ms,
                                 const std::function<void(v1::Event*)>& edit) {
  v1::Event e = NewEvent(type, "Acme AI", t_ms);
  for (const auto& [kind, id] :
       {std::pair{"system", "credit"}, std::pair{"incident", "INC-1"}}) {
    auto* s = e.add_subjects();
    s->set_kind(kind);
    s->set_id(id);
  }
  FillExampleBody(&e);
  if (edit) edit(&e);
  const SignedEvent signed_event =
      SignEvent(e, LoadKey("publisher"), kE2eOrigin);
  auto r = Client(nullptr)->Append(AppendRequestOf(signed_event));
  EXPECT_TRUE(r.ok()) << type << ": " << r.status();
  return std::string(AsBytes(EventId(kE2eOrigin, signed_event.event_bytes)));
}

uint64_t E2eTest::Size() {
  auto info = Client(nullptr)->LogInfo();
  EXPECT_TRUE(info.ok()) << info.status();
  return info.ok() ? info->size() : 0;
}

}  // namespace ailedger::testing
