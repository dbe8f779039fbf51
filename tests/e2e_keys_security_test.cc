// Attacks on keys and flags through the real ailedger and ailedgerd (issue 10,
// flaws 9, 11 and 12): an edited key request, key files planted, replaced or
// readable by others, and a numeric flag beyond its type.
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>

#include "absl/strings/str_replace.h"
#include "ledger/base/file_util.h"
#include "tests/testing/e2e_fixture.h"

namespace ailedger {
namespace {

using testing::E2eTest;
using testing::ProcessResult;
using testing::ServerProcess;

int ModeOf(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0 ? static_cast<int>(st.st_mode & 07777)
                                       : -1;
}

bool Contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

class KeysSecurityTest : public E2eTest {
 protected:
  // The flags of a publisher of Acme AI, then `extra`.
  static std::vector<std::string> Publisher(std::vector<std::string> extra) {
    extra.insert(extra.begin(),
                 {"--organisation", "Acme AI", "--role", "publisher"});
    return extra;
  }
  // `name`'s key and a request for a person publisher of Acme AI, with
  // `extra` flags.
  void Request(const std::string& name, std::vector<std::string> extra = {}) {
    ASSERT_EQ(Keygen(name, name), 0);
    auto r = KeyRequest(name, Publisher(std::move(extra)));
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  // Rewrites the request file as an attacker with write access to it would.
  void Edit(const std::string& name, const std::string& from,
            const std::string& to) {
    std::string text = ReadSmallFile(Path(name + ".request")).value();
    ASSERT_TRUE(Contains(text, from)) << text;
    ASSERT_TRUE(WriteFileDurably(Path(name + ".request"),
                                 absl::StrReplaceAll(text, {{from, to}}))
                    .ok());
  }
  ProcessResult GrantPublisher(const std::string& name,
                               std::vector<std::string> extra = {}) {
    return KeyGrant(name, Publisher(std::move(extra)));
  }
  // The key `name` is on the roster: it may read an entry.
  bool OnRoster(const std::string& name) {
    SigningKey key = LoadKey(name);
    v1::GetEntryRequest req;
    req.set_index(0);
    return Client(&key)->GetEntry(req).ok();
  }
};

// --- Flaw 9: key grant signs only what the admin states ---------------------

TEST_F(KeysSecurityTest, EditedRequestAskingForAdminAndAuditorIsNotGranted) {
  Request("mallory");
  Edit("mallory", R"("roles":["ROLE_PUBLISHER"])",
       R"("roles":["ROLE_PUBLISHER","ROLE_ADMIN","ROLE_AUDITOR"])");
  const uint64_t before = Size();
  auto grant = GrantPublisher("mallory");
  ExpectExit(grant, 1, "request asks for role admin; --role grants publisher");
  EXPECT_FALSE(Contains(grant.err, "granting:")) << grant.err;
  EXPECT_EQ(Size(), before);
  EXPECT_FALSE(OnRoster("mallory"));
}

// The organisation decides whose records a key writes, corrects and approves,
// and the possession signature does not cover it: the admin states it.
TEST_F(KeysSecurityTest, EditedRequestNamingAnotherOrganisationIsNotGranted) {
  Request("mallory");
  Edit("mallory", R"("organisation":"Acme AI")",
       R"("organisation":"Victim Corp")");
  const uint64_t before = Size();
  auto grant = GrantPublisher("mallory");
  ExpectExit(grant, 1,
             "request asks for organisation \"Victim Corp\"; "
             "--organisation grants \"Acme AI\"; not granting");
  EXPECT_EQ(Size(), before);
  EXPECT_FALSE(OnRoster("mallory"));
  auto unstated = Cli({"key", "grant", Path("mallory.request"), "--key",
                       Path("admin.key"), "--role", "publisher"});
  ExpectExit(unstated, 2, "--organisation is required");
  EXPECT_EQ(Size(), before);
}

TEST_F(KeysSecurityTest, EditedRequestAskingForOtherKindFunctionOrScopeIsNot) {
  struct Case {
    std::vector<std::string> asked;  // flags of the request
    std::string from, to;            // the edit
    std::vector<std::string> flags;  // what the admin grants besides --role
    std::string message;
  };
  const std::vector<Case> cases = {
      {{},
       R"("kind":"KEY_KIND_PERSON")",
       R"("kind":"KEY_KIND_SERVICE_ACCOUNT")",
       {},
       "request asks for kind service; --kind grants person"},
      {{"--function", "dpo"},
       R"("functions":["dpo"])",
       R"("functions":["dpo","approver"])",
       {"--function", "dpo"},
       "request asks for function \"approver\"; --function grants \"dpo\""},
      {{"--scope-organisation", "Acme AI"},
       R"("scope_organisation":"Acme AI",)",
       "",
       {"--scope-organisation", "Acme AI"},
       "request asks for scope-organisation none (unscoped); "
       "--scope-organisation grants \"Acme AI\""},
  };
  int n = 0;
  for (const Case& c : cases) {
    const std::string name = "m" + std::to_string(n++);
    Request(name, c.asked);
    Edit(name, c.from, c.to);
    const uint64_t before = Size();
    auto grant = GrantPublisher(name, c.flags);
    EXPECT_EQ(grant.exit_code, 1) << c.message;
    EXPECT_TRUE(Contains(grant.err, c.message)) << grant.err;
    EXPECT_EQ(Size(), before);
    EXPECT_FALSE(OnRoster(name));
  }
}

TEST_F(KeysSecurityTest, GrantWithoutRoleOrGrantingMoreThanAskedIsRefused) {
  Request("carol");
  const uint64_t before = Size();
  auto no_role =
      Cli({"key", "grant", Path("carol.request"), "--key", Path("admin.key")});
  ExpectExit(no_role, 2, "--role is required");
  auto more = GrantPublisher("carol", {"--role", "auditor"});
  ExpectExit(more, 1,
             "--role grants role auditor, which the request does not ask for");
  EXPECT_EQ(Size(), before);
}

TEST_F(KeysSecurityTest, GrantPrintsWhatItSignsBeforeSigningIt) {
  Request("dave", {"--kind", "service", "--function", "approver",
                   "--display-name", "Dave's pipeline"});
  const uint64_t before = Size();
  auto grant =
      GrantPublisher("dave", {"--kind", "service", "--function", "approver"});
  ASSERT_EQ(grant.exit_code, 0) << grant.err;
  EXPECT_TRUE(Contains(grant.err, "granting:")) << grant.err;
  EXPECT_TRUE(Contains(grant.err, "display name        \"Dave's pipeline\""))
      << grant.err;
  EXPECT_TRUE(Contains(grant.err, "organisation        \"Acme AI\""));
  EXPECT_TRUE(Contains(grant.err, "kind                service"));
  EXPECT_TRUE(Contains(grant.err, "roles               publisher"));
  EXPECT_TRUE(Contains(grant.err, "functions           \"approver\""));
  EXPECT_TRUE(Contains(grant.err, "scope organisation  any"));
  EXPECT_EQ(Size(), before + 1);
  EXPECT_TRUE(OnRoster("dave"));
}

TEST_F(KeysSecurityTest, GrantShowsTerminalControlsInTheRequestEscaped) {
  // Whether the server accepts such a name is another check's business; what
  // the admin's terminal shows must never be rewritten by the request.
  Request("eve", {"--display-name",
                  "Eve\x1b[2K\r\xe2\x80\xae"
                  "admin"});
  auto grant = GrantPublisher("eve");
  ASSERT_TRUE(Contains(grant.err, "scope system")) << grant.err;
  const std::string shown = grant.err.substr(0, grant.err.find("scope system"));
  EXPECT_TRUE(Contains(shown, R"("Eve\u001b[2K\u000d\u202eadmin")")) << shown;
  EXPECT_FALSE(Contains(shown, "\x1b")) << shown;
  EXPECT_FALSE(Contains(shown, "\xe2\x80\xae")) << shown;
}

// --- Flaw 11: key files
// -------------------------------------------------------

TEST_F(KeysSecurityTest, KeygenRefusesToReplaceAnExistingKey) {
  const std::string log_key = ReadSmallFile(Path("log.key")).value();
  const std::string log_pub = ReadSmallFile(Path("log.key.pub")).value();
  auto again =
      Cli({"keygen", "--name", testing::kE2eOrigin, "--out", Path("log.key")});
  ExpectExit(again, 1,
             Path("log.key") +
                 " already exists; not replacing it "
                 "(--force replaces it)");
  EXPECT_EQ(ReadSmallFile(Path("log.key")).value(), log_key);
  EXPECT_EQ(ReadSmallFile(Path("log.key.pub")).value(), log_pub);
  // A lone .pub is not replaced either, and then no key is written.
  ASSERT_TRUE(WriteFileDurably(Path("lone.key.pub"), "keep me\n").ok());
  EXPECT_EQ(
      Cli({"keygen", "--name", "lone", "--out", Path("lone.key")}).exit_code,
      1);
  EXPECT_FALSE(std::filesystem::exists(Path("lone.key")));
  EXPECT_EQ(ReadSmallFile(Path("lone.key.pub")).value(), "keep me\n");
  // --force replaces both, still 0600.
  auto forced =
      Cli({"keygen", "--name", "admin", "--out", Path("admin.key"), "--force"});
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(ReadSmallFile(Path("admin.key.pub")).value(), forced.out);
  EXPECT_EQ(ModeOf(Path("admin.key")), 0600);
}

TEST_F(KeysSecurityTest, KeygenFollowsNoLinkPlantedAtTheOutPath) {
  // A dangling link: the old keygen wrote the key to its target.
  std::filesystem::create_symlink(Path("stolen"), Path("planted.key"));
  auto r = Cli({"keygen", "--name", "p", "--out", Path("planted.key")});
  ExpectExit(r, 1, "already exists");
  EXPECT_FALSE(std::filesystem::exists(Path("stolen")));
  EXPECT_TRUE(std::filesystem::is_symlink(Path("planted.key")));
  // --force replaces the link itself, never what it points to.
  ASSERT_TRUE(WriteFileDurably(Path("victim"), "victim\n").ok());
  std::filesystem::remove(Path("planted.key"));
  std::filesystem::create_symlink(Path("victim"), Path("planted.key"));
  ASSERT_EQ(
      Cli({"keygen", "--name", "p", "--out", Path("planted.key"), "--force"})
          .exit_code,
      0);
  EXPECT_EQ(ReadSmallFile(Path("victim")).value(), "victim\n");
  EXPECT_FALSE(std::filesystem::is_symlink(Path("planted.key")));
  EXPECT_EQ(ModeOf(Path("planted.key")), 0600);
}

TEST_F(KeysSecurityTest, KeygenUsesNoPredictableTemporaryFile) {
  // The old keygen wrote through KEY.tmp: a link there sent the key to the
  // link's target, and a file there kept its own (readable) mode.
  std::filesystem::create_symlink(Path("stolen"), Path("linked.key.tmp"));
  ASSERT_TRUE(WriteFileDurably(Path("open.key.tmp"), "", 0644).ok());
  ASSERT_EQ(
      Cli({"keygen", "--name", "a", "--out", Path("linked.key")}).exit_code, 0);
  ASSERT_EQ(Cli({"keygen", "--name", "b", "--out", Path("open.key")}).exit_code,
            0);
  EXPECT_FALSE(std::filesystem::exists(Path("stolen")));
  EXPECT_FALSE(std::filesystem::is_symlink(Path("linked.key")));
  EXPECT_EQ(ModeOf(Path("linked.key")), 0600);
  EXPECT_EQ(ModeOf(Path("open.key")), 0600);
  // Nothing left behind but what was planted.
  for (const auto& f : std::filesystem::directory_iterator(dir_)) {
    const std::string name = f.path().filename().string();
    EXPECT_FALSE(Contains(name, ".tmp.")) << name;
  }
}

TEST_F(KeysSecurityTest, AiledgerdRefusesALogKeyOthersCanRead) {
  server_->Stop(SIGTERM);
  server_.reset();
  for (int mode : {0644, 0640, 0604}) {
    ASSERT_EQ(chmod(Path("log.key").c_str(), mode), 0);
    ServerProcess serve({AILEDGERD_PATH, "serve", "--data", Path("data"),
                         "--log-key", Path("log.key"), "--listen",
                         "127.0.0.1:0"});
    EXPECT_FALSE(serve.started());
    char want[128];
    std::snprintf(want, sizeof want, "permissions %04o are too open", mode);
    EXPECT_TRUE(Contains(serve.output(), Path("log.key") + ": " + want +
                                             "; chmod 600 " + Path("log.key")))
        << serve.output();
    auto init = Daemon({"init", "--data", Path("data2"), "--genesis",
                        Path("genesis.json"), "--log-key", Path("log.key")});
    ExpectExit(init, 1, want);
    EXPECT_FALSE(std::filesystem::exists(Path("data2")));
  }
  ASSERT_EQ(chmod(Path("log.key").c_str(), 0600), 0);
  StartServer();
}

TEST_F(KeysSecurityTest, CliRefusesAKeyOthersCanRead) {
  ASSERT_EQ(chmod(Path("publisher.key").c_str(), 0644), 0);
  ASSERT_EQ(chmod(Path("admin.key").c_str(), 0660), 0);
  ASSERT_TRUE(WriteFileDurably(Path("ev.json"),
                               R"({"event_type":"SystemRegistered",
                                   "organisation":"Acme AI",
                                   "subjects":[{"kind":"system","id":"s"}]})")
                  .ok());
  const uint64_t before = Size();
  auto push = Cli({"push", Path("ev.json"), "--key", Path("publisher.key")});
  ExpectExit(push, 1,
             Path("publisher.key") +
                 ": permissions 0644 are too open; chmod "
                 "600 " +
                 Path("publisher.key"));
  auto revoke = Cli({"key", "revoke", "--revoke", Vkey("publisher"), "--key",
                     Path("admin.key")});
  ExpectExit(revoke, 1, Path("admin.key") + ": permissions 0660 are too open");
  auto genesis = Cli({"genesis", "--origin", testing::kE2eOrigin, "--admin-key",
                      Path("admin.key"), "--log-vkey", Vkey("log"), "--out",
                      Path("g2.json")});
  ExpectExit(genesis, 1, "permissions 0660 are too open");
  EXPECT_FALSE(std::filesystem::exists(Path("g2.json")));
  EXPECT_EQ(Size(), before);
}

// --- Flaw 12: numeric flags are range-checked
// ---------------------------------

TEST_F(KeysSecurityTest, EraseOfAttachmentBeyond32BitsIsRefusedNotAttachment0) {
  server_->Stop(SIGTERM);
  StartServer({"--sealed-store", Path("sealed")});
  std::string id;
  ASSERT_NO_FATAL_FAILURE(PushSealedFeedback("Jane Doe", &id));
  const uint64_t before = Size();
  auto erase = Cli({"erase", "--id", id, "--attachment", "4294967296",
                    "--basis", "GDPR Art. 17", "--key", Path("admin.key")});
  ExpectExit(erase, 2,
             "--attachment: 4294967296 is out of range (0..4294967295)");
  EXPECT_EQ(Size(), before);
  // Attachment 0 is still there.
  auto unseal = Cli({"unseal", "--id", id, "--attachment", "0", "--out",
                     Path("back.txt"), "--key", Path("admin.key")});
  ASSERT_EQ(unseal.exit_code, 0) << unseal.err;
  EXPECT_EQ(ReadSmallFile(Path("back.txt")).value(), "Jane Doe");
  auto wide = Cli({"unseal", "--id", id, "--attachment", "4294967296", "--out",
                   Path("wide.txt"), "--key", Path("admin.key")});
  ExpectExit(wide, 2, "out of range (0..4294967295)");
  EXPECT_FALSE(std::filesystem::exists(Path("wide.txt")));
}

TEST_F(KeysSecurityTest, NumericFlagsOutOfTheirRangeAreRefused) {
  const struct {
    std::vector<std::string> args;
    std::string message;
  } cases[] = {
      {{"query", "--limit", "4294967296", "--key", Path("admin.key")},
       "--limit: 4294967296 is out of range (0..4294967295)"},
      {{"query", "--from", "9223372036854775808", "--key", Path("admin.key")},
       "--from: 9223372036854775808 is out of range (0..9223372036854775807)"},
      {{"key", "revoke", "--revoke", Vkey("publisher"), "--compromised-since",
        "18446744073709551615", "--key", Path("admin.key")},
       "out of range (0..9223372036854775807)"},
      {{"get", "--index", "-1", "--key", Path("admin.key")},
       "--index: '-1' is not a whole number"},
      {{"log-info", "--timeout", "nan"}, "--timeout: 'nan' is not a number"},
      {{"log-info", "--timeout", "1e300"}, "--timeout: 1e+300 is out of range"},
  };
  for (const auto& c : cases) {
    auto r = Cli(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.message << "\n" << r.err;
    EXPECT_TRUE(Contains(r.err, c.message)) << r.err;
  }
  // ailedgerd too: an interval that overflows the clock, a page of nothing.
  for (const auto& [flag, value] :
       std::vector<std::pair<std::string, std::string>>{
           {"--witness-interval-ms", "9223372036854775807"},
           {"--max-page", "0"}}) {
    ServerProcess serve({AILEDGERD_PATH, "serve", "--data", Path("data"),
                         "--log-key", Path("log.key"), "--listen",
                         "127.0.0.1:0", flag, value});
    EXPECT_FALSE(serve.started());
    EXPECT_TRUE(
        Contains(serve.output(), flag + ": " + value + " is out of range"))
        << serve.output();
  }
}

}  // namespace
}  // namespace ailedger
