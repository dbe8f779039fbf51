// ailedger verify-proof: one receipt or proof, checked offline against the log
// key and the reader's witness policy (required unless --no-witness-policy: a
// report reader is who a split view would target).
//
//   a C2SP tlog-proof (an append receipt)     its own checkpoint; the leaf in
//   its extra line `prove inclusion --json` output           --checkpoint FILE
//   at its tree size `prove consistency --json` output         --trusted FILE
//   (first) and --checkpoint (second)
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "client/cli.h"
#include "ledger/base64.h"
#include "ledger/checkpoint.h"
#include "ledger/contexts.h"
#include "ledger/file_util.h"
#include "ledger/leaf.h"
#include "ledger/tlog_proof.h"
#include "ledger/verify.h"

namespace ailedger {
namespace {

absl::Status Failed(absl::string_view why) {
  return absl::FailedPreconditionError(
      absl::StrCat("verification failed: ", why));
}

// The log's signature by one of the reader's keys, and the quorum of the
// reader's witnesses.
absl::StatusOr<VerifiedCheckpoint> OpenWithPolicy(
    const std::string& note, const std::vector<VerifierKey>& keys,
    const WitnessPolicy& policy) {
  absl::Status last = Failed("no --vkey key signed the checkpoint");
  for (const VerifierKey& k : keys) {
    auto cp = OpenCheckpoint(note, k, policy.witnesses);
    if (!cp.ok()) {
      last = Failed(cp.status().message());
      continue;
    }
    if (CountCosignatures(cp->note) < policy.quorum) {
      return Failed(absl::StrCat("witness quorum: expected ", policy.quorum,
                                 " cosignatures, found ",
                                 CountCosignatures(cp->note)));
    }
    return cp;
  }
  return last;
}

// A leaf proven at `index` must say so, and carry its author's valid signature.
absl::StatusOr<Leaf> CheckLeaf(const std::string& bytes, uint64_t index,
                               const std::string& origin) {
  auto leaf = DecodeLeaf(bytes);
  if (!leaf.ok() || leaf->index != index) {
    return Failed("the leaf's index field is not the proof's index");
  }
  if (!Ed25519Verify(leaf->signer,
                     EventSigningMessage(origin, leaf->event_bytes),
                     AsBytes(leaf->signature))) {
    return Failed("the event's signature does not verify for its signer");
  }
  return leaf;
}

absl::StatusOr<std::vector<Hash>> Hashes(const nlohmann::json& list) {
  std::vector<Hash> out;
  for (const auto& h : list) {
    auto raw = Base64Decode(h.get<std::string>(), "hashes");
    auto hash = raw.ok() ? HashFromBytes(*raw, "hashes") : raw.status();
    if (!hash.ok()) return absl::InvalidArgumentError(hash.status().message());
    out.push_back(*hash);
  }
  return out;
}

absl::StatusOr<std::string> NoteFlag(const Cli& cli, const char* flag) {
  if (!cli.args.Has(flag))
    return absl::InvalidArgumentError(absl::StrCat("--", flag, " is required"));
  auto note = ReadSmallFile(cli.args.Get(flag));
  if (!note.ok()) return absl::InvalidArgumentError(note.status().message());
  return note;
}

absl::Status Receipt(const Cli& cli, const std::string& text,
                     const std::vector<VerifierKey>& keys,
                     const WitnessPolicy& policy) {
  auto proof = ParseTlogProof(text);
  if (!proof.ok()) return absl::InvalidArgumentError(proof.status().message());
  if (proof->extra.empty())
    return absl::InvalidArgumentError("the receipt carries no leaf");
  auto cp = OpenWithPolicy(proof->checkpoint, keys, policy);
  if (!cp.ok()) return cp.status();
  auto s =
      VerifyInclusion(proof->index, cp->checkpoint.size, HashLeaf(proof->extra),
                      proof->hashes, cp->checkpoint.root);
  if (!s.ok()) return Failed(s.message());
  auto leaf = CheckLeaf(proof->extra, proof->index, cp->checkpoint.origin);
  if (!leaf.ok()) return leaf.status();
  *cli.out << "VERIFIED leaf " << proof->index << " (signed by "
           << Base64Encode(AsBytes(leaf->signer)) << ") is in "
           << cp->checkpoint.origin << " at size " << cp->checkpoint.size
           << " (" << CountCosignatures(cp->note) << " witness cosignatures)\n";
  return absl::OkStatus();
}

absl::Status InclusionJson(const Cli& cli, const nlohmann::json& j,
                           const std::vector<VerifierKey>& keys,
                           const WitnessPolicy& policy) {
  auto note = NoteFlag(cli, "checkpoint");
  if (!note.ok()) return note.status();
  auto cp = OpenWithPolicy(*note, keys, policy);
  if (!cp.ok()) return cp.status();
  const uint64_t index = j.at("log_index"), size = j.at("tree_size");
  if (size != cp->checkpoint.size)
    return Failed("the proof is for another tree size");
  auto leaf_bytes =
      Base64Decode(j.at("leaf_data").get<std::string>(), "leaf_data");
  auto hashes = Hashes(j.at("hashes"));
  if (!leaf_bytes.ok() || !hashes.ok())
    return absl::InvalidArgumentError("malformed proof JSON");
  if (Base64Encode(AsBytes(HashLeaf(*leaf_bytes))) != j.at("leaf_hash")) {
    return Failed("leaf_hash is not the hash of leaf_data");
  }
  auto s = VerifyInclusion(index, size, HashLeaf(*leaf_bytes), *hashes,
                           cp->checkpoint.root);
  if (!s.ok()) return Failed(s.message());
  auto leaf = CheckLeaf(*leaf_bytes, index, cp->checkpoint.origin);
  if (!leaf.ok()) return leaf.status();
  *cli.out << "VERIFIED leaf " << index << " is in " << cp->checkpoint.origin
           << " at size " << size << "\n";
  return absl::OkStatus();
}

absl::Status ConsistencyJson(const Cli& cli, const nlohmann::json& j,
                             const std::vector<VerifierKey>& keys,
                             const WitnessPolicy& policy) {
  auto older = NoteFlag(cli, "trusted");
  auto newer = NoteFlag(cli, "checkpoint");
  if (!older.ok()) return older.status();
  if (!newer.ok()) return newer.status();
  auto a = OpenWithPolicy(*older, keys, policy);
  auto b = OpenWithPolicy(*newer, keys, policy);
  if (!a.ok()) return a.status();
  if (!b.ok()) return b.status();
  auto hashes = Hashes(j.at("hashes"));
  if (!hashes.ok()) return hashes.status();
  if (j.at("first") != a->checkpoint.size ||
      j.at("second") != b->checkpoint.size) {
    return Failed("the proof is between other sizes than the two checkpoints");
  }
  auto s = VerifyConsistency(a->checkpoint.size, b->checkpoint.size, *hashes,
                             a->checkpoint.root, b->checkpoint.root);
  if (!s.ok()) return Failed(s.message());
  *cli.out << "VERIFIED " << b->checkpoint.origin << " at size "
           << b->checkpoint.size << " extends size " << a->checkpoint.size
           << "\n";
  return absl::OkStatus();
}

}  // namespace

absl::Status CmdVerifyProof(const Cli& cli) {
  if (cli.words().size() != 1)
    return absl::InvalidArgumentError("verify-proof FILE");
  auto keys = LogKeysFromFlags(cli);
  if (!keys.ok()) return keys.status();
  if (!cli.args.Has("witness-policy") && !cli.args.Has("no-witness-policy")) {
    return absl::InvalidArgumentError(
        "verify-proof: give --witness-policy FILE, or --no-witness-policy to "
        "trust the log "
        "key alone");
  }
  auto policy = WitnessPolicyFromFlags(cli);
  if (!policy.ok()) return policy.status();
  auto text = ReadInput(cli.words()[0]);
  if (!text.ok()) return absl::InvalidArgumentError(text.status().message());
  if (text->rfind("c2sp.org/tlog-proof@v1\n", 0) == 0)
    return Receipt(cli, *text, *keys, *policy);
  auto j = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return absl::InvalidArgumentError(
        "verify-proof: neither a tlog-proof nor a prove JSON");
  }
  try {  // fields of the wrong JSON type are an error, not a crash
    if (j.contains("log_index") && j.contains("tree_size") &&
        j.contains("leaf_data") && j.contains("leaf_hash") &&
        j.contains("hashes")) {
      return InclusionJson(cli, j, *keys, *policy);
    }
    if (j.contains("first") && j.contains("second") && j.contains("hashes")) {
      return ConsistencyJson(cli, j, *keys, *policy);
    }
  } catch (const nlohmann::json::exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat("verify-proof: malformed proof JSON: ", e.what()));
  }
  return absl::InvalidArgumentError("verify-proof: unrecognised proof JSON");
}

}  // namespace ailedger
