#include "server/daemon.h"

#include <google/protobuf/util/json_util.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "ledger/base/clock.h"
#include "ledger/base/file_util.h"
#include "ledger/governance/canonical.h"
#include "ledger/storage/checked_append.h"
#include "ledger/storage/event_index.h"
#include "ledger/storage/index_check.h"
#include "ledger/storage/rocksdb_store.h"
#include "ledger/storage/stored_roster.h"
#include "ledger/storage/tree_reader.h"
#include "ledger/tlog/checkpoint.h"
#include "ledger/tlog/leaf.h"
#include "server/append_checks.h"
#include "server/backup.h"
#include "server/log.h"
#include "server/log_keyring.h"
#include "server/metrics.h"
#include "server/replica.h"
#include "server/serve_store.h"
#include "server/witness_submitter.h"

namespace ailedger {
namespace {

absl::StatusOr<PendingAppend> ReadGenesis(const std::string& file,
                                          const LogSigner& signer) {
  auto text = ReadSmallFile(file);
  if (!text.ok()) return text.status();
  v1::AppendRequest req;
  if (!google::protobuf::util::JsonStringToMessage(*text, &req).ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(file, ": not a genesis file"));
  }
  const std::string& origin = signer.verifier().name();
  // No log yet: the genesis is checked under the version it names.
  auto pending =
      CheckAppend(origin, {req.event(), req.signer(), req.signature()}, NowMs(),
                  60'000, /*log_version=*/0);
  if (!pending.ok()) return pending.status();
  const v1::Event& e = pending->parsed;
  if (e.event_type() != "Genesis" ||
      e.genesis().log_verifier_key() != signer.verifier().ToString()) {
    return absl::InvalidArgumentError(
        "genesis.log_verifier_key: the genesis does not name this log key");
  }
  return pending;
}

// The integrity check before serving: store, tree state, latest checkpoint and
// key agree.
absl::StatusOr<TreeState> CheckStore(const LogStore& store, LogSigner* signer,
                                     const LogKeyring& keys) {
  auto state = store.ReadTreeState();
  if (!state.ok()) return state.status();
  if (auto s = CheckTreeState(store, *state); !s.ok()) return s;
  auto origin = store.ReadMeta(kOriginMetaKey);
  if (!origin.ok()) return origin.status();
  if (*origin != signer->verifier().name()) {
    return absl::FailedPreconditionError(
        "the log key's name is not this store's origin");
  }
  auto note = store.ReadLatestCheckpoint();
  if (!note.ok()) return note.status();
  auto cp = keys.OpenOwn(*note);
  if (absl::IsFailedPrecondition(cp.status())) return cp.status();
  if (!cp.ok() || cp->checkpoint.size != state->size ||
      cp->checkpoint.root != state->root) {
    return absl::DataLossError(
        "the latest checkpoint does not match the tree state");
  }
  if (state->size < signer->high_water_mark()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the store holds ", state->size,
        " entries but this log key has signed size ", signer->high_water_mark(),
        ": this looks like a restored older copy, and appending would fork the "
        "log. Restore it with `ailedgerd restore --from BACKUP --replay "
        "BUNDLE` (the missing entries from an export bundle) or `--successor` "
        "(a successor log with a new origin); see README, Backups and "
        "restores"));
  }
  if (auto root = signer->high_water_root();
      root && state->size == signer->high_water_mark() &&
      *root != state->root) {
    return absl::FailedPreconditionError(
        "the store holds another tree than the one this log key last signed at "
        "its size");
  }
  if (auto s = signer->Advance(state->size, state->root); !s.ok()) return s;
  return state;
}

// When the latest checkpoint was signed: with the last leaf's commit, at its
// integrated time. For the metrics; a leaf that cannot be read gives now.
absl::Time LatestCheckpointTime(const LogStore& store, const TreeState& state) {
  auto leaf = TreeReader(&store).Leaf(state.size - 1, state);
  auto decoded =
      leaf.ok() ? DecodeLeaf(*leaf) : absl::StatusOr<Leaf>(leaf.status());
  if (!decoded.ok()) return absl::Now();
  return absl::FromUnixMillis(
      static_cast<int64_t>(decoded->integrated_time_ms));
}

// The metrics, when asked for, with the log's state at start-up.
absl::StatusOr<std::unique_ptr<Metrics>> StartMetrics(const ServeOptions& o,
                                                      const LogStore& store,
                                                      const TreeState& state) {
  if (o.metrics_addr.empty()) return nullptr;
  if (auto s = CheckMetricsAddress(o.metrics_addr, o.metrics_allow_remote);
      !s.ok())
    return s;
  auto metrics = Metrics::Serve(o.metrics_addr);
  if (!metrics.ok()) return metrics.status();
  (*metrics)->StartState(state.size, LatestCheckpointTime(store, state));
  Log(LogLevel::kInfo,
      absl::StrCat("metrics on ", (*metrics)->address(), " (/metrics)"),
      {{"metrics_addr", (*metrics)->address()}});
  return metrics;
}

// With --log-format json, what serve prints on stdout (kept plain there for
// the scripts that read it) is logged too.
void LogIfJson(absl::string_view msg, LogFields fields) {
  if (CurrentLogFormat() == LogFormat::kJson) Log(LogLevel::kInfo, msg, fields);
}

ServeStoreOptions StoreOptions(const ServeOptions& o) {
  ServeStoreOptions s;
  s.where.data_dir = o.data_dir;
  s.where.conninfo = o.store;
  s.lease.holder = o.instance;
  s.lease.ttl = absl::Milliseconds(o.lease_ttl_ms);
  return s;
}

void BlockStopSignals(sigset_t* set) {
  sigemptyset(set);
  sigaddset(set, SIGTERM);
  sigaddset(set, SIGINT);
  pthread_sigmask(SIG_BLOCK, set, nullptr);
}

}  // namespace

namespace {

// The clock of the leaves' integrated_time_ms: the system clock, or for an
// example log a time read from `file` (ServeOptions::test_clock_file), kept
// monotonic. A log whose origin does not say it is an example refuses it: a
// real log's times come from the host's clock only.
absl::StatusOr<std::function<uint64_t()>> SequencerClock(
    const std::string& file, const std::string& origin) {
  if (file.empty()) return [] { return static_cast<uint64_t>(NowMs()); };
  if (!absl::StartsWith(origin, "example.")) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--test-clock is for example logs only (an origin starting with "
        "\"example.\"), not '",
        origin, "'"));
  }
  auto last = std::make_shared<std::atomic<uint64_t>>(0);
  return [file, last]() -> uint64_t {
    uint64_t t = 0;
    auto text = ReadSmallFile(file);
    if (!text.ok() ||
        !absl::SimpleAtoi(absl::StripAsciiWhitespace(*text), &t)) {
      t = last->load() != 0 ? last->load() : static_cast<uint64_t>(NowMs());
    }
    uint64_t prev = last->load();
    while (t > prev && !last->compare_exchange_weak(prev, t)) {
    }
    return std::max(t, last->load());
  };
}

absl::StatusOr<std::unique_ptr<LogStore>> CreateStore(
    const StoreLocation& where) {
  if (!where.postgres())
    return RocksDbStore::Open(where.data_dir, RocksDbStore::Mode::kCreate);
  auto store = PostgresStore::Open({.conninfo = where.conninfo},
                                   PostgresStore::Mode::kCreate);
  if (!store.ok()) return store.status();
  // Held for a millisecond: the genesis commit checks the epoch only, and the
  // first `serve` takes the lease at once.
  auto lease = (*store)->TryAcquireLease("init", absl::Milliseconds(1));
  if (!lease.ok()) return lease.status();
  if (!lease->has_value())
    return absl::FailedPreconditionError("the new store's lease is held");
  (*store)->SetWriterEpoch((*lease)->epoch);
  return std::unique_ptr<LogStore>(*std::move(store));
}

}  // namespace

absl::Status InitLog(const StoreLocation& where,
                     const std::string& genesis_file,
                     const std::string& log_key_file,
                     const std::string& test_clock_file) {
  auto signer = LogSigner::Open(log_key_file);
  if (!signer.ok()) return signer.status();
  if ((*signer)->high_water_mark() > 0) {
    return absl::FailedPreconditionError(
        "this log key has already signed a log (its .hwm is above 0); a new "
        "log needs a new "
        "key and origin");
  }
  auto genesis = ReadGenesis(genesis_file, **signer);
  if (!genesis.ok()) return genesis.status();
  const std::string origin = (*signer)->verifier().name();
  // Checked before the store is created, so a refused genesis leaves none.
  if (auto s = Roster(origin).Check(genesis->event.signer, genesis->parsed);
      !s.ok())
    return s;
  auto store = CreateStore(where);
  if (!store.ok()) return store.status();
  auto writer = LogWriter::Open(
      store->get(), origin,
      [&](const Checkpoint& cp) { return (*signer)->Sign(cp); });
  if (!writer.ok()) return writer.status();
  auto clock = SequencerClock(test_clock_file, origin);
  if (!clock.ok()) return clock.status();
  auto r = AppendThroughRules(
      store->get(), writer->get(), Roster(origin), {genesis->event},
      static_cast<int64_t>((*clock)()), {{kOriginMetaKey, origin}});
  if (!r.ok()) return r.status();
  return (*signer)->Advance(r->result.state.size, r->result.state.root);
}

absl::Status CheckIndexesCommand(const std::string& data_dir, bool repair) {
  // An older format is refused, naming `ailedgerd upgrade` (upgrade.h).
  auto store = RocksDbStore::Open(data_dir, RocksDbStore::Mode::kOpenExisting);
  if (!store.ok()) return store.status();
  auto r = CheckIndexes(store->get(), repair);
  if (!r.ok()) return r.status();
  std::printf(
      "%llu leaves, %llu index rows: %llu missing, %llu extra; %llu lifecycle "
      "phase rows wrong%s\n",
      (unsigned long long)r->leaves, (unsigned long long)r->rows,
      (unsigned long long)r->missing, (unsigned long long)r->extra,
      (unsigned long long)r->phases_wrong, r->repaired ? " (repaired)" : "");
  for (const auto& e : r->examples) std::printf("  %s\n", e.c_str());
  if ((r->missing || r->extra || r->phases_wrong) && !r->repaired) {
    return absl::FailedPreconditionError(
        "the indexes differ from the leaves; run with --repair");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<grpc::Server>> ListenUntilStopped(
    const ServeOptions& o, grpc::Service* service, const std::string& origin,
    uint64_t size, sigset_t* stop_signals) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  std::shared_ptr<grpc::ServerCredentials> creds =
      grpc::InsecureServerCredentials();
  if (!o.tls_cert_file.empty()) {
    auto cert = ReadSmallFile(o.tls_cert_file);
    if (!cert.ok()) return cert.status();
    // A private key, refused like the log key when others may read it.
    auto key = ReadPrivateFile(o.tls_key_file);
    if (!key.ok()) return key.status();
    grpc::SslServerCredentialsOptions ssl;
    ssl.pem_key_cert_pairs.push_back({*key, *cert});
    creds = grpc::SslServerCredentials(ssl);
  }
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort(o.listen, creds, &port);
  builder.RegisterService(service);
  builder.SetMaxReceiveMessageSize(static_cast<int>(o.service.max_batch_bytes) +
                                   65536);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || port == 0)
    return absl::UnavailableError(absl::StrCat("cannot listen on ", o.listen));
  const std::string host = o.listen.substr(0, o.listen.rfind(':'));
  std::printf("ailedgerd: %s, %llu entries; listening on %s:%d\n",
              origin.c_str(), static_cast<unsigned long long>(size),
              host.c_str(), port);
  std::fflush(stdout);
  LogIfJson(absl::StrCat("serving ", origin, ", ", size, " entries, on ", host,
                         ":", port),
            {{"origin", origin},
             {"entries", size},
             {"listen", absl::StrCat(host, ":", port)}});

  int sig = 0;
  sigwait(stop_signals, &sig);
  std::printf("ailedgerd: signal %d: finishing calls in flight\n", sig);
  std::fflush(stdout);
  LogIfJson(absl::StrCat("signal ", sig, ": finishing calls in flight"),
            {{"signal", sig}});
  return server;
}

absl::Status Serve(const ServeOptions& o) {
  sigset_t stop_signals;
  BlockStopSignals(
      &stop_signals);  // before any thread starts: only sigwait sees them
  if (o.read_only) return ServeReplica(o, &stop_signals);
  auto signer = LogSigner::Open(o.log_key_file);
  if (!signer.ok()) return signer.status();
  auto keyring = LogKeyring::Open(signer->get(), o.next_log_key_file);
  if (!keyring.ok()) return keyring.status();
  auto opened = OpenServeStore(StoreOptions(o), stop_signals);
  if (absl::IsCancelled(opened.status())) return absl::OkStatus();
  if (!opened.ok()) return opened.status();
  std::unique_ptr<LogStore>* store = &opened->store;
  auto state = CheckStore(**store, signer->get(), **keyring);
  if (!state.ok()) return state.status();
  if (opened->lease) {
    if (auto s = CheckLeaseMark(*opened->lease, *state); !s.ok()) return s;
  }
  auto roster = LoadRoster(**store, *state);
  if (!roster.ok()) return roster.status();
  if (auto s = (*keyring)->CheckStart(roster->log_keys(), *state); !s.ok())
    return s;
  // `ailedgerd backup` asks on DIR/ailedgerd.sock for a copy (backup.h); a
  // PostgreSQL store is backed up by PostgreSQL's own tools.
  std::unique_ptr<AdminSocket> online_backups;
  if (!opened->postgres) {
    online_backups = ServeOnlineBackups(
        o.data_dir, static_cast<const RocksDbStore*>(store->get()));
  }
  const std::string origin = (*signer)->verifier().name();
  auto writer = LogWriter::Open(store->get(), origin, (*keyring)->Signer());
  if (!writer.ok()) return writer.status();
  auto clock = SequencerClock(o.test_clock_file, origin);
  if (!clock.ok()) return clock.status();
  auto metrics = StartMetrics(o, **store, *state);
  if (!metrics.ok()) return metrics.status();
  Metrics* const m = metrics->get();  // null without --metrics-addr
  Sequencer::Options sequencer_options = o.sequencer;
  if (m != nullptr)
    sequencer_options.on_batch = [m](const BatchReport& r) { m->BatchDone(r); };
  Sequencer sequencer(store->get(), writer->get(), signer->get(),
                      *std::move(roster), sequencer_options, *std::move(clock));
  if (m != nullptr)
    m->SetQueueDepth([&sequencer] { return sequencer.queued_events(); });
  // A scrape never reads the sequencer once it is gone.
  absl::Cleanup forget_queue = [m] {
    if (m != nullptr) m->SetQueueDepth(nullptr);
  };
  std::vector<WitnessEndpoint> witnesses;
  for (const std::string& flag : o.witnesses) {
    auto w = ParseWitnessFlag(flag);
    if (!w.ok()) return w.status();
    witnesses.push_back(*std::move(w));
  }
  std::optional<WitnessSubmitter> submitter;
  if (!witnesses.empty()) {
    WitnessSubmitter::Options wo;
    wo.active_interval = std::chrono::milliseconds(o.witness_interval_ms);
    LogSigner* log_signer = signer->get();
    // Called only with a checkpoint this log's key signed and the witness
    // cosigned, both verified: a bare number from a witness never gets here.
    wo.on_witness_ahead = [log_signer](const Checkpoint& proven) {
      Log(LogLevel::kError,
          absl::StrCat("this log's key has signed size ", proven.size,
                       ", beyond this store (a witness holds that checkpoint, "
                       "cosigned): the store was rolled back; refusing to "
                       "sign below that size"),
          {{"signed_size", proven.size}});
      if (auto s = log_signer->Advance(proven.size, proven.root); !s.ok()) {
        Log(LogLevel::kError,
            absl::StrCat("the high-water mark: ", s.message()));
      }
    };
    if (m != nullptr) {
      wo.on_answer = [m](const WitnessEndpoint& w, const absl::Status& s) {
        m->WitnessAnswered(w.key.name(), s);
      };
    }
    submitter.emplace(store->get(), store->get(), log_signer->verifier(),
                      std::move(witnesses), wo);
  }
  std::unique_ptr<SealedStore> sealed_store;
  if (!o.sealed_store_dir.empty()) {
    if (auto s = o.data_dir.empty()
                     ? absl::OkStatus()
                     : CheckSealedStoreOutside(o.sealed_store_dir, o.data_dir);
        !s.ok())
      return s;
    auto opened = SealedStore::Open(o.sealed_store_dir);
    if (!opened.ok()) return opened.status();
    sealed_store = *std::move(opened);
    sequencer.set_sealed_store(sealed_store.get());
  }
  SealedData sealed(store->get(), sealed_store.get());
  // Erased material found on disk is destroyed before anything is served;
  // reads refuse it anyway (the marker), so a failure is reported, not fatal.
  if (auto swept = sealed.Sweep(); !swept.ok()) {
    Log(LogLevel::kError, swept.status().message());
  } else if (*swept > 0) {
    Log(LogLevel::kInfo,
        absl::StrCat("sealed store: destroyed ", *swept,
                     " files of erased attachments or unfinished puts"),
        {{"destroyed_files", *swept}});
  }
  LedgerReads reads(store->get(), o.max_page);
  CallAuthenticator auth(origin, {}, NowMs());
  LedgerService service(origin, (*signer)->verifier().ToString(), &sequencer,
                        &reads, &auth, o.service, NowMs);

  service.set_sealed_data(&sealed);
  service.set_metrics(m);
  auto served =
      ListenUntilStopped(o, &service, origin, state->size, &stop_signals);
  if (!served.ok()) return served.status();
  (*served)->Shutdown(std::chrono::system_clock::now() +
                      std::chrono::seconds(10));
  sequencer.Stop();
  // A standby takes over now rather than after the lease's ttl.
  if (opened->keeper) opened->keeper->Release();
  submitter.reset();
  return absl::OkStatus();
}

}  // namespace ailedger
