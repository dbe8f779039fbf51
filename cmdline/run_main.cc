#include "cmdline/run_main.h"

#include <cstdio>

#include "cmdline/usage_error.h"
#include "ledger/base/terminal_escape.h"

namespace ailedger {

int ReportExit(absl::string_view program, const absl::Status& s) {
  if (s.ok()) return 0;
  std::fprintf(stderr, "%s: %s\n", std::string(program).c_str(),
               EscapeForTerminal(s.message()).c_str());
  // Our own text (a synopsis), not escaped: it spans lines.
  const std::string usage = UsageText(s);
  if (!usage.empty()) std::fprintf(stderr, "%s", usage.c_str());
  return ExitCode(s);
}

}  // namespace ailedger
