#include "server/sequencer.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "ledger/rules/engine.h"
#include "ledger/storage/store_rule_state.h"
#include "ledger/storage/stored_roster.h"
#include "ledger/storage/tree_reader.h"
#include "ledger/tlog/leaf.h"
#include "ledger/tlog/tlog_proof.h"
#include "server/log.h"

namespace ailedger {

using Outcome = absl::StatusOr<AppendReceipt>;

namespace {

// How long appends are refused, after a failed write, before the store is
// asked again whether the fault has gone.
constexpr absl::Duration kRecoveryInterval = absl::Milliseconds(500);

// What a caller hears when its batch could not be made durable. The batch may
// have reached the disk in part (a write that failed only its sync), so the
// answer does not say it is absent: a retry of the same event is answered with
// its receipt if it was logged after all, as any duplicate is.
absl::Status NotDurable(const absl::Status& s) {
  return absl::UnavailableError(absl::StrCat(
      "append not acknowledged: the store could not commit it durably (",
      s.message(), "); appends pause until the store recovers; retry later"));
}

}  // namespace

// The decisions of one batch, made in index order by the rule engine against
// the store overlaid with the batch's earlier events (StoreRuleState).
class Sequencer::Batch {
 public:
  Batch(const LogStore* store, SealedStore* sealed, const Roster& roster,
        uint64_t first_index)
      : store_(store),
        sealed_(sealed),
        state_(store, roster),
        first_index_(first_index) {}

  // Reads where the batch's events are logged, if anywhere, in one read.
  void Prefetch(const std::vector<Group>& groups) {
    std::vector<Hash> ids;
    for (const Group& g : groups) {
      for (const PendingAppend& p : g.events) ids.push_back(p.event_id);
    }
    state_.Prefetch(ids);
  }

  // A copy of an event already logged by the same signer is answered with
  // its receipt; by another signer, refused. Anything else goes to the rules.
  void Consider(const PendingAppend& p, Outcome* outcome) {
    auto copy = state_.EarlierCopy(p.event_id);
    if (!copy.ok()) {
      *outcome = copy.status();
      return;
    }
    if (copy->has_value()) {
      if ((*copy)->second != p.event.signer) {
        *outcome =
            WithRule(absl::AlreadyExistsError(absl::StrCat(
                         "event: identical event already logged at index ",
                         (*copy)->first, " by another signer")),
                     Rule::kDuplicate);
        return;
      }
      dups_.push_back({(*copy)->first, p.event_id, outcome});
      return;
    }
    const uint64_t index = first_index_ + events_.size();
    auto admitted =
        Admit({index, p.event.signer, &p.parsed, p.event_id, p.fields_version},
              state_);
    if (!admitted.ok()) {
      *outcome = admitted.status();
      return;
    }
    if (admitted->erasure) erasures_.push_back(*admitted->erasure);
    events_.push_back(p.event);
    accepted_.push_back({index, p.event_id, outcome});
  }

  // Commits the accepted events; then every outcome is set. Returns the roster
  // to adopt.
  std::optional<Roster> Commit(LogWriter* writer, LogSigner* signer,
                               uint64_t now_ms) {
    std::optional<Roster> adopted;
    if (!events_.empty()) {
      auto result = writer->Append(events_, now_ms, state_.TakeExtras());
      // The signer checked its high-water mark before signing; once the commit
      // succeeded the batch is in the log: the mark is advanced, the roster
      // adopted and every event answered.
      absl::Status s = result.status();
      if (s.ok()) {
        // Committed: the mark follows before anyone is answered. A failure to
        // record it is reported, but the batch is in the log, so its events are
        // answered as logged.
        auto mark = signer->Advance(result->state.size, result->state.root);
        if (!mark.ok()) {
          Log(LogLevel::kError,
              absl::StrCat("high-water mark not advanced: ", mark.message()),
              {{"size", result->state.size}, {"error", mark.message()}});
        }
      }
      if (!s.ok()) {
        commit_status_ = s;
        // Only a failed commit is "not durable"; a refusal to sign or encode
        // is the caller's own answer.
        const absl::Status refused =
            writer->needs_recovery() ? NotDurable(s) : s;
        for (auto& a : accepted_) *a.outcome = refused;
        for (auto& d : dups_) *d.outcome = refused;
        return std::nullopt;
      }
      committed_ = events_.size();
      // The erasures are on the log: destroy the material now. A failure is
      // reported; the marker, committed with the Erasure, keeps the material
      // from ever being served, and the deletion is retried on the next read
      // of it and at every start (SealedData).
      for (const auto& [id, n] : erasures_) {
        if (sealed_ == nullptr) break;
        if (auto e = sealed_->Erase(id, n); !e.ok()) {
          Log(LogLevel::kError,
              absl::StrCat("erasure of ", ToHex(id), ".", n,
                           " is logged and in force, but its material is not "
                           "destroyed yet: ",
                           e.message()),
              {{"attachment", absl::StrCat(ToHex(id), ".", n)},
               {"error", e.message()}});
        }
      }
      AnswerAccepted(*result);
      adopted = state_.roster();
    }
    AnswerDuplicates();
    return adopted;
  }

  const absl::Status& commit_status() const { return commit_status_; }
  size_t committed() const { return committed_; }

 private:
  struct Placed {
    uint64_t index;
    Hash event_id;
    Outcome* outcome;
  };

  void AnswerAccepted(const AppendResult& r) {
    for (const Placed& a : accepted_) {
      auto proof = r.InclusionProof(a.index);
      if (!proof.ok()) {
        *a.outcome = proof.status();
        continue;
      }
      const size_t k = a.index - r.first_index;
      AppendReceipt receipt{
          a.index, a.event_id, r.leaf_hashes[k], false,
          FormatTlogProof({r.leaves[k], a.index, *proof, r.checkpoint})};
      *a.outcome = std::move(receipt);
    }
  }

  void AnswerDuplicates() {
    if (dups_.empty()) return;
    auto state = store_->ReadTreeState();
    auto note = store_->ReadLatestCheckpoint();
    for (Placed& d : dups_) {
      if (!state.ok() || !note.ok()) {
        *d.outcome = state.ok() ? note.status() : state.status();
        continue;
      }
      TreeReader reader(store_);
      auto leaf = reader.Leaf(d.index, *state);
      auto proof = reader.InclusionProof(d.index, state->size, *state);
      if (!leaf.ok() || !proof.ok()) {
        *d.outcome = leaf.ok() ? proof.status() : leaf.status();
        continue;
      }
      *d.outcome =
          AppendReceipt{d.index, d.event_id, HashLeaf(*leaf), true,
                        FormatTlogProof({*leaf, d.index, *proof, *note})};
    }
  }

  const LogStore* const store_;
  SealedStore* const sealed_;
  StoreRuleState state_;
  const uint64_t first_index_;
  std::vector<SignedEvent> events_;
  std::vector<Placed> accepted_;
  std::vector<Placed> dups_;
  std::vector<std::pair<Hash, uint32_t>> erasures_;
  absl::Status commit_status_;
  size_t committed_ = 0;
};

Sequencer::Sequencer(const LogStore* store, LogWriter* writer,
                     LogSigner* signer, Roster roster, Options options,
                     std::function<uint64_t()> now_ms)
    : store_(store),
      writer_(writer),
      signer_(signer),
      options_(options),
      now_ms_(std::move(now_ms)),
      roster_(std::move(roster)) {
  if (!options_.read_only) thread_ = std::thread([this] { Run(); });
}

void Sequencer::ReplaceRoster(Roster roster) {
  absl::MutexLock lock(&mu_);
  roster_ = std::move(roster);
}

Sequencer::~Sequencer() { Stop(); }

absl::Status Sequencer::Submit(std::vector<PendingAppend> events,
                               std::function<void(AppendOutcomes)> done) {
  size_t bytes = 0;
  for (const auto& e : events) bytes += e.event.event_bytes.size();
  if (options_.read_only) {
    return absl::FailedPreconditionError(
        "this ailedgerd is a read-only replica (serve --read-only): it never "
        "appends; send appends to the log's writer");
  }
  absl::MutexLock lock(&mu_);
  if (stopping_) return absl::UnavailableError("server is shutting down");
  if (queued_bytes_ + bytes > options_.max_queue_bytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat("sequencer queue is full (", queued_bytes_,
                     " bytes waiting); retry later"));
  }
  queued_bytes_ += bytes;
  queued_events_ += events.size();
  queue_.push_back(Group{std::move(events), std::move(done), bytes});
  return absl::OkStatus();
}

void Sequencer::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

size_t Sequencer::queued_events() const {
  absl::MutexLock lock(&mu_);
  return queued_events_;
}

Roster Sequencer::roster() const {
  absl::MutexLock lock(&mu_);
  return roster_;
}

uint32_t Sequencer::role_table_version() const {
  absl::MutexLock lock(&mu_);
  return roster_.role_table_version();
}

bool Sequencer::HasRole(const PublicKey& key, v1::Role role) const {
  absl::MutexLock lock(&mu_);
  return roster_.HasRole(key, role);
}

absl::Status Sequencer::CheckActiveKey(const PublicKey& key) const {
  absl::MutexLock lock(&mu_);
  if (roster_.FindActive(key) != nullptr) return absl::OkStatus();
  return absl::UnauthenticatedError(roster_.Find(key)
                                        ? "ailedger-key: revoked"
                                        : "ailedger-key: not on the roster");
}

std::vector<Sequencer::Group> Sequencer::TakeGroups() {
  absl::MutexLock lock(&mu_);
  auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return !queue_.empty() || stopping_;
  };
  mu_.Await(absl::Condition(&ready));
  std::vector<Group> groups;
  size_t events = 0;
  while (!queue_.empty() &&
         (groups.empty() ||
          events + queue_.front().events.size() <= options_.max_batch_events)) {
    events += queue_.front().events.size();
    queued_bytes_ -= queue_.front().bytes;
    queued_events_ -= queue_.front().events.size();
    groups.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  return groups;
}

void Sequencer::Run() {
  for (;;) {
    std::vector<Group> groups = TakeGroups();
    if (groups.empty()) return;  // stopping, and nothing left
    Process(groups);
  }
}

absl::Status Sequencer::CheckWritable() {
  if (halted_.ok()) return absl::OkStatus();
  if (uncertain_ || absl::Now() < next_recovery_) return halted_;
  next_recovery_ = absl::Now() + kRecoveryInterval;
  absl::StatusOr<bool> landed = writer_->Recover();
  absl::Status s = landed.status();
  if (s.ok() && *landed) s = AdoptLandedBatch();
  if (s.ok()) {
    Log(LogLevel::kInfo,
        absl::StrCat("the store has recovered; appends go on at size ",
                     writer_->state().size),
        {{"size", writer_->state().size}});
    halted_ = absl::OkStatus();
    return halted_;
  }
  if (absl::IsDataLoss(s)) {
    // The store holds a tree this process neither committed nor signed for
    // the failed batch: its view is stale, and signing on from it could fork
    // the log. Only a restart, which re-reads the store and checks it against
    // KEY.hwm, may go on.
    uncertain_ = true;
    halted_ = absl::UnavailableError(
        absl::StrCat("appends refused: ", s.message(),
                     "; restart ailedgerd, which re-reads the store"));
  } else {
    halted_ = NotDurable(s);
  }
  Log(LogLevel::kError, halted_.message());
  return halted_;
}

// The failed batch reached the disk after all, with the checkpoint signed for
// it: its callers heard UNAVAILABLE, and a retry is answered with the receipt
// (a duplicate). The mark and the roster follow the store.
absl::Status Sequencer::AdoptLandedBatch() {
  const TreeState& state = writer_->state();
  Log(LogLevel::kWarning,
      absl::StrCat("the batch whose commit failed reached the disk after "
                   "all; the log is at size ",
                   state.size),
      {{"size", state.size}});
  if (auto s = signer_->Advance(state.size, state.root); !s.ok()) return s;
  auto roster = LoadRoster(*store_, state);
  if (!roster.ok()) return roster.status();
  absl::MutexLock lock(&mu_);
  roster_ = *std::move(roster);
  return absl::OkStatus();
}

void Sequencer::Halt(const absl::Status& cause) {
  halted_ = NotDurable(cause);
  next_recovery_ = absl::Now() + kRecoveryInterval;
  Log(LogLevel::kError,
      absl::StrCat("a commit failed, appends pause: ", cause.message()),
      {{"error", cause.message()}});
}

void Sequencer::Process(std::vector<Group>& groups) {
  std::vector<AppendOutcomes> outcomes(groups.size());
  size_t events = 0;
  for (size_t g = 0; g < groups.size(); ++g) {
    outcomes[g].assign(groups[g].events.size(),
                       absl::UnknownError("unanswered"));
    events += groups[g].events.size();
  }
  BatchReport report{events, 0, absl::OkStatus(), writer_->state().size, 0};
  if (absl::Status writable = CheckWritable(); !writable.ok()) {
    for (auto& o : outcomes) std::fill(o.begin(), o.end(), writable);
    report.commit = writable;
  } else {
    Batch batch(store_, sealed_, roster(), writer_->state().size);
    batch.Prefetch(groups);
    for (size_t g = 0; g < groups.size(); ++g) {
      for (size_t k = 0; k < groups[g].events.size(); ++k) {
        batch.Consider(groups[g].events[k], &outcomes[g][k]);
      }
    }
    if (auto adopted = batch.Commit(writer_, signer_, now_ms_())) {
      absl::MutexLock lock(&mu_);
      roster_ = *std::move(adopted);
    }
    if (writer_->needs_recovery()) Halt(batch.commit_status());
    report.committed = batch.committed();
    report.commit = batch.commit_status();
    report.tree_size = writer_->state().size;
  }
  for (size_t g = 0; g < groups.size(); ++g)
    groups[g].done(std::move(outcomes[g]));
  if (options_.on_batch) {
    report.queued_events = queued_events();
    options_.on_batch(report);
  }
}

}  // namespace ailedger
