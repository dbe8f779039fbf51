// The command lines as records (issue 11, "A CLI of commands"): each command
// takes its own flags and no other, answers --help and `help COMMAND`, and the
// exit code is decided explicitly: 0 ok, 1 failed (a server's refusal
// included), 2 usage or an unusable local input.
#include <regex>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "ledger/base/file_util.h"
#include "ledger/governance/event_signature.h"
#include "tests/testing/e2e_fixture.h"

namespace ailedger::testing {
namespace {

using CliTest = E2eTest;

std::string Both(const ProcessResult& r) { return r.out + r.err; }

TEST_F(CliTest, AFlagOfAnotherCommandIsRefusedNamingItAndTheCommand) {
  auto r = Cli({"get", "--basis", "x", "--index", "0"});
  ExpectExit(r, 2, "get does not take --basis");
  EXPECT_TRUE(absl::StrContains(r.err, "usage: ailedger get ")) << r.err;
  EXPECT_EQ(r.out, "");
  // A switch of another command, and a flag of a two-word command.
  auto raw = Cli({"log-info", "--raw"});
  ExpectExit(raw, 2, "log-info does not take --raw");
  auto grant = Cli({"key", "grant", Path("x"), "--tree-only"});
  ExpectExit(grant, 2, "key grant does not take --tree-only");
  // The command's own flags, and program-wide ones before the command, work.
  auto get = Cli({"--json", "--key", Path("admin.key"), "get", "--index", "0"});
  EXPECT_EQ(get.exit_code, 0) << get.err;
  EXPECT_TRUE(absl::StartsWith(get.out, "{\"index\":0,")) << get.out;
  // ailedgerd likewise.
  auto d = Daemon({"init", "--data", Path("d"), "--repair"});
  ExpectExit(d, 2, "init does not take --repair");
}

TEST_F(CliTest, HelpOnACommandPrintsItsUsageAndExitsZero) {
  for (const std::string help : {"--help", "-h"}) {
    auto r = Cli({"push", help});
    EXPECT_EQ(r.exit_code, 0) << Both(r);
    EXPECT_TRUE(absl::StartsWith(r.out, "usage: ailedger push FILE|- --key"))
        << r.out;
    EXPECT_TRUE(absl::StrContains(r.out, "--seal LABEL=FILE")) << r.out;
    EXPECT_EQ(r.err, "");
  }
  auto serve = Daemon({"serve", "--help"});
  EXPECT_EQ(serve.exit_code, 0) << Both(serve);
  EXPECT_TRUE(absl::StartsWith(
      serve.out, "usage: ailedgerd serve (--data DIR | --store CONNINFO)"))
      << serve.out;
  auto top = Cli({"--help"});
  EXPECT_EQ(top.exit_code, 0) << Both(top);
  EXPECT_TRUE(absl::StartsWith(top.out, "usage: ailedger ")) << top.out;
}

TEST_F(CliTest, HelpCommandGivesACommandsUsage) {
  auto r = Cli({"help", "key", "grant"});
  EXPECT_EQ(r.exit_code, 0) << Both(r);
  EXPECT_TRUE(
      absl::StartsWith(r.out, "usage: ailedger key grant REQUEST --key "))
      << r.out;
  auto group = Cli({"help", "key"});
  EXPECT_EQ(group.exit_code, 0) << Both(group);
  for (const char* sub : {"key request", "key grant", "key revoke"})
    EXPECT_TRUE(absl::StrContains(group.out, sub)) << group.out;
  auto unknown = Cli({"help", "nope"});
  ExpectExit(unknown, 2, "unknown command 'nope'");
  auto d = Daemon({"help", "check-indexes"});
  EXPECT_EQ(d.exit_code, 0) << Both(d);
  EXPECT_TRUE(absl::StartsWith(d.out, "usage: ailedgerd check-indexes --data"))
      << d.out;
}

// Every option a command's usage shows is one it takes: `CMD --FLAG=x --help`
// parses the flag (refusing it if the command does not take it) before the
// help is printed.
TEST_F(CliTest, EveryFlagInACommandsUsageIsOneItTakes) {
  auto list = Cli({"help"});
  ASSERT_EQ(list.exit_code, 0) << Both(list);
  const std::string listed = list.out.substr(list.out.find("commands:\n"));
  int commands = 0, flags = 0;
  for (absl::string_view line : absl::StrSplit(listed, '\n')) {
    if (!absl::StartsWith(line, "  ")) continue;
    std::vector<std::string> name = absl::StrSplit(
        line.substr(2, line.find("  ", 2) - 2), ' ', absl::SkipEmpty());
    ++commands;
    std::vector<std::string> help = name;
    help.push_back("--help");
    auto usage = Cli(help);
    ASSERT_EQ(usage.exit_code, 0) << line << ": " << Both(usage);
    const std::regex flag("--([a-z][a-z0-9-]*)");
    for (std::sregex_iterator it(usage.out.begin(), usage.out.end(), flag), end;
         it != end; ++it) {
      std::vector<std::string> args = name;
      args.push_back("--" + (*it)[1].str() + "=x");
      args.push_back("--help");
      auto r = Cli(args);
      EXPECT_EQ(r.exit_code, 0) << line << " --" << (*it)[1] << ": " << r.err;
      ++flags;
    }
  }
  // With witness backup and witness restore, log-key rotate and chain.
  EXPECT_EQ(commands, 34);
  EXPECT_GT(flags, 100);
}

TEST_F(CliTest, VersionIsTheProjectsForBothBinaries) {
  auto cli = Cli({"--version"});
  EXPECT_EQ(cli.exit_code, 0) << Both(cli);
  EXPECT_EQ(cli.out, std::string("ailedger ") + AILEDGER_VERSION + "\n");
  auto daemon = Daemon({"--version"});
  EXPECT_EQ(daemon.exit_code, 0) << Both(daemon);
  EXPECT_EQ(daemon.out, std::string("ailedgerd ") + AILEDGER_VERSION + "\n");
}

// A server's INVALID_ARGUMENT is a refusal (1), not a usage error (2).
TEST_F(CliTest, AServerInvalidArgumentOnPushExitsOne) {
  auto t = Cli({"template", "RiskAssessed", "--organisation", "Acme AI"});
  ASSERT_EQ(t.exit_code, 0) << t.err;
  const std::string json =
      absl::StrReplaceAll(t.out, {{",\"severity\":\"major\"", ""}});
  ASSERT_NE(json, t.out);
  v1::Event e;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &e).ok());
  const SigningKey publisher = LoadKey("publisher");
  auto direct =
      Client(&publisher)
          ->Append(AppendRequestOf(SignEvent(e, publisher, kE2eOrigin)));
  ASSERT_EQ(direct.status().code(), absl::StatusCode::kInvalidArgument)
      << direct.status();
  ASSERT_TRUE(WriteFileDurably(Path("bad.json"), json).ok());
  const uint64_t before = Size();
  auto push = Cli({"push", Path("bad.json"), "--key", Path("publisher.key")});
  ExpectExit(push, 1, "severity");
  EXPECT_EQ(Size(), before);
  // An input it cannot read is unusable input: 2.
  auto missing =
      Cli({"push", Path("missing.json"), "--key", Path("publisher.key")});
  ExpectExit(missing, 2, "missing.json: cannot open");
}

TEST_F(CliTest, AnUnknownCommandExitsTwoWithTheUsage) {
  auto r = Cli({"nope"});
  ExpectExit(r, 2, "ailedger: unknown command 'nope'");
  EXPECT_TRUE(absl::StrContains(r.err, "verify-proof")) << r.err;
  auto none = Cli({});
  ExpectExit(none, 2, "no command");
  auto d = Daemon({"nope"});
  ExpectExit(d, 2, "ailedgerd: unknown command 'nope'");
}

TEST_F(CliTest, WitnessAloneNamesItsSubcommand) {
  auto r = Cli({"witness"});
  ExpectExit(r, 2, "witness: a subcommand is required: serve");
  EXPECT_FALSE(absl::StrContains(r.err, "request")) << r.err;
  auto key = Cli({"key"});
  ExpectExit(key, 2, "key: a subcommand is required: request, grant, revoke");
  auto wrong = Cli({"witness", "run"});
  ExpectExit(wrong, 2, "unknown command 'witness run'");
}

// The port was read with std::stoi, which threw on "abc".
TEST_F(CliTest, WitnessListenPortIsChecked) {
  const struct {
    std::string listen, message;
  } cases[] = {
      {"127.0.0.1:abc",
       "--listen: '127.0.0.1:abc': the port 'abc' is not a number in "
       "0..65535"},
      {"127.0.0.1:65536", "the port '65536' is not a number in 0..65535"},
      {"127.0.0.1:-1", "the port '-1' is not a number in 0..65535"},
      {"127.0.0.1", "--listen: '127.0.0.1' is not HOST:PORT (no port)"},
  };
  for (const auto& c : cases) {
    auto r = Cli({"witness", "serve", "--listen", c.listen});
    EXPECT_EQ(r.exit_code, 2) << c.listen << ": " << Both(r);
    EXPECT_TRUE(absl::StrContains(r.err, c.message)) << r.err;
  }
}

}  // namespace
}  // namespace ailedger::testing
