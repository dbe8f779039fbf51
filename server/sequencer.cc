#include "server/sequencer.h"

#include <cstdio>
#include <map>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "ledger/governance/approvals.h"
#include "ledger/governance/corrections.h"
#include "ledger/governance/lifecycle.h"
#include "ledger/governance/references.h"
#include "ledger/storage/event_index.h"
#include "ledger/storage/tree_reader.h"
#include "ledger/tlog/leaf.h"
#include "ledger/tlog/tlog_proof.h"
#include "server/sealed_data.h"

namespace ailedger {

using Outcome = absl::StatusOr<AppendReceipt>;

// The decisions of one batch, made in index order against a copy of the roster.
class Sequencer::Batch {
 public:
  Batch(const LogStore* store, SealedStore* sealed, const Roster& roster,
        uint64_t first_index)
      : store_(store),
        sealed_(sealed),
        roster_(roster),
        first_index_(first_index) {}

  void Consider(const PendingAppend& p, Outcome* outcome) {
    if (auto dup = FindDuplicate(p); !dup.ok()) {
      *outcome = dup.status();
      return;
    } else if (dup->has_value()) {
      dups_.push_back({**dup, p.event_id, outcome});
      return;
    }
    if (auto s = Admit(p); !s.ok()) {
      *outcome = s;
      return;
    }
    const uint64_t index = first_index_ + events_.size();
    if (TakesApprovals(p.parsed)) {
      approvable_[p.event_id] = ApprovableOf(index, p.event.signer, p.parsed,
                                             roster_.role_table_version());
    }
    facts_[p.event_id] = FactsOf(index, p.parsed);
    if (p.parsed.sealed_size() > 0)
      sealed_counts_[p.event_id] = p.parsed.sealed_size();
    if (auto id = HashFromBytes(p.parsed.supersedes(), "s"); id.ok())
      superseded_.insert(*id);
    if (p.parsed.has_retraction()) {
      if (auto id = HashFromBytes(p.parsed.retraction().retracts(), "r");
          id.ok()) {
        retracted_.insert(*id);
      }
    }
    auto rows = IndexRowsFor(p.parsed, index);
    extras_.index_rows.insert(extras_.index_rows.end(), rows.begin(),
                              rows.end());
    roster_changed_ |= p.parsed.event_type() == "KeyGranted" ||
                       p.parsed.event_type() == "KeyRevoked" ||
                       p.parsed.event_type() == "Genesis";
    in_batch_[p.event_id] = {index, p.event.signer};
    events_.push_back(p.event);
    accepted_.push_back({index, p.event_id, outcome});
  }

  // The roster (role, scope, roster events), then approval rules, against the
  // state as of this index; applies the event to the roster copy when all pass.
  absl::Status Admit(const PendingAppend& p) {
    if (auto s = roster_.Check(p.event.signer, p.parsed); !s.ok()) return s;
    const bool admin = roster_.HasRole(p.event.signer, v1::ROLE_ADMIN);
    const v1::RosterMember* member = roster_.FindActive(p.event.signer);
    const std::string org =
        member ? member->grant().organisation() : "";  // null: genesis
    if (auto s = CheckCorrections(p.parsed, admin, org, Lookups()); !s.ok())
      return s;
    auto changes = CheckLifecycle(
        p.parsed, [this](const std::string& k) { return PhaseOf(k); });
    if (!changes.ok()) return changes.status();
    if (auto s = CheckReferences(
            p.parsed, org, [this](const Hash& id) { return TargetOf(id); });
        !s.ok())
      return s;
    if (p.parsed.event_type() == "Approval") {
      auto s = CheckApproval(p.parsed, p.event.signer,
                             *roster_.FindActive(p.event.signer),
                             [this](const Hash& id) { return Approvable(id); });
      if (!s.ok()) return s;
    }
    std::optional<std::pair<Hash, uint32_t>> erasure;
    if (p.parsed.event_type() == "Erasure") {
      auto e = CheckErasure(p.parsed);
      if (!e.ok()) return e.status();
      erasure = *e;
    }
    if (auto s = roster_.Apply(p.event.signer, p.parsed); !s.ok()) return s;
    if (erasure) {
      erased_.insert(ErasedKey(erasure->first, erasure->second));
      // The marker names the Erasure's index (its position in this batch).
      extras_.meta_rows.emplace_back(
          ErasedKey(erasure->first, erasure->second),
          ErasedMarker(first_index_ + events_.size()));
      erasures_.push_back(*erasure);
    }
    for (const PhaseChange& c : *changes) {
      phases_[c.key] = c.phase;
      extras_.meta_rows.emplace_back(
          c.key, std::string(1, static_cast<char>(c.phase)));
    }
    return absl::OkStatus();
  }

  // An Erasure names a logged event's sealed attachment that has not been
  // erased yet.
  absl::StatusOr<std::pair<Hash, uint32_t>> CheckErasure(const v1::Event& e) {
    if (!e.has_erasure() || e.erasure().legal_basis().empty()) {
      return absl::InvalidArgumentError(
          "erasure: the event, the attachment and a legal basis");
    }
    auto id = HashFromBytes(e.erasure().event_id(), "erasure.event_id");
    if (!id.ok()) return id.status();
    int attachments = 0;  // of the named event, in this batch or the store
    if (auto it = sealed_counts_.find(*id); it != sealed_counts_.end()) {
      attachments = it->second;
    } else {
      auto stored = StoredEvent(*id);
      if (!stored.ok()) return stored.status();
      if (stored->has_value()) attachments = (*stored)->event.sealed_size();
    }
    if (e.erasure().attachment() >= static_cast<uint32_t>(attachments)) {
      return absl::FailedPreconditionError(
          "erasure.event_id: no logged event with that sealed attachment");
    }
    const std::string key = ErasedKey(*id, e.erasure().attachment());
    auto done = store_->ReadMeta(key);
    if (!done.ok()) return done.status();
    if (done->has_value() || erased_.count(key)) {
      return absl::FailedPreconditionError(
          "erasure: that attachment is already erased");
    }
    return std::make_pair(*id, e.erasure().attachment());
  }

  // A subject's phase, from this batch or the store's meta rows.
  absl::StatusOr<Phase> PhaseOf(const std::string& key) {
    if (auto it = phases_.find(key); it != phases_.end()) return it->second;
    auto row = store_->ReadMeta(key);
    if (!row.ok()) return row.status();
    if (!row->has_value() || (*row)->size() != 1) return Phase::kNone;
    return static_cast<Phase>((**row)[0]);
  }

  CorrectionLookups Lookups() {
    return {[this](const Hash& id) { return Facts(id); },
            [this](const Hash& id) {
              return Marked(SupersededPrefix(std::string(AsBytes(id))), id,
                            superseded_);
            },
            [this](const Hash& id) {
              return Marked(RetractedPrefix(std::string(AsBytes(id))), id,
                            retracted_);
            }};
  }

  // The facts of an event from this batch or the store.
  absl::StatusOr<std::optional<EventFacts>> Facts(const Hash& id) {
    if (auto it = facts_.find(id); it != facts_.end()) return {it->second};
    auto stored = StoredEvent(id);
    if (!stored.ok()) return stored.status();
    if (!stored->has_value()) return std::optional<EventFacts>();
    return std::optional<EventFacts>(
        FactsOf((*stored)->leaf.index, (*stored)->event));
  }

  // What a reference needs of an event from this batch or the store.
  absl::StatusOr<std::optional<RefTarget>> TargetOf(const Hash& id) {
    auto facts = Facts(id);
    if (!facts.ok()) return facts.status();
    if (!facts->has_value()) return std::optional<RefTarget>();
    return std::optional<RefTarget>(
        RefTarget{(*facts)->event_type, (*facts)->organisation});
  }

  // A logged event by id, decoded; nullopt if there is none.
  struct Stored {
    Leaf leaf;
    v1::Event event;
  };
  absl::StatusOr<std::optional<Stored>> StoredEvent(const Hash& id) {
    auto found = store_->FindEvent(id);
    if (!found.ok()) return found.status();
    if (!found->has_value()) return std::optional<Stored>();
    auto bytes = store_->ReadLeaf(**found);
    if (!bytes.ok()) return bytes.status();
    auto leaf = DecodeLeaf(*bytes);
    Stored out;
    if (!leaf.ok() || !out.event.ParseFromString(leaf->event_bytes)) {
      return absl::DataLossError(
          absl::StrCat("leaf ", **found, " does not decode"));
    }
    out.leaf = *std::move(leaf);
    return std::optional<Stored>(std::move(out));
  }

  // Whether an index row under `prefix` exists, or this batch marked `id`.
  absl::StatusOr<bool> Marked(const std::string& prefix, const Hash& id,
                              const std::set<Hash>& in_batch) {
    if (in_batch.count(id)) return true;
    auto rows = store_->ScanIndex(prefix, prefix + std::string(8, '\xff'), 1);
    if (!rows.ok()) return rows.status();
    return !rows->empty();
  }

  // An event that takes approvals, from this batch or the store.
  absl::StatusOr<std::optional<ApprovableEvent>> Approvable(const Hash& id) {
    if (auto it = approvable_.find(id); it != approvable_.end())
      return {it->second};
    auto stored = StoredEvent(id);
    if (!stored.ok()) return stored.status();
    if (!stored->has_value() || !TakesApprovals((*stored)->event)) {
      return std::optional<ApprovableEvent>();
    }
    const Stored& e = **stored;
    return std::optional<ApprovableEvent>(ApprovableOf(
        e.leaf.index, e.leaf.signer, e.event, roster_.role_table_version()));
  }

  // Commits the accepted events; then every outcome is set. Returns the roster
  // to adopt.
  std::optional<Roster> Commit(LogWriter* writer, LogSigner* signer,
                               uint64_t now_ms) {
    std::optional<Roster> adopted;
    if (!events_.empty()) {
      if (roster_changed_) {
        extras_.meta_rows.emplace_back(
            kRosterMetaKey, roster_.ToSnapshot().SerializeAsString());
      }
      auto result = writer->Append(events_, now_ms, std::move(extras_));
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
      adopted = roster_;
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

  // The index of an earlier copy of this event by the same signer;
  // ALREADY_EXISTS if another signer logged the same bytes.
  absl::StatusOr<std::optional<uint64_t>> FindDuplicate(
      const PendingAppend& p) {
    PublicKey first_signer;
    std::optional<uint64_t> index;
    if (auto it = in_batch_.find(p.event_id); it != in_batch_.end()) {
      index = it->second.first;
      first_signer = it->second.second;
    } else {
      auto found = store_->FindEvent(p.event_id);
      if (!found.ok()) return found.status();
      if (!found->has_value()) return std::optional<uint64_t>();
      index = **found;
      auto leaf = store_->ReadLeaf(*index);
      if (!leaf.ok()) return leaf.status();
      auto decoded = DecodeLeaf(*leaf);
      if (!decoded.ok()) return absl::DataLossError(decoded.status().message());
      first_signer = decoded->signer;
    }
    if (first_signer != p.event.signer) {
      return absl::AlreadyExistsError(
          absl::StrCat("event: identical event already logged at index ",
                       *index, " by another signer"));
    }
    return index;
  }

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
  Roster roster_;
  const uint64_t first_index_;
  bool roster_changed_ = false;
  std::vector<SignedEvent> events_;
  std::vector<Placed> accepted_;
  std::vector<Placed> dups_;
  std::map<Hash, std::pair<uint64_t, PublicKey>> in_batch_;
  std::map<Hash, ApprovableEvent> approvable_;
  std::map<Hash, EventFacts> facts_;
  std::map<Hash, int> sealed_counts_;  // events of this batch with attachments
  std::set<Hash> superseded_, retracted_;
  std::map<std::string, Phase> phases_;
  std::set<std::string> erased_;
  std::vector<std::pair<Hash, uint32_t>> erasures_;
  BatchExtras extras_;
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
