// crash-test: kill -9 the real ailedgerd under load, restart it, and check
// that nothing it promised was lost (issue 14, "Crash safety").
//
// One throwaway log (tools/bench_util.h) in --dir, served by ailedgerd on a
// free loopback port with a witness (run in this process, tools/
// crash_harness.h). Each cycle runs 2-4 writers of unary and batched appends
// (tools/crash_load.h) and SIGKILLs the server at a random moment; in turn,
// that kill is made in the middle of a witness submission instead, or is
// followed by a second kill during the next start-up, or by damaging the
// indexes and killing `ailedgerd check-indexes --repair` part way (the only
// index repair there is: `serve` has none at start-up). Then it restarts the
// server and checks (tools/crash_checks.h): KEY.hwm at the crash never beyond
// the store and never below a receipt; every acknowledged entry at its index
// with its receipt's leaf hash and event id; the whole log exported and
// verified offline; every checkpoint published before the crash consistent
// with the new one; the events in doubt answered as committed or new, never
// both; the witness cosigning again. The schedule is reproducible with --seed
// (the kills land where the threads happen to be).
//
// Usage: crash-test [--cycles N (10)] [--seed S] [--dir DIR (a temporary
// directory, removed on success)] [--max-kill-ms MS (600)]
// [--inject lost|checkpoint|hwm (a violation made on purpose: must exit 1)]
// Exit 0 when every check held; 1 with the violation on stderr.
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <random>

#include "absl/strings/str_cat.h"
#include "tools/bench_util.h"
#include "tools/crash_run.h"

namespace ailedger::crash {
namespace {

int Main(const CliArgs& a) {
  auto cycles = a.GetUint("cycles", 10, 1, 1000000);
  auto max_kill_ms = a.GetUint("max-kill-ms", 600, 31, 600000);
  uint64_t seed = std::random_device{}();
  if (a.Has("seed")) {
    auto s = a.GetUint("seed", 0);
    if (!s.ok())
      return std::fprintf(stderr, "%s\n", s.status().ToString().c_str()), 2;
    seed = *s;
  }
  if (!cycles.ok() || !max_kill_ms.ok()) {
    std::fprintf(
        stderr, "crash-test: --cycles or --max-kill-ms: %s\n",
        std::string(
            (cycles.ok() ? max_kill_ms.status() : cycles.status()).message())
            .c_str());
    return 2;
  }
  const std::string inject = a.Get("inject");
  if (!inject.empty() && inject != "lost" && inject != "checkpoint" &&
      inject != "hwm") {
    std::fprintf(stderr, "crash-test: --inject: lost, checkpoint or hwm\n");
    return 2;
  }
  std::string dir = a.Get("dir");
  const bool temporary = dir.empty();
  if (temporary) {
    char tmpl[] = "/tmp/ailedger-crash-test-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) return 1;
    dir = tmpl;
  }
  std::printf("crash-test: seed %llu, %llu cycles, in %s\n",
              (unsigned long long)seed, (unsigned long long)*cycles,
              dir.c_str());
  std::fflush(stdout);
  CrashRun run(dir, static_cast<int>(*max_kill_ms), seed, inject);
  absl::Status s = run.Setup();
  uint64_t done = 0;  // cycles whose checks all held
  while (s.ok() && done < *cycles) {
    s = run.Cycle(static_cast<int>(done + 1), static_cast<int>(*cycles));
    if (s.ok()) ++done;
  }
  run.Stop();
  const Totals& t = run.totals();
  // A violation made on purpose was the point: its directory is not evidence.
  const bool remove = temporary && (s.ok() || !inject.empty());
  if (!s.ok()) {
    std::fprintf(stderr,
                 "crash-test: VIOLATION in cycle %llu (seed %llu%s): %s\n",
                 (unsigned long long)done + 1, (unsigned long long)seed,
                 remove ? "" : absl::StrCat("; kept ", dir).c_str(),
                 s.ToString().c_str());
    std::printf(
        "crash-test: FAILED after %llu cycles, %llu acknowledged "
        "entries, %llu lost\n",
        (unsigned long long)done, (unsigned long long)run.acknowledged(),
        (unsigned long long)t.lost);
  } else {
    std::printf(
        "crash-test: %llu cycles, %llu acknowledged entries, 0 lost (seed "
        "%llu; %llu kills under load, %d of them in a witness submission%s; "
        "%d more in start-up, %d before listening; %d more in an index "
        "repair, %d part way; %llu events in doubt at the kills: %llu had been "
        "committed, %llu had not; the whole log of %llu entries verified "
        "offline after each restart; %llu published checkpoints consistent "
        "with the restarted log; KEY.hwm never beyond the store)\n",
        (unsigned long long)done, (unsigned long long)run.acknowledged(),
        (unsigned long long)seed, (unsigned long long)done, t.witness_cuts,
        t.witness_missed
            ? absl::StrCat(" (", t.witness_missed, " with none in 10 s)")
                  .c_str()
            : "",
        t.startups, t.startups_cut, t.repairs, t.repairs_cut,
        (unsigned long long)(t.in_doubt_committed + t.in_doubt_new),
        (unsigned long long)t.in_doubt_committed,
        (unsigned long long)t.in_doubt_new, (unsigned long long)t.log_size,
        (unsigned long long)t.checkpoints);
  }
  if (remove) std::filesystem::remove_all(dir);
  return s.ok() ? 0 : 1;
}

}  // namespace
}  // namespace ailedger::crash

int main(int argc, char** argv) {
  return ailedger::bench::BenchMain(
      "crash-test", argc, argv,
      {"cycles", "seed", "dir", "max-kill-ms", "inject"},
      ailedger::crash::Main);
}
