// bench-vs-postgres: ailedgerd against what a team would build by hand, on the
// same machine in the same run.
//
// The alternative: a private PostgreSQL 15 cluster (tests/testing/pg_cluster.h:
// loopback only, fsync and synchronous_commit on) with a hash-chained audit
// table (tools/bench_pgchain.h, shared with bench_append), each insert
// computing sha256(prev_hash || payload) in one PL/pgSQL call under a
// transaction-scoped advisory lock (held through the commit's WAL flush, which
// is what keeps the chain linear). Both systems get the same presigned event
// bytes (AppendRequests; PostgreSQL stores them as payloads, checking nothing)
// at the same concurrency: unary, K clients, one event per call and per commit;
// batched, kBatchClients clients, B events per call and per commit (for
// PostgreSQL one statement calling the function once per row, so one
// transaction). ailedgerd is measured by the same code as bench_append
// (tools/bench_drive.h): every append signature-checked and durable. So that
// the comparison is like for like, PostgreSQL runs twice more with each
// client checking every event's Ed25519 signature before its INSERT, as a
// team's application would (ailedgerd does more: the canonical encoding, the
// fields, the author's role and the rules of state). Those runs are named
// "postgresql+verify".
//
// Prints each rate, the ratios, and the machine's Ed25519 ceiling with each
// ailedgerd rate as a share of it. Asserts nothing. The cluster is stopped at
// the end; its files stay in DIR/postgres (and ailedgerd's in DIR/ailedgerd)
// until the next run.
//
// Usage: bench-vs-postgres [--events N (20000)] [--clients K (64)]
// [--batch B (200)] [--dir DIR (bench-vs-postgres)]
#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "ailedger/ledger.pb.h"
#include "cmdline/cli_args.h"
#include "ledger/governance/event_signature.h"
#include "tests/testing/pg_cluster.h"
#include "tools/bench_drive.h"
#include "tools/bench_pgchain.h"
#include "tools/bench_util.h"

namespace ailedger::bench {
namespace {

using ::ailedger::testing::PgCluster;

struct Rates {
  DriveResult unary, batched;
  DriveResult unary_checked, batched_checked;  // PostgreSQL only
};

// The author's signature of an AppendRequest, checked as ailedgerd checks it
// (ledger/governance/event_signature.h).
bool SignatureHolds(const std::string& payload) {
  v1::AppendRequest req;
  if (!req.ParseFromString(payload)) return false;
  auto signer = PublicKeyFromBytes(req.signer(), "signer");
  return signer.ok() &&
         VerifyEventSignature(kOrigin, req.event(), *signer, req.signature());
}

int Fail(const absl::Status& s) {
  std::fprintf(stderr, "%s\n", s.ToString().c_str());
  return 1;
}

absl::StatusOr<Rates> RunPostgres(PgCluster& cluster, int clients, size_t batch,
                                  const std::vector<std::string>& unary,
                                  const std::vector<std::string>& batched) {
  if (auto s = cluster.Start(std::max(20, clients + 10)); !s.ok()) return s;
  const std::string conninfo = cluster.conninfo();
  if (auto s = CreateAuditChain(conninfo); !s.ok()) return s;
  auto info = DescribePgServer(conninfo);
  if (!info.ok()) return info.status();
  std::printf("%s\n", PgSettingsLine(*info).c_str());
  Rates r;
  r.unary = DriveAuditChain(conninfo, clients, 1, unary);
  PrintResult(absl::StrCat("postgresql unary, ", clients, " clients"), r.unary,
              nullptr);
  r.batched = DriveAuditChain(conninfo, kBatchClients, batch, batched);
  PrintResult(absl::StrCat("postgresql batched ", batch, ", ", kBatchClients,
                           " clients"),
              r.batched, nullptr);
  // The same events again (the chain takes copies), each signature checked.
  r.unary_checked =
      DriveAuditChain(conninfo, clients, 1, unary, SignatureHolds);
  PrintResult(absl::StrCat("postgresql+verify unary, ", clients, " clients"),
              r.unary_checked, nullptr);
  r.batched_checked =
      DriveAuditChain(conninfo, kBatchClients, batch, batched, SignatureHolds);
  PrintResult(absl::StrCat("postgresql+verify batched ", batch, ", ",
                           kBatchClients, " clients"),
              r.batched_checked, nullptr);
  auto chain = CheckAuditChain(conninfo);
  if (!chain.ok()) return chain.status();
  std::printf("postgresql chain: %s\n", chain->c_str());
  if (auto s = cluster.Stop(); !s.ok()) return s;
  return r;
}

absl::StatusOr<Rates> RunAiledgerd(const BenchLog& log, int clients,
                                   size_t batch, const Ceiling& ceiling,
                                   const std::vector<std::string>& unary,
                                   const std::vector<std::string>& batched) {
  auto daemon = Daemon::Start(log.dir, {});
  if (!daemon.ok()) return daemon.status();
  const std::string address = (*daemon)->address();
  if (auto s = AppendAll(address, BenchSetup(log)); !s.ok()) return s;
  Rates r;
  r.unary = DriveUnaryAppends(address, clients, unary);
  PrintResult(absl::StrCat("ailedgerd unary, ", clients, " clients"), r.unary,
              &ceiling);
  r.batched = DriveBatchedAppends(address, batch, batched);
  PrintResult(absl::StrCat("ailedgerd batched ", batch, ", ", kBatchClients,
                           " clients"),
              r.batched, &ceiling);
  return r;  // the daemon stops here, before PostgreSQL starts
}

int Main(const CliArgs& a) {
  auto events_flag = a.GetUint("events", 20000);
  auto clients_flag = a.GetUint<int>("clients", 64, 1, 1000);
  auto batch_flag = a.GetUint("batch", 200, 1, 10'000);
  for (const absl::Status& s :
       {events_flag.status(), clients_flag.status(), batch_flag.status()}) {
    if (!s.ok()) {
      std::fprintf(stderr, "%s\n", std::string(s.message()).c_str());
      return 2;
    }
  }
  const size_t events = *events_flag, batch = *batch_flag;
  const int clients = *clients_flag;
  const std::string dir = a.Get("dir", "bench-vs-postgres");
  // Measured first, with the machine otherwise idle.
  const Ceiling ceiling = MeasureEd25519Ceiling();
  PrintCeiling(ceiling);
  auto log = CreateLog(dir + "/ailedgerd");
  if (!log.ok()) return Fail(log.status());
  std::printf("pre-signing %zu events x 2...\n", events);
  std::fflush(stdout);
  const auto unary = PresignedEvents(*log, events, 0);
  const auto batched = PresignedEvents(*log, events, events);

  // initdb now, so that a cluster that cannot be made fails before the
  // ailedgerd runs; it starts only after them.
  auto cluster = PgCluster::Init(dir + "/postgres");
  if (!cluster.ok()) return Fail(cluster.status());
  auto ours = RunAiledgerd(*log, clients, batch, ceiling, unary, batched);
  if (!ours.ok()) return Fail(ours.status());
  auto theirs = RunPostgres(**cluster, clients, batch, unary, batched);
  if (!theirs.ok()) return Fail(theirs.status());
  const auto ratio = [](const std::string& what, double ours, double theirs) {
    std::printf("%-44s %6.2fx\n", what.c_str(), theirs > 0 ? ours / theirs : 0);
  };
  ratio(absl::StrCat("ailedgerd / postgresql, unary, ", clients, " clients"),
        ours->unary.per_second, theirs->unary.per_second);
  ratio(absl::StrCat("ailedgerd / postgresql, batched ", batch),
        ours->batched.per_second, theirs->batched.per_second);
  ratio("ailedgerd batched / postgresql unary", ours->batched.per_second,
        theirs->unary.per_second);
  ratio("ailedgerd / postgresql+verify, unary", ours->unary.per_second,
        theirs->unary_checked.per_second);
  ratio(absl::StrCat("ailedgerd / postgresql+verify, batched ", batch),
        ours->batched.per_second, theirs->batched_checked.per_second);
  return 0;
}

}  // namespace
}  // namespace ailedger::bench

int main(int argc, char** argv) {
  return ailedger::bench::BenchMain("bench-vs-postgres", argc, argv,
                                    {"events", "clients", "batch", "dir"},
                                    ailedger::bench::Main);
}
