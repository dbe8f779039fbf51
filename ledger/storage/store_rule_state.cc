#include "ledger/storage/store_rule_state.h"

#include "absl/strings/str_cat.h"
#include "ledger/base/big_endian.h"
#include "ledger/governance/event_types.h"
#include "ledger/storage/event_index.h"
#include "ledger/storage/meta_keys.h"
#include "ledger/storage/tree_reader.h"

namespace ailedger {

StoreRuleState::StoreRuleState(const LogStore* store, Roster roster)
    : store_(store), roster_(std::move(roster)) {}

void StoreRuleState::Prefetch(absl::Span<const Hash> ids) {
  auto found = store_->FindEvents(ids);
  if (!found.ok()) return;
  for (size_t i = 0; i < ids.size(); ++i) stored_ids_[ids[i]] = (*found)[i];
}

absl::StatusOr<std::optional<uint64_t>> StoreRuleState::FindStored(
    const Hash& id) {
  if (auto it = stored_ids_.find(id); it != stored_ids_.end())
    return it->second;
  auto found = store_->FindEvent(id);
  if (found.ok()) stored_ids_[id] = *found;
  return found;
}

absl::StatusOr<std::optional<StoreRuleState::Stored>>
StoreRuleState::StoredEvent(const Hash& id) {
  auto found = FindStored(id);
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

absl::StatusOr<std::optional<std::pair<uint64_t, PublicKey>>>
StoreRuleState::EarlierCopy(const Hash& id) {
  using Copy = std::optional<std::pair<uint64_t, PublicKey>>;
  if (auto it = in_batch_.find(id); it != in_batch_.end())
    return Copy(it->second);
  auto stored = StoredEvent(id);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return Copy();
  return Copy({(*stored)->leaf.index, (*stored)->leaf.signer});
}

absl::StatusOr<std::optional<EventFacts>> StoreRuleState::Facts(
    const Hash& id) {
  if (auto it = facts_.find(id); it != facts_.end()) return {it->second};
  auto stored = StoredEvent(id);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return std::optional<EventFacts>();
  return std::optional<EventFacts>(
      FactsOf((*stored)->leaf.index, (*stored)->event));
}

absl::StatusOr<std::optional<RefTarget>> StoreRuleState::Target(
    const Hash& id) {
  if (auto it = targets_.find(id); it != targets_.end()) return {it->second};
  auto stored = StoredEvent(id);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return std::optional<RefTarget>();
  return std::optional<RefTarget>(TargetOf((*stored)->event));
}

absl::StatusOr<bool> StoreRuleState::Logged(const Hash& id, uint64_t index) {
  if (auto it = in_batch_.find(id); it != in_batch_.end())
    return it->second.first < index;
  auto found = FindStored(id);
  if (!found.ok()) return found.status();
  return found->has_value() && **found < index;
}

absl::Status StoreRuleState::CheckRoot(uint64_t size, const Hash& root,
                                       uint64_t index) {
  auto state = store_->ReadTreeState();
  if (!state.ok()) return state.status();
  if (size > state->size) {
    return absl::FailedPreconditionError(
        absl::StrCat("report_published.tree_size: ", size,
                     " is beyond the log's committed size ", state->size,
                     " (a report anchors a checkpoint the log has signed)"));
  }
  if (size == 0) {
    return absl::FailedPreconditionError(
        "report_published.tree_size: a report anchors a non-empty log");
  }
  auto at = TreeReader(store_).RootAt(size, *state);
  if (!at.ok()) return at.status();
  if (*at != root) {
    return absl::FailedPreconditionError(
        absl::StrCat("report_published.root_hash: not the log's root at size ",
                     size, " (", ToHex(*at), ")"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<ApprovableEvent>> StoreRuleState::Approvable(
    const Hash& id) {
  if (auto it = approvable_.find(id); it != approvable_.end())
    return {it->second};
  auto stored = StoredEvent(id);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value() || !TakesApprovals((*stored)->event))
    return std::optional<ApprovableEvent>();
  const Stored& e = **stored;
  return std::optional<ApprovableEvent>(ApprovableOf(
      e.leaf.index, e.leaf.signer, e.event, roster_.role_table_version()));
}

absl::StatusOr<Phase> StoreRuleState::PhaseOf(const std::string& key) {
  if (auto it = phases_.find(key); it != phases_.end()) return it->second;
  auto row = store_->ReadMeta(PhaseMetaKey(key));
  if (!row.ok()) return row.status();
  const Phase phase = !row->has_value() || (*row)->size() != 1
                          ? Phase::kNone
                          : static_cast<Phase>((**row)[0]);
  phases_[key] = phase;
  return phase;
}

// Whether an index row under `prefix` exists (the row keys end in an 8-byte
// index).
absl::StatusOr<bool> StoreRuleState::HasRow(const std::string& prefix) {
  auto rows = store_->ScanIndex(prefix, prefix + std::string(8, '\xff'), 1);
  if (!rows.ok()) return rows.status();
  return !rows->empty();
}

absl::StatusOr<bool> StoreRuleState::Superseded(const Hash& id) {
  if (superseded_.count(id)) return true;
  return HasRow(SupersededPrefix(std::string(AsBytes(id))));
}

absl::StatusOr<bool> StoreRuleState::Retracted(const Hash& id) {
  if (retracted_.count(id)) return true;
  return HasRow(RetractedPrefix(std::string(AsBytes(id))));
}

absl::StatusOr<int> StoreRuleState::SealedAttachments(const Hash& id) {
  if (auto it = sealed_counts_.find(id); it != sealed_counts_.end())
    return it->second;
  if (in_batch_.count(id)) return 0;
  auto stored = StoredEvent(id);
  if (!stored.ok()) return stored.status();
  return stored->has_value() ? (*stored)->event.sealed_size() : 0;
}

absl::StatusOr<bool> StoreRuleState::Erased(const Hash& id, uint32_t n) {
  if (erased_.count({id, n})) return true;
  auto done = store_->ReadMeta(ErasedKey(id, n));
  if (!done.ok()) return done.status();
  return done->has_value();
}

void StoreRuleState::Record(const Candidate& c, const Admitted& a) {
  const v1::Event& e = *c.event;
  in_batch_[c.event_id] = {c.index, c.signer};
  facts_[c.event_id] = FactsOf(c.index, e);
  targets_[c.event_id] = TargetOf(e);
  if (a.approvable) approvable_[c.event_id] = *a.approvable;
  if (e.sealed_size() > 0) sealed_counts_[c.event_id] = e.sealed_size();
  if (a.superseded) superseded_.insert(*a.superseded);
  if (a.retracted) retracted_.insert(*a.retracted);
  for (const PhaseChange& p : a.phases) {
    phases_[p.key] = p.phase;
    extras_.meta_rows.emplace_back(PhaseMetaKey(p.key),
                                   std::string(1, static_cast<char>(p.phase)));
  }
  if (a.erasure) {
    erased_.insert(*a.erasure);
    extras_.meta_rows.emplace_back(
        ErasedKey(a.erasure->first, a.erasure->second), ErasedMarker(c.index));
  }
  auto rows = IndexRowsFor(e, c.index);
  extras_.index_rows.insert(extras_.index_rows.end(), rows.begin(), rows.end());
  roster_changed_ |= a.changes_roster;
  last_index_ = c.index;
  if (e.event_type() == kLogKeyRotated) rotations_.push_back(c.index);
}

BatchExtras StoreRuleState::TakeExtras() {
  if (roster_changed_) {
    extras_.meta_rows.emplace_back(kRosterMetaKey,
                                   roster_.ToSnapshot().SerializeAsString());
  }
  // The batch's checkpoint is each rotation's handover: every admitted event
  // is appended, so the batch ends after the last one admitted.
  for (uint64_t r : rotations_) {
    extras_.meta_rows.emplace_back(LogKeyRotationKey(r),
                                   BigEndian64(*last_index_ + 1));
  }
  extras_.log_keys = roster_.log_keys();
  return std::move(extras_);
}

}  // namespace ailedger
