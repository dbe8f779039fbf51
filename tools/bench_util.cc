#include "tools/bench_util.h"

#include <google/protobuf/util/json_util.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "client/ledger_client.h"
#include "cmdline/run_main.h"
#include "ledger/base/file_util.h"
#include "ledger/governance/envelope.h"
#include "ledger/governance/event_signature.h"
#include "ledger/governance/examples.h"
#include "ledger/governance/genesis.h"
#include "ledger/governance/key_grant_event.h"
#include "ledger/governance/roles.h"
#include "ledger/storage/checked_append.h"
#include "ledger/storage/rocksdb_store.h"
#include "ledger/storage/stored_roster.h"
#include "ledger/tlog/contexts.h"
#include "ledger/tlog/leaf.h"
#include "server/daemon.h"
#include "server/log_signer.h"

namespace ailedger::bench {
namespace {

v1::Event GenesisEvent(const SigningKey& log, const SigningKey& admin) {
  GenesisParams p;
  p.origin = kOrigin;
  p.log_verifier_key = log.verifier().ToString();
  p.admin_public_key = admin.verifier().public_key();
  p.organisation = "Bench Ltd";
  return MakeGenesis(p);
}

}  // namespace

absl::StatusOr<BenchLog> CreateLog(const std::string& dir,
                                   const LogPlace& place) {
  InitCrypto();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto log = SigningKey::Generate(kOrigin, kKeyTypeEd25519);
  BenchLog b;
  b.dir = dir;
  b.conninfo = place.conninfo;
  if (place.same_signers != nullptr) {
    b.admin = place.same_signers->admin;
    b.publisher = place.same_signers->publisher;
  } else {
    b.admin =
        std::make_shared<SigningKey>(SigningKey::Generate("admin", 1).value());
    b.publisher = std::make_shared<SigningKey>(
        SigningKey::Generate("publisher", 1).value());
  }
  if (auto s = WriteFileDurably(dir + "/log.key", log->ToString(), 0600);
      !s.ok())
    return s;
  if (auto s =
          WriteFileDurably(dir + "/admin.vkey", b.admin->verifier().ToString());
      !s.ok()) {
    return s;
  }
  std::string json;
  auto req = AppendRequestOf(
      SignEvent(GenesisEvent(*log, *b.admin), *b.admin, kOrigin));
  (void)google::protobuf::util::MessageToJsonString(req, &json);
  if (auto s = WriteFileDurably(dir + "/genesis.json", json); !s.ok()) return s;
  StoreLocation where;
  if (place.conninfo.empty()) {
    where.data_dir = dir + "/data";
  } else {
    where.conninfo = place.conninfo;
  }
  if (auto s = InitLog(where, dir + "/genesis.json", dir + "/log.key"); !s.ok())
    return s;
  return b;
}

namespace {
std::string& MutableAiledgerdPath() {
  static std::string* path = new std::string(AILEDGERD_PATH);
  return *path;
}
}  // namespace

void SetAiledgerdPath(const std::string& path) {
  MutableAiledgerdPath() = path;
}
const std::string& AiledgerdPath() { return MutableAiledgerdPath(); }

absl::StatusOr<std::unique_ptr<Daemon>> Daemon::Start(
    const std::string& dir, const std::vector<std::string>& extra,
    const std::string& conninfo) {
  std::vector<std::string> argv = {AiledgerdPath(), "serve"};
  if (conninfo.empty()) {
    argv.insert(argv.end(), {"--data", dir + "/data"});
  } else {
    argv.insert(argv.end(), {"--store", conninfo});
  }
  argv.insert(argv.end(),
              {"--log-key", dir + "/log.key", "--listen", "127.0.0.1:0"});
  argv.insert(argv.end(), extra.begin(), extra.end());
  int out[2];
  if (pipe(out) != 0) return absl::InternalError("pipe");
  auto d = std::make_unique<Daemon>();
  d->pid_ = fork();
  if (d->pid_ == 0) {
    dup2(out[1], 1);
    close(out[0]);
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(out[1]);
  std::string text;
  char buf[1024];
  while (text.find('\n') == std::string::npos) {
    ssize_t n = read(out[0], buf, sizeof(buf));
    if (n <= 0)
      return absl::UnavailableError("ailedgerd did not start: " + text);
    text.append(buf, n);
  }
  close(out[0]);
  d->address_ = text.substr(text.rfind(' ') + 1);
  d->address_.pop_back();  // newline
  return d;
}

Daemon::~Daemon() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  waitpid(pid_, nullptr, 0);
}

KeyGrantParams PipelineGrant() {
  KeyGrantParams p;
  p.origin = kOrigin;
  p.display_name = "pipeline";
  p.organisation = "Bench Ltd";
  p.kind = v1::KEY_KIND_SERVICE_ACCOUNT;
  p.roles = {v1::ROLE_PUBLISHER};
  return p;
}

SignedEvent PublisherGrant(const BenchLog& log) {
  return SignEvent(MakeKeyGrant(*log.publisher, PipelineGrant()), *log.admin,
                   kOrigin);
}

std::vector<SignedEvent> BenchSetup(const BenchLog& log) {
  std::vector<SignedEvent> out = {PublisherGrant(log)};
  for (const char* type : {"SystemRegistered", "ModelVersionReleased"}) {
    v1::Event e = NewEvent(type, "Bench Ltd", 1700000000000);
    auto* s = e.add_subjects();
    s->set_kind("system");
    s->set_id("credit-scoring");
    FillExampleBody(&e);
    if (e.has_model_version_released()) {
      e.mutable_model_version_released()->set_version(
          ExampleFairnessSnapshot().model_version());
    }
    out.push_back(SignEvent(e, *log.publisher, kOrigin));
  }
  return out;
}

absl::Status AppendAll(const std::string& address,
                       const std::vector<SignedEvent>& events) {
  LedgerClient::Options o;
  o.target = address;
  auto client = LedgerClient::Connect(o);
  if (!client.ok()) return client.status();
  for (const SignedEvent& e : events) {
    auto r = (*client)->Append(AppendRequestOf(e));
    if (!r.ok()) return r.status();
  }
  return absl::OkStatus();
}

SignedEvent BenchEvent(const BenchLog& log, size_t n) {
  v1::Event e = NewEvent("FairnessSnapshot", "Bench Ltd", 1700000000000);
  auto* s = e.add_subjects();
  s->set_kind("system");
  s->set_id("credit-scoring");
  e.add_framework_refs("iso42001:A.7.4");
  e.set_nonce(absl::StrCat("bench-", n));
  *e.mutable_fairness_snapshot() = ExampleFairnessSnapshot();
  return SignEvent(e, *log.publisher, kOrigin);
}

std::vector<std::string> PresignedEvents(const BenchLog& log, size_t count,
                                         size_t first_nonce) {
  std::vector<std::string> out;
  out.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    out.push_back(
        AppendRequestOf(BenchEvent(log, first_nonce + i)).SerializeAsString());
  }
  return out;
}

absl::Status GrowLog(
    const std::string& dir, uint64_t entries,
    const std::function<std::vector<SignedEvent>(uint64_t, size_t)>& batch) {
  auto signer = LogSigner::Open(dir + "/log.key");
  if (!signer.ok()) return signer.status();
  RocksDbOptions opts;
  opts.sync = false;  // building a fixture; the commits served later are synced
  auto store = RocksDbStore::Open(dir + "/data",
                                  RocksDbStore::Mode::kOpenExisting, opts);
  if (!store.ok()) return store.status();
  auto writer = LogWriter::Open(
      store->get(), kOrigin,
      [&](const Checkpoint& cp) { return (*signer)->Sign(cp); });
  if (!writer.ok()) return writer.status();
  auto roster = LoadRoster(**store, (*writer)->state());
  if (!roster.ok()) return roster.status();
  while ((*writer)->state().size < entries) {
    const uint64_t at = (*writer)->state().size;
    auto r =
        AppendThroughRules(store->get(), writer->get(), *std::move(roster),
                           batch(at, std::min<uint64_t>(10000, entries - at)),
                           absl::ToUnixMillis(absl::Now()));
    if (!r.ok()) return r.status();
    roster = std::move(r->roster);
    if (at % 1000000 < 10000)
      std::fprintf(stderr, "growing: %llu\n", (unsigned long long)at);
  }
  return (*signer)->Advance((*writer)->state().size, (*writer)->state().root);
}

int BenchMain(const char* program, int argc, char** argv,
              const std::set<std::string>& flags,
              const std::function<int(const CliArgs&)>& main,
              const std::set<std::string>& switches) {
  return RunMain(
      program, argc, argv,
      [&](const std::vector<std::string>& args) -> absl::StatusOr<int> {
        auto a = CliArgs::Parse(args, flags, switches);
        if (!a.ok()) return a.status();
        return main(*a);
      });
}

uint64_t ProcessKiB(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field, 0) != 0) continue;
    return std::strtoull(line.c_str() + field.size(), nullptr, 10);
  }
  return 0;
}

namespace {

// The fields of /proc/PID/stat after the command (which may hold spaces): the
// state is [0], so field N of proc(5) is [N - 3].
std::vector<std::string> StatFields(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(in, line);
  const size_t close = line.rfind(')');
  std::vector<std::string> fields;
  if (close == std::string::npos) return fields;
  std::istringstream rest(line.substr(close + 1));
  for (std::string f; rest >> f;) fields.push_back(f);
  return fields;
}

}  // namespace

double ProcessCpuSeconds(pid_t pid, bool reaped) {
  const std::vector<std::string> f = StatFields(pid);
  if (f.size() < 15) return 0;
  // utime (14), stime (15), cutime (16), cstime (17), in clock ticks.
  double ticks =
      std::strtod(f[11].c_str(), nullptr) + std::strtod(f[12].c_str(), nullptr);
  if (reaped) {
    ticks += std::strtod(f[13].c_str(), nullptr) +
             std::strtod(f[14].c_str(), nullptr);
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double ProcessTreeCpuSeconds(pid_t root) {
  double total = ProcessCpuSeconds(root, /*reaped=*/true);
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != name.npos)
      continue;
    const pid_t pid = static_cast<pid_t>(std::stol(name));
    const std::vector<std::string> f = StatFields(pid);
    // ppid is field 4.
    if (f.size() > 1 && std::strtol(f[1].c_str(), nullptr, 10) == root)
      total += ProcessCpuSeconds(pid);
  }
  return total;
}

double Percentile(std::vector<double>& us, double p) {
  if (us.empty()) return 0;
  std::sort(us.begin(), us.end());
  size_t i = static_cast<size_t>(p / 100.0 * (us.size() - 1));
  return us[i];
}

Ceiling MeasureEd25519Ceiling(double seconds) {
  Ceiling c;
  c.cores = std::max(1u, std::thread::hardware_concurrency());
  const SigningKey key =
      SigningKey::Generate("ceiling", kKeyTypeEd25519).value();
  const std::string message(300, 'e');
  const Signature sig = key.Sign(message);
  const std::string signature(reinterpret_cast<const char*>(sig.data()),
                              sig.size());
  std::atomic<uint64_t> total{0};
  std::vector<std::thread> threads;
  const auto until =
      std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  const auto start = std::chrono::steady_clock::now();
  for (unsigned t = 0; t < c.cores; ++t) {
    threads.emplace_back([&] {
      uint64_t n = 0;
      while (std::chrono::steady_clock::now() < until) {
        for (int k = 0; k < 64; ++k) {
          n += Ed25519Verify(key.verifier().public_key(), message, signature);
        }
      }
      total += n;
    });
  }
  for (auto& t : threads) t.join();
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  c.verifications_per_second = static_cast<double>(total) / elapsed;
  return c;
}

void PrintCeiling(const Ceiling& c, FILE* out) {
  std::fprintf(out,
               "machine ceiling: %.0f Ed25519 verifications/s on %u cores "
               "(libsodium, measured now)\n",
               c.verifications_per_second, c.cores);
  std::fflush(out);
}

double LoadAverage() {
  double load[1];
  return getloadavg(load, 1) == 1 ? load[0] : -1;
}

std::string ShareOf(const Ceiling& c, double per_second) {
  if (c.verifications_per_second <= 0) return "no ceiling";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f %% of the ceiling",
                100.0 * per_second / c.verifications_per_second);
  return buf;
}

}  // namespace ailedger::bench
