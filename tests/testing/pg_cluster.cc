#include "tests/testing/pg_cluster.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "ledger/base/file_util.h"

namespace ailedger::testing {
namespace {

// Who runs initdb, pg_ctl and the server: the postgres user when we are root
// (PostgreSQL refuses to run as root), ourselves otherwise.
struct Owner {
  bool switch_user = false;
  uid_t uid = 0;
  gid_t gid = 0;
};

absl::StatusOr<Owner> ClusterOwner() {
  Owner o;
  if (geteuid() != 0) return o;
  const passwd* pw = getpwnam("postgres");
  if (pw == nullptr) {
    return absl::FailedPreconditionError(
        "running as root, and there is no postgres user to run PostgreSQL as "
        "(apt-get install postgresql-15)");
  }
  o.switch_user = true;
  o.uid = pw->pw_uid;
  o.gid = pw->pw_gid;
  return o;
}

// The end of a log file, to say why a command failed.
std::string Tail(const std::string& path) {
  auto text = ReadSmallFile(path);
  if (!text.ok()) return "";
  return text->size() <= 1500 ? *text : text->substr(text->size() - 1500);
}

// In a forked child: says why on stderr (the log) and exits.
[[noreturn]] void ChildFails(const char* why, int code) {
  (void)!write(2, why, strlen(why));
  _exit(code);
}

// Runs `argv` as `owner` in `cwd` (the postgres user may not be able to enter
// ours), its output appended to `log`.
absl::Status Run(const Owner& owner, const std::string& cwd,
                 std::vector<std::string> argv, const std::string& log) {
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  const int out = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (out < 0) return absl::InternalError(absl::StrCat(log, ": ", errno));
  if (owner.switch_user && fchown(out, owner.uid, owner.gid) != 0) {
    close(out);
    return absl::InternalError(absl::StrCat("chown ", log));
  }
  const pid_t pid = fork();
  if (pid == 0) {  // only async-signal-safe calls until execv
    dup2(out, 1);
    dup2(out, 2);
    if (owner.switch_user &&
        (setgroups(0, nullptr) != 0 || setgid(owner.gid) != 0 ||
         setuid(owner.uid) != 0)) {
      ChildFails("cannot switch to the postgres user\n", 126);
    }
    if (chdir(cwd.c_str()) != 0) {
      ChildFails(
          "cannot enter the cluster's directory as its owner (the postgres "
          "user needs search permission on every parent directory)\n",
          126);
    }
    execv(args[0], args.data());
    ChildFails("cannot execute\n", 127);
  }
  close(out);
  if (pid < 0) return absl::InternalError("fork");
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return absl::OkStatus();
  const std::string how = WIFEXITED(status)
                              ? absl::StrCat("exit ", WEXITSTATUS(status))
                              : absl::StrCat("signal ", WTERMSIG(status));
  return absl::InternalError(absl::StrCat(argv[0], " failed (", how, "); ", log,
                                          " ends:\n", Tail(log)));
}

absl::StatusOr<int> FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return absl::InternalError("socket");
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    close(fd);
    return absl::InternalError("no free loopback port");
  }
  close(fd);
  return ntohs(a.sin_port);
}

std::string Bin(const char* tool) { return absl::StrCat(kPgBin, "/", tool); }

// `dir` made absolute, emptied and handed to the cluster's owner.
absl::StatusOr<std::string> FreshDirOf(const Owner& owner,
                                       const std::string& dir) {
  std::string path = std::filesystem::absolute(dir).lexically_normal().string();
  if (!path.empty() && path.back() == '/') path.pop_back();
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
  std::filesystem::create_directories(path, ec);
  if (ec) return absl::InternalError(absl::StrCat(path, ": ", ec.message()));
  if (owner.switch_user && chown(path.c_str(), owner.uid, owner.gid)) {
    return absl::InternalError(absl::StrCat("chown ", path));
  }
  return path;
}

}  // namespace

absl::StatusOr<std::unique_ptr<PgCluster>> PgCluster::Init(
    const std::string& dir) {
  auto owner = ClusterOwner();
  if (!owner.ok()) return owner.status();
  if (access(Bin("initdb").c_str(), X_OK) != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        Bin("initdb"), " not found (apt-get install postgresql-15)"));
  }
  std::unique_ptr<PgCluster> c(new PgCluster());
  auto made = FreshDirOf(*owner, dir);
  if (!made.ok()) return made.status();
  c->dir_ = *std::move(made);
  const std::string data = c->dir_ + "/data", log = c->dir_ + "/commands.log";
  // --no-sync: initdb's closing sync of its 40 MB takes seconds on a busy
  // disk; the server still syncs its WAL at every commit, which is what the
  // tests and the benchmark exercise.
  if (auto s = Run(*owner, c->dir_,
                   {Bin("initdb"), "-D", data, "-U", "postgres", "-A", "trust",
                    "-E", "UTF8", "--locale=C", "--no-sync"},
                   log);
      !s.ok()) {
    return s;
  }
  return c;
}

absl::StatusOr<std::unique_ptr<PgCluster>> PgCluster::StandbyOf(
    const PgCluster& primary, const std::string& dir) {
  auto owner = ClusterOwner();
  if (!owner.ok()) return owner.status();
  std::unique_ptr<PgCluster> c(new PgCluster());
  auto made = FreshDirOf(*owner, dir);
  if (!made.ok()) return made.status();
  c->dir_ = *std::move(made);
  // initdb's pg_hba.conf trusts replication connections from loopback.
  if (auto s = Run(*owner, c->dir_,
                   {Bin("pg_basebackup"), "-h", "127.0.0.1", "-p",
                    std::to_string(primary.port()), "-U", "postgres", "-D",
                    c->dir_ + "/data", "-R", "-X", "stream", "--no-sync",
                    "--checkpoint=fast"},
                   c->dir_ + "/commands.log");
      !s.ok()) {
    return s;
  }
  return c;
}

absl::Status PgCluster::Configure(
    int max_connections, const std::vector<std::string>& extra_settings) {
  auto port = FreeLoopbackPort();
  if (!port.ok()) return port.status();
  port_ = *port;
  const std::string data = dir_ + "/data";
  // Durable commits, as ailedgerd's: fsync of the WAL before COMMIT returns.
  settings_ = {
      "listen_addresses = '127.0.0.1'",
      absl::StrCat("port = ", port_),
      absl::StrCat("unix_socket_directories = '",
                   absl::StrReplaceAll(data, {{"'", "''"}}), "'"),
      "fsync = on",
      "synchronous_commit = on",
      "full_page_writes = on",
      absl::StrCat("max_connections = ", max_connections),
  };
  settings_.insert(settings_.end(), extra_settings.begin(),
                   extra_settings.end());
  {
    std::ofstream conf(data + "/postgresql.conf", std::ios::app);
    conf << "\n# tests/testing/pg_cluster.cc\n";
    for (const auto& line : settings_) conf << line << "\n";
    if (!conf.flush()) return absl::InternalError(data + "/postgresql.conf");
  }
  return absl::OkStatus();
}

absl::Status PgCluster::Start(int max_connections,
                              const std::vector<std::string>& extra_settings) {
  if (running_) return absl::OkStatus();
  if (port_ == 0) {
    if (auto s = Configure(max_connections, extra_settings); !s.ok()) return s;
  }
  if (watchdog_ < 0) {
    if (auto s = StartWatchdog(); !s.ok()) return s;
  }
  auto owner = ClusterOwner();
  if (!owner.ok()) return owner.status();
  const std::string data = dir_ + "/data";
  if (auto s = Run(*owner, dir_,
                   {Bin("pg_ctl"), "start", "-w", "-t", "60", "-D", data, "-l",
                    dir_ + "/server.log"},
                   dir_ + "/commands.log");
      !s.ok()) {
    return absl::UnavailableError(absl::StrCat(
        s.message(), "\nserver.log ends:\n", Tail(dir_ + "/server.log")));
  }
  running_ = true;
  return absl::OkStatus();
}

absl::Status PgCluster::Stop(StopMode mode) {
  if (!running_) return absl::OkStatus();
  running_ = false;
  auto owner = ClusterOwner();
  if (!owner.ok()) return owner.status();
  return Run(
      *owner, dir_,
      {Bin("pg_ctl"), "stop", "-w", "-m",
       mode == StopMode::kFast ? "fast" : "immediate", "-D", dir_ + "/data"},
      dir_ + "/commands.log");
}

// A shell that waits for EOF on its stdin (our end of the pipe closes when
// this process ends, however it ends), then stops the server and, for the
// shared cluster, removes its directory. It runs as the cluster's owner in
// its own session, so that a signal to our process group spares it.
absl::Status PgCluster::StartWatchdog() {
  auto owner = ClusterOwner();
  if (!owner.ok()) return owner.status();
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return absl::InternalError("pipe2");
  std::vector<std::string> argv = {
      "/bin/sh",
      "-c",
      "while read -r _; do :; done; \"$0\"/pg_ctl stop -s -w -m immediate "
      "-D \"$1\"/data >/dev/null 2>&1; [ \"$2\" = rm ] && rm -rf \"$1\"; "
      "exit 0",
      kPgBin,
      dir_,
      remove_at_exit_ ? "rm" : "keep"};
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {  // only async-signal-safe calls until execv
    setsid();
    dup2(fds[0], 0);
    const int null = open("/dev/null", O_WRONLY);
    if (null >= 0) {
      dup2(null, 1);
      dup2(null, 2);
    }
    syscall(SYS_close_range, 3U, ~0U, 0U);
    if (owner->switch_user &&
        (setgroups(0, nullptr) != 0 || setgid(owner->gid) != 0 ||
         setuid(owner->uid) != 0)) {
      _exit(126);
    }
    if (chdir("/") != 0) _exit(126);
    execv(args[0], args.data());
    _exit(127);
  }
  close(fds[0]);
  if (pid < 0) {
    close(fds[1]);
    return absl::InternalError("fork");
  }
  watchdog_ = pid;
  watchdog_fd_ = fds[1];
  return absl::OkStatus();
}

PgCluster::~PgCluster() {
  if (getpid() != owner_pid_) return;  // a forked child's exit
  (void)Stop();
  if (remove_at_exit_) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  if (watchdog_fd_ >= 0) close(watchdog_fd_);
  if (watchdog_ > 0) waitpid(watchdog_, nullptr, 0);
}

std::string PgCluster::conninfo(const std::string& dbname) const {
  return absl::StrCat("host=127.0.0.1 port=", port_, " dbname=", dbname,
                      " user=postgres");
}

absl::StatusOr<std::string> PgCluster::CreateDatabase() {
  const std::string name = absl::StrCat("db", ++databases_);
  auto r = PgQuery(conninfo(), absl::StrCat("CREATE DATABASE ", name));
  if (!r.ok()) return r.status();
  return conninfo(name);
}

absl::StatusOr<PgCluster*> PgCluster::Shared() {
  static absl::StatusOr<std::unique_ptr<PgCluster>> shared =
      []() -> absl::StatusOr<std::unique_ptr<PgCluster>> {
    std::error_code ec;
    const auto tmp = std::filesystem::temp_directory_path(ec);
    auto c = Init(((ec ? std::filesystem::path("/tmp") : tmp) /
                   absl::StrCat("ailedger-pg-", getpid()))
                      .string());
    if (!c.ok()) return c.status();
    (*c)->remove_at_exit_ = true;
    if (auto s = (*c)->Start(200); !s.ok()) return s;
    return c;
  }();
  if (!shared.ok()) return shared.status();
  return shared->get();
}

absl::StatusOr<std::vector<std::vector<std::string>>> PgQuery(
    const std::string& conninfo, const std::string& sql) {
  std::unique_ptr<PGconn, decltype(&PQfinish)> c(PQconnectdb(conninfo.c_str()),
                                                 PQfinish);
  if (PQstatus(c.get()) != CONNECTION_OK) {
    return absl::UnavailableError(
        absl::StrCat("connect: ", PQerrorMessage(c.get())));
  }
  std::unique_ptr<PGresult, decltype(&PQclear)> r(PQexec(c.get(), sql.c_str()),
                                                  PQclear);
  const ExecStatusType st = PQresultStatus(r.get());
  if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
    return absl::InternalError(
        absl::StrCat(sql, ": ", PQresultErrorMessage(r.get())));
  }
  std::vector<std::vector<std::string>> rows(PQntuples(r.get()));
  for (int i = 0; i < PQntuples(r.get()); ++i) {
    for (int j = 0; j < PQnfields(r.get()); ++j) {
      rows[i].emplace_back(PQgetvalue(r.get(), i, j));
    }
  }
  return rows;
}

}  // namespace ailedger::testing
