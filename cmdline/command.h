// A program's commands as records. Each command is declared once, next to its
// implementation: its name, a one-line summary, its usage and the options it
// takes. Dispatch, `--help` on a command, `PROGRAM help COMMAND`, `--version`
// and the program's usage text are all made from these records; there is no
// second list to keep in step.
//
// A command takes the program-wide options and its own, nothing else, so a
// typo never silently changes behaviour: `ailedger get --basis x` is refused
// ("get does not take --basis", exit 2). Program-wide options may also come
// before the command's name.
#ifndef AILEDGER_CMDLINE_COMMAND_H_
#define AILEDGER_CMDLINE_COMMAND_H_

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "cmdline/cli_args.h"

namespace ailedger {

// The project's version (CMake's PROJECT_VERSION), for `--version`.
absl::string_view ProjectVersion();

struct ProgramSpec {
  absl::string_view name;           // "ailedger"
  absl::string_view options = "";   // synopsis of the program-wide options
  absl::string_view flags = "";     // program-wide options with a value, e.g.
                                    // "server key" (space-separated)
  absl::string_view switches = "";  // program-wide options without one
};

struct CommandSpec {
  // One word, or two for a command of a group ("key grant"; `ailedger key`
  // alone then names the group's commands).
  absl::string_view name;
  absl::string_view summary;  // one line, in the list of commands
  // What follows the name in the synopsis; "\n" starts a continuation line.
  absl::string_view usage;
  absl::string_view flags;     // its options that take a value, space-separated
  absl::string_view switches;  // its options that take none
};

// A command with the function that runs it over a `Context` (the program's
// view of a parsed command line: ailedger's Cli, ailedgerd's CliArgs).
template <typename Context>
struct Command {
  absl::string_view name, summary;
  absl::string_view usage = "", flags = "", switches = "";
  absl::Status (*run)(const Context&) = nullptr;

  CommandSpec spec() const { return {name, summary, usage, flags, switches}; }
};

// A command line read against the records: the command to run (its index)
// with its arguments and the words after its name; no command when the line
// asked for help or the version, which is then already printed on `out`.
struct CommandLine {
  std::optional<size_t> command;
  CliArgs args;
  std::vector<std::string> words;
};

// Errors are usage errors (cmdline/usage_error.h) carrying the usage to show:
// no command, an unknown one, a group without its subcommand, an option the
// command does not take.
absl::StatusOr<CommandLine> ReadCommandLine(
    const ProgramSpec& program, absl::Span<const CommandSpec> commands,
    const std::vector<std::string>& argv, std::ostream& out);

// "usage: PROGRAM OPTIONS COMMAND ..." and the commands with their summaries.
std::string ProgramUsage(const ProgramSpec& program,
                         absl::Span<const CommandSpec> commands);
// "usage: PROGRAM NAME USAGE", the summary and the program-wide options.
std::string CommandUsage(const ProgramSpec& program,
                         const CommandSpec& command);

// Reads `argv` and runs the command it names on make_context(args, words).
template <typename Context, typename MakeContext>
absl::Status RunCommandLine(const ProgramSpec& program,
                            absl::Span<const Command<Context>* const> commands,
                            const std::vector<std::string>& argv,
                            std::ostream& out, MakeContext make_context) {
  std::vector<CommandSpec> specs;
  for (const Command<Context>* c : commands) specs.push_back(c->spec());
  auto line = ReadCommandLine(program, specs, argv, out);
  if (!line.ok()) return line.status();
  if (!line->command) return absl::OkStatus();
  return commands[*line->command]->run(
      make_context(std::move(line->args), std::move(line->words)));
}

}  // namespace ailedger

#endif  // AILEDGER_CMDLINE_COMMAND_H_
