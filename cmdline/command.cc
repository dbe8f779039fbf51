#include "cmdline/command.h"

#include <algorithm>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "cmdline/usage_error.h"

#ifndef AILEDGER_VERSION
#error \
    "AILEDGER_VERSION: set from CMake's PROJECT_VERSION (cmdline/CMakeLists.txt)"
#endif

namespace ailedger {
namespace {

std::set<std::string> Names(std::initializer_list<absl::string_view> lists) {
  std::set<std::string> out;
  for (absl::string_view list : lists) {
    for (absl::string_view n : absl::StrSplit(list, ' ', absl::SkipEmpty()))
      out.emplace(n);
  }
  return out;
}

bool IsHelp(absl::string_view w) { return w == "--help" || w == "-h"; }
bool IsOption(absl::string_view w) {
  return w.size() > 2 && absl::StartsWith(w, "--");
}
// "--name" or "--name=value" -> "name".
std::string OptionName(absl::string_view w) {
  return std::string(w.substr(2, w.find('=') == absl::string_view::npos
                                     ? absl::string_view::npos
                                     : w.find('=') - 2));
}

// The words before and after the command's name, as far as the program-wide
// options tell: the position of the first word that is not an option or an
// option's value, and whether --help or --version came before it.
struct Head {
  size_t first;  // argv.size() when there is no command
  bool help = false, version = false;
};

absl::StatusOr<Head> ReadHead(const ProgramSpec& program,
                              const std::vector<std::string>& argv) {
  const std::set<std::string> flags = Names({program.flags});
  const std::set<std::string> switches = Names({program.switches});
  Head h{argv.size()};
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& w = argv[i];
    if (IsHelp(w)) {
      h.help = true;
    } else if (w == "--version") {
      h.version = true;
    } else if (!IsOption(w)) {
      h.first = i;
      return h;
    } else if (flags.count(OptionName(w))) {
      if (w.find('=') == std::string::npos) ++i;  // its value
    } else if (!switches.count(OptionName(w))) {
      return UsageError(absl::StrCat(
          w.substr(0, w.find('=')), " is not an option of ", program.name,
          " (a command's own options follow its name)"));
    }
  }
  return h;
}

std::string Column(absl::string_view name, size_t width) {
  return absl::StrCat("  ", name, std::string(width - name.size() + 2, ' '));
}

// The commands of a group ("key"): "  key grant   summary" lines.
std::string GroupList(absl::Span<const CommandSpec> commands,
                      absl::string_view group) {
  size_t width = 0;
  for (const CommandSpec& c : commands) width = std::max(width, c.name.size());
  std::string out;
  for (const CommandSpec& c : commands) {
    if (group.empty() || absl::StartsWith(c.name, absl::StrCat(group, " ")))
      absl::StrAppend(&out, Column(c.name, width), c.summary, "\n");
  }
  return out;
}

std::string GroupUsage(const ProgramSpec& program,
                       absl::Span<const CommandSpec> commands,
                       absl::string_view group) {
  return absl::StrCat("usage: ", program.name, " ", group,
                      " SUBCOMMAND ...   (", program.name, " help ", group,
                      " SUBCOMMAND for its flags)\n",
                      GroupList(commands, group));
}

// The subcommands of `group`, e.g. "request, grant, revoke"; "" if it is none.
std::string Subcommands(absl::Span<const CommandSpec> commands,
                        absl::string_view group) {
  std::vector<absl::string_view> subs;
  for (const CommandSpec& c : commands) {
    absl::string_view name = c.name;
    if (absl::ConsumePrefix(&name, absl::StrCat(group, " ")))
      subs.push_back(name);
  }
  return absl::StrJoin(subs, ", ");
}

// The command named by the words at `first` (and `first + 1` for a group):
// its index and how many words its name took. A group named alone, with
// `help`, is answered on `out` (nullopt).
struct Found {
  size_t index, words;
};

absl::StatusOr<std::optional<Found>> Find(
    const ProgramSpec& program, absl::Span<const CommandSpec> commands,
    const std::vector<std::string>& argv, size_t first, bool help,
    std::ostream& out) {
  const std::string& w = argv[first];
  for (size_t i = 0; i < commands.size(); ++i) {
    if (commands[i].name == w) return Found{i, 1};
  }
  const std::string subs = Subcommands(commands, w);
  if (subs.empty()) {
    return UsageError(absl::StrCat("unknown command '", w, "'"),
                      ProgramUsage(program, commands));
  }
  const bool named = first + 1 < argv.size() && !IsOption(argv[first + 1]) &&
                     !IsHelp(argv[first + 1]);
  if (!named && help) {
    out << GroupUsage(program, commands, w);
    return std::nullopt;
  }
  if (!named) {
    return UsageError(absl::StrCat(w, ": a subcommand is required: ", subs),
                      GroupUsage(program, commands, w));
  }
  const std::string name = absl::StrCat(w, " ", argv[first + 1]);
  for (size_t i = 0; i < commands.size(); ++i) {
    if (commands[i].name == name) return Found{i, 2};
  }
  return UsageError(
      absl::StrCat("unknown command '", name, "' (", w, ": ", subs, ")"),
      GroupUsage(program, commands, w));
}

// `PROGRAM help [COMMAND]`: the usage asked for, on `out`.
absl::Status Help(const ProgramSpec& program,
                  absl::Span<const CommandSpec> commands,
                  std::vector<std::string> names, std::ostream& out) {
  if (names.empty()) {
    out << ProgramUsage(program, commands);
    return absl::OkStatus();
  }
  auto found = Find(program, commands, names, 0, /*help=*/true, out);
  if (!found.ok() || !found->has_value()) return found.status();
  if (names.size() > (*found)->words) {
    return UsageError(absl::StrCat("help: one command, not '",
                                   absl::StrJoin(names, " "), "'"));
  }
  out << CommandUsage(program, commands[(*found)->index]);
  return absl::OkStatus();
}

}  // namespace

absl::string_view ProjectVersion() { return AILEDGER_VERSION; }

std::string ProgramUsage(const ProgramSpec& program,
                         absl::Span<const CommandSpec> commands) {
  const std::string other = absl::StrCat("       ", program.name, " ");
  return absl::StrCat(
      "usage: ", program.name, program.options.empty() ? "" : " ",
      program.options, " COMMAND ...\n", other,
      "help [COMMAND]   (a command's usage and options; also COMMAND "
      "--help)\n",
      other, "--version\n\ncommands:\n", GroupList(commands, ""));
}

std::string CommandUsage(const ProgramSpec& program,
                         const CommandSpec& command) {
  const std::string head =
      absl::StrCat("usage: ", program.name, " ", command.name, " ");
  std::string out = head;
  for (absl::string_view line : absl::StrSplit(command.usage, '\n')) {
    if (out.size() > head.size())
      absl::StrAppend(&out, "\n", std::string(head.size(), ' '));
    absl::StrAppend(&out, line);
  }
  absl::StrAppend(&out, "\n", command.summary, "\n");
  if (!program.options.empty()) {
    absl::StrAppend(&out, "program-wide options: ", program.options, "\n");
  }
  return out;
}

absl::StatusOr<CommandLine> ReadCommandLine(
    const ProgramSpec& program, absl::Span<const CommandSpec> commands,
    const std::vector<std::string>& argv, std::ostream& out) {
  auto head = ReadHead(program, argv);
  if (!head.ok()) return head.status();
  if (head->version) {
    out << program.name << " " << ProjectVersion() << "\n";
    return CommandLine{};
  }
  if (head->first == argv.size()) {
    if (!head->help)
      return UsageError("no command", ProgramUsage(program, commands));
    out << ProgramUsage(program, commands);
    return CommandLine{};
  }
  if (argv[head->first] == "help") {
    // The words after `help` name the command; options are the program's.
    auto names = CliArgs::Parse(
        std::vector<std::string>(argv.begin() + head->first + 1, argv.end()),
        Names({program.flags}), Names({program.switches, "help"}), "help");
    if (!names.ok()) return names.status();
    if (auto s = Help(program, commands, names->positional(), out); !s.ok())
      return s;
    return CommandLine{};
  }
  const bool help = std::any_of(argv.begin(), argv.end(),
                                [](const std::string& w) { return IsHelp(w); });
  auto found = Find(program, commands, argv, head->first, help, out);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return CommandLine{};
  const CommandSpec& command = commands[(*found)->index];
  std::vector<std::string> rest(argv.begin(), argv.begin() + head->first);
  rest.insert(rest.end(), argv.begin() + head->first + (*found)->words,
              argv.end());
  auto args = CliArgs::Parse(
      rest, Names({program.flags, command.flags}),
      Names({program.switches, command.switches, "help"}), command.name);
  if (!args.ok()) {
    return UsageError(args.status().message(), CommandUsage(program, command));
  }
  const auto& words = args->positional();
  if (head->help || args->Has("help") ||
      std::find(words.begin(), words.end(), "-h") != words.end()) {
    out << CommandUsage(program, command);
    return CommandLine{};
  }
  return CommandLine{(*found)->index, *args, words};
}

}  // namespace ailedger
