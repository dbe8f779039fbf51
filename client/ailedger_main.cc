// ailedger: the command line for providers, deployers and auditors.
#include <cstdio>
#include <iostream>

#include "absl/strings/match.h"
#include "client/cli.h"
#include "ledger/base/terminal_escape.h"

namespace ailedger {
namespace {

constexpr char kUsage[] =
    R"(usage: ailedger [--server HOST:PORT] [--key FILE] [--json] [--timeout S] COMMAND
  keygen --name NAME --out FILE [--cosigner] [--force (replace FILE, FILE.pub)]
  genesis --origin NAME --admin-key FILE --log-vkey VKEY --out FILE [--organisation O]
  key request --key FILE --organisation O --role R... [--kind person|service]
              [--display-name N] [--function F...] [--scope-organisation O]
              [--scope-system S] [--origin ORIGIN] [--out FILE]
  key grant REQUEST --key ADMINKEY --organisation ORG --role R... [--kind person|service]
            [--function F...] [--scope-organisation O] [--scope-system S]
            (signs only what these flags grant; a request asking for other is refused)
  key revoke --revoke VKEY --key ADMINKEY [--reason R] [--compromised-since MS]
  push FILE|- --key FILE [--batch] [--receipt FILE (FILE.<index> with --batch)]
       [--origin ORIGIN | --vkey LOGVKEY]   (pin the log: with --vkey the receipt is verified)
       [--seal LABEL=FILE ...]   (encrypted here; the event carries only the commitment)
  event-id FILE|- --origin ORIGIN   (the id the event will have: hex and base64)
  template EVENT_TYPE [--organisation O]   (an event with every required field)
  unseal --id HEX --attachment N --out FILE     (admins, auditors and the author)
  erase --id HEX --attachment N --basis TEXT --key ADMINKEY [--requested-by WHO]
  get --index N | --id HEX [--raw]
  query [--subject KIND:ID] [--type T] [--organisation O] [--from MS] [--to MS] [--limit N]
  checkpoint [--cosigned | --size N]
  log-info
  prove inclusion --index N [--size S] | prove consistency --from A --to B
  export --out FILE [--from A --to B] [--trusted CHECKPOINT]
  verify FILE --vkey LOGVKEY... --admin-vkey VKEY [--expect ROLE=VKEY...]
         [--trusted CHECKPOINT] [--witness-policy FILE]    (exit 0 verified, 1 failed, 2 unusable)
  verify-proof RECEIPT|PROOF.json --vkey LOGVKEY... --witness-policy FILE | --no-witness-policy
               [--checkpoint FILE] [--trusted FILE]   (for prove --json output)
               [--event FILE | --event-id HEX]   (the event it must prove; else not bound)
  check-queries BUNDLE     (the server's query answers against a verified bundle's leaves)
  witness serve --key COSIGNER --log-vkey VKEY... --state DIR [--listen ADDR (127.0.0.1:7421)]
  monitor --state DIR --vkey LOGVKEY... --admin-vkey VKEY [--interval S (10)] [--once]
  export-tiles DIR                    (C2SP tlog-tiles, for any static web server)
  verify DIR --tree-only --vkey LOGVKEY...   (checkpoint, entry bundles and hash tiles)
)";

using Command = absl::Status (*)(const Cli&);

absl::StatusOr<Command> Find(std::vector<std::string>* words) {
  if (words->empty()) return absl::InvalidArgumentError("no command");
  std::string cmd = words->front();
  words->erase(words->begin());
  if (cmd == "key" || cmd == "witness") {
    if (words->empty())
      return absl::InvalidArgumentError("key request|grant|revoke");
    cmd += " " + words->front();
    words->erase(words->begin());
  }
  static const std::pair<const char*, Command> kCommands[] = {
      {"keygen", CmdKeygen},
      {"genesis", CmdGenesis},
      {"key request", CmdKeyRequest},
      {"key grant", CmdKeyGrant},
      {"key revoke", CmdKeyRevoke},
      {"push", CmdPush},
      {"event-id", CmdEventId},
      {"template", CmdTemplate},
      {"get", CmdGet},
      {"query", CmdQuery},
      {"checkpoint", CmdCheckpoint},
      {"log-info", CmdLogInfo},
      {"prove", CmdProve},
      {"export", CmdExport},
      {"verify", CmdVerify},
      {"verify-proof", CmdVerifyProof},
      {"check-queries", CmdCheckQueries},
      {"export-tiles", CmdExportTiles},
      {"witness serve", CmdWitnessServe},
      {"monitor", CmdMonitor},
      {"erase", CmdErase},
      {"unseal", CmdUnseal},
  };
  for (const auto& [name, fn] : kCommands) {
    if (cmd == name) return fn;
  }
  return absl::InvalidArgumentError("unknown command '" + cmd + "'");
}

absl::Status Run(const std::vector<std::string>& argv) {
  auto args =
      CliArgs::Parse(argv, {"server",       "key",
                            "timeout",      "tls-ca",
                            "name",         "out",
                            "origin",       "admin-key",
                            "log-vkey",     "organisation",
                            "admin-name",   "role",
                            "kind",         "display-name",
                            "function",     "scope-organisation",
                            "scope-system", "revoke",
                            "reason",       "compromised-since",
                            "receipt",      "index",
                            "id",           "subject",
                            "type",         "from",
                            "to",           "limit",
                            "size",         "vkey",
                            "admin-vkey",   "expect",
                            "trusted",      "witness-policy",
                            "log-vkey",     "state",
                            "listen",       "interval",
                            "checkpoint",   "seal",
                            "attachment",   "basis",
                            "requested-by", "event",
                            "event-id"},
                     {"json", "cosigner", "batch", "raw", "cosigned", "help",
                      "tree-only", "once", "no-witness-policy", "force"});
  if (!args.ok()) return args.status();
  std::vector<std::string> words = args->positional();
  auto cmd = Find(&words);
  if (!cmd.ok()) return cmd.status();
  Cli cli{*args, std::move(words), &std::cout, args->Has("json")};
  return (*cmd)(cli);
}

}  // namespace
}  // namespace ailedger

int main(int argc, char** argv) {
  absl::Status s =
      ailedger::Run(std::vector<std::string>(argv + 1, argv + argc));
  if (!s.ok()) {
    // Messages quote bundles, events and servers: escaped for the terminal.
    std::fprintf(stderr, "ailedger: %s\n",
                 ailedger::EscapeForTerminal(s.message()).c_str());
    if (absl::StartsWith(s.message(), "no command") ||
        absl::StartsWith(s.message(), "unknown command")) {
      std::fprintf(stderr, "%s", ailedger::kUsage);
    }
    return s.code() == absl::StatusCode::kInvalidArgument ? 2 : 1;
  }
  return 0;
}
