// ailedger: the command line for providers, deployers and auditors. The
// commands are records declared next to their code (client/cli.h); this file
// orders them for the usage text and dispatches (cmdline/command.h).
#include <iostream>

#include "client/cli.h"
#include "cmdline/run_main.h"

namespace ailedger {
namespace {

constexpr ProgramSpec kProgram{
    .name = "ailedger",
    .options =
        "[--server HOST:PORT] [--key FILE] [--json] [--timeout S] "
        "[--tls-ca FILE]",
    .flags = "server key timeout tls-ca",
    .switches = "json",
};

// In the order of the usage text: setting a log up, using it, auditing it.
constexpr const CliCommand* kCommands[] = {
    &kKeygenCommand,
    &kGenesisCommand,
    &kKeyRequestCommand,
    &kKeyGrantCommand,
    &kKeyRevokeCommand,
    &kPushCommand,
    &kEventIdCommand,
    &kTemplateCommand,
    &kUnsealCommand,
    &kEraseCommand,
    &kLogKeyRotateCommand,
    &kGetCommand,
    &kQueryCommand,
    &kCheckpointCommand,
    &kLogInfoCommand,
    &kLogKeyChainCommand,
    &kProveCommand,
    &kExportCommand,
    &kVerifyCommand,
    &kVerifyProofCommand,
    &kCheckQueriesCommand,
    &kWitnessServeCommand,
    &kWitnessBackupCommand,
    &kWitnessRestoreCommand,
    &kMonitorCommand,
    &kExportTilesCommand,
    &kAiaCheckCommand,
    &kSampleCommand,
    &kReportVerificationCommand,
    &kReportAiaCommand,
    &kReportFairnessCommand,
    &kReportIso42001Command,
    &kReportAnnualCommand,
    &kReportSystemCommand,
};

absl::Status Run(const std::vector<std::string>& argv) {
  return RunCommandLine<Cli>(
      kProgram, kCommands, argv, std::cout,
      [](CliArgs args, std::vector<std::string> words) {
        const bool json = args.Has("json");
        return Cli{std::move(args), std::move(words), &std::cout, json};
      });
}

}  // namespace
}  // namespace ailedger

int main(int argc, char** argv) {
  return ailedger::RunMain("ailedger", argc, argv, ailedger::Run);
}
