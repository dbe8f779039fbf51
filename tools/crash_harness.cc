#include "tools/crash_harness.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "ledger/tlog/witness_protocol.h"

namespace ailedger::crash {

absl::StatusOr<std::unique_ptr<Child>> Child::Spawn(
    const std::vector<std::string>& argv, const std::string& output_file) {
  const int fd = open(output_file.c_str(),
                      O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return absl::InternalError(output_file + ": cannot open");
  const off_t offset = lseek(fd, 0, SEEK_END);
  // Built before fork: this process has threads, so the child may only make
  // async-signal-safe calls before exec.
  std::vector<std::string> copy = argv;
  std::vector<char*> args;
  for (std::string& a : copy) args.push_back(a.data());
  args.push_back(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    // Dies with this process (forked from its main thread), so that a
    // crash-test stopped by a signal leaves no server behind.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    dup2(fd, 1);
    dup2(fd, 2);
    const int null = open("/dev/null", O_RDONLY);
    if (null >= 0) dup2(null, 0);
    execv(args[0], args.data());
    _exit(127);
  }
  close(fd);
  if (pid < 0) return absl::InternalError("fork failed");
  return std::unique_ptr<Child>(new Child(pid, output_file, offset));
}

Child::~Child() {
  if (!reaped_) Kill();
}

std::string Child::Output() const {
  std::ifstream in(file_, std::ios::binary);
  in.seekg(offset_);
  std::stringstream text;
  text << in.rdbuf();
  std::string out = text.str();
  if (out.size() > 4096) out = "..." + out.substr(out.size() - 4096);
  return out;
}

absl::StatusOr<std::string> Child::WaitListening(
    std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const std::string out = Output();
    const size_t at = out.find("listening on ");
    const size_t eol = out.find('\n', at);
    if (at != std::string::npos && eol != std::string::npos) {
      return std::string(
          absl::StripAsciiWhitespace(out.substr(at + 13, eol - at - 13)));
    }
    if (!Running()) {
      const int code = Wait();
      return absl::UnavailableError(absl::StrCat(
          "exited (", code == -1 ? "by a signal" : absl::StrCat("code ", code),
          ") before listening: ", absl::StripTrailingAsciiWhitespace(out)));
    }
    if (std::chrono::steady_clock::now() > until) {
      return absl::DeadlineExceededError(
          absl::StrCat("not listening after ", timeout.count(), " ms: ", out));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

bool Child::Running() {
  if (reaped_) return false;
  if (waitpid(pid_, &status_, WNOHANG) == pid_) reaped_ = true;
  return !reaped_;
}

bool Child::Kill() {
  const bool was_running = Running();
  if (was_running) kill(pid_, SIGKILL);
  Wait();
  return was_running;
}

int Child::Wait() {
  if (!reaped_) {
    while (waitpid(pid_, &status_, 0) < 0 && errno == EINTR) {
    }
    reaped_ = true;
  }
  return WIFEXITED(status_) ? WEXITSTATUS(status_) : -1;
}

absl::StatusOr<ToolResult> RunTool(const std::vector<std::string>& argv,
                                   const std::string& output_file) {
  auto child = Child::Spawn(argv, output_file);
  if (!child.ok()) return child.status();
  ToolResult r;
  r.exit_code = (*child)->Wait();
  r.output = (*child)->Output();
  return r;
}

absl::StatusOr<std::string> PinBinary(const std::string& path,
                                      const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  const std::string pinned =
      dir + "/" + std::filesystem::path(path).filename().string();
  std::filesystem::remove(pinned, ec);
  std::filesystem::create_hard_link(path, pinned, ec);
  if (ec) {
    ec.clear();
    std::filesystem::copy_file(path, pinned, ec);
  }
  if (ec) {
    return absl::FailedPreconditionError(absl::StrCat(
        path, ": cannot link or copy to ", dir, ": ", ec.message()));
  }
  return pinned;
}

const char* WitnessCutName(WitnessCut cut) {
  switch (cut) {
    case WitnessCut::kOnArrival:
      return "on arrival";
    case WitnessCut::kAfterCosigning:
      return "after cosigning";
    case WitnessCut::kAfterAnswer:
      return "after the answer";
  }
  return "?";
}

absl::StatusOr<std::unique_ptr<KillingWitness>> KillingWitness::Start(
    const std::string& state_dir, const VerifierKey& log_key) {
  auto key =
      SigningKey::Generate("witness.example/crash-test", kKeyTypeCosignature);
  if (!key.ok()) return key.status();
  VerifierKey cosigner = key->verifier();
  auto witness = Witness::Open(*std::move(key), {log_key}, state_dir, [] {
    return static_cast<uint64_t>(time(nullptr));
  });
  if (!witness.ok()) return witness.status();
  std::string id(LatestCosignedPath(log_key.name()));
  id = id.substr(std::string(kLatestCosignedPath).size());
  std::unique_ptr<KillingWitness> w(
      new KillingWitness(*std::move(witness), std::move(cosigner), id));
  BoundedHttpServer::Limits limits;
  limits.max_body = kMaxAddCheckpointSize;
  KillingWitness* self = w.get();
  auto http = BoundedHttpServer::Listen(
      "127.0.0.1", 0, limits,
      [self](const HttpRequest& req) { return self->Handle(req); });
  if (!http.ok()) return http.status();
  w->http_ = *std::move(http);
  return w;
}

std::string KillingWitness::Flag() const {
  return absl::StrCat("http://127.0.0.1:", http_->port(), "=",
                      cosigner_.ToString());
}

void KillingWitness::Arm(pid_t pid, WitnessCut cut, int delay_us) {
  std::lock_guard<std::mutex> lock(mu_);
  fired_->store(false);
  armed_pid_ = pid;
  cut_ = cut;
  delay_us_ = delay_us;
}

bool KillingWitness::Disarm() {
  std::lock_guard<std::mutex> lock(mu_);
  const bool armed = armed_pid_ != 0;
  armed_pid_ = 0;
  return armed;
}

std::string KillingWitness::LatestCosigned() {
  WitnessAnswer a = witness_->LatestCosigned(origin_id_);
  return a.http_status == 200 ? a.body : "";
}

HttpResponse KillingWitness::Handle(const HttpRequest& req) {
  if (req.path != "/add-checkpoint") {
    absl::string_view id = req.path;
    if (!absl::ConsumePrefix(&id, kLatestCosignedPath)) {
      return {404, "text/plain; charset=utf-8", "not found\n"};
    }
    WitnessAnswer a = witness_->LatestCosigned(id);
    return {a.http_status, a.content_type, a.body};
  }
  pid_t pid = 0;
  WitnessCut cut;
  int delay_us = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    std::swap(pid, armed_pid_);  // taken by this request alone
    cut = cut_;
    delay_us = delay_us_;
  }
  auto fire = [fired = fired_](pid_t p) {
    kill(p, SIGKILL);
    fired->store(true);
  };
  if (pid != 0 && cut == WitnessCut::kOnArrival) fire(pid);
  WitnessAnswer a = witness_->AddCheckpoint(req.body);
  if (pid != 0 && cut == WitnessCut::kAfterCosigning) fire(pid);
  if (pid != 0 && cut == WitnessCut::kAfterAnswer) {
    std::thread([fire, pid, delay_us] {
      std::this_thread::sleep_for(std::chrono::microseconds(delay_us));
      fire(pid);
    }).detach();
  }
  return {a.http_status, a.content_type, a.body};
}

}  // namespace ailedger::crash
