#include "server/replica.h"

#include "absl/strings/str_cat.h"
#include "ledger/base/clock.h"
#include "ledger/storage/meta_keys.h"
#include "ledger/storage/stored_roster.h"
#include "server/ledger_reads.h"
#include "server/log.h"

namespace ailedger {

ReplicaFollower::ReplicaFollower(const PostgresStore* store,
                                 Sequencer* sequencer, uint64_t size,
                                 absl::Duration interval)
    : store_(store), sequencer_(sequencer), interval_(interval), size_(size) {
  Follow();
  thread_ = std::thread([this] {
    absl::MutexLock lock(&mu_);
    while (!mu_.AwaitWithTimeout(absl::Condition(&stop_), interval_)) {
      mu_.Unlock();
      Follow();
      mu_.Lock();
    }
  });
}

ReplicaFollower::~ReplicaFollower() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  thread_.join();
}

void ReplicaFollower::Follow() {
  auto lease = store_->ReadLease();
  if (lease.ok()) lag_ms_.store(std::max<int64_t>(0, lease->heartbeat_age_ms));
  auto state = store_->ReadTreeState();
  if (!state.ok() || state->size == size_.load()) return;
  auto roster = LoadRoster(*store_, *state);
  if (!roster.ok()) {
    Log(LogLevel::kWarning,
        absl::StrCat("replica: roster at size ", state->size,
                     " not loaded: ", roster.status().message()));
    return;
  }
  sequencer_->ReplaceRoster(*std::move(roster));
  size_.store(state->size);
}

absl::Status ServeReplica(const ServeOptions& o, sigset_t* stop_signals) {
  if (o.store.empty()) {
    return absl::InvalidArgumentError(
        "--read-only serves a PostgreSQL replica: it needs --store CONNINFO");
  }
  auto store = PostgresStore::Open({.conninfo = o.store},
                                   PostgresStore::Mode::kReadOnly);
  if (!store.ok()) return store.status();
  auto state = (*store)->ReadTreeState();
  if (!state.ok()) return state.status();
  auto origin = (*store)->ReadMeta(kOriginMetaKey);
  if (!origin.ok()) return origin.status();
  if (!origin->has_value())
    return absl::DataLossError("the replica's store names no origin");
  auto roster = LoadRoster(**store, *state);
  if (!roster.ok()) return roster.status();
  const std::vector<VerifierKey> keys = roster->log_keys().keys();
  if (keys.empty()) return absl::DataLossError("the roster names no log key");
  Sequencer::Options so = o.sequencer;
  so.read_only = true;
  Sequencer sequencer(store->get(), nullptr, nullptr, *std::move(roster), so,
                      [] { return uint64_t{0}; });
  ReplicaFollower follower(store->get(), &sequencer, state->size,
                           absl::Seconds(1));
  LedgerReads reads(store->get(), o.max_page);
  CallAuthenticator auth(**origin, {}, NowMs());
  LedgerService service(**origin, keys.front().ToString(), &sequencer, &reads,
                        &auth, o.service, NowMs);
  service.set_replica_lag([&follower] { return follower.lag_ms(); });
  Log(LogLevel::kInfo,
      absl::StrCat("read-only replica of ", **origin, " at size ", state->size),
      {{"origin", **origin}, {"entries", state->size}});
  auto served =
      ListenUntilStopped(o, &service, **origin, state->size, stop_signals);
  if (!served.ok()) return served.status();
  (*served)->Shutdown(std::chrono::system_clock::now() +
                      std::chrono::seconds(10));
  return absl::OkStatus();
}

}  // namespace ailedger
