#include "client/report_pdf.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

extern char** environ;

namespace ailedger {
namespace {

namespace fs = std::filesystem;

// Chromium's own services, not the page, would otherwise reach Google at
// start-up (component updates, the network time, the spelling dictionary, the
// signed-in accounts): off, or pointed at a closed loopback port. With these,
// a page that makes no request gives a run that makes none (measured with
// Chromium 156 in e2e_report_html_test).
// clang-format off
const char* const kQuiet[] = {
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--metrics-recording-only",
    "--disable-features=NetworkTimeServiceQuerying,OptGuideOnDeviceModel,"
        "OptimizationHints,Translate,MediaRouter,AutofillServerCommunication",
    "--gaia-url=http://127.0.0.1:9",
    "--component-updater=url-source=http://127.0.0.1:9",
};
// clang-format on

bool IsExecutable(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec) && access(p.c_str(), X_OK) == 0;
}

// A fresh, private directory for Chromium's profile.
absl::StatusOr<fs::path> TempProfile() {
  std::error_code ec;
  fs::path base = fs::temp_directory_path(ec);
  if (ec) base = "/tmp";
  std::string templ = (base / "ailedger-chromium-XXXXXX").string();
  if (mkdtemp(templ.data()) == nullptr) {
    return absl::InternalError(
        absl::StrCat("chromium: cannot make a profile directory in ",
                     base.string(), ": ", strerror(errno)));
  }
  return fs::path(templ);
}

std::string Describe(int status) {
  if (WIFEXITED(status))
    return absl::StrCat("exited with status ", WEXITSTATUS(status));
  if (WIFSIGNALED(status))
    return absl::StrCat("killed by signal ", WTERMSIG(status));
  return absl::StrCat("ended with wait status ", status);
}

// Waits for `pid` up to `timeout`; kills its process group (Chromium's
// renderer and GPU helpers with it) if it is still running then.
absl::Status Wait(pid_t pid, absl::Duration timeout) {
  const auto deadline =
      std::chrono::steady_clock::now() + absl::ToChronoMilliseconds(timeout);
  int status = 0;
  while (true) {
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (r < 0 && errno != EINTR)
      return absl::InternalError(
          absl::StrCat("chromium: waitpid: ", strerror(errno)));
    if (std::chrono::steady_clock::now() >= deadline) {
      kill(-pid, SIGKILL);
      while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      return absl::DeadlineExceededError(
          absl::StrCat("chromium: no result after ",
                       absl::FormatDuration(timeout), "; killed"));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return absl::OkStatus();
  return absl::InternalError(absl::StrCat("chromium ", Describe(status)));
}

absl::Status Spawn(const std::vector<std::string>& argv,
                   const std::string& stdout_path, absl::Duration timeout) {
  std::vector<char*> args;
  for (const std::string& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(
      &actions, 1, stdout_path.empty() ? "/dev/null" : stdout_path.c_str(),
      O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);  // its own group, killed as one
  pid_t pid = -1;
  const int rc =
      posix_spawn(&pid, args[0], &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    return absl::InternalError(
        absl::StrCat("chromium: cannot run ", argv[0], ": ", strerror(rc)));
  }
  return Wait(pid, timeout);
}

}  // namespace

absl::StatusOr<std::string> FindChromium() {
  const char* path = getenv("PATH");
  const std::string dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin";
  for (const char* name : {"chromium", "chromium-browser"}) {
    for (absl::string_view dir : absl::StrSplit(dirs, ':', absl::SkipEmpty())) {
      const fs::path p = fs::path(std::string(dir)) / name;
      if (IsExecutable(p)) return p.string();
    }
  }
  return absl::FailedPreconditionError(
      "--pdf: chromium is not installed (apt-get install chromium)");
}

std::string FileUrl(const std::string& path) {
  std::error_code ec;
  fs::path abs = fs::absolute(path, ec);
  if (ec) abs = path;
  std::string url = "file://";
  for (unsigned char c : abs.lexically_normal().string()) {
    if (absl::ascii_isalnum(c) || c == '/' || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      url.push_back(static_cast<char>(c));
    } else {
      absl::StrAppend(&url, "%", absl::Hex(c, absl::kZeroPad2));
    }
  }
  return url;
}

absl::Status RunChromium(const std::vector<std::string>& args,
                         const std::string& url, const ChromiumOptions& o) {
  auto chromium = FindChromium();
  if (!chromium.ok()) return chromium.status();
  auto profile = TempProfile();
  if (!profile.ok()) return profile.status();
  std::vector<std::string> argv = {*chromium, "--headless", "--disable-gpu",
                                   "--user-data-dir=" + profile->string()};
  // Chromium refuses to start as root with its sandbox.
  if (geteuid() == 0) argv.push_back("--no-sandbox");
  argv.insert(argv.end(), std::begin(kQuiet), std::end(kQuiet));
  // Every request, to loopback too, through the proxy.
  argv.push_back("--proxy-server=" + o.proxy);
  argv.push_back("--proxy-bypass-list=<-loopback>");
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back(url);
  absl::Status s = Spawn(argv, o.stdout_path, o.timeout);
  std::error_code ec;
  fs::remove_all(*profile, ec);
  return s;
}

absl::Status PrintPdf(const std::string& html_path,
                      const std::string& pdf_path) {
  std::error_code ec;
  // Chromium would print its error page for a missing file.
  if (!fs::is_regular_file(html_path, ec))
    return absl::NotFoundError(
        absl::StrCat("--pdf: no HTML file at ", html_path));
  const std::string partial =
      fs::absolute(pdf_path + ".partial", ec).lexically_normal().string();
  fs::remove(partial, ec);
  absl::Status s =
      RunChromium({"--no-pdf-header-footer", "--print-to-pdf=" + partial},
                  FileUrl(html_path));
  char magic[5] = {};
  if (s.ok()) {
    std::ifstream in(partial, std::ios::binary);
    if (!in.read(magic, sizeof(magic)) ||
        std::string(magic, sizeof(magic)) != "%PDF-") {
      s = absl::InternalError(
          absl::StrCat("--pdf: chromium wrote no PDF to ", partial));
    }
  }
  if (s.ok()) fs::rename(partial, pdf_path, ec);
  if (s.ok() && ec)
    s = absl::InternalError(
        absl::StrCat("--pdf: cannot write ", pdf_path, ": ", ec.message()));
  if (!s.ok()) fs::remove(partial, ec);
  return s;
}

}  // namespace ailedger
