// ailedger verify-proof: one receipt or proof, checked offline against the log
// key and the reader's witness policy (required unless --no-witness-policy: a
// report reader is who a split view would target).
//
// clang-format off
//   the proof                                 checked against
//   a C2SP tlog-proof (an append receipt)     its own checkpoint; the leaf in
//                                             its extra line
//   `prove inclusion --json` output           --checkpoint FILE at its size
//   `prove consistency --json` output         --trusted FILE (first) and
//                                             --checkpoint FILE (second)
// clang-format on
//
// A receipt or an inclusion proof proves that some event is in the log; it is
// the reader's event only if its id is the one the reader expects (--event
// FILE or --event-id HEX), so the event id proved is always printed, with
// whether it was checked (a proof not bound to the reader's own data proves
// nothing about it: immudb GHSA-672p-m5jq-mrh8).
//
// After a log key rotation, --key-rotations FILE (`log-key chain --out`) lets
// the reader follow the log from the key it pinned to the one that signed the
// proof's checkpoint; a checkpoint signed only by a key the log left, after
// its overlap or a declared compromise, is refused.
#include <nlohmann/json.hpp>
#include <optional>

#include "absl/strings/str_cat.h"
#include "client/cli.h"
#include "client/json_input.h"
#include "ledger/base/base64.h"
#include "ledger/base/file_util.h"
#include "ledger/base/terminal_escape.h"
#include "ledger/governance/canonical.h"
#include "ledger/governance/event_signature.h"
#include "ledger/merkle/verify.h"
#include "ledger/tlog/checkpoint.h"
#include "ledger/tlog/contexts.h"
#include "ledger/tlog/leaf.h"
#include "ledger/tlog/tlog_proof.h"
#include "ledger/tlog/trust.h"

namespace ailedger {
namespace {

using Json = nlohmann::json;

absl::Status Failed(absl::string_view why) {
  return absl::FailedPreconditionError(
      absl::StrCat("verification failed: ", why));
}

// The event the reader expects the proof to be of: canonical bytes from
// --event (its id depends on the log's origin), or an id from --event-id.
struct ExpectedEvent {
  std::optional<std::string> event_bytes;
  Hash id{};

  Hash IdIn(absl::string_view origin) const {
    return event_bytes ? EventId(origin, *event_bytes) : id;
  }
};

absl::StatusOr<std::optional<ExpectedEvent>> ExpectedFromFlags(const Cli& cli) {
  const bool by_file = cli.args.Has("event"), by_id = cli.args.Has("event-id");
  if (by_file && by_id)
    return UsageError("give --event or --event-id, not both");
  ExpectedEvent want;
  if (by_file) {
    auto text = ReadInput(cli.args.Get("event"));
    if (!text.ok()) return UsageError(text.status().message());
    v1::Event e;
    if (auto s = FromJson(*text, &e, "--event"); !s.ok()) return s;
    want.event_bytes = CanonicalEncoding(e);
    return want;
  }
  if (by_id) {
    auto raw = FromHex(cli.args.Get("event-id"));
    auto id = raw.ok() ? HashFromBytes(*raw, "--event-id") : raw.status();
    if (!id.ok()) return UsageError("--event-id: 64 hex digits expected");
    want.id = *id;
    return want;
  }
  return std::nullopt;
}

// The checkpoint in `where` under the reader's trust (ledger/tlog/trust.h):
// any failure fails the verification.
absl::StatusOr<TrustedCheckpoint> Open(const std::string& note,
                                       const TrustAnchors& trust,
                                       absl::string_view where) {
  auto cp = OpenTrustedCheckpoint(note, trust);
  if (!cp.ok()) return Failed(absl::StrCat(where, ": ", cp.status().message()));
  return cp;
}

// A leaf proven at `index` must say so, and carry its author's valid signature.
absl::StatusOr<Leaf> CheckLeaf(const std::string& bytes, uint64_t index,
                               const std::string& origin) {
  auto leaf = DecodeLeaf(bytes);
  if (!leaf.ok() || leaf->index != index) {
    return Failed("the leaf's index field is not the proof's index");
  }
  if (!VerifyEventSignature(origin, leaf->event_bytes, leaf->signer,
                            AsBytes(leaf->signature))) {
    return Failed("the event's signature does not verify for its signer");
  }
  return leaf;
}

// A verified leaf at `index` under `cp`: checked against the expected event,
// then reported with the event id it proves.
absl::Status Proved(const Cli& cli, const Leaf& leaf,
                    const TrustedCheckpoint& cp,
                    const std::optional<ExpectedEvent>& expected) {
  const std::string& origin = cp.checkpoint.origin;
  const Hash id = EventId(origin, leaf.event_bytes);
  if (expected && expected->IdIn(origin) != id) {
    return Failed(absl::StrCat("leaf ", leaf.index, " is the event ", ToHex(id),
                               ", not the expected event ",
                               ToHex(expected->IdIn(origin))));
  }
  const std::string signer = Base64Encode(AsBytes(leaf.signer));
  const size_t cosignatures = cp.cosignatures;
  if (cli.json) {
    Json j = {{"verified", true},
              {"log_index", leaf.index},
              {"tree_size", cp.checkpoint.size},
              {"origin", origin},
              {"event_id", ToHex(id)},
              {"signer", signer},
              {"witness_cosignatures", cosignatures},
              {"bound_to_expected_event", expected.has_value()}};
    *cli.out << EscapeForTerminal(
                    j.dump(-1, ' ', false, Json::error_handler_t::replace))
             << "\n";
    return absl::OkStatus();
  }
  *cli.out << "VERIFIED leaf " << leaf.index << " (event id " << ToHex(id)
           << ", signed by " << signer << ") is in "
           << EscapeForTerminal(origin) << " at size " << cp.checkpoint.size
           << " (" << cosignatures << " witness cosignatures)\n";
  if (expected) {
    *cli.out << "event " << ToHex(id) << " is the expected event\n";
  } else {
    *cli.out << "NOT BOUND to an expected event: this proves that event "
             << ToHex(id)
             << " is in the log, not that it is yours (give --event FILE or "
                "--event-id HEX)\n";
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> NoteFlag(const Cli& cli, const char* flag) {
  if (!cli.args.Has(flag))
    return UsageError(absl::StrCat("--", flag, " is required"));
  auto note = ReadSmallFile(cli.args.Get(flag));
  if (!note.ok()) return UsageError(note.status().message());
  return note;
}

absl::Status Receipt(const Cli& cli, const std::string& text,
                     const TrustAnchors& trust,
                     const std::optional<ExpectedEvent>& expected) {
  auto proof = ParseTlogProof(text);
  if (!proof.ok()) return UsageError(proof.status().message());
  if (proof->extra.empty()) return UsageError("the receipt carries no leaf");
  auto cp = Open(proof->checkpoint, trust, "the receipt's checkpoint");
  if (!cp.ok()) return cp.status();
  auto s =
      VerifyInclusion(proof->index, cp->checkpoint.size, HashLeaf(proof->extra),
                      proof->hashes, cp->checkpoint.root);
  if (!s.ok()) return Failed(s.message());
  auto leaf = CheckLeaf(proof->extra, proof->index, cp->checkpoint.origin);
  if (!leaf.ok()) return leaf.status();
  return Proved(cli, *leaf, *cp, expected);
}

// `prove inclusion --json` output, every field parsed (ParseProofJson) before
// any checkpoint is read.
absl::Status InclusionJson(const Cli& cli, const InclusionProofJson& p,
                           const TrustAnchors& trust,
                           const std::optional<ExpectedEvent>& expected) {
  auto note = NoteFlag(cli, "checkpoint");
  if (!note.ok()) return note.status();
  auto cp = Open(*note, trust, "--checkpoint");
  if (!cp.ok()) return cp.status();
  if (p.tree_size != cp->checkpoint.size)
    return Failed("the proof is for another tree size");
  if (AsBytes(HashLeaf(p.leaf_data)) != p.leaf_hash)
    return Failed("leaf_hash is not the hash of leaf_data");
  auto s = VerifyInclusion(p.log_index, p.tree_size, HashLeaf(p.leaf_data),
                           p.hashes, cp->checkpoint.root);
  if (!s.ok()) return Failed(s.message());
  auto leaf = CheckLeaf(p.leaf_data, p.log_index, cp->checkpoint.origin);
  if (!leaf.ok()) return leaf.status();
  return Proved(cli, *leaf, *cp, expected);
}

absl::Status ConsistencyJson(const Cli& cli, const ConsistencyProofJson& p,
                             const TrustAnchors& trust) {
  auto older = NoteFlag(cli, "trusted");
  auto newer = NoteFlag(cli, "checkpoint");
  if (!older.ok()) return older.status();
  if (!newer.ok()) return newer.status();
  auto a = Open(*older, trust, "--trusted");
  auto b = Open(*newer, trust, "--checkpoint");
  if (!a.ok()) return a.status();
  if (!b.ok()) return b.status();
  if (p.first != a->checkpoint.size || p.second != b->checkpoint.size)
    return Failed("the proof is between other sizes than the two checkpoints");
  auto s = VerifyConsistency(a->checkpoint.size, b->checkpoint.size, p.hashes,
                             a->checkpoint.root, b->checkpoint.root);
  if (!s.ok()) return Failed(s.message());
  if (cli.json) {
    Json out = {{"verified", true},
                {"origin", b->checkpoint.origin},
                {"first", a->checkpoint.size},
                {"second", b->checkpoint.size}};
    *cli.out << EscapeForTerminal(
                    out.dump(-1, ' ', false, Json::error_handler_t::replace))
             << "\n";
    return absl::OkStatus();
  }
  *cli.out << "VERIFIED " << EscapeForTerminal(b->checkpoint.origin)
           << " at size " << b->checkpoint.size << " extends size "
           << a->checkpoint.size << "\n";
  return absl::OkStatus();
}

}  // namespace

absl::Status CmdVerifyProof(const Cli& cli) {
  if (cli.words().size() != 1) return UsageError("verify-proof FILE");
  auto keys = LogKeysFromFlags(cli);
  if (!keys.ok()) return keys.status();
  if (!cli.args.Has("witness-policy") && !cli.args.Has("no-witness-policy")) {
    return UsageError(
        "verify-proof: give --witness-policy FILE, or --no-witness-policy to "
        "trust the log "
        "key alone");
  }
  auto policy = WitnessPolicyFromFlags(cli);
  if (!policy.ok()) return policy.status();
  auto expected = ExpectedFromFlags(cli);
  if (!expected.ok()) return expected.status();
  // The log's key rotations, followed from --vkey: a receipt signed by a key
  // the log rotated to verifies without that key given out of band.
  std::vector<std::string> rotations;
  if (cli.args.Has("key-rotations")) {
    auto read = ReadRotationProofs(cli.args.Get("key-rotations"), true);
    if (!read.ok()) return read.status();
    rotations = *std::move(read);
  }
  auto followed = FollowRotations(
      TrustAnchors{*std::move(keys), *std::move(policy)}, rotations);
  if (!followed.ok()) return followed.status();
  const TrustAnchors trust = *std::move(followed);
  auto text = ReadInput(cli.words()[0]);
  if (!text.ok()) return UsageError(text.status().message());
  if (text->rfind("c2sp.org/tlog-proof@v1\n", 0) == 0)
    return Receipt(cli, *text, trust, *expected);
  auto proof = ParseProofJson(*text);
  if (!proof.ok()) return proof.status();
  if (const auto* p = std::get_if<InclusionProofJson>(&*proof))
    return InclusionJson(cli, *p, trust, *expected);
  if (expected->has_value()) {
    return UsageError(
        "--event and --event-id apply to a receipt or an inclusion proof, "
        "not to a consistency proof");
  }
  return ConsistencyJson(cli, std::get<ConsistencyProofJson>(*proof), trust);
}

const CliCommand kVerifyProofCommand{
    .name = "verify-proof",
    .summary = "verify a receipt, or a proof from prove --json, offline",
    .usage =
        "RECEIPT|PROOF.json --vkey LOGVKEY... --witness-policy FILE | "
        "--no-witness-policy\n"
        "[--checkpoint FILE] [--trusted FILE]   (for prove --json "
        "output)\n"
        "[--event FILE | --event-id HEX]   (the event it must prove; "
        "else not bound)\n"
        "[--key-rotations FILE]   (the log's key rotation proofs: log-key "
        "chain saves them)",
    .flags =
        "vkey witness-policy checkpoint trusted event event-id key-rotations",
    .switches = "no-witness-policy",
    .run = CmdVerifyProof,
};

}  // namespace ailedger
