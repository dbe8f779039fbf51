#include "tools/crash_run.h"

#include <signal.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "absl/strings/str_cat.h"
#include "ledger/base/file_util.h"
#include "ledger/tlog/checkpoint.h"

namespace ailedger::crash {
namespace {

using Clock = std::chrono::steady_clock;

void SleepMs(double ms) {
  std::this_thread::sleep_for(std::chrono::microseconds(int64_t(ms * 1000)));
}

double MsSince(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

}  // namespace

Plan CrashRun::MakePlan(int cycle) {
  Plan p;
  p.extra = static_cast<Extra>((cycle - 1) % 4);
  p.writers = 2 + static_cast<int>(rng_() % 3);
  p.kill_ms = 30 + static_cast<int>(rng_() % std::max(1, max_kill_ms_ - 30));
  p.cut = static_cast<WitnessCut>(rng_() % 3);
  p.delay_us = static_cast<int>(rng_() % 3000);
  p.fraction = static_cast<double>(rng_() % 1000) / 1000.0;
  p.seed = rng_();
  return p;
}

absl::Status CrashRun::StartServer() {
  const auto t0 = Clock::now();
  auto child = Child::Spawn(
      {files_.ailedgerd, "serve", "--data", files_.log_dir + "/data",
       "--log-key", files_.log_dir + "/log.key", "--listen", "127.0.0.1:0",
       "--public-read", "--witness", witness_->Flag(), "--witness-interval-ms",
       "20"},
      dir_ + "/ailedgerd.log");
  if (!child.ok()) return child.status();
  auto address = (*child)->WaitListening(std::chrono::seconds(60));
  if (!address.ok()) {
    return absl::Status(address.status().code(),
                        absl::StrCat("ailedgerd serve after the crash: ",
                                     address.status().message()));
  }
  startup_ms_ = MsSince(t0);
  server_ = *std::move(child);
  address_ = *address;
  return absl::OkStatus();
}

absl::Status CrashRun::Setup() {
  std::filesystem::create_directories(dir_);
  for (const char* f : {"ailedgerd.log", "cli.log", "check-indexes.log"})
    std::filesystem::remove(dir_ + "/" + f);
  std::filesystem::remove_all(dir_ + "/witness");
  auto log = bench::CreateLog(dir_ + "/log");
  if (!log.ok()) return log.status();
  log_ = *std::move(log);
  auto key = ReadPrivateFile(dir_ + "/log/log.key");
  if (!key.ok()) return key.status();
  auto parsed = SigningKey::Parse(*key);
  auto admin = ReadSmallFile(dir_ + "/log/admin.vkey");
  if (!parsed.ok() || !admin.ok()) return absl::InternalError("log keys");
  auto ailedgerd = PinBinary(AILEDGERD_PATH, dir_ + "/bin");
  auto cli = PinBinary(AILEDGER_CLI_PATH, dir_ + "/bin");
  if (!ailedgerd.ok()) return ailedgerd.status();
  if (!cli.ok()) return cli.status();
  files_ = {dir_,
            dir_ + "/log",
            parsed->verifier(),
            *admin,
            dir_ + "/witness-policy",
            *ailedgerd,
            *cli};
  observed_ = std::make_unique<Observed>(files_.log_key);
  auto witness = KillingWitness::Start(dir_ + "/witness", files_.log_key);
  if (!witness.ok()) return witness.status();
  witness_ = *std::move(witness);
  if (auto s = WriteFileDurably(
          files_.witness_policy,
          absl::StrCat("witness ", witness_->key().ToString(), "\nquorum 1\n"));
      !s.ok())
    return s;
  if (auto s = StartServer(); !s.ok()) return s;
  return bench::AppendAll(address_, bench::BenchSetup(*log_));
}

// --inject: a violation made on purpose after the crash, so that a test can
// see the checks catch it. "lost": an acknowledged entry changed; "checkpoint":
// a checkpoint beyond the store signed with the log key and published;
// "hwm": KEY.hwm raised beyond the store.
absl::Status CrashRun::Inject(const LogSigner::Mark& mark) {
  if (inject_ == "lost") observed_->CorruptNewestAck();
  if (inject_ == "hwm") {
    auto signer = LogSigner::Open(files_.log_dir + "/log.key");
    if (!signer.ok()) return signer.status();
    return (*signer)->Advance(mark.size + 1000);
  }
  if (inject_ == "checkpoint") {
    auto text = ReadPrivateFile(files_.log_dir + "/log.key");
    if (!text.ok()) return text.status();
    auto key = SigningKey::Parse(*text);
    if (!key.ok()) return key.status();
    auto note = SignCheckpoint(
        {files_.log_key.name(), mark.size + 1000, Sha256Of("forged")}, *key);
    if (!note.ok()) return note.status();
    return observed_->AddCheckpoint(*note, "a checkpoint forged by --inject");
  }
  return absl::OkStatus();
}

absl::Status CrashRun::KillAtStartup(const Plan& p) {
  ++totals_.startups;
  auto child = Child::Spawn(
      {files_.ailedgerd, "serve", "--data", files_.log_dir + "/data",
       "--log-key", files_.log_dir + "/log.key", "--listen", "127.0.0.1:0"},
      dir_ + "/ailedgerd.log");
  if (!child.ok()) return child.status();
  SleepMs(p.fraction * startup_ms_);
  const bool listening =
      (*child)->Output().find("listening on") != std::string::npos;
  if ((*child)->Kill() && !listening) ++totals_.startups_cut;
  return absl::OkStatus();
}

absl::StatusOr<std::string> CrashRun::KillDuringRepair(const Plan& p) {
  ++totals_.repairs;
  const std::string data = files_.log_dir + "/data";
  const std::string out = dir_ + "/check-indexes.log";
  auto damaged = DamageIndexes(data, p.seed);
  if (!damaged.ok()) return damaged.status();
  auto child = Child::Spawn(
      {files_.ailedgerd, "check-indexes", "--data", data, "--repair"}, out);
  if (!child.ok()) return child.status();
  SleepMs(p.fraction * repair_ms_);
  const bool cut = (*child)->Kill();
  if (cut) ++totals_.repairs_cut;
  const auto t0 = Clock::now();
  auto repair = RunTool(
      {files_.ailedgerd, "check-indexes", "--data", data, "--repair"}, out);
  if (!repair.ok()) return repair.status();
  repair_ms_ = MsSince(t0);
  if (repair->exit_code != 0) {
    return absl::DataLossError(absl::StrCat(
        "check-indexes --repair after a killed repair failed (exit ",
        repair->exit_code, "): ", repair->output));
  }
  auto check =
      RunTool({files_.ailedgerd, "check-indexes", "--data", data}, out);
  if (!check.ok()) return check.status();
  if (check->exit_code != 0) {
    return absl::DataLossError(
        absl::StrCat("the indexes differ from the leaves after the repair: ",
                     check->output));
  }
  // The rerun's first line: "N leaves, M index rows: A missing, B extra; C
  // lifecycle phase rows wrong (repaired)".
  unsigned long long leaves = 0, rows = 0, missing = 0, extra = 0, phases = 0;
  std::sscanf(repair->output.c_str(),
              "%llu leaves, %llu index rows: %llu missing, %llu extra; %llu",
              &leaves, &rows, &missing, &extra, &phases);
  return absl::StrCat(cut ? "killed part way" : "it had finished", ", ",
                      missing + extra + phases, " of ", *damaged,
                      " damaged rows left to the rerun");
}

absl::StatusOr<std::string> CrashRun::KillUnderLoad(const Plan& p) {
  SleepMs(p.kill_ms);
  if (p.extra != Extra::kWitness) {
    server_->Kill();
    return absl::StrCat("killed at ", p.kill_ms, " ms");
  }
  ++totals_.witness_cuts;
  const auto t0 = Clock::now();
  witness_->Arm(server_->pid(), p.cut, p.delay_us);
  while (!witness_->Fired() && MsSince(t0) < 10000) SleepMs(1);
  std::string how =
      absl::StrCat("killed in a witness submission (", WitnessCutName(p.cut),
                   ") at ", p.kill_ms + static_cast<int>(MsSince(t0)), " ms");
  if (!witness_->Fired() && witness_->Disarm()) {
    ++totals_.witness_missed;  // no submission came: killed here
    kill(server_->pid(), SIGKILL);
    how = "killed after 10 s without a witness submission";
  }
  while (!witness_->Fired() && MsSince(t0) < 11000) SleepMs(1);
  server_->Wait();
  return how;
}

absl::Status CrashRun::Cycle(int cycle, int cycles) {
  const Plan p = MakePlan(cycle);
  const uint64_t acked_before = observed_->acknowledged();
  std::vector<v1::AppendRequest> doubt;
  absl::StatusOr<std::string> how;
  {
    Load load(*log_, observed_.get(), &nonce_, address_, p.writers, p.seed,
              cycle);
    how = KillUnderLoad(p);
    auto joined = load.Join();
    if (!joined.ok()) return joined.status();
    doubt = *std::move(joined);
  }
  if (!how.ok()) return how.status();
  // The witness's state, which ailedgerd's submissions moved.
  uint64_t witness_size = 0;
  if (std::string note = witness_->LatestCosigned(); !note.empty()) {
    if (auto s = observed_->AddCheckpoint(
            note, absl::StrCat("the witness's state (cycle ", cycle, ")"));
        !s.ok())
      return s;
    auto cp = OpenCheckpoint(note, files_.log_key);
    if (cp.ok()) witness_size = cp->checkpoint.size;
  }
  auto mark = ReadMark(files_);
  if (!mark.ok()) return mark.status();
  if (auto s = Inject(*mark); !s.ok()) return s;
  if (p.extra == Extra::kStartup) {
    if (auto s = KillAtStartup(p); !s.ok()) return s;
    absl::StrAppend(&*how, ", then in start-up");
  }
  if (p.extra == Extra::kRepair) {
    auto left = KillDuringRepair(p);
    if (!left.ok()) return left.status();
    absl::StrAppend(&*how, ", then in an index repair (", *left, ")");
  }
  // A start-up or a repair killed may have moved the mark too.
  auto last_mark = ReadMark(files_);
  if (!last_mark.ok()) return last_mark.status();
  if (auto s = StartServer(); !s.ok()) return s;
  if (auto s =
          CheckAfterRestart(cycle, p, {*mark, *last_mark}, doubt, witness_size);
      !s.ok())
    return s;
  std::printf(
      "cycle %d/%d: %s; %d writers: %llu acknowledged, %zu in doubt (%llu "
      "committed); store %llu at the restart, KEY.hwm %llu at the crash; "
      "%llu entries verified, 0 lost\n",
      cycle, cycles, how->c_str(), p.writers,
      (unsigned long long)(observed_->acknowledged() - acked_before),
      doubt.size(), (unsigned long long)resolved_.committed,
      (unsigned long long)restart_size_, (unsigned long long)mark->size,
      (unsigned long long)totals_.log_size);
  std::fflush(stdout);
  return absl::OkStatus();
}

absl::Status CrashRun::CheckAfterRestart(
    int cycle, const Plan& p, const std::vector<LogSigner::Mark>& marks,
    const std::vector<v1::AppendRequest>& doubt, uint64_t witness_size) {
  LedgerClient::Options o;
  o.target = address_;
  o.timeout_seconds = 60;
  auto client = LedgerClient::Connect(o);
  if (!client.ok()) return client.status();
  auto store = LatestCheckpoint(**client, files_.log_key, observed_.get());
  if (!store.ok()) return store.status();
  restart_size_ = store->size;
  for (const LogSigner::Mark& mark : marks) {
    if (auto s =
            CheckMarkAfterCrash(mark, *store, observed_->max_receipt_size());
        !s.ok())
      return s;
  }
  auto now_mark = ReadMark(files_);
  if (!now_mark.ok()) return now_mark.status();
  if (auto s = CheckMarkAfterRestart(*now_mark, *store); !s.ok()) return s;
  if (witness_size > store->size) {
    return absl::DataLossError(
        absl::StrCat("the witness cosigned size ", witness_size,
                     " but the store holds ", store->size));
  }
  auto resolved =
      ResolveInDoubt(**client, doubt, store->size, observed_.get(), cycle);
  if (!resolved.ok()) return resolved.status();
  resolved_ = *resolved;
  totals_.in_doubt_committed += resolved->committed;
  totals_.in_doubt_new += resolved->appended;
  auto latest = LatestCheckpoint(**client, files_.log_key, observed_.get());
  if (!latest.ok()) return latest.status();
  if (auto s = WaitForCosigned(**client, files_.log_key, witness_->key(),
                               *latest, observed_.get());
      !s.ok())
    return s;
  auto bundle = ExportAndVerify(files_, address_, *observed_, latest->size);
  if (!bundle.ok()) return bundle.status();
  totals_.log_size = bundle->leaves;
  totals_.checkpoints = bundle->checkpoints;
  totals_.lost = bundle->lost;
  if (bundle->lost > 0) {
    return absl::DataLossError(absl::StrCat(
        "entries lost: ", bundle->lost, " of ", observed_->acknowledged(),
        " acknowledged; the first: ", bundle->first_loss));
  }
  std::vector<uint64_t> sizes = observed_->TakeNewSizes();
  sizes.insert(sizes.end(), restarts_.begin(), restarts_.end());
  if (auto s =
          CheckConsistency(**client, observed_->Checkpoints(), sizes, *latest);
      !s.ok())
    return s;
  restarts_.push_back(latest->size);
  if (auto s = CheckEventIds(**client, observed_->Acks(), cycle, 1000); !s.ok())
    return s;
  if (p.extra == Extra::kRepair) {
    auto q = RunTool(
        {files_.cli, "--server", address_, "check-queries", bundle->path},
        dir_ + "/cli.log");
    if (!q.ok()) return q.status();
    if (q->exit_code != 0) {
      return absl::DataLossError(absl::StrCat(
          "after the repair, query answers differ from the bundle: ",
          q->output));
    }
  }
  return absl::OkStatus();
}

}  // namespace ailedger::crash
