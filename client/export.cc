#include "client/export.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "ailedger/bundle.pb.h"
#include "cmdline/usage_error.h"
#include "ledger/audit/bundle.h"
#include "ledger/governance/canonical.h"
#include "ledger/governance/event_types.h"
#include "ledger/governance/roles.h"
#include "ledger/tlog/checkpoint.h"
#include "ledger/tlog/tlog_proof.h"

namespace ailedger {
namespace {

absl::StatusOr<Checkpoint> PeekCheckpoint(const std::string& note) {
  auto parsed = ParseNote(note);
  if (!parsed.ok()) return parsed.status();
  return ParseCheckpoint(parsed->text);
}

absl::StatusOr<std::string> Proven(LedgerClient& client, uint64_t index,
                                   uint64_t size) {
  v1::GetInclusionProofRequest req;
  req.set_index(index);
  req.set_tree_size(size);
  auto p = client.GetInclusionProof(req);
  if (!p.ok()) return p.status();
  v1::ProvenLeaf out;
  out.set_leaf(p->leaf());
  out.set_tree_size(size);
  *out.mutable_hashes() = p->hashes();
  return CanonicalEncoding(out);
}

absl::StatusOr<std::string> Consistency(LedgerClient& client, uint64_t first,
                                        uint64_t second) {
  v1::GetConsistencyProofRequest req;
  req.set_first(first);
  req.set_second(second);
  auto p = client.GetConsistencyProof(req);
  if (!p.ok()) return p.status();
  v1::ConsistencyRecord out;
  out.set_first(first);
  out.set_second(second);
  *out.mutable_hashes() = p->hashes();
  return CanonicalEncoding(out);
}

// Indices of the roster events before `from`, in order: of every type the
// role table knows that changes the roster (event_types.h), so a ranged bundle
// carries what the verifier replays as roster (RulesVersionAdopted included).
absl::StatusOr<std::vector<uint64_t>> RosterIndices(LedgerClient& client,
                                                    uint64_t from) {
  std::vector<uint64_t> out;
  for (absl::string_view type : EventTypes()) {
    if (!ChangesRoster(type)) continue;
    v1::QueryRequest q;
    q.set_event_type(std::string(type));
    auto s = client.Query(q, [&](const v1::Entry& e) {
      if (e.index() < from) out.push_back(e.index());
    });
    if (!s.ok()) return s;
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The cosigned checkpoints the log kept whose sizes lie in (from, n], each
// with its consistency proof to size n, but the bundle's own checkpoint
// (`note`): what lets a reader say when each entry was witnessed.
absl::StatusOr<std::vector<std::string>> CosignedSince(
    LedgerClient& client, uint64_t from, uint64_t n, const std::string& note) {
  std::vector<std::string> out;
  for (uint64_t size = from; size < n;) {
    v1::GetCheckpointRequest req;
    req.set_which(v1::GetCheckpointRequest::COSIGNED_AFTER);
    req.set_size(size);
    auto cosigned = client.GetCheckpoint(req);
    if (absl::IsNotFound(cosigned.status())) break;
    if (!cosigned.ok()) return cosigned.status();
    auto cp = PeekCheckpoint(*cosigned);
    if (!cp.ok()) return cp.status();
    if (cp->size <= size || cp->size > n || *cosigned == note) break;
    v1::CosignedCheckpoint record;
    record.set_note(*cosigned);
    if (cp->size < n) {
      auto c = Consistency(client, cp->size, n);
      if (!c.ok()) return c.status();
      v1::ConsistencyRecord proof;
      proof.ParseFromString(*c);
      *record.mutable_hashes() = proof.hashes();
    }
    out.push_back(CanonicalEncoding(record));
    size = cp->size;
  }
  return out;
}

// The proofs of the log's key rotations before `to` (GetLogInfo), each with
// the consistency proof from its handover to size n: record 9 of BUNDLE.md.
absl::StatusOr<std::vector<std::string>> RotationRecords(LedgerClient& client,
                                                         uint64_t to,
                                                         uint64_t n) {
  auto info = client.LogInfo();
  if (!info.ok()) return info.status();
  std::vector<std::string> out;
  for (const std::string& text : info->key_rotations()) {
    auto proof = ParseTlogProof(text);
    if (!proof.ok()) return proof.status();
    if (proof->index >= to) break;
    auto cp = PeekCheckpoint(proof->checkpoint);
    if (!cp.ok()) return cp.status();
    v1::KeyRotationRecord record;
    record.set_rotation_proof(text);
    if (cp->size < n) {
      auto c = Consistency(client, cp->size, n);
      if (!c.ok()) return c.status();
      v1::ConsistencyRecord proof_to_n;
      proof_to_n.ParseFromString(*c);
      *record.mutable_hashes() = proof_to_n.hashes();
    }
    out.push_back(CanonicalEncoding(record));
  }
  return out;
}

absl::StatusOr<std::string> NewestCheckpoint(LedgerClient& client) {
  v1::GetCheckpointRequest req;
  req.set_which(v1::GetCheckpointRequest::LATEST_COSIGNED);
  auto cosigned = client.GetCheckpoint(req);
  if (cosigned.ok()) return cosigned;
  req.set_which(v1::GetCheckpointRequest::LATEST);
  return client.GetCheckpoint(req);
}

}  // namespace

absl::StatusOr<std::string> ExportBundle(LedgerClient& client,
                                         const ExportOptions& o,
                                         std::ostream* out) {
  auto note = o.checkpoint.empty() ? NewestCheckpoint(client)
                                   : absl::StatusOr<std::string>(o.checkpoint);
  if (!note.ok()) return note.status();
  auto cp = PeekCheckpoint(*note);
  if (!cp.ok()) return cp.status();
  const uint64_t n = cp->size, to = o.to.value_or(n);
  if (o.from > to || to > n) {
    return UsageError(absl::StrCat("--from/--to: need from <= to <= ", n));
  }
  std::vector<std::string> roster;
  std::string prefix;
  if (o.from > 0) {
    auto indices = RosterIndices(client, o.from);
    if (!indices.ok()) return indices.status();
    for (uint64_t i : *indices) {
      auto r = Proven(client, i, o.from);
      if (!r.ok()) return r.status();
      roster.push_back(*std::move(r));
    }
    auto p = Proven(client, o.from - 1, o.from);
    if (!p.ok()) return p.status();
    prefix = *std::move(p);
  }
  std::string range_proof, trusted_proof;
  if (to < n) {
    auto c = Consistency(client, to, n);
    if (!c.ok()) return c.status();
    range_proof = *std::move(c);
  }
  if (!o.trusted_checkpoint.empty()) {
    auto t = PeekCheckpoint(o.trusted_checkpoint);
    if (!t.ok()) return LocalInputError(t.status());  // the reader's file
    if (t->size > n)
      return absl::FailedPreconditionError(
          "--trusted is newer than the log's checkpoint");
    if (t->size > 0 && t->size < n) {
      auto c = Consistency(client, t->size, n);
      if (!c.ok()) return c.status();
      trusted_proof = *std::move(c);
    }
  }
  auto cosigned = CosignedSince(client, o.from, n, *note);
  if (!cosigned.ok()) return cosigned.status();
  auto rotations = RotationRecords(client, to, n);
  if (!rotations.ok()) return rotations.status();
  v1::BundleHeader h;
  h.set_version(1);
  h.set_origin(cp->origin);
  h.set_from(o.from);
  h.set_to(to);
  h.set_roster_events(static_cast<uint32_t>(roster.size()));
  h.set_checkpoint_size(n);
  h.set_range_consistency(!range_proof.empty());
  h.set_trusted_consistency(!trusted_proof.empty());
  h.set_cosigned_checkpoints(static_cast<uint32_t>(cosigned->size()));
  h.set_key_rotations(static_cast<uint32_t>(rotations->size()));
  BundleWriter w(out);
  if (auto s = w.Write(RecordType::kHeader, CanonicalEncoding(h)); !s.ok())
    return s;
  if (!prefix.empty()) {
    if (auto s = w.Write(RecordType::kPrefix, prefix); !s.ok()) return s;
  }
  for (const auto& r : roster) {
    if (auto s = w.Write(RecordType::kRoster, r); !s.ok()) return s;
  }
  absl::Status write_error;
  uint64_t done = 0;
  v1::GetEntriesRequest req;
  req.set_start(o.from);
  req.set_end(to);
  req.set_page_size(1000);
  auto streamed = to == o.from
                      ? absl::OkStatus()
                      : client.GetEntries(req, [&](const v1::Entry& e) {
                          if (write_error.ok())
                            write_error = w.Write(RecordType::kLeaf, e.leaf());
                          if (o.progress && ++done % 4096 == 0)
                            o.progress(done, to - o.from);
                        });
  if (!streamed.ok()) return streamed;
  if (!write_error.ok()) return write_error;
  if (o.progress) o.progress(to - o.from, to - o.from);
  if (auto s = w.Write(RecordType::kCheckpoint, *note); !s.ok()) return s;
  for (const std::string* p : {&range_proof, &trusted_proof}) {
    if (p->empty()) continue;
    if (auto s = w.Write(RecordType::kConsistency, *p); !s.ok()) return s;
  }
  for (const std::string& c : *cosigned) {
    if (auto s = w.Write(RecordType::kCosigned, c); !s.ok()) return s;
  }
  for (const std::string& r : *rotations) {
    if (auto s = w.Write(RecordType::kRotation, r); !s.ok()) return s;
  }
  v1::BundleEnd end;
  end.set_records(w.records());
  end.set_leaves(to - o.from);
  if (auto s = w.Write(RecordType::kEnd, CanonicalEncoding(end)); !s.ok())
    return s;
  return *std::move(note);
}

}  // namespace ailedger
