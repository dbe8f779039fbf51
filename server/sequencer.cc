#include "server/sequencer.h"

#include <cstdio>
#include <utility>

#include "absl/strings/str_cat.h"
#include "ledger/rules/engine.h"
#include "ledger/storage/store_rule_state.h"
#include "ledger/storage/tree_reader.h"
#include "ledger/tlog/leaf.h"
#include "ledger/tlog/tlog_proof.h"

namespace ailedger {

using Outcome = absl::StatusOr<AppendReceipt>;

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
          std::fprintf(stderr, "ailedgerd: high-water mark: %s\n",
                       std::string(mark.message()).c_str());
        }
      }
      if (!s.ok()) {
        for (auto& a : accepted_) *a.outcome = s;
        for (auto& d : dups_) *d.outcome = s;
        return std::nullopt;
      }
      // The erasures are on the log: destroy the material now. A failure is
      // reported; the marker, committed with the Erasure, keeps the material
      // from ever being served, and the deletion is retried on the next read
      // of it and at every start (SealedData).
      for (const auto& [id, n] : erasures_) {
        if (sealed_ == nullptr) break;
        if (auto e = sealed_->Erase(id, n); !e.ok()) {
          std::fprintf(stderr,
                       "ailedgerd: erasure of %s.%u is logged and in force, "
                       "but its material is not destroyed yet: %s\n",
                       ToHex(id).c_str(), n, std::string(e.message()).c_str());
        }
      }
      AnswerAccepted(*result);
      adopted = state_.roster();
    }
    AnswerDuplicates();
    return adopted;
  }

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
  thread_ = std::thread([this] { Run(); });
}

Sequencer::~Sequencer() { Stop(); }

absl::Status Sequencer::Submit(std::vector<PendingAppend> events,
                               std::function<void(AppendOutcomes)> done) {
  size_t bytes = 0;
  for (const auto& e : events) bytes += e.event.event_bytes.size();
  absl::MutexLock lock(&mu_);
  if (stopping_) return absl::UnavailableError("server is shutting down");
  if (queued_bytes_ + bytes > options_.max_queue_bytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat("sequencer queue is full (", queued_bytes_,
                     " bytes waiting); retry later"));
  }
  queued_bytes_ += bytes;
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

void Sequencer::Process(std::vector<Group>& groups) {
  Roster roster = this->roster();
  Batch batch(store_, sealed_, roster, writer_->state().size);
  std::vector<AppendOutcomes> outcomes(groups.size());
  for (size_t g = 0; g < groups.size(); ++g) {
    outcomes[g].assign(groups[g].events.size(),
                       absl::UnknownError("unanswered"));
  }
  for (size_t g = 0; g < groups.size(); ++g) {
    for (size_t k = 0; k < groups[g].events.size(); ++k) {
      batch.Consider(groups[g].events[k], &outcomes[g][k]);
    }
  }
  if (auto adopted = batch.Commit(writer_, signer_, now_ms_())) {
    absl::MutexLock lock(&mu_);
    roster_ = *std::move(adopted);
  }
  for (size_t g = 0; g < groups.size(); ++g)
    groups[g].done(std::move(outcomes[g]));
}

}  // namespace ailedger
