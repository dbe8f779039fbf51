// The witness following a log's key rotations (witness.h): the keys of its
// configuration, then each rotation proof it was shown, checked under the
// keys before it and against what it cosigned, and kept beside its state.
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "ledger/base/file_util.h"
#include "ledger/governance/log_key_rotation.h"
#include "ledger/merkle/verify.h"
#include "ledger/tlog/tlog_proof.h"
#include "witness/witness.h"

namespace ailedger {
namespace {

WitnessAnswer Answer(int status, std::string body) {
  return {status, std::move(body) + "\n", "text/plain; charset=utf-8"};
}

// An HTTP status for a rotation proof that failed VerifyRotationProof.
int StatusOf(const absl::Status& s) {
  if (absl::IsInvalidArgument(s)) return 400;
  if (absl::IsUnauthenticated(s)) return 403;
  return 422;
}

// The handover is consistent with the witness's latest cosigned tree, in
// whichever order their sizes come.
absl::Status ConsistentWith(uint64_t size, const Hash& root,
                            const ProvenRotation& p,
                            const std::vector<Hash>& proof) {
  if (size == 0) {
    return proof.empty() ? absl::OkStatus()
                         : absl::InvalidArgumentError(
                               "a proof from size 0 must be empty");
  }
  if (size <= p.handover_size) {
    return VerifyConsistency(size, p.handover_size, proof, root,
                             p.handover_root);
  }
  return VerifyConsistency(p.handover_size, size, proof, p.handover_root, root);
}

}  // namespace

absl::StatusOr<TrustAnchors> Witness::Anchors(const std::string& origin) {
  if (auto it = anchors_.find(origin); it != anchors_.end()) return it->second;
  TrustAnchors anchors;
  for (const VerifierKey& k : log_keys_) {
    if (k.name() == origin) anchors.log_keys.push_back(k);
  }
  if (anchors.log_keys.empty())
    return absl::NotFoundError("unknown log origin");
  const std::string path = StatePath(origin) + ".rotations";
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    auto text = ReadSmallFile(path);
    auto proofs = text.ok()
                      ? SplitTlogProofs(*text)
                      : absl::StatusOr<std::vector<std::string>>(text.status());
    if (!proofs.ok()) {
      return absl::DataLossError(absl::StrCat("witness rotations for ", origin,
                                              ": ", proofs.status().message()));
    }
    // Proven when they were posted; their signatures are checked again.
    auto followed = FollowRotationProofs(*proofs, anchors);
    if (!followed.ok()) {
      return absl::DataLossError(absl::StrCat(
          "witness rotations for ", origin, ": ", followed.status().message()));
    }
    anchors = *std::move(followed);
  }
  anchors_[origin] = anchors;
  return anchors;
}

WitnessAnswer Witness::AddKeyRotation(absl::string_view body) {
  auto req = ParseAddCheckpoint(body);
  if (!req.ok()) return Answer(400, std::string(req.status().message()));
  auto proof = ParseTlogProof(req->checkpoint);
  auto note = proof.ok() ? ParseNote(proof->checkpoint)
                         : absl::StatusOr<ParsedNote>(proof.status());
  if (!note.ok()) return Answer(400, std::string(note.status().message()));
  const std::string origin = note->text.substr(0, note->text.find('\n'));
  std::lock_guard<std::mutex> lock(mu_);
  auto anchors = Anchors(origin);
  if (absl::IsNotFound(anchors.status()))
    return Answer(404, "unknown log origin");
  if (!anchors.ok())
    return Answer(500, std::string(anchors.status().message()));
  for (const LogKeyRotation& r : anchors->rotations) {
    if (r.index == proof->index) {
      return Answer(200, absl::StrCat("the rotation at index ", r.index,
                                      " is followed already"));
    }
  }
  auto proven = VerifyRotationProof(req->checkpoint, *anchors);
  if (!proven.ok()) {
    return Answer(StatusOf(proven.status()),
                  std::string(proven.status().message()));
  }
  auto latest = Load(origin);
  if (!latest.ok()) return Answer(500, std::string(latest.status().message()));
  if (req->old_size != latest->size) {
    return {409, absl::StrCat(latest->size, "\n"), "text/x.tlog.size"};
  }
  if (auto s = ConsistentWith(latest->size, latest->root, *proven, req->proof);
      !s.ok()) {
    return Answer(422, absl::StrCat("the handover checkpoint is not "
                                    "consistent with what this witness "
                                    "cosigned: ",
                                    s.message()));
  }
  const std::string path = StatePath(origin) + ".rotations";
  auto kept = ReadSmallFile(path);
  const std::string before = kept.ok() ? *kept : "";
  // Followed only once kept: a restart must follow the same keys.
  auto saved = WriteFileDurably(path, before + req->checkpoint);
  if (!saved.ok()) {
    return Answer(
        absl::IsUnavailable(saved) ? 503 : 500,
        absl::StrCat("witness rotations not saved: ", saved.message()));
  }
  anchors->rotations.push_back(proven->rotation);
  anchors_[origin] = *std::move(anchors);
  return Answer(200, absl::StrCat("followed the log key rotation at index ",
                                  proven->rotation.index, " to ",
                                  proven->rotation.new_key.ToString()));
}

}  // namespace ailedger
