#include "server/replay.h"

#include <fstream>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "ledger/audit/bundle.h"
#include "ledger/audit/bundle_verifier.h"
#include "ledger/merkle/verify.h"
#include "ledger/storage/checked_append.h"
#include "ledger/storage/stored_roster.h"
#include "ledger/storage/tree_reader.h"
#include "ledger/tlog/leaf.h"
#include "server/backup.h"

namespace ailedger {
namespace {

// Events appended in one commit at most (a group of one integration time may
// be split: the writer gives the next part the same time).
constexpr size_t kMaxGroup = 1000;

absl::Status Refuse(absl::string_view why) {
  return absl::FailedPreconditionError(absl::StrCat("--replay: ", why));
}

// Reads the bundle's records in order, calling `on_leaf(index, bytes)` for
// each leaf and returning the CHECKPOINT record's note.
absl::StatusOr<std::string> ReadRecords(
    const std::string& path, uint64_t from,
    const std::function<absl::Status(uint64_t, std::string)>& on_leaf) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  BundleReader reader(&in);
  if (auto s = reader.ReadMagic(); !s.ok()) return s;
  uint64_t index = from;
  for (;;) {
    auto r = reader.Next();
    if (!r.ok()) return r.status();
    if (r->type == RecordType::kCheckpoint) return r->payload;
    if (r->type != RecordType::kLeaf || !on_leaf) continue;
    if (auto s = on_leaf(index++, std::move(r->payload)); !s.ok()) return s;
  }
}

// Appends `leaves` (decoded) as one group at their integration time; each leaf
// the writer makes must be the bundle's.
absl::Status AppendGroup(RocksDbStore* store, LogWriter* writer, Roster* roster,
                         const std::vector<std::string>& leaves) {
  std::vector<SignedEvent> events;
  uint64_t time_ms = 0;
  for (const std::string& bytes : leaves) {
    auto leaf = DecodeLeaf(bytes);
    if (!leaf.ok()) return leaf.status();
    time_ms = leaf->integrated_time_ms;
    events.push_back({leaf->signer, leaf->signature, leaf->event_bytes});
  }
  const uint64_t first = writer->state().size;
  auto r = AppendThroughRules(store, writer, *roster, events,
                              static_cast<int64_t>(time_ms));
  if (!r.ok()) {
    return absl::DataLossError(absl::StrCat(
        "--replay: the rules refuse the bundle's entries from index ", first,
        ": ", r.status().message()));
  }
  for (size_t i = 0; i < leaves.size(); ++i) {
    if (r->result.leaves[i] != leaves[i]) {
      return absl::DataLossError(absl::StrCat("--replay: leaf ", first + i,
                                              " made again differs from the "
                                              "bundle's"));
    }
  }
  *roster = std::move(r->roster);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ReplayReport> ReplayBundle(RocksDbStore* store,
                                          const VerifierKey& log_key,
                                          const LogSigner::Mark& mark,
                                          const std::string& bundle_path) {
  auto copy = SummarizeStore(*store);
  if (!copy.ok()) return copy.status();
  const uint64_t r = copy->state.size;
  VerifyOptions options;
  options.log_keys = {log_key};
  options.trusted_checkpoint = copy->checkpoint_note;
  std::ifstream in(bundle_path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat(bundle_path, ": cannot open"));
  }
  auto v = VerifyBundle(&in, options);
  if (!v.ok()) return Refuse(v.status().message());
  if (!v->verified) {
    return Refuse(absl::StrCat(
        "the bundle does not verify under this log key, or does not extend "
        "the restored copy (size ",
        r, "): ", v->failure));
  }
  const uint64_t n = v->checkpoint_size;
  if (v->from > r) {
    return Refuse(absl::StrCat("the bundle starts at entry ", v->from,
                               ", after the copy's last entry ", r - 1,
                               ": export from ", r,
                               " or earlier (ailedger export --from ", r, ")"));
  }
  if (v->to != n) {
    return Refuse(absl::StrCat("the bundle's entries end at ", v->to,
                               ", before its checkpoint's size ", n));
  }
  if (n <= r) {
    return Refuse(absl::StrCat("the bundle's checkpoint (size ", n,
                               ") adds nothing to the copy (size ", r, ")"));
  }
  if (n < mark.size) {
    return Refuse(absl::StrCat(
        "the bundle's checkpoint is at size ", n,
        " but this log key has signed size ", mark.size,
        ": replayed, the copy would still be below what the key signed; "
        "export a bundle at size ",
        mark.size, " or later"));
  }
  if (n == mark.size && mark.root && *mark.root != v->root) {
    return absl::DataLossError(absl::StrCat(
        "--replay: the bundle's root at size ", n,
        " is not the root this log key's high-water mark records"));
  }
  auto note = ReadRecords(bundle_path, v->from, nullptr);
  if (!note.ok()) return note.status();
  auto roster = LoadRoster(*store, copy->state);
  if (!roster.ok()) return roster.status();
  const Hash root = v->root;
  // Signs nothing: below n no checkpoint is stored; at n, the bundle's own,
  // only for its root.
  auto writer =
      LogWriter::Open(store, copy->origin,
                      [&](const Checkpoint& cp) -> absl::StatusOr<std::string> {
                        if (cp.size < n) return std::string();
                        if (cp.size == n && cp.root == root) return *note;
                        return absl::DataLossError(absl::StrCat(
                            "--replay: the tree at size ", cp.size,
                            " is not the bundle's signed checkpoint"));
                      });
  if (!writer.ok()) return writer.status();
  std::vector<std::string> group;
  uint64_t group_time = 0;
  auto flush = [&]() -> absl::Status {
    if (group.empty()) return absl::OkStatus();
    absl::Status s = AppendGroup(store, writer->get(), &*roster, group);
    group.clear();
    return s;
  };
  auto replayed = ReadRecords(
      bundle_path, v->from,
      [&](uint64_t index, std::string bytes) -> absl::Status {
        if (index < r) return absl::OkStatus();  // the copy has it
        auto leaf = DecodeLeaf(bytes);
        if (!leaf.ok()) return leaf.status();
        if (!group.empty() && (leaf->integrated_time_ms != group_time ||
                               group.size() >= kMaxGroup)) {
          if (auto s = flush(); !s.ok()) return s;
        }
        group_time = leaf->integrated_time_ms;
        group.push_back(std::move(bytes));
        return absl::OkStatus();
      });
  if (!replayed.ok()) return replayed.status();
  if (auto s = flush(); !s.ok()) return s;
  const TreeState& after = (*writer)->state();
  if (after.size != n || after.root != root) {
    return absl::DataLossError(
        absl::StrCat("--replay: the replayed tree (size ", after.size,
                     ") is not the bundle's checkpoint (size ", n, ")"));
  }
  // The copy's tree is a prefix of the new one, by an RFC 9162 proof read
  // back from the store.
  auto proof = TreeReader(store).ConsistencyProof(r, n, after);
  if (!proof.ok()) return proof.status();
  if (auto s = VerifyConsistency(r, n, *proof, copy->state.root, root);
      !s.ok()) {
    return absl::DataLossError(
        absl::StrCat("--replay: consistency proof: ", s.message()));
  }
  return ReplayReport{r, n, root};
}

}  // namespace ailedger
