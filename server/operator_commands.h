// ailedgerd's commands for keeping a log over years: backup, restore and
// upgrade (server/backup.h, server/restore.h, server/upgrade.h). Declared
// here and listed by ailedgerd_main.cc.
#ifndef AILEDGER_SERVER_OPERATOR_COMMANDS_H_
#define AILEDGER_SERVER_OPERATOR_COMMANDS_H_

#include "cmdline/cli_args.h"
#include "cmdline/command.h"

namespace ailedger {

extern const Command<CliArgs> kBackupCommand;
extern const Command<CliArgs> kRestoreCommand;
extern const Command<CliArgs> kUpgradeCommand;

}  // namespace ailedger

#endif  // AILEDGER_SERVER_OPERATOR_COMMANDS_H_
