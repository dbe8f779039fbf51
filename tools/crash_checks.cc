#include "tools/crash_checks.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "ledger/audit/bundle.h"
#include "ledger/merkle/compact_range.h"
#include "ledger/merkle/verify.h"
#include "ledger/storage/meta_keys.h"
#include "ledger/storage/rocksdb_store.h"
#include "ledger/tlog/contexts.h"
#include "ledger/tlog/leaf.h"
#include "tools/crash_harness.h"

namespace ailedger::crash {
namespace {

std::string MarkText(const LogSigner::Mark& m) {
  return absl::StrCat(m.size, m.root ? " " + ToHex(*m.root) : "");
}

// The entry at `index` of the bundle against its receipt; "" when it matches.
std::string CompareAck(uint64_t index, const std::string& leaf_bytes,
                       const Ack& ack, const std::string& origin) {
  if (HashLeaf(leaf_bytes) != ack.leaf_hash) {
    return absl::StrCat("index ", index, " (acknowledged in cycle ", ack.cycle,
                        ") holds another leaf than its receipt's");
  }
  auto leaf = DecodeLeaf(leaf_bytes);
  if (!leaf.ok() || leaf->index != index ||
      EventId(origin, leaf->event_bytes) != ack.event_id) {
    return absl::StrCat("index ", index,
                        ": the leaf is not the receipt's event");
  }
  return "";
}

}  // namespace

absl::StatusOr<LogSigner::Mark> ReadMark(const LogFiles& files) {
  auto signer = LogSigner::Open(files.log_dir + "/log.key");
  if (!signer.ok()) return signer.status();
  return LogSigner::Mark{(*signer)->high_water_mark(),
                         (*signer)->high_water_root()};
}

absl::Status CheckMarkAfterCrash(const LogSigner::Mark& mark,
                                 const Checkpoint& store,
                                 uint64_t max_receipt_size) {
  if (mark.size > store.size) {
    return absl::DataLossError(
        absl::StrCat("KEY.hwm after the crash is ", MarkText(mark),
                     " but the store committed only ", store.size, " entries"));
  }
  if (mark.size == store.size && mark.root && *mark.root != store.root) {
    return absl::DataLossError(absl::StrCat(
        "KEY.hwm after the crash is ", MarkText(mark),
        ", another root than the store's at that size, ", ToHex(store.root)));
  }
  if (mark.size < max_receipt_size) {
    return absl::DataLossError(absl::StrCat(
        "KEY.hwm after the crash is ", MarkText(mark), ", below size ",
        max_receipt_size, " of a checkpoint already given in a receipt"));
  }
  return absl::OkStatus();
}

absl::Status CheckMarkAfterRestart(const LogSigner::Mark& mark,
                                   const Checkpoint& store) {
  if (mark.size != store.size || !mark.root || *mark.root != store.root) {
    return absl::DataLossError(
        absl::StrCat("KEY.hwm after the restart is ", MarkText(mark),
                     ", not the store's ", store.size, " ", ToHex(store.root)));
  }
  return absl::OkStatus();
}

absl::StatusOr<Checkpoint> LatestCheckpoint(LedgerClient& client,
                                            const VerifierKey& log_key,
                                            Observed* observed) {
  auto note = client.GetCheckpoint(v1::GetCheckpointRequest());
  if (!note.ok()) return note.status();
  if (auto s = observed->AddCheckpoint(*note, "the latest after a restart");
      !s.ok())
    return s;
  auto cp = OpenCheckpoint(*note, log_key);
  if (!cp.ok()) return cp.status();
  return cp->checkpoint;
}

absl::StatusOr<InDoubt> ResolveInDoubt(
    LedgerClient& client, const std::vector<v1::AppendRequest>& events,
    uint64_t size_at_restart, Observed* observed, int cycle) {
  InDoubt r;
  for (const v1::AppendRequest& e : events) {
    auto receipt = client.Append(e);
    if (!receipt.ok()) {
      return absl::Status(
          receipt.status().code(),
          absl::StrCat("an event in doubt, sent again after the restart: ",
                       receipt.status().message()));
    }
    if (receipt->duplicate() != (receipt->index() < size_at_restart)) {
      return absl::DataLossError(absl::StrCat(
          "an event in doubt, sent again, was answered at index ",
          receipt->index(), (receipt->duplicate() ? " as" : " not as"),
          " a duplicate, and the log held ", size_at_restart,
          " entries at the restart"));
    }
    ++(receipt->duplicate() ? r.committed : r.appended);
    if (auto s = observed->AddReceipt(*receipt, cycle); !s.ok()) return s;
  }
  return r;
}

absl::StatusOr<BundleCheck> ExportAndVerify(const LogFiles& files,
                                            const std::string& address,
                                            const Observed& observed,
                                            uint64_t size) {
  BundleCheck r;
  r.path = files.dir + "/bundle";
  const std::string out = files.dir + "/cli.log";
  auto exported = RunTool({files.cli, "--server", address, "--timeout", "600",
                           "export", "--out", r.path},
                          out);
  if (!exported.ok()) return exported.status();
  if (exported->exit_code != 0) {
    return absl::DataLossError(absl::StrCat("ailedger export failed (exit ",
                                            exported->exit_code,
                                            "): ", exported->output));
  }
  auto verified =
      RunTool({files.cli, "verify", r.path, "--vkey", files.log_key.ToString(),
               "--admin-vkey", files.admin_vkey},
              out);
  if (!verified.ok()) return verified.status();
  if (verified->exit_code != 0) {
    return absl::DataLossError(absl::StrCat(
        "ailedger verify of the whole log failed (exit ", verified->exit_code,
        "; bundle kept in ", r.path, "): ", verified->output));
  }
  const std::vector<Ack> acks = observed.Acks();
  const std::map<uint64_t, Hash> published = observed.Checkpoints();
  std::ifstream in(r.path, std::ios::binary);
  BundleReader reader(&in);
  if (auto s = reader.ReadMagic(); !s.ok()) return s;
  CompactRange range;
  auto next_cp = published.begin();
  for (;;) {
    auto rec = reader.Next();
    if (absl::IsNotFound(rec.status())) break;
    if (!rec.ok()) return rec.status();
    if (rec->type != RecordType::kLeaf) continue;
    const uint64_t index = r.leaves++;
    if (index < acks.size() && acks[index].present) {
      std::string loss =
          CompareAck(index, rec->payload, acks[index], files.log_key.name());
      if (!loss.empty() && r.lost++ == 0) r.first_loss = loss;
    }
    range.Append(HashLeaf(rec->payload), nullptr);
    for (; next_cp != published.end() && next_cp->first <= range.size();
         ++next_cp, ++r.checkpoints) {
      if (range.Root() != next_cp->second) {
        return absl::DataLossError(absl::StrCat(
            "the checkpoint of size ", next_cp->first, " published in ",
            observed.SourceOf(next_cp->first), " has root ",
            ToHex(next_cp->second), "; the log's first ", next_cp->first,
            " entries hash to ", ToHex(range.Root())));
      }
    }
  }
  if (r.leaves != size) {
    return absl::DataLossError(absl::StrCat("the bundle holds ", r.leaves,
                                            " entries; the log ", size));
  }
  if (next_cp != published.end()) {
    return absl::DataLossError(
        absl::StrCat("a checkpoint of size ", next_cp->first,
                     " was published (", observed.SourceOf(next_cp->first),
                     "), but the log holds ", r.leaves, " entries"));
  }
  for (uint64_t i = r.leaves; i < acks.size(); ++i) {
    if (!acks[i].present) continue;
    if (r.lost++ == 0) {
      r.first_loss =
          absl::StrCat("index ", i, " (acknowledged in cycle ", acks[i].cycle,
                       ") is beyond the log's ", r.leaves, " entries");
    }
  }
  return r;
}

absl::Status CheckConsistency(LedgerClient& client,
                              const std::map<uint64_t, Hash>& published,
                              const std::vector<uint64_t>& sizes,
                              const Checkpoint& latest) {
  for (uint64_t size : sizes) {
    const Hash& root = published.at(size);
    if (size > latest.size) {
      return absl::DataLossError(
          absl::StrCat("a checkpoint of size ", size,
                       " was published; the log now holds ", latest.size));
    }
    std::vector<Hash> hashes;
    if (size < latest.size) {
      v1::GetConsistencyProofRequest req;
      req.set_first(size);
      req.set_second(latest.size);
      auto proof = client.GetConsistencyProof(req);
      if (!proof.ok()) return proof.status();
      for (const std::string& h : proof->hashes()) {
        auto hash = HashFromBytes(h, "consistency proof hash");
        if (!hash.ok()) return hash.status();
        hashes.push_back(*hash);
      }
    }
    if (auto s =
            VerifyConsistency(size, latest.size, hashes, root, latest.root);
        !s.ok()) {
      return absl::DataLossError(absl::StrCat(
          "the checkpoint of size ", size,
          " published before the crash is not consistent with the new one "
          "of size ",
          latest.size, ": ", s.message()));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckEventIds(LedgerClient& client, const std::vector<Ack>& acks,
                           int cycle, size_t limit) {
  size_t checked = 0;
  for (size_t i = acks.size(); i-- > 0 && checked < limit;) {
    if (!acks[i].present || acks[i].cycle != cycle) continue;
    ++checked;
    v1::GetEntryRequest req;
    req.set_event_id(std::string(AsBytes(acks[i].event_id)));
    auto entry = client.GetEntry(req);
    if (!entry.ok()) {
      return absl::DataLossError(
          absl::StrCat("the event acknowledged at index ", i,
                       " is not found by its id: ", entry.status().message()));
    }
    if (entry->index() != i || HashLeaf(entry->leaf()) != acks[i].leaf_hash) {
      return absl::DataLossError(absl::StrCat(
          "the event acknowledged at index ", i, " is found by its id at ",
          entry->index(), " with another leaf"));
    }
  }
  return absl::OkStatus();
}

absl::Status WaitForCosigned(LedgerClient& client, const VerifierKey& log_key,
                             const VerifierKey& witness_key,
                             const Checkpoint& latest, Observed* observed) {
  const auto until =
      std::chrono::steady_clock::now() + std::chrono::seconds(10);
  std::string last = "none";
  while (std::chrono::steady_clock::now() < until) {
    v1::GetCheckpointRequest req;
    req.set_which(v1::GetCheckpointRequest::LATEST_COSIGNED);
    auto note = client.GetCheckpoint(req);
    if (note.ok()) {
      auto cp = OpenCheckpoint(*note, log_key, {witness_key});
      if (!cp.ok() || CountCosignatures(cp->note) == 0) {
        return absl::DataLossError(
            "the latest cosigned checkpoint is not cosigned by the witness");
      }
      if (auto s = observed->AddCheckpoint(*note, "the latest cosigned");
          !s.ok())
        return s;
      if (cp->checkpoint.size > latest.size) {
        return absl::DataLossError(absl::StrCat(
            "the latest cosigned checkpoint is of size ", cp->checkpoint.size,
            ", beyond the log's ", latest.size));
      }
      if (cp->checkpoint.size == latest.size) return absl::OkStatus();
      last = absl::StrCat("size ", cp->checkpoint.size);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return absl::DeadlineExceededError(absl::StrCat(
      "the witness did not cosign size ", latest.size,
      " within 10 s of the restart (latest cosigned: ", last, ")"));
}

absl::StatusOr<uint64_t> DamageIndexes(const std::string& data_dir,
                                       uint64_t seed) {
  auto store = RocksDbStore::Open(data_dir, RocksDbStore::Mode::kOpenExisting);
  if (!store.ok()) return store.status();
  auto state = (*store)->ReadTreeState();
  if (!state.ok()) return state.status();
  std::mt19937_64 rng(seed);
  std::vector<std::pair<std::string, std::string>> put;
  std::vector<std::string> erase;
  for (std::string from;;) {
    auto page = (*store)->ScanIndex(from, std::string(1, '\xff'), 4096);
    if (!page.ok()) return page.status();
    for (const auto& [key, value] : *page) {
      if (rng() % 3 == 0) erase.push_back(key);
      if (rng() % 100 == 0 && key.size() >= 8) {  // a row for no entry
        std::string extra = key.substr(0, key.size() - 8);
        const uint64_t index = state->size + 1 + rng() % 1000;
        for (int b = 7; b >= 0; --b) extra.push_back(char(index >> (8 * b)));
        put.emplace_back(extra, "");
      }
    }
    if (page->size() < 4096) break;
    from = page->back().first + std::string(1, '\0');
  }
  if (auto s = (*store)->RewriteIndexRows(put, erase); !s.ok()) return s;
  std::string end = kPhaseMetaPrefix;
  ++end.back();
  auto phases = (*store)->ScanMeta(kPhaseMetaPrefix, end, 100000);
  if (!phases.ok()) return phases.status();
  for (const auto& [key, value] : *phases) {
    if (auto s = (*store)->WriteMeta(key, "0"); !s.ok()) return s;
  }
  return put.size() + erase.size() + phases->size();
}

}  // namespace ailedger::crash
