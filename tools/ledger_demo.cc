// ledger_demo: the core at work, end to end, on an embedded RocksDB store in a
// local folder.
//
// It creates (or reopens) a log, appends a signed genesis and a few governance
// events in batches, then, as an auditor would, checks the signed checkpoint,
// proves one event's inclusion and the log's consistency with an earlier
// checkpoint, and walks the hash chain, using only the verification core. Run
// it twice: the second run resumes from the stored tree state and proves
// consistency across the two runs.
//
// Usage: ledger_demo [--data DIR]      (default: demo-data)
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "ledger/base/file_util.h"
#include "ledger/governance/canonical.h"
#include "ledger/governance/examples.h"
#include "ledger/governance/roles.h"
#include "ledger/merkle/verify.h"
#include "ledger/storage/log_writer.h"
#include "ledger/storage/rocksdb_store.h"
#include "ledger/storage/tree_reader.h"
#include "ledger/tlog/chain.h"
#include "ledger/tlog/checkpoint.h"
#include "ledger/tlog/contexts.h"
#include "ledger/tlog/leaf.h"

namespace ailedger {
namespace {

constexpr char kOrigin[] = "demo.ailedger.example/log";

// Loads a key file, or makes one (mode 0600) on the first run.
absl::StatusOr<SigningKey> LoadOrCreateKey(const std::string& path,
                                           const std::string& name) {
  if (std::filesystem::exists(path)) return LoadSigningKey(path);
  auto key = SigningKey::Generate(name, kKeyTypeEd25519);
  if (!key.ok()) return key.status();
  // 0600 from its creation, and never written through a planted file or link.
  if (auto s = WriteFileDurably(path, key->ToString() + "\n", 0600,
                                IfExists::kRefuse);
      !s.ok())
    return s;
  return key;
}

uint64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The author's side: a canonical event, signed with the event context.
SignedEvent Sign(const v1::Event& event, const SigningKey& author) {
  SignedEvent e;
  e.event_bytes = CanonicalEncoding(event);
  e.signer = author.verifier().public_key();
  e.signature = author.Sign(EventSigningMessage(kOrigin, e.event_bytes));
  return e;
}

v1::Event Genesis(const SigningKey& log_key, const SigningKey& admin) {
  v1::Event e;
  e.set_event_type("Genesis");
  e.set_schema_version(1);
  e.set_organisation("Demo Provider Ltd");
  e.set_occurred_at_ms(NowMs());
  auto* g = e.mutable_genesis();
  g->set_origin(kOrigin);
  g->set_log_verifier_key(log_key.verifier().ToString());
  g->set_leaf_version(kLeafVersion);
  g->set_role_table_version(kRoleTableVersion);
  g->set_admin_public_key(std::string(AsBytes(admin.verifier().public_key())));
  g->set_admin_name("demo admin");
  return e;
}

v1::Event Governance(const std::string& type, const std::string& subject,
                     const std::string& ref, uint64_t n) {
  v1::Event e;
  e.set_event_type(type);
  e.set_schema_version(1);
  e.set_organisation("Demo Provider Ltd");
  e.set_occurred_at_ms(NowMs());
  auto* s = e.add_subjects();
  s->set_kind("system");
  s->set_id(subject);
  e.add_framework_refs(ref);
  e.set_nonce(absl::StrCat("demo-", n));
  FillExampleBody(&e);
  return e;
}

// The sequencer's side, reduced: the canonical check and the author's signature
// first.
absl::Status CheckBeforeAppend(const SignedEvent& e) {
  if (auto ev = ParseCanonicalEvent(e.event_bytes); !ev.ok())
    return ev.status();
  if (!Ed25519Verify(e.signer, EventSigningMessage(kOrigin, e.event_bytes),
                     AsBytes(e.signature))) {
    return absl::UnauthenticatedError("event signature does not verify");
  }
  return absl::OkStatus();
}

absl::StatusOr<AppendResult> AppendBatch(
    LogWriter& writer, const std::vector<SignedEvent>& batch) {
  for (const SignedEvent& e : batch) {
    if (auto s = CheckBeforeAppend(e); !s.ok()) return s;
  }
  auto r = writer.Append(batch, NowMs());
  if (r.ok()) {
    std::printf("appended %zu event(s) at %llu..%llu; checkpoint:\n%s",
                batch.size(), (unsigned long long)r->first_index,
                (unsigned long long)(r->state.size - 1), r->checkpoint.c_str());
  }
  return r;
}

}  // namespace
}  // namespace ailedger

namespace ailedger {
namespace {

absl::Status ProveInclusion(const TreeReader& reader, const TreeState& state,
                            const Checkpoint& cp, uint64_t index) {
  auto leaf = reader.Leaf(index, state);
  if (!leaf.ok()) return leaf.status();
  auto proof = reader.InclusionProof(index, cp.size, state);
  if (!proof.ok()) return proof.status();
  if (auto s =
          VerifyInclusion(index, cp.size, HashLeaf(*leaf), *proof, cp.root);
      !s.ok()) {
    return s;
  }
  std::printf("  inclusion of leaf %llu in size %llu: %zu hashes, verified\n",
              (unsigned long long)index, (unsigned long long)cp.size,
              proof->size());
  return absl::OkStatus();
}

absl::Status ProveConsistency(const TreeReader& reader, const TreeState& state,
                              const VerifierKey& log_vkey,
                              const std::string& old_note,
                              const Checkpoint& cp) {
  auto old_cp = OpenCheckpoint(old_note, log_vkey);
  if (!old_cp.ok()) return old_cp.status();
  const Checkpoint& old = old_cp->checkpoint;
  auto proof = reader.ConsistencyProof(old.size, cp.size, state);
  if (!proof.ok()) return proof.status();
  if (auto s = VerifyConsistency(old.size, cp.size, *proof, old.root, cp.root);
      !s.ok()) {
    return s;
  }
  std::printf("  consistency %llu -> %llu: %zu hashes, verified\n",
              (unsigned long long)old.size, (unsigned long long)cp.size,
              proof->size());
  return absl::OkStatus();
}

// Every leaf: chain link, author signature; then the root recomputed from all
// leaves.
absl::Status WalkAllLeaves(const LogStore& store, const Checkpoint& cp) {
  auto leaves = store.ReadLeaves(0, cp.size);
  if (!leaves.ok()) return leaves.status();
  ChainState chain;
  if (auto s = CheckChain(*leaves, &chain); !s.ok()) return s;
  CompactRange range;
  for (const std::string& bytes : *leaves) {
    Leaf leaf = *DecodeLeaf(bytes);
    if (!Ed25519Verify(leaf.signer,
                       EventSigningMessage(kOrigin, leaf.event_bytes),
                       AsBytes(leaf.signature))) {
      return absl::UnauthenticatedError(
          absl::StrCat("leaf ", leaf.index, ": author signature"));
    }
    range.Append(HashLeaf(bytes), nullptr);
  }
  if (range.Root() != cp.root) {
    return absl::DataLossError("root recomputed from the leaves differs");
  }
  std::printf("  %llu leaves: chain, signatures and recomputed root verified\n",
              (unsigned long long)cp.size);
  return absl::OkStatus();
}

absl::Status Audit(const LogStore& store, const VerifierKey& log_vkey,
                   const std::string& old_note) {
  std::printf(
      "\naudit (verification core only, trusting nothing but the log key):\n");
  auto note = store.ReadLatestCheckpoint();
  if (!note.ok()) return note.status();
  auto cp = OpenCheckpoint(*note, log_vkey);
  if (!cp.ok()) return cp.status();
  std::printf("  checkpoint signature by %s verified\n",
              log_vkey.name().c_str());
  auto state = store.ReadTreeState();
  if (!state.ok()) return state.status();
  TreeReader reader(&store);
  for (uint64_t i : {uint64_t{0}, cp->checkpoint.size - 1}) {
    if (auto s = ProveInclusion(reader, *state, cp->checkpoint, i); !s.ok())
      return s;
  }
  if (!old_note.empty()) {
    auto s =
        ProveConsistency(reader, *state, log_vkey, old_note, cp->checkpoint);
    if (!s.ok()) return s;
  }
  return WalkAllLeaves(store, cp->checkpoint);
}

absl::Status Run(const std::string& dir) {
  InitCrypto();
  std::filesystem::create_directories(dir);
  auto log_key = LoadOrCreateKey(dir + "/log.key", kOrigin);
  auto admin = LoadOrCreateKey(dir + "/admin.key", "demo-admin");
  if (!log_key.ok()) return log_key.status();
  if (!admin.ok()) return admin.status();
  const std::string path = dir + "/store";
  auto store = RocksDbStore::Open(path, RocksDbStore::Mode::kOpenExisting);
  if (absl::IsNotFound(store.status())) {
    store = RocksDbStore::Open(path, RocksDbStore::Mode::kCreate);
  }
  if (!store.ok()) return store.status();
  auto writer = LogWriter::Open(
      store->get(), kOrigin,
      [&](const Checkpoint& cp) { return SignCheckpoint(cp, *log_key); });
  if (!writer.ok()) return writer.status();
  const uint64_t start = (*writer)->state().size;
  std::string old_note = (*store)->ReadLatestCheckpoint().value_or("");
  std::printf("log %s: %llu entries in %s\n\n", kOrigin,
              (unsigned long long)start, path.c_str());
  if (start == 0) {
    auto r = AppendBatch(**writer, {Sign(Genesis(*log_key, *admin), *admin)});
    if (!r.ok()) return r.status();
  }
  std::vector<SignedEvent> batch = {
      Sign(Governance("ModelVersionReleased", "credit-scoring", "euaia:art11",
                      start),
           *admin),
      Sign(Governance("FairnessSnapshot", "credit-scoring", "iso42001:A.7.4",
                      start),
           *admin),
      Sign(Governance("IncidentReported", "credit-scoring", "euaia:art73",
                      start),
           *admin)};
  if (auto r = AppendBatch(**writer, batch); !r.ok()) return r.status();
  return Audit(**store, log_key->verifier(), old_note);
}

}  // namespace
}  // namespace ailedger

int main(int argc, char** argv) {
  std::string dir = "demo-data";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--data" && i + 1 < argc) {
      dir = argv[++i];
    } else {
      std::fprintf(stderr, "usage: ledger_demo [--data DIR]\n");
      return 2;
    }
  }
  absl::Status s = ailedger::Run(dir);
  if (!s.ok()) {
    std::fprintf(stderr, "ledger_demo: %s\n", s.ToString().c_str());
    return 1;
  }
  std::printf("\nall checks passed\n");
  return 0;
}
