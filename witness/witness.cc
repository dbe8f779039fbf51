#include "witness/witness.h"

#include <filesystem>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "ledger/base/base64.h"
#include "ledger/base/file_util.h"
#include "ledger/merkle/hash.h"
#include "ledger/merkle/verify.h"

namespace ailedger {
namespace {

WitnessAnswer Answer(int status, std::string body) {
  return {status, std::move(body) + "\n", "text/plain; charset=utf-8"};
}

// The checkpoint with the signatures of the log keys that may sign its size
// and this witness's cosignature: the proof LatestCosigned serves. Other
// lines the log sent are left out.
std::string CosignedNote(const ParsedNote& note,
                         const std::vector<VerifierKey>& log_keys,
                         absl::string_view cosignature_line) {
  std::string out = note.text + "\n";
  for (const NoteSignature& s : note.signatures) {
    for (const VerifierKey& k : log_keys) {
      if (s.name == k.name() && s.key_id == k.key_id())
        absl::StrAppend(&out, s.line, "\n");
    }
  }
  absl::StrAppend(&out, cosignature_line);
  return out;
}

}  // namespace

Witness::Witness(SigningKey cosigner, std::vector<VerifierKey> log_keys,
                 std::string state_dir, std::function<uint64_t()> now_seconds)
    : cosigner_(std::move(cosigner)),
      log_keys_(std::move(log_keys)),
      state_dir_(std::move(state_dir)),
      now_seconds_(std::move(now_seconds)) {}

absl::StatusOr<std::unique_ptr<Witness>> Witness::Open(
    SigningKey cosigner, std::vector<VerifierKey> log_keys,
    std::string state_dir, std::function<uint64_t()> now_seconds) {
  if (cosigner.verifier().type() != kKeyTypeCosignature) {
    return absl::InvalidArgumentError(
        "witness key: must be a cosigner (type 0x04) key");
  }
  std::error_code ec;
  std::filesystem::create_directories(state_dir, ec);
  if (ec)
    return absl::InvalidArgumentError(
        absl::StrCat(state_dir, ": ", ec.message()));
  return std::unique_ptr<Witness>(
      new Witness(std::move(cosigner), std::move(log_keys),
                  std::move(state_dir), std::move(now_seconds)));
}

std::string Witness::StatePath(const std::string& origin) const {
  return absl::StrCat(state_dir_, "/", ToHex(Sha256Of(origin)));
}

// State file: "<size>\n<base64 root>\n<cosigned note>"; files written before
// the note was kept end after the root.
absl::StatusOr<Witness::Latest> Witness::Load(const std::string& origin) const {
  std::error_code ec;
  if (!std::filesystem::exists(StatePath(origin), ec) && !ec) return Latest{};
  auto text = ReadSmallFile(StatePath(origin));
  if (!text.ok())
    return absl::UnavailableError(
        absl::StrCat("witness state: ", text.status().message()));
  std::vector<std::string> lines =
      absl::StrSplit(*text, absl::MaxSplits('\n', 2));
  Latest l;
  auto root = lines.size() >= 2
                  ? Base64Decode(lines[1], "state root")
                  : absl::StatusOr<std::string>(absl::DataLossError("state"));
  if (!root.ok() || !ParseCanonicalDecimal(lines[0], &l.size) ||
      !HashFromBytes(*root, "root").ok()) {
    return absl::DataLossError(
        absl::StrCat("witness state for ", origin, " is corrupt"));
  }
  l.root = *HashFromBytes(*root, "root");
  if (lines.size() == 3) l.note = std::move(lines[2]);
  return l;
}

WitnessAnswer Witness::AddCheckpoint(absl::string_view body) {
  auto req = ParseAddCheckpoint(body);
  if (!req.ok()) return Answer(400, std::string(req.status().message()));
  auto parsed = ParseNote(req->checkpoint);
  if (!parsed.ok()) return Answer(400, std::string(parsed.status().message()));
  const std::string origin = parsed->text.substr(0, parsed->text.find('\n'));
  std::lock_guard<std::mutex> lock(mu_);
  auto anchors = Anchors(origin);
  if (absl::IsNotFound(anchors.status()))
    return Answer(404, "unknown log origin");
  if (!anchors.ok())
    return Answer(500, std::string(anchors.status().message()));
  // Under the keys it follows for this log: the configured ones, through the
  // rotations proven to it.
  auto cp = OpenTrustedCheckpoint(req->checkpoint, *anchors);
  if (!cp.ok()) {
    return Answer(403, absl::StrCat("no signature by a trusted key of this log "
                                    "for this size: ",
                                    cp.status().message()));
  }
  auto chain = ChainOf(*anchors);
  if (!chain.ok()) return Answer(500, std::string(chain.status().message()));
  const Checkpoint& c = cp->checkpoint;
  const std::vector<VerifierKey> log_keys = chain->KeysAt(c.size);
  if (req->old_size > c.size)
    return Answer(400, "old size is above the checkpoint size");
  auto latest = Load(origin);
  if (!latest.ok()) return Answer(500, std::string(latest.status().message()));
  if (req->old_size != latest->size) {
    return {409, absl::StrCat(latest->size, "\n"), "text/x.tlog.size"};
  }
  if (req->old_size == c.size) {
    if (!req->proof.empty())
      return Answer(422, "equal sizes need an empty proof");
    if (latest->size > 0 && latest->root != c.root) {
      return Answer(409, "same size, different root: the log has forked");
    }
  } else if (req->old_size == 0) {
    if (!req->proof.empty())
      return Answer(422, "a proof from size 0 must be empty");
  } else {
    auto s = VerifyConsistency(req->old_size, c.size, req->proof, latest->root,
                               c.root);
    if (!s.ok()) return Answer(422, std::string(s.message()));
  }
  std::string line = SignatureLine(cosigner_, c.ToText(), now_seconds_());
  // One write keeps the state and its proof together.
  auto saved = WriteFileDurably(
      StatePath(origin),
      absl::StrCat(c.size, "\n", Base64Encode(AsBytes(c.root)), "\n",
                   CosignedNote(*parsed, log_keys, line)));
  // Not saved, not cosigned: a cosignature the state does not remember could
  // be followed by one for a fork. A disk that refuses the write is 503.
  if (!saved.ok()) {
    return Answer(absl::IsUnavailable(saved) ? 503 : 500,
                  absl::StrCat("witness state not saved, nothing cosigned: ",
                               saved.message()));
  }
  return {200, std::move(line), "text/plain; charset=utf-8"};
}

WitnessAnswer Witness::LatestCosigned(absl::string_view origin_id) {
  for (const VerifierKey& k : log_keys_) {
    if (ToHex(Sha256Of(k.name())) != origin_id) continue;
    std::lock_guard<std::mutex> lock(mu_);
    auto latest = Load(k.name());
    if (!latest.ok())
      return Answer(500, std::string(latest.status().message()));
    if (latest->note.empty())
      return Answer(404, "no checkpoint of this log cosigned yet");
    return {200, latest->note, "text/plain; charset=utf-8"};
  }
  return Answer(404, "unknown log origin");
}

}  // namespace ailedger
