// bench_verify: offline verification of an N-entry bundle (default 1M):
// entries/s and peak RSS of `ailedger verify`. Target (2 cores): >= 30,000
// entries/s, peak RSS <= 64 MiB.
//
// It grows a log of the generated history (tools/history.h: several keys,
// approvals, references, lifecycles; appended through LogWriter for speed),
// exports it through ailedgerd with `ailedger export`, then runs `ailedger
// verify` in a child process and reads its rusage.
//
// Usage: bench_verify [--entries N (1000000)] [--dir DIR]   (reuses DIR/bundle
// if present)
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "cmdline/cli_args.h"
#include "ledger/base/file_util.h"
#include "ledger/governance/canonical.h"
#include "ledger/storage/log_writer.h"
#include "ledger/storage/rocksdb_store.h"
#include "ledger/tlog/contexts.h"
#include "server/log_signer.h"
#include "tools/bench_util.h"
#include "tools/history.h"

namespace ailedger::bench {
namespace {

// The generated history (tools/history.h): real keys, approvals, references
// and lifecycles, so that verification does its full work on realistic events.
absl::Status Grow(const BenchLog& log, uint64_t entries) {
  history::History story({kOrigin, 1, entries, 3, 3}, log.admin.get());
  return GrowLog(log.dir, entries, [&story](uint64_t, size_t count) {
    std::vector<SignedEvent> batch;
    for (history::Generated& g : story.Next(count)) {
      batch.push_back(std::move(g.signed_event));
    }
    return batch;
  });
}

// posix_spawn, not fork: a forked copy of this (large) process would count in
// the child's peak RSS before exec.
int Run(const std::vector<std::string>& argv, struct rusage* usage,
        bool quiet = false) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (quiet)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return -1;
  int status = 0;
  wait4(pid, &status, 0, usage);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int Main(const CliArgs& a) {
  auto entries_flag = a.GetUint("entries", 1000000);
  if (!entries_flag.ok()) {
    std::fprintf(stderr, "%s\n",
                 std::string(entries_flag.status().message()).c_str());
    return 2;
  }
  const uint64_t entries = *entries_flag;
  const std::string dir = a.Get("dir", "bench-verify");
  const std::string bundle = dir + "/bundle";
  if (!std::filesystem::exists(bundle)) {
    auto log = CreateLog(dir + "/log");
    if (!log.ok())
      return std::fprintf(stderr, "%s\n", log.status().ToString().c_str()), 1;
    {
      auto daemon = Daemon::Start(dir + "/log", {});
      // The history registers its own systems: the grant alone.
      if (!daemon.ok() ||
          !AppendAll((*daemon)->address(), {PublisherGrant(*log)}).ok())
        return 1;
    }
    std::fprintf(stderr, "growing %llu signed entries...\n",
                 (unsigned long long)entries);
    if (auto s = Grow(*log, entries); !s.ok())
      return std::fprintf(stderr, "%s\n", s.ToString().c_str()), 1;
    auto daemon = Daemon::Start(dir + "/log", {"--public-read"});
    if (!daemon.ok()) return 1;
    struct rusage ignored;
    if (Run({AILEDGER_CLI_PATH, "--server", (*daemon)->address(), "--timeout",
             "3600", "export", "--out", bundle},
            &ignored) != 0) {
      return std::fprintf(stderr, "export failed\n"), 1;
    }
    return -1;  // main() re-executes itself: a fresh small process measures the
                // child
  }
  // Every verified entry costs one such verification.
  const Ceiling ceiling = MeasureEd25519Ceiling();
  PrintCeiling(ceiling);
  auto vkey = ReadSmallFile(dir + "/log/log.key");
  const std::string log_vkey = SigningKey::Parse(*vkey)->verifier().ToString();
  auto admin = ReadSmallFile(dir + "/log/admin.vkey");
  struct rusage usage {};
  const auto t0 = std::chrono::steady_clock::now();
  int code = Run({AILEDGER_CLI_PATH, "verify", bundle, "--vkey", log_vkey,
                  "--admin-vkey", admin.value_or(""), "--json"},
                 &usage, /*quiet=*/true);
  const double s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();
  const uint64_t n = std::filesystem::file_size(bundle) > 0 ? entries : 0;
  const double cpu = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
                     usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
  std::printf(
      "verify of %llu entries: exit %d, %.1f s, %.0f entries/s (%s), %.2f "
      "cores used, peak RSS %.1f MiB\n",
      (unsigned long long)n, code, s, n / s, ShareOf(ceiling, n / s).c_str(),
      s > 0 ? cpu / s : 0.0, usage.ru_maxrss / 1024.0);
  return code;
}

}  // namespace
}  // namespace ailedger::bench

int main(int argc, char** argv) {
  return ailedger::bench::BenchMain("bench_verify", argc, argv,
                                    {"entries", "dir"},
                                    [argv](const ailedger::CliArgs& a) {
                                      int code = ailedger::bench::Main(a);
                                      if (code == -1) {
                                        // The bundle was just made by this
                                        // process, now large. Linux charges a
                                        // child's peak RSS with the parent's
                                        // memory at the child's exec, so
                                        // measure from a fresh image.
                                        execv("/proc/self/exe", argv);
                                        return 1;
                                      }
                                      return code;
                                    });
}
